package org.jmapi.cli;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.mime.MimeProps;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code jmapi send}: composes a message in the Outbox of the profile's default store and submits it
 * (IMessage::SubmitMessage puts it in the store's outgoing queue). The session's spooler, or the spooler of a
 * {@code jmapi serve} on the same home, sends it. The store is ended with LOGOFF_NO_WAIT: the spooler goes on
 * sending what is ready without making the command wait, and whatever is not sent when the session ends stays
 * queued for the next spooler (R-SLT-7, R-MAIL-1).
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Compose a message and submit it; serve (or flush) delivers it.")
final class SendCommand extends BaseCommand {
    /** ATTACH_BY_VALUE. */
    static final int ATTACH_BY_VALUE = 1;

    @Option(names = "--to", paramLabel = "ADDRESS", split = ",", description = "To recipients (repeat or comma-separate).")
    List<String> to = new ArrayList<>();

    @Option(names = "--cc", paramLabel = "ADDRESS", split = ",", description = "Cc recipients.")
    List<String> cc = new ArrayList<>();

    @Option(names = "--bcc", paramLabel = "ADDRESS", split = ",", description = "Bcc recipients (never in the headers).")
    List<String> bcc = new ArrayList<>();

    @Option(names = {"-s", "--subject"}, paramLabel = "TEXT", description = "The subject.")
    String subject = "";

    @Option(names = {"-b", "--body"}, paramLabel = "TEXT", description = "The plain-text body.")
    String body;

    @Option(names = "--body-file", paramLabel = "FILE", description = "Read the plain-text body (UTF-8) from FILE; - for standard input.")
    Path bodyFile;

    @Option(names = {"-a", "--attach"}, paramLabel = "FILE", description = "Attach FILE (repeat for several).")
    List<Path> attachments = new ArrayList<>();

    @Option(names = "--store", paramLabel = "NAME", description = "The store to send from (default: the profile's default store).")
    String store;

    /** A parsed recipient. */
    record Recipient(int type, String name, String address) {}

    @Override
    int run() throws IOException {
        List<Recipient> recipients = new ArrayList<>();
        parse(to, Flags.MAPI_TO, recipients);
        parse(cc, Flags.MAPI_CC, recipients);
        parse(bcc, Flags.MAPI_BCC, recipients);
        if (recipients.isEmpty()) {
            throw new CommandFailure("give at least one recipient with --to, --cc or --bcc");
        }
        if (body != null && bodyFile != null) {
            throw new CommandFailure("give the body either with --body or with --body-file, not both");
        }
        String text = body != null ? body : bodyFile == null ? "" : readBody(bodyFile);
        List<FileData> files = new ArrayList<>();
        for (Path p : attachments) {
            if (!Files.isRegularFile(p)) {
                throw new CommandFailure("cannot attach " + p + ": no such file");
            }
            files.add(new FileData(p.getFileName().toString(), Files.readAllBytes(p), mimeType(p)));
        }

        String messageId;
        try (MapiClient client = start()) {
            MapiSession session = client.logon(true);
            Mailboxes.Identity me;
            try (MsgServiceAdmin services = session.adminServices(0)) {
                me = Mailboxes.identity(services).orElseThrow(() -> new CommandFailure("profile " + client.profile()
                        + " has no sender address: give it one with 'jmapi profile create " + client.profile()
                        + " --address ADDRESS' (or use a mailbox)"));
            }
            MapiClient.OpenStore open = client.openStore(store, true, Flags.LOGOFF_NO_WAIT);
            messageId = "<" + UUID.randomUUID() + "@" + domain(me.address()) + ">";
            submit(open.store, me, recipients, text, files, messageId);
        }
        Output o = output();
        List<String> addresses = recipients.stream().map(Recipient::address).toList();
        if (o.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("queued", true);
            m.put("subject", subject);
            m.put("recipients", addresses);
            m.put("attachments", files.size());
            m.put("messageId", messageId);
            o.json(m);
        } else {
            o.line("queued \"" + subject + "\" to " + String.join(", ", addresses) + " " + messageId);
        }
        return 0;
    }

    /** Creates the message in the Outbox, fills it, submits it. */
    private void submit(MsgStore store, Mailboxes.Identity me, List<Recipient> recipients, String text,
                        List<FileData> files, String messageId) {
        try (MapiFolder outbox = Folders.special(store, PropTags.PR_IPM_OUTBOX_ENTRYID, Flags.MAPI_MODIFY);
             Message msg = outbox.createMessage(0)) {
            List<PropValue> props = new ArrayList<>(List.of(
                    PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note"),
                    PropValue.ofString(PropTags.PR_SUBJECT, subject),
                    PropValue.ofString(PropTags.PR_BODY, text),
                    PropValue.ofString(PropTags.PR_INTERNET_MESSAGE_ID, messageId),
                    PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS, Flags.MSGFLAG_UNSENT | Flags.MSGFLAG_FROMME
                            | Flags.MSGFLAG_READ),
                    PropValue.ofString(PropTags.PR_SENDER_NAME, me.name()),
                    PropValue.ofString(PropTags.PR_SENDER_EMAIL_ADDRESS, me.address()),
                    PropValue.ofString(PropTags.PR_SENDER_ADDRTYPE, "SMTP"),
                    PropValue.ofString(PropTags.PR_SENT_REPRESENTING_NAME, me.name()),
                    PropValue.ofString(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS, me.address()),
                    PropValue.ofString(MimeProps.PR_SENT_REPRESENTING_ADDRTYPE, "SMTP")));
            store.getProp(PropTags.PR_IPM_SENTMAIL_ENTRYID).ifPresent(sent -> props.add(
                    PropValue.ofBinary(PropTags.PR_SENTMAIL_ENTRYID, EntryId.of(sent.asBinary()).toBytes())));
            msg.setProps(props);
            List<List<PropValue>> rows = new ArrayList<>();
            for (Recipient r : recipients) {
                rows.add(List.of(
                        PropValue.ofString(PropTags.PR_DISPLAY_NAME, r.name()),
                        PropValue.ofString(PropTags.PR_EMAIL_ADDRESS, r.address()),
                        PropValue.ofString(PropTags.PR_ADDRTYPE, "SMTP"),
                        PropValue.ofString(MimeProps.PR_SMTP_ADDRESS, r.address()),
                        PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, r.type())));
            }
            msg.modifyRecipients(0, rows);
            for (FileData f : files) {
                try (Attach a = msg.createAttach(0)) {
                    a.setProps(List.of(
                            PropValue.ofInt(PropTags.PR_ATTACH_METHOD, ATTACH_BY_VALUE),
                            PropValue.ofString(PropTags.PR_ATTACH_LONG_FILENAME, f.name()),
                            PropValue.ofString(PropTags.PR_ATTACH_FILENAME, f.name()),
                            PropValue.ofString(PropTags.PR_DISPLAY_NAME, f.name()),
                            PropValue.ofString(PropTags.PR_ATTACH_MIME_TAG, f.mimeType()),
                            PropValue.ofInt(PropTags.PR_RENDERING_POSITION, -1),
                            PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, f.data())));
                    a.saveChanges(0);
                }
            }
            msg.submitMessage(0);
        }
    }

    /** One file to attach, read before the store is touched. */
    record FileData(String name, byte[] data, String mimeType) {}

    private String readBody(Path file) throws IOException {
        if (file.toString().equals("-")) {
            return new String(jmapi().in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!Files.isRegularFile(file)) {
            throw new CommandFailure("cannot read the body: no such file " + file);
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /**
     * Parses addresses ({@code bob@example.org}, {@code Bob <bob@example.org>}).
     *
     * @throws CommandFailure naming the first one that is not an address
     */
    static void parse(List<String> values, int type, List<Recipient> out) {
        for (String v : values) {
            if (v.isBlank()) {
                continue;
            }
            InternetAddress a;
            try {
                a = new InternetAddress(v.strip(), true);
            } catch (AddressException e) {
                throw new CommandFailure("not an e-mail address: '" + v + "' (" + e.getMessage() + ")");
            }
            String address = a.getAddress();
            int at = address.lastIndexOf('@');
            if (at <= 0 || at == address.length() - 1) {
                throw new CommandFailure("not an e-mail address: '" + v + "' (an address is local-part@domain)");
            }
            String name = a.getPersonal() != null && !a.getPersonal().isBlank() ? a.getPersonal() : address;
            out.add(new Recipient(type, name, address));
        }
    }

    /** @return the domain part of an address */
    static String domain(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "localhost" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** @return the file's MIME type as the JDK guesses it, else application/octet-stream */
    static String mimeType(Path p) {
        try {
            String t = Files.probeContentType(p);
            return t != null ? t : "application/octet-stream";
        } catch (IOException e) {
            return "application/octet-stream";
        }
    }
}
