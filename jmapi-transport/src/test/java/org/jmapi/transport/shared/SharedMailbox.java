package org.jmapi.transport.shared;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.MapiUid;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.Mapi;
import org.jmapi.store.postgres.PostgresServer;
import org.jmapi.store.provider.PostgresStoreService;
import org.jmapi.table.MapiTable;
import org.jmapi.transport.ServerProps;
import org.jmapi.transport.smtp.SmtpTransportService;

import java.util.ArrayList;
import java.util.List;

/**
 * One PostgreSQL mailbox ({@value PostgresStoreService#NAME}) as the profile of one jmapi home sees it — each home
 * stands for one host serving the mailbox — optionally with the SMTP transport ({@code jmapi.smtp}) authenticating
 * as a user of its own, so that the test's SMTP sink can tell which host sent a message. The test process and the
 * child JVMs ({@link SpoolerChild}) use the same profile layout. MAPI must be initialised on the home.
 */
final class SharedMailbox {
    /** The profile name in every home. */
    static final String PROFILE = "shared";
    /** The password of every SMTP AUTH user of the tests (the sink only tells the hosts apart by user name). */
    static final String SMTP_PASSWORD = "sink-secret";
    /** The envelope sender and recipient of every message. */
    static final String SENDER = "sender@example.org";
    static final String RECIPIENT = "rcpt@example.org";

    private SharedMailbox() {
    }

    /**
     * Creates the profile in the current home.
     *
     * @param url       the PostgreSQL database
     * @param storeName the mailbox's store name (created by the configuration when missing)
     * @param smtpPort  the SMTP sink's port on 127.0.0.1, or 0 for a profile without transport
     * @param smtpUser  the SMTP AUTH user of this host, or null for no AUTH
     */
    static void createProfile(String url, String storeName, int smtpPort, String smtpUser) {
        try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
            admin.createProfile(PROFILE, null, 0, 0);
            try (MsgServiceAdmin services = admin.adminServices(PROFILE, 0)) {
                MapiUid store = services.createMsgService(PostgresStoreService.NAME, "Shared mailbox", 0, 0);
                services.configureMsgService(store, 0, 0, List.of(
                        PropValue.ofString(PostgresStoreService.PR_PG_JDBC_URL, url),
                        PropValue.ofString(PostgresStoreService.PR_PG_USER, PostgresServer.USER),
                        PropValue.ofString(PostgresStoreService.PR_PG_PASSWORD, PostgresServer.PASSWORD),
                        PropValue.ofString(PostgresStoreService.PR_PG_STORE_NAME, storeName)));
                if (smtpPort > 0) {
                    MapiUid xp = services.createMsgService(SmtpTransportService.NAME, "SMTP", 0, 0);
                    List<PropValue> smtp = new ArrayList<>(List.of(
                            PropValue.ofString(ServerProps.PR_SMTP_HOST, "127.0.0.1"),
                            PropValue.ofInt(ServerProps.PR_SMTP_PORT, smtpPort),
                            PropValue.ofString(ServerProps.PR_SMTP_SECURITY, "none"),
                            PropValue.ofInt(SmtpTransportService.PR_SMTP_TIMEOUT, 20),
                            PropValue.ofInt(SmtpTransportService.PR_SMTP_RETRY_SECONDS, 1)));
                    if (smtpUser != null) {
                        smtp.add(PropValue.ofString(ServerProps.PR_SMTP_USER, smtpUser));
                        smtp.add(PropValue.ofString(ServerProps.PR_SMTP_PASSWORD, SMTP_PASSWORD));
                    }
                    services.configureMsgService(xp, 0, 0, smtp);
                }
            }
        }
    }

    /**
     * @param flags more logonEx flags (MAPI_NO_MAIL: no spooler)
     * @return a new session on the profile
     */
    static MapiSession logon(int flags) {
        return Mapi.logonEx(0, PROFILE, null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION | flags);
    }

    /** @return the session's store, opened with MDB_WRITE (the spooler of a session with mail logs on to it too) */
    static MsgStore open(MapiSession session) {
        EntryId id;
        try (MapiTable t = session.getMsgStoresTable(0)) {
            t.setColumns(new int[] {PropTags.PR_ENTRYID}, 0);
            id = EntryId.of(t.queryRows(10, 0).get(0).get(PropTags.PR_ENTRYID).asBinary());
        }
        return session.openMsgStore(0, id, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
    }

    private static EntryId entryId(org.jmapi.prop.MapiProp o, int tag) {
        return EntryId.of(o.getProp(tag).orElseThrow().asBinary());
    }

    /**
     * Composes a message to {@link #RECIPIENT} in the Outbox, moved to Sent Items once sent, and saves it.
     *
     * @param store   the store
     * @param subject its subject
     * @return the saved message, open for writing; the caller submits or releases it
     */
    static Message compose(MsgStore store, String subject) {
        try (MapiFolder outbox = (MapiFolder) store.openEntry(entryId(store, PropTags.PR_IPM_OUTBOX_ENTRYID),
                Flags.MAPI_MODIFY)) {
            Message m = outbox.createMessage(0);
            m.setProps(List.of(
                    PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note"),
                    PropValue.ofString(PropTags.PR_SUBJECT, subject),
                    PropValue.ofString(PropTags.PR_BODY, "Hello,\r\nthis is " + subject + ".\r\n"),
                    PropValue.ofString(PropTags.PR_SENDER_NAME, "Sender"),
                    PropValue.ofString(PropTags.PR_SENDER_ADDRTYPE, "SMTP"),
                    PropValue.ofString(PropTags.PR_SENDER_EMAIL_ADDRESS, SENDER),
                    PropValue.ofBinary(PropTags.PR_SENTMAIL_ENTRYID,
                            entryId(store, PropTags.PR_IPM_SENTMAIL_ENTRYID).toBytes())));
            m.modifyRecipients(0, List.of(List.of(
                    PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Recipient"),
                    PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, Flags.MAPI_TO),
                    PropValue.ofString(PropTags.PR_ADDRTYPE, "SMTP"),
                    PropValue.ofString(PropTags.PR_EMAIL_ADDRESS, RECIPIENT),
                    PropValue.ofBinary(PropTags.PR_ENTRYID, ("smtp:" + RECIPIENT).getBytes()))));
            m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            return m;
        }
    }

    /**
     * Composes and submits messages ({@link #compose}).
     *
     * @param store    the store
     * @param subjects their subjects, in submission order
     * @return their entry ids
     */
    static List<EntryId> submit(MsgStore store, List<String> subjects) {
        List<EntryId> ids = new ArrayList<>();
        for (String subject : subjects) {
            try (Message m = compose(store, subject)) {
                ids.add(entryId(m, PropTags.PR_ENTRYID));
                m.submitMessage(0);
            }
        }
        return ids;
    }
}
