package org.jmapi.transport.local;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.mime.MimeProps;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.MapiInit;
import org.jmapi.store.provider.SqliteStoreService;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.jmapi.transport.ServerProps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A throw-away jmapi home holding one profile per user name, each with a {@value SqliteStoreService#NAME} store in
 * {@code home/<user>.jmapi} and the {@value LocalTransportService#NAME} transport for {@code <user>@localhost}, all
 * sharing the maildrop {@code home/maildrop}; driven through the real runtime. The spooler polls every 100 ms and
 * retries after 200 ms. Closing it ends MAPI completely.
 */
final class LocalFixture implements AutoCloseable {
    /** How long a test waits for mail to move before it fails. */
    static final long WAIT_SECONDS = 60;

    final Path home;
    final Path maildrop;

    private LocalFixture(Path home) {
        this.home = home;
        this.maildrop = home.resolve("maildrop");
    }

    /** Sets the spooler's timing, starts MAPI on {@code home} and creates a profile per user. */
    static LocalFixture start(Path home, String... users) {
        spoolerTiming();
        LocalFixture f = new LocalFixture(home);
        Mapi.initialize(MapiInit.home(home));
        for (String user : users) {
            createProfile(home, f.maildrop, user);
        }
        return f;
    }

    /** The spooler timing every test here uses: poll every 100 ms, first retry after 200 ms. */
    static void spoolerTiming() {
        System.setProperty("jmapi.spooler.poll", "100");
        System.setProperty("jmapi.spooler.retry", "200");
    }

    /** With MAPI initialised on {@code home}: the profile {@code user} with its store and the local transport. */
    static void createProfile(Path home, Path maildrop, String user) {
        try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
            admin.createProfile(user, null, 0, 0);
            try (MsgServiceAdmin services = admin.adminServices(user, 0)) {
                services.configureMsgService(services.createMsgService(SqliteStoreService.NAME, "Personal Folders",
                        0, 0), 0, 0, List.of(PropValue.ofString(SqliteStoreService.PR_STORE_PATH,
                        storeFile(home, user).toString())));
                services.configureMsgService(services.createMsgService(LocalTransportService.NAME, "Local mail",
                        0, 0), 0, 0, List.of(PropValue.ofString(ServerProps.PR_LOCAL_MAILDROP, maildrop.toString()),
                        PropValue.ofString(ServerProps.PR_LOCAL_ADDRESS, user + "@localhost")));
            }
        }
    }

    static Path storeFile(Path home, String user) {
        return home.resolve(user + ".jmapi");
    }

    /** @return a session on the user's profile, with its spooler */
    static MapiSession logon(String user) {
        return Mapi.logonEx(0, user, null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION);
    }

    /** @return a session on the user's profile without a spooler (MAPI_NO_MAIL): nothing moves */
    static MapiSession logonNoMail(String user) {
        return Mapi.logonEx(0, user, null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION | Flags.MAPI_NO_MAIL);
    }

    /** @return the profile's store, opened with MDB_WRITE (the spooler then logs on to it too) */
    static MsgStore open(MapiSession session) {
        EntryId id;
        try (MapiTable t = session.getMsgStoresTable(0)) {
            t.setColumns(new int[] {PropTags.PR_ENTRYID}, 0);
            List<Row> rows = t.queryRows(10, 0);
            assertThat(rows).hasSize(1);
            id = EntryId.of(rows.get(0).get(PropTags.PR_ENTRYID).asBinary());
        }
        return session.openMsgStore(0, id, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
    }

    /** Ends a session as a client should: store logoff, releases, session logoff. */
    static void endSession(MapiSession session, MsgStore store) {
        if (store != null) {
            store.storeLogoff(Flags.LOGOFF_ORDERLY);
            store.release();
        }
        session.logoff(0, 0, 0);
        session.release();
    }

    @Override
    public void close() {
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
    }

    // ---- composing ----------------------------------------------------------------------------------------

    /** @return a recipient row with an SMTP address */
    static List<PropValue> recipient(String address, int type) {
        return List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, address.substring(0, Math.max(0,
                        address.indexOf('@'))).toUpperCase()),
                PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, type),
                PropValue.ofString(PropTags.PR_ADDRTYPE, "SMTP"),
                PropValue.ofString(PropTags.PR_EMAIL_ADDRESS, address),
                PropValue.ofBinary(PropTags.PR_ENTRYID, ("eid:" + address).getBytes()));
    }

    /** An attachment by value. */
    record Attachment(String fileName, String mimeType, byte[] data) {}

    /**
     * Composes a message in the Outbox (sent items go to Sent Items) and submits it.
     *
     * @return the message's entry id
     */
    static EntryId submit(MsgStore store, String from, String subject, String body, List<List<PropValue>> recipients,
            Attachment... attachments) {
        EntryId sent = entryId(store, PropTags.PR_IPM_SENTMAIL_ENTRYID);
        try (MapiFolder outbox = folder(store, PropTags.PR_IPM_OUTBOX_ENTRYID);
             Message m = outbox.createMessage(0)) {
            m.setProps(List.of(PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note"),
                    PropValue.ofString(PropTags.PR_SUBJECT, subject),
                    PropValue.ofString(PropTags.PR_BODY, body),
                    PropValue.ofString(PropTags.PR_SENDER_NAME, from),
                    PropValue.ofString(PropTags.PR_SENDER_EMAIL_ADDRESS, from),
                    PropValue.ofString(PropTags.PR_SENDER_ADDRTYPE, "SMTP"),
                    PropValue.ofString(PropTags.PR_SENT_REPRESENTING_NAME, from),
                    PropValue.ofString(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS, from),
                    PropValue.ofString(MimeProps.PR_SENT_REPRESENTING_ADDRTYPE, "SMTP"),
                    PropValue.ofBinary(PropTags.PR_SENTMAIL_ENTRYID, sent.toBytes())));
            m.modifyRecipients(Flags.MODRECIP_ADD, recipients);
            for (Attachment a : attachments) {
                try (Attach at = m.createAttach(0)) {
                    at.setProps(List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_BY_VALUE),
                            PropValue.ofString(PropTags.PR_ATTACH_LONG_FILENAME, a.fileName()),
                            PropValue.ofString(PropTags.PR_ATTACH_MIME_TAG, a.mimeType()),
                            PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, a.data())));
                    at.saveChanges(0);
                }
            }
            m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            EntryId id = entryId(m, PropTags.PR_ENTRYID);
            m.submitMessage(0);
            return id;
        }
    }

    // ---- reading ------------------------------------------------------------------------------------------

    static EntryId entryId(MapiProp object, int tag) {
        return EntryId.of(object.getProp(tag).orElseThrow(() -> new AssertionError("no " + PropTags.name(tag)))
                .asBinary());
    }

    static String string(MapiProp object, int tag) {
        return object.getProp(tag).orElseThrow(() -> new AssertionError("no " + PropTags.name(tag))).asString();
    }

    static MapiFolder folder(MsgStore store, int tag) {
        return (MapiFolder) store.openEntry(entryId(store, tag), Flags.MAPI_MODIFY);
    }

    static MapiFolder inbox(MsgStore store) {
        return (MapiFolder) store.openEntry(store.getReceiveFolder("IPM.Note", 0).folderId(), Flags.MAPI_MODIFY);
    }

    /** One row of a contents table. */
    record Item(EntryId id, String subject, String messageClass) {}

    /** @return the messages in a folder, in table order */
    static List<Item> contents(MapiFolder folder) {
        try (MapiTable t = folder.getContentsTable(0)) {
            t.setColumns(new int[] {PropTags.PR_ENTRYID, PropTags.PR_SUBJECT, PropTags.PR_MESSAGE_CLASS}, 0);
            List<Item> out = new ArrayList<>();
            for (List<Row> page = t.queryRows(1000, 0); !page.isEmpty(); page = t.queryRows(1000, 0)) {
                for (Row r : page) {
                    out.add(new Item(EntryId.of(r.get(PropTags.PR_ENTRYID).asBinary()),
                            r.find(PropTags.PR_SUBJECT).map(PropValue::asString).orElse(null),
                            r.find(PropTags.PR_MESSAGE_CLASS).map(PropValue::asString).orElse(null)));
                }
            }
            return out;
        }
    }

    /** @return the messages in the folder the store property {@code tag} names */
    static List<Item> contents(MsgStore store, int tag) {
        try (MapiFolder f = folder(store, tag)) {
            return contents(f);
        }
    }

    /** @return the messages in the default receive folder */
    static List<Item> inboxContents(MsgStore store) {
        try (MapiFolder f = inbox(store)) {
            return contents(f);
        }
    }

    /** Waits (up to {@link #WAIT_SECONDS}) for the Inbox to hold a message with this subject; @return it */
    static Item awaitInbox(MsgStore store, String subject) {
        Item[] found = new Item[1];
        await(() -> {
            Optional<Item> i = inboxContents(store).stream().filter(x -> subject.equals(x.subject())).findFirst();
            i.ifPresent(x -> found[0] = x);
            return i.isPresent();
        }, () -> "a message '" + subject + "' in the Inbox; it holds " + inboxContents(store));
        return found[0];
    }

    /** @return every row of a message's recipient table */
    static List<Row> recipients(Message m) {
        try (MapiTable t = m.getRecipientTable(0)) {
            t.setColumns(t.queryColumns(MapiTable.TBL_ALL_COLUMNS), 0);
            return t.queryRows(1000, 0);
        }
    }

    /** @return the entries of a mailbox directory ({@code new}, {@code tmp}, {@code bad}), sorted by name */
    static List<Path> entries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir, e);
        }
    }

    static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
