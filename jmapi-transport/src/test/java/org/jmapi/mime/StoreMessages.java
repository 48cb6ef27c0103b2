package org.jmapi.mime;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MapiStream;
import org.jmapi.client.Message;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.MapiInit;
import org.jmapi.store.provider.SqliteStoreService;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real SQLite store messages for the converters' tests: a throw-away jmapi home with one profile holding only the
 * {@value SqliteStoreService#NAME} store, a session without a spooler (MAPI_NO_MAIL), the store and its Drafts
 * folder. Closing it logs off and uninitialises MAPI.
 */
final class StoreMessages implements AutoCloseable {
    private static final String PROFILE = "mime";

    private final MapiSession session;
    private final MsgStore store;
    private final MapiFolder drafts;

    private StoreMessages(MapiSession session, MsgStore store, MapiFolder drafts) {
        this.session = session;
        this.store = store;
        this.drafts = drafts;
    }

    /**
     * @param home an empty directory
     * @return the fixture, MAPI initialised on {@code home}
     */
    static StoreMessages open(Path home) {
        org.jmapi.runtime.Mapi.initialize(MapiInit.home(home));
        try (ProfileAdmin admin = org.jmapi.runtime.Mapi.adminProfiles(0)) {
            admin.createProfile(PROFILE, null, 0, 0);
            try (MsgServiceAdmin services = admin.adminServices(PROFILE, 0)) {
                services.configureMsgService(services.createMsgService(SqliteStoreService.NAME, "Personal Folders",
                        0, 0), 0, 0, List.of(PropValue.ofString(SqliteStoreService.PR_STORE_PATH,
                        home.resolve("mime.jmapi").toString())));
            }
        }
        MapiSession session = org.jmapi.runtime.Mapi.logonEx(0, PROFILE, null,
                Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION | Flags.MAPI_NO_MAIL);
        EntryId id;
        try (MapiTable t = session.getMsgStoresTable(0)) {
            t.setColumns(new int[] {PropTags.PR_ENTRYID}, 0);
            List<Row> rows = t.queryRows(10, 0);
            assertThat(rows).hasSize(1);
            id = EntryId.of(rows.get(0).get(PropTags.PR_ENTRYID).asBinary());
        }
        MsgStore store = session.openMsgStore(0, id, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
        MapiFolder drafts = (MapiFolder) store.openEntry(EntryId.of(store.getProp(PropTags.PR_IPM_DRAFTS_ENTRYID)
                .orElseThrow().asBinary()), Flags.MAPI_MODIFY);
        return new StoreMessages(session, store, drafts);
    }

    /** @return a new message in Drafts; the caller releases it */
    Message create() {
        return drafts.createMessage(0);
    }

    /**
     * @param id a saved message's entry id
     * @return the message, opened read-only
     */
    Message open(EntryId id) {
        return (Message) drafts.openEntry(id, 0);
    }

    /**
     * @param m a saved message
     * @return its entry id
     */
    static EntryId entryId(Message m) {
        return EntryId.of(m.getProp(PropTags.PR_ENTRYID).orElseThrow().asBinary());
    }

    /**
     * @param obj a message or attachment
     * @param tag a stream property
     * @return the SHA-256 and size of its value, read through OpenProperty in pieces
     */
    static String digest(MapiProp obj, int tag) {
        try (MapiStream s = obj.openProperty(tag, Flags.STGM_READ, 0); InputStream in = s.asInputStream()) {
            MessageDigest d = sha256();
            byte[] buf = new byte[64 * 1024];
            long size = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
                size += n;
            }
            return HexFormat.of().formatHex(d.digest()) + "/" + size;
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot read " + PropTags.name(tag), e);
        }
    }

    /**
     * @param bytes bytes
     * @return their SHA-256 and size, as {@link #digest(MapiProp, int)} gives them
     */
    static String digest(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes)) + "/" + bytes.length;
    }

    /** @return a new SHA-256 */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            drafts.release();
            store.storeLogoff(Flags.LOGOFF_ORDERLY);
            store.release();
            session.logoff(0, 0, 0);
            session.release();
        } finally {
            while (org.jmapi.runtime.Mapi.initCount() > 0) {
                org.jmapi.runtime.Mapi.uninitialize();
            }
        }
    }
}
