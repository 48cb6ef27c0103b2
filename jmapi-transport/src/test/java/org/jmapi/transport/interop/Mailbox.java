package org.jmapi.transport.interop;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.Message;
import org.jmapi.mime.MimeProps;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.jmapi.transport.ServerProps;
import org.jmapi.transport.imap.ImapService;
import org.jmapi.transport.pop3.Pop3Service;
import org.jmapi.transport.smtp.SmtpFixture;
import org.jmapi.transport.smtp.SmtpTransportService;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One user's jmapi mailbox for the interop suite: a real session (a throw-away jmapi home, a profile with the SQLite
 * store and the real transports the test names, in that transport order) built on {@link SmtpFixture}, plus what
 * the tests do with it: compose and submit a message with attachments from this user, and find and read what
 * arrived in the Inbox. {@link #close()} ends the session as a client does and uninitialises MAPI.
 */
final class Mailbox implements AutoCloseable {
    /** The user, e.g. {@code alice}. */
    final String user;
    /** The session, store and helpers underneath. */
    final SmtpFixture f;

    private Mailbox(String user, SmtpFixture f) {
        this.user = user;
        this.f = f;
    }

    /**
     * @param home       an empty directory for the jmapi home
     * @param user       alice, bob or carol
     * @param transports the profile's transports, in transport order
     * @return the mailbox, logged on (the spooler running)
     */
    static Mailbox open(Path home, String user, SmtpFixture.Transport... transports) {
        SmtpFixture f = SmtpFixture.start(home, transports);
        try {
            f.logon();
        } catch (RuntimeException | Error e) {
            f.close();
            throw e;
        }
        return new Mailbox(user, f);
    }

    /**
     * @param port     the Postfix port
     * @param security none, starttls or tls
     * @param more     further settings (user, password, trust)
     * @return the jmapi.smtp transport for it
     */
    static SmtpFixture.Transport smtp(int port, String security, PropValue... more) {
        List<PropValue> settings = SmtpFixture.smtp(port, security);
        settings.add(PropValue.ofInt(SmtpTransportService.PR_SMTP_IDLE_SECONDS, 0));
        settings.addAll(List.of(more));
        return new SmtpFixture.Transport(SmtpTransportService.NAME, settings);
    }

    /**
     * @param user     whose INBOX
     * @param security none or starttls
     * @param more     further settings (trust)
     * @return the jmapi.imap transport reading that user's INBOX at Dovecot, checking every second
     */
    static SmtpFixture.Transport imap(String user, String security, PropValue... more) {
        List<PropValue> settings = new ArrayList<>(List.of(
                PropValue.ofString(ServerProps.PR_IMAP_HOST, MailPeers.HOST),
                PropValue.ofInt(ServerProps.PR_IMAP_PORT, MailPeers.IMAP_PORT),
                PropValue.ofString(ServerProps.PR_IMAP_SECURITY, security),
                PropValue.ofString(ServerProps.PR_IMAP_USER, MailPeers.address(user)),
                PropValue.ofString(ServerProps.PR_IMAP_PASSWORD, MailPeers.PASSWORD),
                PropValue.ofInt(ServerProps.PR_POLL_SECONDS, 1)));
        settings.addAll(List.of(more));
        return new SmtpFixture.Transport(ImapService.NAME, settings);
    }

    /**
     * @param user     whose maildrop
     * @param security none or starttls
     * @param more     further settings (trust)
     * @return the jmapi.pop3 transport reading that user's mail at Dovecot, checking every second
     */
    static SmtpFixture.Transport pop3(String user, String security, PropValue... more) {
        List<PropValue> settings = new ArrayList<>(List.of(
                PropValue.ofString(ServerProps.PR_POP3_HOST, MailPeers.HOST),
                PropValue.ofInt(ServerProps.PR_POP3_PORT, MailPeers.POP3_PORT),
                PropValue.ofString(ServerProps.PR_POP3_SECURITY, security),
                PropValue.ofString(ServerProps.PR_POP3_USER, MailPeers.address(user)),
                PropValue.ofString(ServerProps.PR_POP3_PASSWORD, MailPeers.PASSWORD),
                PropValue.ofInt(ServerProps.PR_POLL_SECONDS, 1)));
        settings.addAll(List.of(more));
        return new SmtpFixture.Transport(Pop3Service.NAME, settings);
    }

    /** An attachment to send: file name, MIME type, bytes. */
    record Attachment(String filename, String mimeType, byte[] data) {}

    /**
     * Composes a message from this user in the Outbox (moved to Sent Items once sent) and submits it.
     *
     * @param subject     PR_SUBJECT
     * @param body        PR_BODY
     * @param to          the To recipients' addresses
     * @param attachments by-value attachments
     * @return the message's entry id (in the Outbox)
     */
    EntryId send(String subject, String body, List<String> to, List<Attachment> attachments) {
        try (MapiFolder outbox = f.folder(PropTags.PR_IPM_OUTBOX_ENTRYID); Message m = outbox.createMessage(0)) {
            String me = MailPeers.address(user);
            String name = Character.toUpperCase(user.charAt(0)) + user.substring(1);
            m.setProps(List.of(
                    PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note"),
                    PropValue.ofString(PropTags.PR_SUBJECT, subject),
                    PropValue.ofString(PropTags.PR_BODY, body),
                    PropValue.ofString(PropTags.PR_SENDER_NAME, name),
                    PropValue.ofString(PropTags.PR_SENDER_ADDRTYPE, "SMTP"),
                    PropValue.ofString(PropTags.PR_SENDER_EMAIL_ADDRESS, me),
                    PropValue.ofString(PropTags.PR_SENT_REPRESENTING_NAME, name),
                    PropValue.ofString(MimeProps.PR_SENT_REPRESENTING_ADDRTYPE, "SMTP"),
                    PropValue.ofString(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS, me),
                    PropValue.ofBinary(PropTags.PR_SENTMAIL_ENTRYID,
                            SmtpFixture.entryId(f.store(), PropTags.PR_IPM_SENTMAIL_ENTRYID).toBytes())));
            List<List<PropValue>> rows = new ArrayList<>();
            for (String address : to) {
                rows.add(SmtpFixture.recipient(address.substring(0, address.indexOf('@')), address, Flags.MAPI_TO));
            }
            m.modifyRecipients(0, rows);
            for (Attachment a : attachments) {
                Attach at = m.createAttach(0);
                try {
                    at.setProps(List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_BY_VALUE),
                            PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, a.data()),
                            PropValue.ofString(PropTags.PR_ATTACH_LONG_FILENAME, a.filename()),
                            PropValue.ofString(PropTags.PR_ATTACH_MIME_TAG, a.mimeType())));
                    at.saveChanges(0);
                } finally {
                    at.release();
                }
            }
            m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            EntryId id = SmtpFixture.entryId(m, PropTags.PR_ENTRYID);
            m.submitMessage(0);
            return id;
        }
    }

    /** The columns {@link #rows} reads. */
    private static final int[] COLUMNS = {PropTags.PR_ENTRYID, PropTags.PR_SUBJECT, PropTags.PR_MESSAGE_CLASS,
            PropTags.PR_ORIGINAL_SUBJECT, PropTags.PR_INTERNET_MESSAGE_ID};

    /**
     * @param storeTag PR_IPM_SENTMAIL_ENTRYID etc., or 0 for the Inbox
     * @return the folder's messages as rows of {@link #COLUMNS}
     */
    List<Row> rows(int storeTag) {
        try (MapiFolder folder = storeTag == 0 ? f.inbox() : f.folder(storeTag);
             MapiTable t = folder.getContentsTable(0)) {
            t.setColumns(COLUMNS, 0);
            return t.queryRows(100_000, 0);
        }
    }

    /**
     * Waits until the folder holds a message matching {@code p}.
     *
     * @param storeTag a PR_IPM_*_ENTRYID, or 0 for the Inbox
     * @param p        which message
     * @param what     what is awaited, for the failure message
     * @return its row
     */
    Row await(int storeTag, Predicate<Row> p, String what) {
        SmtpFixture.await(() -> rows(storeTag).stream().anyMatch(p), () -> what + "; the folder holds "
                + rows(storeTag).stream().map(r -> string(r, PropTags.PR_MESSAGE_CLASS) + " '"
                + string(r, PropTags.PR_SUBJECT) + "'").toList() + "; transport status: " + statuses());
        return rows(storeTag).stream().filter(p).findFirst().orElseThrow();
    }

    /** @return every transport's status row text, for failure messages */
    String statuses() {
        List<String> out = new ArrayList<>();
        for (String display : List.of(SmtpTransportService.DISPLAY_NAME, ImapService.DISPLAY_NAME,
                Pop3Service.DISPLAY_NAME)) {
            f.statusRow(display).ifPresent(r -> out.add(display + ": "
                    + r.find(PropTags.PR_STATUS_STRING).map(PropValue::asString).orElse("")));
        }
        return String.join(" | ", out);
    }

    /** @return the message a row names, opened read-only */
    Message open(Row row) {
        return (Message) f.store().openEntry(EntryId.of(row.get(PropTags.PR_ENTRYID).asBinary()), 0);
    }

    /** @return a string column of a row, or null */
    static String string(Row r, int tag) {
        return r.find(tag).filter(v -> !v.isError()).map(PropValue::asString).orElse(null);
    }

    /** @return a message's string property, or null */
    static String string(Message m, int tag) {
        return m.getProp(tag).filter(v -> !v.isError()).map(PropValue::asString).orElse(null);
    }

    /** @return the message's attachments: file name → bytes, in attachment order */
    static Map<String, byte[]> attachments(Message m) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        List<Row> rows;
        try (MapiTable t = m.getAttachmentTable(0)) {
            t.setColumns(new int[] {PropTags.PR_ATTACH_NUM}, 0);
            rows = t.queryRows(1000, 0);
        }
        for (Row r : rows) {
            Attach a = m.openAttach(r.get(PropTags.PR_ATTACH_NUM).asInt(), 0);
            try {
                String name = a.getProp(PropTags.PR_ATTACH_LONG_FILENAME).map(PropValue::asString).orElse("?");
                Optional<PropValue> data = a.getProp(PropTags.PR_ATTACH_DATA_BIN).filter(v -> !v.isError());
                out.put(name, data.map(PropValue::asBinary).orElse(null));
            } finally {
                a.release();
            }
        }
        return out;
    }

    /** @return the message's recipient rows with the report columns */
    static List<Row> recipients(Message m) {
        try (MapiTable t = m.getRecipientTable(0)) {
            t.setColumns(new int[] {PropTags.PR_DISPLAY_NAME, PropTags.PR_EMAIL_ADDRESS, PropTags.PR_ADDRTYPE,
                    PropTags.PR_RECIPIENT_TYPE, PropTags.PR_NDR_REASON_CODE, PropTags.PR_NDR_DIAG_CODE,
                    PropTags.PR_NDR_STATUS_CODE, PropTags.PR_REPORT_TEXT}, 0);
            return t.queryRows(1000, 0);
        }
    }

    @Override
    public void close() {
        f.close();
    }
}
