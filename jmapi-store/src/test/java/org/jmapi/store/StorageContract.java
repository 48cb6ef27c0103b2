package org.jmapi.store;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Restriction;
import org.jmapi.table.SortOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link Storage} engine passes, whatever its database: one test per behaviour the MAPI layer
 * relies on, named after the method and the condition, with the MAPI rule in the display name where one applies.
 * An engine's test class extends this and says how to create and reopen a store.
 *
 * <p>A second instance on the same store ({@link #openOther}) stands for another process: engines must not share
 * state between instances except through the store.
 */
public abstract class StorageContract {
    /** The lease used where a test does not choose one. */
    protected static final Duration LEASE = Duration.ofSeconds(30);

    /**
     * Creates a fresh, empty store.
     *
     * @param clock the instance's clock
     * @param lease the lease of its spooler locks and activities; lease renewal must be off when {@code clock} is a
     *              {@link MutableClock}
     * @return the open instance; the engine's test closes it after the test
     */
    protected abstract Storage create(Clock clock, Duration lease);

    /**
     * Opens another instance on the store {@code existing} works on (which may be closed).
     *
     * @param existing an instance of the store
     * @param clock    the new instance's clock
     * @param lease    its lease
     * @return the open instance; the engine's test closes it after the test
     */
    protected abstract Storage openOther(Storage existing, Clock clock, Duration lease);

    /** @return the inline limit the engine's test configured: values longer than this go out of line */
    protected abstract int inlineLimit();

    protected Storage s;

    @BeforeEach
    void createStore() {
        s = create(Clock.systemUTC(), LEASE);
    }

    @AfterEach
    void closeStore() {
        s.close();
    }

    protected Storage openOther(Storage existing) {
        return openOther(existing, Clock.systemUTC(), LEASE);
    }

    /**
     * Replaces {@link #s} with a fresh store on a clock the test moves (lease {@link #LEASE}, never renewed).
     *
     * @return the clock, at 2030-01-01T00:00:00Z
     */
    protected MutableClock onMutableClock() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        s.close();
        s = create(clock, LEASE);
        return clock;
    }

    protected Storage reopen(Storage existing) {
        existing.close();
        return openOther(existing);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    protected static void assertCode(int hresult, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MapiException.class, e -> assertThat(e.hresult())
                .withFailMessage("expected %s but got %s: %s", HResult.name(hresult), HResult.name(e.hresult()),
                        e.getMessage())
                .isEqualTo(hresult));
    }

    protected long root() {
        return s.identity().rootFolderId();
    }

    protected long folder(String name) {
        return s.createFolder(root(), name, FolderRecord.FOLDER_GENERIC, null, List.of()).id();
    }

    protected MessageInfo save(long folderId, PropValue... props) {
        return s.saveMessage(SaveRequest.create(folderId, MessageImage.of(List.of(props))));
    }

    protected static PropValue subject(String text) {
        return PropValue.ofString(PropTags.PR_SUBJECT, text);
    }

    protected static PropValue flags(int bits) {
        return PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS, bits);
    }

    protected static PropValue delivered(long epochSecond) {
        return PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, Instant.ofEpochSecond(epochSecond));
    }

    /** @return the values by id, without the properties the storage maintains */
    protected static Map<Integer, PropValue> userProps(List<PropValue> props) {
        Map<Integer, PropValue> m = new HashMap<>();
        for (PropValue v : props) {
            if (v.id() != PropTag.id(PropTags.PR_MESSAGE_SIZE) && v.id() != PropTag.id(PropTags.PR_MESSAGE_FLAGS)
                    && v.id() != PropTag.id(PropTags.PR_SUBMIT_FLAGS)) {
                m.put(v.id(), v);
            }
        }
        return m;
    }

    protected static Map<Integer, PropValue> byId(List<PropValue> props) {
        Map<Integer, PropValue> m = new HashMap<>();
        for (PropValue v : props) {
            m.put(v.id(), v);
        }
        return m;
    }

    protected static int intProp(List<PropValue> props, int tag) {
        return byId(props).get(PropTag.id(tag)).asInt();
    }

    /** A stream of {@code size} pseudo-random bytes generated on the fly (never held in memory). */
    protected static InputStream generated(long size, long seed) {
        return new InputStream() {
            private final Random r = new Random(seed);
            private long left = size;

            @Override
            public int read() {
                if (left <= 0) {
                    return -1;
                }
                left--;
                return r.nextInt(256);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) r.nextInt(256);
                }
                left -= n;
                return n;
            }
        };
    }

    protected static byte[] sha256(InputStream in) {
        try (in) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return d.digest();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return one value of every storable property type ({@link TestValues#everyType()}) */
    protected static List<PropValue> everyType() {
        return TestValues.everyType();
    }

    // ==== store ===============================================================================================

    @Test
    void identity_hasUidNameRootAndVersion() {
        StoreIdentity id = s.identity();
        assertThat(id.storeUid()).isNotNull();
        assertThat(id.displayName()).isNotEmpty();
        assertThat(id.schemaVersion()).isGreaterThanOrEqualTo(1);
        FolderRecord root = s.loadFolder(id.rootFolderId());
        assertThat(root.parentId()).isZero();
        assertThat(root.folderType()).isEqualTo(FolderRecord.FOLDER_ROOT);
        assertThat(root.subfolderCount()).isZero();
    }

    @Test
    void reopen_keepsIdentityFoldersAndMessages() {
        StoreIdentity before = s.identity();
        long f = folder("Inbox");
        long m = save(f, subject("kept")).id();
        s = reopen(s);
        assertThat(s.identity()).isEqualTo(before);
        assertThat(s.loadFolder(f).displayName()).isEqualTo("Inbox");
        assertThat(s.loadMessage(m).image().find(PropTags.PR_SUBJECT)).contains(subject("kept"));
    }

    @Test
    void storeProperties_setDeleteAndPersist() {
        PropValue a = PropValue.ofBinary(PropTags.PR_IPM_SUBTREE_ENTRYID, new byte[] {1, 2});
        PropValue b = PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Mailbox");
        s.setStoreProperties(List.of(a, b), List.of());
        s.setStoreProperties(List.of(), List.of(PropTag.withType(PropTags.PR_DISPLAY_NAME, PropType.PT_UNSPECIFIED)));
        s = reopen(s);
        assertThat(s.storeProperties()).containsExactly(a);
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.setStoreProperties(
                List.of(PropValue.error(PropTags.PR_SUBJECT, HResult.MAPI_E_NOT_FOUND)), List.of()));
        assertThat(s.storeProperties()).containsExactly(a);
    }

    @Test
    @DisplayName("R-NTF: the change counter shows another instance's changes, and only changes")
    void changeCounter_seesOtherInstance() {
        long f = folder("f");
        try (Storage other = openOther(s)) {
            long before = s.changeCounter();
            s.loadFolder(f);
            s.query(ContentsQuery.of(f));
            assertThat(s.changeCounter()).isEqualTo(before);
            other.saveMessage(SaveRequest.create(f, MessageImage.of(List.of(subject("from elsewhere")))));
            long after = s.changeCounter();
            assertThat(after).isGreaterThan(before);
            other.renameFolder(f, "g");
            assertThat(s.changeCounter()).isGreaterThan(after);
        }
    }

    @Test
    void close_thenEveryCallFailsWithInvalidObject_andCloseIsIdempotent() {
        long f = folder("f");
        s.close();
        s.close();
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> s.loadFolder(f));
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> s.identity());
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> save(f, subject("x")));
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> s.changeCounter());
        assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> s.queue());
        s = openOther(s);
    }

    // ==== folders =============================================================================================

    @Test
    void createFolder_listAndLoad() {
        long a = s.createFolder(root(), "A", FolderRecord.FOLDER_GENERIC, "about A",
                List.of(PropValue.ofString(PropTags.PR_CONTAINER_CLASS, "IPF.Note"))).id();
        long b = folder("B");
        long a1 = s.createFolder(a, "A1", FolderRecord.FOLDER_SEARCH, null, List.of()).id();
        assertThat(s.listFolders(root())).extracting(FolderRecord::id).containsExactly(a, b);
        assertThat(s.listFolders(a)).extracting(FolderRecord::id).containsExactly(a1);
        FolderRecord fa = s.loadFolder(a);
        assertThat(fa.parentId()).isEqualTo(root());
        assertThat(fa.comment()).isEqualTo("about A");
        assertThat(fa.properties()).containsExactly(PropValue.ofString(PropTags.PR_CONTAINER_CLASS, "IPF.Note"));
        assertThat(fa.subfolderCount()).isEqualTo(1);
        assertThat(fa.hasSubfolders()).isTrue();
        assertThat(s.loadFolder(a1).folderType()).isEqualTo(FolderRecord.FOLDER_SEARCH);
        assertThat(s.loadFolder(root()).subfolderCount()).isEqualTo(2);
    }

    @Test
    @DisplayName("R-FM-2: a sibling name already used is MAPI_E_COLLISION, compared ignoring case")
    void createFolder_siblingNameCollision() {
        long a = folder("Inbox");
        assertCode(HResult.MAPI_E_COLLISION, () -> folder("Inbox"));
        assertCode(HResult.MAPI_E_COLLISION, () -> folder("INBOX"));
        long child = s.createFolder(a, "Inbox", FolderRecord.FOLDER_GENERIC, null, List.of()).id();
        assertThat(s.loadFolder(child).parentId()).isEqualTo(a);
        assertThat(s.listFolders(root())).hasSize(1);
    }

    @Test
    void createFolder_badInputChangesNothing() {
        long before = s.changeCounter();
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.createFolder(987654, "x", FolderRecord.FOLDER_GENERIC, null,
                List.of()));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> folder(" "));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.createFolder(root(), "x", FolderRecord.FOLDER_ROOT, null,
                List.of()));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.createFolder(root(), "x", 7, null, List.of()));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.createFolder(root(), "x", FolderRecord.FOLDER_GENERIC,
                null, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "y"))));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.createFolder(root(), "x", FolderRecord.FOLDER_GENERIC,
                null, List.of(PropValue.ofInt(PropTags.PR_CONTENT_COUNT, 3))));
        assertThat(s.listFolders(root())).isEmpty();
        assertThat(s.changeCounter()).isEqualTo(before);
    }

    @Test
    void folderProperties_commentAndRename_persist() {
        long f = folder("f");
        PropValue cls = PropValue.ofString(PropTags.PR_CONTAINER_CLASS, "IPF.Note");
        PropValue named = PropValue.ofInt(PropTag.tag(PropType.PT_LONG, 0x8123), 5);
        s.setFolderProperties(f, List.of(cls, named), List.of());
        s.setFolderProperties(f, List.of(), List.of(named.tag()));
        s.setFolderComment(f, "note");
        s.renameFolder(f, "g");
        s = reopen(s);
        FolderRecord r = s.loadFolder(f);
        assertThat(r.displayName()).isEqualTo("g");
        assertThat(r.comment()).isEqualTo("note");
        assertThat(r.properties()).containsExactly(cls);
        s.setFolderComment(f, null);
        assertThat(s.loadFolder(f).comment()).isNull();
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.setFolderProperties(f,
                List.of(PropValue.ofInt(PropTags.PR_FOLDER_TYPE, 2)), List.of()));
    }

    @Test
    void renameFolder_collisionAndRoot() {
        long a = folder("a");
        folder("b");
        assertCode(HResult.MAPI_E_COLLISION, () -> s.renameFolder(a, "B"));
        assertThat(s.renameFolder(a, "A").displayName()).isEqualTo("A");
        assertCode(HResult.MAPI_E_NO_ACCESS, () -> s.renameFolder(root(), "r"));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.renameFolder(424242, "r"));
    }

    @Test
    @DisplayName("R-FM-2: DeleteFolder refuses non-empty folders unless DEL_FOLDERS / DEL_MESSAGES")
    void deleteFolder_refusesNonEmptyUnlessAllowed() {
        long a = folder("a");
        long a1 = s.createFolder(a, "a1", FolderRecord.FOLDER_GENERIC, null, List.of()).id();
        long m = save(a1, subject("deep")).id();
        long b = folder("b");
        s.saveMessage(SaveRequest.create(b, MessageImage.of(List.of(subject("fai")))).withAssociated(true));

        assertCode(HResult.MAPI_E_HAS_FOLDERS, () -> s.deleteFolder(a, false, true));
        assertCode(HResult.MAPI_E_HAS_MESSAGES, () -> s.deleteFolder(a, true, false));
        assertCode(HResult.MAPI_E_HAS_MESSAGES, () -> s.deleteFolder(b, false, false));
        assertThat(s.loadMessage(m)).isNotNull();

        s.deleteFolder(a, true, true);
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.loadFolder(a));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.loadFolder(a1));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.loadMessage(m));
        s.deleteFolder(b, false, true);
        assertThat(s.loadFolder(root()).subfolderCount()).isZero();

        long empty = folder("empty");
        s.deleteFolder(empty, false, false);
        assertCode(HResult.MAPI_E_NO_ACCESS, () -> s.deleteFolder(root(), true, true));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.deleteFolder(empty, true, true));
    }

    @Test
    void messageRow_isTheQueueRow_metadataAndTopLevelPropertiesWithoutRecipients() {
        long outbox = folder("Outbox");
        byte[] sentMail = {0, 0, 0, 0, 1, 2, 3};
        String body = "x".repeat(inlineLimit() + 10);
        long m = s.saveMessage(SaveRequest.create(outbox, MessageImage.builder()
                .set(subject("row"))
                .set(PropValue.ofBinary(PropTags.PR_SENTMAIL_ENTRYID, sentMail))
                .set(PropValue.ofBoolean(PropTags.PR_DELETE_AFTER_SUBMIT, false))
                .stream(PropTags.PR_BODY, () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_16LE)))
                .recipient(new Recipient(0, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Bob"))))
                .build())).id();
        s.submitMessage(m, Instant.now(), 0);
        s.lockMessage(m);

        MessageRow row = s.messageRow(m);

        assertThat(row.info()).isEqualTo(s.messageInfo(m));
        assertThat(row.info().queue().locked()).isTrue();
        assertThat(byId(row.properties())).containsEntry(PropTag.id(PropTags.PR_SENTMAIL_ENTRYID),
                PropValue.ofBinary(PropTags.PR_SENTMAIL_ENTRYID, sentMail)).containsEntry(
                PropTag.id(PropTags.PR_DELETE_AFTER_SUBMIT), PropValue.ofBoolean(PropTags.PR_DELETE_AFTER_SUBMIT, false))
                .containsEntry(PropTag.id(PropTags.PR_SUBJECT), subject("row"))
                .doesNotContainKey(PropTag.id(PropTags.PR_DISPLAY_NAME));
        assertThat(row.largeValues()).extracting(LargeValue::tag).contains(PropTags.PR_BODY);
        MessageRow queued = s.queue().get(0);
        assertThat(byId(row.properties())).isEqualTo(byId(queued.properties()));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.messageRow(m + 1000));
    }

    @Test
    void deleteFolder_withQueuedMessageIsRefused() {
        long outbox = folder("Outbox");
        long m = save(outbox, subject("queued")).id();
        s.submitMessage(m, Instant.now(), 0);
        assertCode(HResult.MAPI_E_SUBMITTED, () -> s.deleteFolder(outbox, true, true));
        assertThat(s.queue()).extracting(MessageRow::id).containsExactly(m);
        s.abortSubmit(m);
        s.deleteFolder(outbox, true, true);
        assertThat(s.queue()).isEmpty();
    }

    @Test
    @DisplayName("MAPI_E_FOLDER_CYCLE: a folder cannot move into itself or below itself")
    void moveFolder_cycleCollisionAndKeepsContents() {
        long a = folder("a");
        long a1 = s.createFolder(a, "a1", FolderRecord.FOLDER_GENERIC, null, List.of()).id();
        long a11 = s.createFolder(a1, "a11", FolderRecord.FOLDER_GENERIC, null, List.of()).id();
        long b = folder("b");
        s.createFolder(b, "a1", FolderRecord.FOLDER_GENERIC, null, List.of());
        long m = save(a1, subject("inside")).id();

        assertCode(HResult.MAPI_E_FOLDER_CYCLE, () -> s.moveFolder(a, a, null));
        assertCode(HResult.MAPI_E_FOLDER_CYCLE, () -> s.moveFolder(a, a1, null));
        assertCode(HResult.MAPI_E_FOLDER_CYCLE, () -> s.moveFolder(a, a11, null));
        assertCode(HResult.MAPI_E_COLLISION, () -> s.moveFolder(a1, b, null));
        assertCode(HResult.MAPI_E_NO_ACCESS, () -> s.moveFolder(root(), b, null));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.moveFolder(a1, 999_999, null));

        FolderRecord moved = s.moveFolder(a1, b, "renamed");
        assertThat(moved.id()).isEqualTo(a1);
        assertThat(moved.parentId()).isEqualTo(b);
        assertThat(moved.displayName()).isEqualTo("renamed");
        assertThat(s.loadFolder(a).subfolderCount()).isZero();
        assertThat(s.loadFolder(b).subfolderCount()).isEqualTo(2);
        assertThat(s.listFolders(a1)).extracting(FolderRecord::id).containsExactly(a11);
        assertThat(s.loadMessage(m).info().folderId()).isEqualTo(a1);
        assertThat(s.loadFolder(a1).contentCount()).isEqualTo(1);
        s.moveFolder(a, a11, null);
        assertThat(s.loadFolder(a).parentId()).isEqualTo(a11);
    }

    @Test
    @DisplayName("R-UID-9: folder and message ids are never reused, also across reopen")
    void ids_neverReused() {
        long f1 = folder("one");
        long m1 = save(f1, subject("m1")).id();
        s.deleteMessage(m1);
        s.deleteFolder(f1, false, false);
        s = reopen(s);
        long f2 = folder("two");
        long m2 = save(f2, subject("m2")).id();
        assertThat(f2).isGreaterThan(f1);
        assertThat(m2).isGreaterThan(m1);
        long m3 = s.copyMessage(m2, f2).id();
        assertThat(m3).isGreaterThan(m2);
    }

    // ==== messages ============================================================================================

    @Test
    @DisplayName("every PT_* type, multi-valued ones and named ids, survives a save and a reopen exactly")
    void saveMessage_everyTypeRoundTrips() {
        long f = folder("f");
        List<PropValue> props = everyType();
        MessageImage image = MessageImage.builder()
                .setAll(props)
                .recipient(new Recipient(0, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Ann"),
                        PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, 1), PropValue.ofInt(PropTags.PR_ROWID, 0))))
                .recipient(new Recipient(7, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Bob"),
                        PropValue.of(PropTag.tag(PropType.PT_MV_UNICODE, 0x8200), List.of("x", "y")))))
                .attachment(Attachment.of(3, List.of(PropValue.ofString(PropTags.PR_ATTACH_FILENAME, "a.txt"),
                        PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, new byte[] {1, 2, 3}))))
                .attachment(Attachment.of(1, List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, 5)))
                        .withEmbeddedMessage(MessageImage.builder().setAll(props)
                                .recipient(new Recipient(0, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "C"))))
                                .attachment(Attachment.of(0, List.of(PropValue.ofString(PropTags.PR_ATTACH_FILENAME,
                                        "inner.bin"))))
                                .build()))
                .build();
        long id = s.saveMessage(SaveRequest.create(f, image)).id();
        s = reopen(s);
        MessageImage got = s.loadMessage(id).image();
        assertThat(userProps(got.properties())).isEqualTo(byId(props));
        assertThat(got.recipients()).extracting(Recipient::rowId).containsExactly(0, 7);
        assertThat(got.recipients().get(0).properties()).containsExactly(
                PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Ann"), PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, 1));
        assertThat(got.recipients().get(1).row()).contains(PropValue.ofInt(PropTags.PR_ROWID, 7));
        assertThat(got.attachments()).extracting(Attachment::attachNum).containsExactly(3, 1);
        assertThat(got.attachments().get(0).properties()).containsExactlyElementsOf(
                image.attachments().get(0).properties());
        assertThat(got.attachments().get(0).embeddedMessage()).isNull();
        MessageImage embedded = got.attachments().get(1).embeddedMessage();
        assertThat(byId(embedded.properties())).isEqualTo(byId(props));
        assertThat(embedded.recipients()).hasSize(1);
        assertThat(embedded.attachments()).extracting(Attachment::attachNum).containsExactly(0);
    }

    @Test
    @DisplayName("PR_MESSAGE_SIZE, MSGFLAG_ASSOCIATED and MSGFLAG_SUBMIT are the store's, not the caller's")
    void saveMessage_maintainedProperties() {
        long f = folder("f");
        MessageInfo info = save(f, subject("s"), flags(Flags.MSGFLAG_SUBMIT | Flags.MSGFLAG_READ),
                PropValue.ofInt(PropTags.PR_MESSAGE_SIZE, 1), PropValue.ofInt(PropTags.PR_SUBMIT_FLAGS, 3));
        List<PropValue> props = s.loadMessage(info.id()).image().properties();
        assertThat(intProp(props, PropTags.PR_MESSAGE_FLAGS)).isEqualTo(Flags.MSGFLAG_READ);
        assertThat(intProp(props, PropTags.PR_MESSAGE_SIZE)).isEqualTo(info.size()).isGreaterThan(10);
        assertThat(byId(props)).doesNotContainKey(PropTag.id(PropTags.PR_SUBMIT_FLAGS));

        MessageInfo fai = s.saveMessage(SaveRequest.create(f, MessageImage.of(List.of(subject("fai"))))
                .withAssociated(true));
        assertThat(fai.associated()).isTrue();
        assertThat(intProp(s.loadMessage(fai.id()).image().properties(), PropTags.PR_MESSAGE_FLAGS))
                .isEqualTo(Flags.MSGFLAG_ASSOCIATED);
        MessageInfo bigger = save(f, subject("s"), PropValue.ofBinary(PropTags.PR_SEARCH_KEY, new byte[2000]));
        assertThat(bigger.size()).isGreaterThan(info.size() + 1000);
    }

    @Test
    @DisplayName("R-PROP-5: optimistic concurrency — OBJECT_CHANGED, FORCE_SAVE, OBJECT_DELETED")
    void saveMessage_versions() {
        long f = folder("f");
        MessageInfo v1 = save(f, subject("v1"));
        assertThat(v1.version()).isEqualTo(1);
        MessageInfo v2 = s.saveMessage(SaveRequest.update(v1.id(), 1, MessageImage.of(List.of(subject("v2")))));
        assertThat(v2.id()).isEqualTo(v1.id());
        assertThat(v2.version()).isEqualTo(2);
        assertCode(HResult.MAPI_E_OBJECT_CHANGED, () -> s.saveMessage(SaveRequest.update(v1.id(), 1,
                MessageImage.of(List.of(subject("stale"))))));
        assertThat(s.loadMessage(v1.id()).image().find(PropTags.PR_SUBJECT)).contains(subject("v2"));
        MessageInfo v3 = s.saveMessage(SaveRequest.update(v1.id(), 1, MessageImage.of(List.of(subject("forced"))))
                .withForce());
        assertThat(v3.version()).isEqualTo(3);
        assertThat(s.loadMessage(v1.id()).image().find(PropTags.PR_SUBJECT)).contains(subject("forced"));

        s.moveMessage(v1.id(), folder("g"));
        assertThat(s.messageInfo(v1.id()).version()).isEqualTo(3);
        s.deleteMessage(v1.id());
        assertCode(HResult.MAPI_E_OBJECT_DELETED, () -> s.saveMessage(SaveRequest.update(v1.id(), 3,
                MessageImage.of(List.of(subject("gone"))))));
        assertCode(HResult.MAPI_E_OBJECT_DELETED, () -> s.saveMessage(SaveRequest.update(v1.id(), 3,
                MessageImage.of(List.of(subject("gone")))).withForce()));
    }

    @Test
    @DisplayName("bad input gets the documented code and changes nothing")
    void saveMessage_malformedImagesChangeNothing() {
        long f = folder("f");
        MessageInfo m = save(f, subject("original"));
        long counter = s.changeCounter();
        MessageImage dupIds = MessageImage.of(List.of(subject("a"), PropValue.ofString(
                PropTag.withType(PropTags.PR_SUBJECT, PropType.PT_STRING8), "b")));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.saveMessage(SaveRequest.update(m.id(), 1, dupIds)));
        MessageImage dupRows = MessageImage.builder().recipient(new Recipient(1, List.of()))
                .recipient(new Recipient(1, List.of())).build();
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.saveMessage(SaveRequest.create(f, dupRows)));
        MessageImage dupAttach = MessageImage.builder().attachment(Attachment.of(2, List.of()))
                .attachment(Attachment.of(2, List.of())).build();
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.saveMessage(SaveRequest.create(f, dupAttach)));
        MessageImage badRowId = MessageImage.builder().recipient(new Recipient(1,
                List.of(PropValue.ofInt(PropTags.PR_ROWID, 2)))).build();
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.saveMessage(SaveRequest.create(f, badRowId)));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.saveMessage(SaveRequest.create(f, MessageImage.of(
                List.of(PropValue.error(PropTags.PR_BODY, HResult.MAPI_E_NOT_FOUND))))));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.saveMessage(SaveRequest.create(f, MessageImage.of(
                List.of(PropValue.of(PropTags.PR_MESSAGE_ATTACHMENTS, null))))));
        assertCode(HResult.MAPI_E_INVALID_TYPE, () -> s.saveMessage(SaveRequest.create(f, MessageImage.of(
                List.of(PropValue.ofInt(PropTag.withType(PropTags.PR_SUBJECT, PropType.PT_LONG), 5))))));
        assertCode(HResult.MAPI_E_INVALID_TYPE, () -> s.saveMessage(SaveRequest.create(f, MessageImage.of(
                List.of(PropValue.ofLong(PropTag.withType(PropTags.PR_MESSAGE_FLAGS, PropType.PT_I8), 5))))));
        assertCode(HResult.MAPI_E_BAD_VALUE, () -> s.saveMessage(SaveRequest.create(f, MessageImage.of(
                List.of(subject("nul\u0000inside"))))));
        assertCode(HResult.MAPI_E_TYPE_NO_SUPPORT, () -> s.saveMessage(SaveRequest.create(f, MessageImage.of(
                List.of(PropValue.of(PropTag.tag(PropType.PT_ACTIONS, 0x8001), new Object()))))));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.saveMessage(SaveRequest.create(777_777,
                MessageImage.of(List.of(subject("nowhere"))))));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.saveMessages(List.of(
                SaveRequest.create(f, MessageImage.of(List.of(subject("first of batch")))), SaveRequest.create(f,
                        dupIds))));

        assertThat(s.changeCounter()).isEqualTo(counter);
        assertThat(s.count(f, false, null)).isEqualTo(1);
        assertThat(s.messageInfo(m.id()).version()).isEqualTo(1);
        assertThat(s.loadMessage(m.id()).image().find(PropTags.PR_SUBJECT)).contains(subject("original"));
    }

    @Test
    void saveMessages_batchIsAtomicAndOrdered() {
        long f = folder("f");
        List<MessageInfo> saved = s.saveMessages(List.of(
                SaveRequest.create(f, MessageImage.of(List.of(subject("1")))),
                SaveRequest.create(f, MessageImage.of(List.of(subject("2")))),
                SaveRequest.create(f, MessageImage.of(List.of(subject("3")))).withSubmit(Instant.now(), 0)));
        assertThat(saved).extracting(MessageInfo::id).isSorted().doesNotHaveDuplicates();
        assertThat(saved.get(2).submitted()).isTrue();
        assertThat(s.loadFolder(f).contentCount()).isEqualTo(3);
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.saveMessages(List.of(
                SaveRequest.create(f, MessageImage.of(List.of(subject("4")))),
                SaveRequest.create(123_456, MessageImage.of(List.of(subject("5")))))));
        assertThat(s.loadFolder(f).contentCount()).isEqualTo(3);
    }

    @Test
    @DisplayName("R-PROP-6: large values go out of line and are read and written as streams")
    void largeValues_outOfLineAndStreamed() {
        long f = folder("f");
        String body = "Lorem ipsum \uD83D\uDE00 ".repeat(2000);
        long attachmentSize = 3L * 1024 * 1024 + 17;
        MessageImage image = MessageImage.builder()
                .set(subject("big"))
                .set(PropValue.ofString(PropTags.PR_BODY, body))
                .attachment(Attachment.of(0, List.of(PropValue.ofString(PropTags.PR_ATTACH_FILENAME, "big.bin")))
                        .withStream(new ValueStream(PropTags.PR_ATTACH_DATA_BIN, () -> generated(attachmentSize, 42))))
                .build();
        long id = s.saveMessage(SaveRequest.create(f, image)).id();

        StoredMessage m = s.loadMessage(id);
        assertThat(m.image().find(PropTags.PR_BODY)).isEmpty();
        LargeValue lb = m.image().findLarge(PropTags.PR_BODY).orElseThrow();
        assertThat(lb.size()).isEqualTo(2L * body.length());
        assertThat(readAll(s.openValueStream(id, PropTags.PR_BODY)))
                .isEqualTo(body.getBytes(StandardCharsets.UTF_16LE));
        assertThat(readAll(s.openValueStream(lb))).isEqualTo(body.getBytes(StandardCharsets.UTF_16LE));
        Attachment a = m.image().attachment(0).orElseThrow();
        assertThat(a.largeValues()).singleElement().satisfies(v -> assertThat(v.size()).isEqualTo(attachmentSize));
        assertThat(sha256(s.openAttachmentValueStream(id, 0, PropTags.PR_ATTACH_DATA_BIN)))
                .isEqualTo(sha256(generated(attachmentSize, 42)));
        assertThat(m.info().size()).isGreaterThan((int) attachmentSize);
        assertThat(readAll(s.openValueStream(id, PropTags.PR_SUBJECT)))
                .isEqualTo("big".getBytes(StandardCharsets.UTF_16LE));
        assertThat(readAll(s.openAttachmentValueStream(id, 0, PropTags.PR_ATTACH_FILENAME)))
                .isEqualTo("big.bin".getBytes(StandardCharsets.UTF_16LE));
    }

    @Test
    void largeValues_keptAcrossSavesAndCopiedIndependently() {
        long f = folder("f");
        long id = s.saveMessage(SaveRequest.create(f, MessageImage.builder().set(subject("v1"))
                .stream(PropTags.PR_BODY, () -> new ByteArrayInputStream(new byte[4 * inlineLimit() + 2]))
                .stream(PropTags.PR_HTML, () -> generated(10L * inlineLimit(), 7))
                .build())).id();
        StoredMessage v1 = s.loadMessage(id);
        LargeValue body = v1.image().findLarge(PropTags.PR_BODY).orElseThrow();
        LargeValue html = v1.image().findLarge(PropTags.PR_HTML).orElseThrow();

        MessageImage v2 = v1.image().toBuilder().set(subject("v2")).build();
        s.saveMessage(SaveRequest.update(id, 1, v2));
        StoredMessage after = s.loadMessage(id);
        assertThat(after.image().largeValues()).containsExactlyInAnyOrder(body, html);
        assertThat(sha256(s.openValueStream(html))).isEqualTo(sha256(generated(10L * inlineLimit(), 7)));

        long copy = s.copyMessage(id, folder("g")).id();
        MessageImage v3 = after.image().toBuilder().remove(PropTags.PR_HTML)
                .stream(PropTags.PR_BODY, () -> new ByteArrayInputStream("short".getBytes(StandardCharsets.UTF_16LE)))
                .build();
        s.saveMessage(SaveRequest.update(id, 2, v3));
        StoredMessage third = s.loadMessage(id);
        assertThat(third.image().largeValues()).isEmpty();
        assertThat(third.image().find(PropTags.PR_BODY)).contains(PropValue.ofString(PropTags.PR_BODY, "short"));
        assertCode(HResult.MAPI_E_OBJECT_DELETED, () -> s.openValueStream(html));
        assertCode(HResult.MAPI_E_OBJECT_DELETED, () -> s.saveMessage(SaveRequest.update(id, 3,
                third.image().toBuilder().keep(html).build())));

        MessageImage copied = s.loadMessage(copy).image();
        LargeValue copiedHtml = copied.findLarge(PropTags.PR_HTML).orElseThrow();
        assertThat(copiedHtml.handle()).isNotEqualTo(html.handle());
        s.deleteMessage(id);
        assertThat(sha256(s.openValueStream(copiedHtml))).isEqualTo(sha256(generated(10L * inlineLimit(), 7)));

        long other = s.saveMessage(SaveRequest.create(f, MessageImage.builder().keep(copiedHtml).build())).id();
        assertThat(sha256(s.openValueStream(other, PropTags.PR_HTML))).isEqualTo(sha256(generated(10L * inlineLimit(), 7)));
        s.deleteMessage(copy);
        assertThat(sha256(s.openValueStream(other, PropTags.PR_HTML))).isEqualTo(sha256(generated(10L * inlineLimit(), 7)));
    }

    @Test
    void streams_shortOnesStayInline_badOnesChangeNothing() {
        long f = folder("f");
        long id = s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                .stream(PropTags.PR_BODY, () -> new ByteArrayInputStream("hi \uD83D\uDE00".getBytes(StandardCharsets.UTF_16LE)))
                .stream(PropTags.PR_SEARCH_KEY, () -> new ByteArrayInputStream(new byte[] {1, 2}))
                .stream(PropTag.withType(PropTags.PR_BODY_HTML, PropType.PT_STRING8),
                        () -> new ByteArrayInputStream(new byte[] {(byte) 0xC3}))
                .build())).id();
        MessageImage m = s.loadMessage(id).image();
        assertThat(m.find(PropTags.PR_BODY)).contains(PropValue.ofString(PropTags.PR_BODY, "hi \uD83D\uDE00"));
        assertThat(m.find(PropTags.PR_SEARCH_KEY)).contains(PropValue.ofBinary(PropTags.PR_SEARCH_KEY, new byte[] {1, 2}));
        assertThat(m.findLarge(PropTags.PR_BODY_HTML)).hasValueSatisfying(v -> assertThat(v.size()).isEqualTo(1));
        assertThat(readAll(s.openValueStream(id, PropTag.withType(PropTags.PR_BODY_HTML, PropType.PT_STRING8))))
                .containsExactly((byte) 0xC3);

        long counter = s.changeCounter();
        assertCode(HResult.MAPI_E_CALL_FAILED, () -> s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                .set(subject("never"))
                .stream(PropTags.PR_BODY, () -> new InputStream() {
                    private int n;

                    @Override
                    public int read() throws IOException {
                        if (n++ > 3 * inlineLimit()) {
                            throw new IOException("disk unplugged");
                        }
                        return 'a';
                    }
                }).build())));
        assertCode(HResult.MAPI_E_CALL_FAILED, () -> s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                .stream(PropTags.PR_BODY, () -> {
                    throw new IOException("no such file");
                }).build())));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                .stream(PropTags.PR_BODY, () -> new ByteArrayInputStream(new byte[2 * inlineLimit() + 1])).build())));
        assertCode(HResult.MAPI_E_INVALID_TYPE, () -> new ValueStream(PropTags.PR_MESSAGE_FLAGS,
                () -> new ByteArrayInputStream(new byte[0])));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                .stream(PropTags.PR_SUBJECT, () -> new ByteArrayInputStream(new byte[2])).build())));
        assertThat(s.changeCounter()).isEqualTo(counter);
        assertThat(s.count(f, false, null)).isEqualTo(1);
    }

    @Test
    void openValueStream_errors() {
        long f = folder("f");
        long id = s.saveMessage(SaveRequest.create(f, MessageImage.builder().set(subject("s"))
                .set(PropValue.ofInt(PropTags.PR_IMPORTANCE, 1))
                .attachment(Attachment.of(1, List.of())).build())).id();
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.openValueStream(id, PropTags.PR_BODY));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.openValueStream(id + 1000, PropTags.PR_BODY));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.openAttachmentValueStream(id, 9, PropTags.PR_ATTACH_DATA_BIN));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.openAttachmentValueStream(id, 1, PropTags.PR_ATTACH_DATA_BIN));
        assertCode(HResult.MAPI_E_INVALID_TYPE, () -> s.openValueStream(id, PropTags.PR_IMPORTANCE));
        assertCode(HResult.MAPI_E_INVALID_TYPE, () -> s.openValueStream(id,
                PropTag.withType(PropTags.PR_SUBJECT, PropType.PT_BINARY)));
        assertCode(HResult.MAPI_E_OBJECT_DELETED, () -> s.openValueStream(new LargeValue(PropTags.PR_BODY, 10,
                987_654_321L)));
    }

    @Test
    void openStream_failsCleanlyWhenTheValueIsReplacedWhileReading() throws IOException {
        long f = folder("f");
        long size = 20L * 1024 * 1024 / 8;
        long id = s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                .stream(PropTags.PR_ATTACH_DATA_BIN, () -> generated(size, 1)).build())).id();
        try (InputStream in = s.openValueStream(id, PropTags.PR_ATTACH_DATA_BIN)) {
            assertThat(in.read()).isNotNegative();
            s.saveMessage(SaveRequest.update(id, 1, MessageImage.of(List.of(subject("replaced")))));
            assertThatThrownBy(() -> in.readAllBytes()).isInstanceOf(IOException.class)
                    .hasMessageContaining("replaced");
        }
    }

    @Test
    void embeddedMessage_largeValuesAtEveryLevel() {
        long f = folder("f");
        MessageImage inner = MessageImage.builder().set(subject("inner"))
                .stream(PropTags.PR_BODY, () -> generated(8L * inlineLimit(), 3))
                .attachment(Attachment.of(5, List.of()).withStream(new ValueStream(PropTags.PR_ATTACH_DATA_BIN,
                        () -> generated(6L * inlineLimit(), 4))))
                .build();
        long id = s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                .attachment(Attachment.of(0, List.of()).withEmbeddedMessage(inner)).build())).id();
        MessageImage got = s.loadMessage(id).image().attachment(0).orElseThrow().embeddedMessage();
        assertThat(sha256(s.openValueStream(got.findLarge(PropTags.PR_BODY).orElseThrow())))
                .isEqualTo(sha256(generated(8L * inlineLimit(), 3)));
        LargeValue deep = got.attachment(5).orElseThrow().largeValues().get(0);
        assertThat(sha256(s.openValueStream(deep))).isEqualTo(sha256(generated(6L * inlineLimit(), 4)));
        long copy = s.copyMessage(id, f).id();
        MessageImage copied = s.loadMessage(copy).image().attachment(0).orElseThrow().embeddedMessage();
        assertThat(sha256(s.openValueStream(copied.attachment(5).orElseThrow().largeValues().get(0))))
                .isEqualTo(sha256(generated(6L * inlineLimit(), 4)));
        assertThat(copied.find(PropTags.PR_SUBJECT)).contains(subject("inner"));
    }

    @Test
    @DisplayName("R-FM-2: DeleteMessages deletes what it can and reports the rest")
    void deleteMessages_partial() {
        long f = folder("f");
        long a = save(f, subject("a")).id();
        long b = save(f, subject("b")).id();
        long c = save(f, subject("c")).id();
        s.submitMessage(b, Instant.now(), 0);
        Map<Long, Integer> failed = s.deleteMessages(List.of(a, b, 999_999L));
        assertThat(failed).containsOnly(Map.entry(b, HResult.MAPI_E_SUBMITTED),
                Map.entry(999_999L, HResult.MAPI_E_NOT_FOUND));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.loadMessage(a));
        assertThat(s.loadFolder(f).contentCount()).isEqualTo(2);
        assertCode(HResult.MAPI_E_SUBMITTED, () -> s.deleteMessage(b));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.deleteMessage(a));
        s.deleteMessage(c);
        assertThat(s.deleteMessages(List.of())).isEmpty();
    }

    @Test
    @DisplayName("R-UID-9: a moved message keeps its id; a copy gets a new one and is not submitted")
    void moveAndCopy() {
        long f = folder("f");
        long g = folder("g");
        MessageInfo m = save(f, subject("m"), PropValue.ofBinary(PropTags.PR_SEARCH_KEY, new byte[3 * inlineLimit()]));
        s.submitMessage(m.id(), Instant.ofEpochSecond(100), Flags.SUBMITFLAG_PREPROCESS);
        MessageInfo moved = s.moveMessage(m.id(), g);
        assertThat(moved.id()).isEqualTo(m.id());
        assertThat(moved.folderId()).isEqualTo(g);
        assertThat(moved.submitted()).isTrue();
        assertThat(s.loadFolder(f).contentCount()).isZero();
        assertThat(s.loadFolder(g).contentCount()).isEqualTo(1);
        MessageInfo copy = s.copyMessage(m.id(), f);
        assertThat(copy.id()).isNotEqualTo(m.id());
        assertThat(copy.folderId()).isEqualTo(f);
        assertThat(copy.submitted()).isFalse();
        List<PropValue> props = s.loadMessage(copy.id()).image().properties();
        assertThat(intProp(props, PropTags.PR_MESSAGE_FLAGS) & Flags.MSGFLAG_SUBMIT).isZero();
        assertThat(byId(props)).doesNotContainKey(PropTag.id(PropTags.PR_SUBMIT_FLAGS));
        assertThat(s.queue()).extracting(MessageRow::id).containsExactly(m.id());
        assertThat(userProps(props)).isEqualTo(userProps(s.loadMessage(m.id()).image().properties()));
        assertThat(s.loadMessage(copy.id()).image().largeValues()).hasSize(1);
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.moveMessage(m.id(), 424242));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.copyMessage(424242, f));
    }

    @Test
    @DisplayName("IMAPIFolder::CopyFolder: properties, messages (new ids, not queued), associated messages, subtree")
    void copyFolder_copiesPropertiesMessagesAndOptionallyTheSubtree() {
        long a = s.createFolder(root(), "a", FolderRecord.FOLDER_GENERIC, "the comment",
                List.of(PropValue.ofString(PropTags.PR_CONTAINER_CLASS, "IPF.Note"))).id();
        long a1 = s.createFolder(a, "a1", FolderRecord.FOLDER_GENERIC, null, List.of()).id();
        long a11 = s.createFolder(a1, "a11", FolderRecord.FOLDER_GENERIC, null, List.of()).id();
        long b = folder("b");
        long m1 = save(a, subject("one"), flags(Flags.MSGFLAG_READ)).id();
        long m2 = s.saveMessage(SaveRequest.create(a, MessageImage.builder().set(subject("two"))
                .stream(PropTags.PR_BODY, () -> generated(6L * inlineLimit(), 3)).build())).id();
        s.submitMessage(m2, Instant.ofEpochSecond(5), 0);
        long fai = s.saveMessage(SaveRequest.create(a, MessageImage.of(List.of(subject("fai")))).withAssociated(true))
                .id();
        save(a1, subject("deep"));
        save(a11, subject("deeper"));

        FolderRecord flat = s.copyFolder(a, b, null, false);
        assertThat(flat.id()).isNotIn(a, a1, a11, b);
        assertThat(flat.parentId()).isEqualTo(b);
        assertThat(flat.displayName()).isEqualTo("a");
        assertThat(flat.comment()).isEqualTo("the comment");
        assertThat(byId(flat.properties())).containsKey(PropTag.id(PropTags.PR_CONTAINER_CLASS));
        assertThat(flat.contentCount()).isEqualTo(2);
        assertThat(flat.unreadCount()).isEqualTo(1);
        assertThat(flat.associatedContentCount()).isEqualTo(1);
        assertThat(flat.subfolderCount()).isZero();
        assertThat(s.loadFolder(b).subfolderCount()).isEqualTo(1);
        List<MessageRow> copies = s.query(ContentsQuery.of(flat.id()).withSort(SortOrder.ascending(PropTags.PR_SUBJECT)));
        assertThat(copies).extracting(r -> r.get(PropTags.PR_SUBJECT).asString()).containsExactly("one", "two");
        assertThat(copies).extracting(MessageRow::id).doesNotContain(m1, m2);
        assertThat(copies).allSatisfy(r -> assertThat(r.info().submitted()).isFalse());
        assertThat(s.queue()).extracting(MessageRow::id).containsExactly(m2);
        LargeValue body = s.loadMessage(copies.get(1).id()).image().findLarge(PropTags.PR_BODY).orElseThrow();
        assertThat(sha256(s.openValueStream(body))).isEqualTo(sha256(generated(6L * inlineLimit(), 3)));
        assertThat(s.query(ContentsQuery.of(flat.id()).withAssociated(true)))
                .extracting(r -> r.get(PropTags.PR_SUBJECT).asString()).containsExactly("fai");
        assertThat(s.loadFolder(a).contentCount()).isEqualTo(2);
        assertThat(s.loadMessage(fai).info().folderId()).isEqualTo(a);

        assertCode(HResult.MAPI_E_COLLISION, () -> s.copyFolder(a, b, "A", true));
        FolderRecord deep = s.copyFolder(a, b, "a-copy", true);
        assertThat(deep.displayName()).isEqualTo("a-copy");
        assertThat(deep.subfolderCount()).isEqualTo(1);
        FolderRecord deep1 = s.listFolders(deep.id()).get(0);
        assertThat(deep1.displayName()).isEqualTo("a1");
        assertThat(deep1.id()).isNotEqualTo(a1);
        assertThat(deep1.contentCount()).isEqualTo(1);
        FolderRecord deep11 = s.listFolders(deep1.id()).get(0);
        assertThat(deep11.displayName()).isEqualTo("a11");
        assertThat(s.query(ContentsQuery.of(deep11.id()))).extracting(r -> r.get(PropTags.PR_SUBJECT).asString())
                .containsExactly("deeper");

        assertCode(HResult.MAPI_E_FOLDER_CYCLE, () -> s.copyFolder(a, a, "x", true));
        assertCode(HResult.MAPI_E_FOLDER_CYCLE, () -> s.copyFolder(a, a11, "x", true));
        assertThat(s.listFolders(a11)).isEmpty();
        FolderRecord intoItself = s.copyFolder(a, a, "flat-inside", false);
        assertThat(intoItself.parentId()).isEqualTo(a);
        assertThat(s.listFolders(a)).extracting(FolderRecord::displayName).containsExactly("a1", "flat-inside");
        assertCode(HResult.MAPI_E_NO_ACCESS, () -> s.copyFolder(root(), b, "r", false));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.copyFolder(a, 999_999, null, false));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.copyFolder(999_999, b, null, false));
    }

    @Test
    @DisplayName("a stream opened at an offset starts at that byte, inside or between chunks, and is empty past the end")
    void openValueStream_atAnOffset() throws IOException {
        long f = folder("f");
        long size = 10L * inlineLimit() + 3;
        long id = s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                .stream(PropTags.PR_HTML, () -> generated(size, 11)).build())).id();
        LargeValue v = s.loadMessage(id).image().findLarge(PropTags.PR_HTML).orElseThrow();
        byte[] all = readAll(generated(size, 11));
        for (long offset : new long[] {0, 1, 1023, 1024, 1025, inlineLimit(), size / 2, size - 1}) {
            try (InputStream in = s.openValueStream(v, offset)) {
                assertThat(in.readAllBytes()).as("from offset %d", offset)
                        .isEqualTo(java.util.Arrays.copyOfRange(all, (int) offset, all.length));
            }
        }
        assertThat(readAll(s.openValueStream(v, size))).isEmpty();
        assertThat(readAll(s.openValueStream(v, size + 100))).isEmpty();
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.openValueStream(v, -1));
        s.deleteMessage(id);
        assertCode(HResult.MAPI_E_OBJECT_DELETED, () -> s.openValueStream(v, 5));
    }

    @Test
    @DisplayName("R-NTF-3..6 across processes: events one instance publishes, another reads in order with their origin")
    void events_publishedByOneInstance_readByAnother() {
        long f = folder("f");
        try (Storage other = openOther(s)) {
            long start = other.lastEventSeq();
            assertThat(other.eventsAfter(start, 10)).isEmpty();
            long counter = s.changeCounter();
            s.publishEvents(List.of(new byte[] {1}, new byte[] {2, 2}));
            other.publishEvents(List.of(new byte[] {3}));
            s.publishEvents(List.of());
            assertThat(s.changeCounter()).as("publishing is not a change of the store's data").isEqualTo(counter);

            List<StoreEvent> seen = other.eventsAfter(start, 10);
            assertThat(seen).extracting(e -> e.payload().length).containsExactly(1, 2, 1);
            assertThat(seen).extracting(StoreEvent::origin).containsExactly(s.ownerId(), s.ownerId(),
                    other.ownerId());
            assertThat(seen.get(1).payload()).containsExactly(2, 2);
            assertThat(seen).extracting(StoreEvent::seq).isSorted().doesNotHaveDuplicates();
            assertThat(other.lastEventSeq()).isEqualTo(seen.get(2).seq());
            assertThat(s.eventsAfter(seen.get(0).seq(), 1)).extracting(StoreEvent::seq)
                    .containsExactly(seen.get(1).seq());
            assertThat(s.eventsAfter(seen.get(2).seq(), 10)).isEmpty();
            save(f, subject("data"));
            assertThat(s.eventsAfter(seen.get(2).seq(), 10)).as("data changes publish nothing by themselves")
                    .isEmpty();
        }
        Storage again = reopen(s);
        s = again;
        assertThat(s.lastEventSeq()).isPositive();
    }

    @Test
    @DisplayName("SetReadFlag keeps PR_CONTENT_UNREAD right; the store's own flag bits are refused")
    void updateMessageFlags_unreadCount() {
        long f = folder("f");
        long a = save(f, subject("a")).id();
        save(f, subject("b"), flags(Flags.MSGFLAG_READ));
        assertThat(s.loadFolder(f).unreadCount()).isEqualTo(1);
        MessageInfo after = s.updateMessageFlags(a, Flags.MSGFLAG_READ | Flags.MSGFLAG_UNSENT, 0);
        assertThat(after.version()).isEqualTo(2);
        assertThat(s.loadFolder(f).unreadCount()).isZero();
        assertThat(intProp(s.loadMessage(a).image().properties(), PropTags.PR_MESSAGE_FLAGS))
                .isEqualTo(Flags.MSGFLAG_READ | Flags.MSGFLAG_UNSENT);
        s.updateMessageFlags(a, 0, Flags.MSGFLAG_READ);
        assertThat(s.loadFolder(f).unreadCount()).isEqualTo(1);
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.updateMessageFlags(a, Flags.MSGFLAG_SUBMIT, 0));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.updateMessageFlags(a, 0, Flags.MSGFLAG_ASSOCIATED));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.updateMessageFlags(424242, 1, 0));
    }

    @Test
    void associatedMessages_separateTableAndCount() {
        long f = folder("f");
        long normal = save(f, subject("n")).id();
        long fai = s.saveMessage(SaveRequest.create(f, MessageImage.of(List.of(subject("fai"))))
                .withAssociated(true)).id();
        FolderRecord r = s.loadFolder(f);
        assertThat(r.contentCount()).isEqualTo(1);
        assertThat(r.associatedContentCount()).isEqualTo(1);
        assertThat(r.unreadCount()).isEqualTo(1);
        assertThat(s.query(ContentsQuery.of(f))).extracting(MessageRow::id).containsExactly(normal);
        assertThat(s.query(ContentsQuery.of(f).withAssociated(true))).extracting(MessageRow::id).containsExactly(fai);
        assertThat(s.count(f, true, null)).isEqualTo(1);
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.submitMessage(fai, Instant.now(), 0));
        s.deleteMessage(fai);
        assertThat(s.loadFolder(f).associatedContentCount()).isZero();
    }

    @Test
    @DisplayName("folder counts stay equal to the real counts through random saves, moves, copies, deletes")
    void folderCounts_matchRealCounts() {
        Random r = new Random(7);
        long[] folders = {folder("a"), folder("b"), folder("c")};
        List<Long> ids = new ArrayList<>();
        for (int step = 0; step < 300; step++) {
            long f = folders[r.nextInt(3)];
            int op = ids.isEmpty() ? 0 : r.nextInt(7);
            switch (op) {
                case 0, 1 -> ids.add(s.saveMessage(SaveRequest.create(f, MessageImage.of(r.nextBoolean()
                        ? List.of(flags(r.nextInt(2))) : List.of())).withAssociated(r.nextInt(5) == 0)).id());
                case 2 -> {
                    long id = ids.get(r.nextInt(ids.size()));
                    MessageInfo i = s.messageInfo(id);
                    s.saveMessage(SaveRequest.update(id, i.version(), MessageImage.of(List.of(flags(r.nextInt(2))))));
                }
                case 3 -> s.moveMessage(ids.get(r.nextInt(ids.size())), f);
                case 4 -> ids.add(s.copyMessage(ids.get(r.nextInt(ids.size())), f).id());
                case 5 -> s.deleteMessage(ids.remove(r.nextInt(ids.size())));
                default -> {
                    long id = ids.get(r.nextInt(ids.size()));
                    if (r.nextBoolean()) {
                        s.updateMessageFlags(id, Flags.MSGFLAG_READ, 0);
                    } else {
                        s.updateMessageFlags(id, 0, Flags.MSGFLAG_READ);
                    }
                }
            }
        }
        Restriction unread = new Restriction.Bitmask(Restriction.BMR_EQZ, PropTags.PR_MESSAGE_FLAGS,
                Flags.MSGFLAG_READ);
        int total = 0;
        for (long f : folders) {
            FolderRecord rec = s.loadFolder(f);
            assertThat(rec.contentCount()).isEqualTo(s.count(f, false, null));
            assertThat(rec.associatedContentCount()).isEqualTo(s.count(f, true, null));
            assertThat(rec.unreadCount()).isEqualTo(s.count(f, false, unread));
            total += rec.contentCount() + rec.associatedContentCount();
        }
        assertThat(total).isEqualTo(ids.size());
    }

    // ==== contents tables =====================================================================================

    @Test
    @DisplayName("R-TBL-4: sort by delivery time, descending, pages; ties by id in the last key's direction")
    void query_sortAndPage() {
        long f = folder("f");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(save(f, subject("m" + i), delivered(1000 + (i % 10))).id());
        }
        long none = save(f, subject("no time")).id();
        List<Long> all = s.query(ContentsQuery.of(f).withSort(SortOrder.descending(PropTags.PR_MESSAGE_DELIVERY_TIME)))
                .stream().map(MessageRow::id).toList();
        List<Long> expected = new ArrayList<>();
        for (int t = 9; t >= 0; t--) {
            for (int i = 29; i >= 0; i--) {
                if (i % 10 == t) {
                    expected.add(ids.get(i));
                }
            }
        }
        expected.add(none);
        assertThat(all).containsExactlyElementsOf(expected);
        assertThat(s.query(ContentsQuery.of(f).withSort(SortOrder.descending(PropTags.PR_MESSAGE_DELIVERY_TIME))
                .page(5, 4))).extracting(MessageRow::id).containsExactlyElementsOf(expected.subList(5, 9));
        List<Long> ascending = s.query(ContentsQuery.of(f).withSort(
                SortOrder.ascending(PropTags.PR_MESSAGE_DELIVERY_TIME))).stream().map(MessageRow::id).toList();
        assertThat(ascending.get(0)).isEqualTo(none);
        assertThat(ascending.subList(1, 4)).containsExactly(ids.get(0), ids.get(10), ids.get(20));
        assertThat(s.query(ContentsQuery.of(f).page(29, 10))).extracting(MessageRow::id)
                .containsExactly(ids.get(29), none);
        assertThat(s.query(ContentsQuery.of(f).page(40, 10))).isEmpty();
        assertThat(s.query(ContentsQuery.of(f).page(0, 0))).isEmpty();
        MessageRow row = s.query(ContentsQuery.of(f).page(0, 1)).get(0);
        assertThat(row.get(PropTags.PR_SUBJECT)).isEqualTo(subject("m0"));
        assertThat(row.get(PropTags.PR_MESSAGE_SIZE).asInt()).isEqualTo(row.info().size());
    }

    @Test
    void query_typicalRestrictions() {
        long f = folder("f");
        long a = save(f, subject("Quarterly REPORT"), PropValue.ofString(PropTags.PR_SENDER_NAME, "Ann"),
                PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note"), flags(Flags.MSGFLAG_READ)).id();
        long b = save(f, subject("re: report"), PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note.Signed"),
                PropValue.ofString(PropTags.PR_BODY, "x".repeat(3 * inlineLimit()) + "needle")).id();
        long c = save(f, PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Schedule.Meeting.Request"),
                PropValue.ofInt(PropTags.PR_IMPORTANCE, 2)).id();
        assertThat(ids(f, new Restriction.Content(Restriction.FL_SUBSTRING | Restriction.FL_IGNORECASE,
                PropTags.PR_SUBJECT, subject("report")))).containsExactly(a, b);
        assertThat(ids(f, new Restriction.Content(Restriction.FL_SUBSTRING, PropTags.PR_SUBJECT,
                subject("report")))).containsExactly(b);
        assertThat(ids(f, new Restriction.Content(Restriction.FL_PREFIX | Restriction.FL_IGNORECASE,
                PropTags.PR_MESSAGE_CLASS, PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "ipm.note"))))
                .containsExactly(a, b);
        assertThat(ids(f, new Restriction.Content(Restriction.FL_FULLSTRING, PropTags.PR_MESSAGE_CLASS,
                PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note")))).containsExactly(a);
        assertThat(ids(f, new Restriction.Bitmask(Restriction.BMR_EQZ, PropTags.PR_MESSAGE_FLAGS,
                Flags.MSGFLAG_READ))).containsExactly(b, c);
        assertThat(ids(f, new Restriction.Not(new Restriction.Exist(PropTags.PR_SUBJECT)))).containsExactly(c);
        assertThat(ids(f, new Restriction.Property(Restriction.RELOP_GE, PropTags.PR_IMPORTANCE,
                PropValue.ofInt(PropTags.PR_IMPORTANCE, 1)))).containsExactly(c);
        assertThat(ids(f, new Restriction.Property(Restriction.RELOP_GT, PropTags.PR_MESSAGE_SIZE,
                PropValue.ofInt(PropTags.PR_MESSAGE_SIZE, 3 * inlineLimit())))).containsExactly(b);
        assertThat(ids(f, new Restriction.Size(Restriction.RELOP_GT, PropTags.PR_SUBJECT, 30))).containsExactly(a);
        assertThat(ids(f, new Restriction.Content(Restriction.FL_SUBSTRING, PropTags.PR_BODY,
                PropValue.ofString(PropTags.PR_BODY, "needle")))).containsExactly(b);
        assertThat(ids(f, new Restriction.Or(List.of(new Restriction.Exist(PropTags.PR_SENDER_NAME),
                new Restriction.Exist(PropTags.PR_IMPORTANCE))))).containsExactly(a, c);
        assertThat(s.count(f, false, new Restriction.Exist(PropTags.PR_SUBJECT))).isEqualTo(2);
    }

    private List<Long> ids(long folderId, Restriction r) {
        return s.query(ContentsQuery.of(folderId).withRestriction(r)).stream().map(MessageRow::id).toList();
    }

    @Test
    void query_subRestrictionsOnRecipientsAndAttachments() {
        long f = folder("f");
        long a = s.saveMessage(SaveRequest.create(f, MessageImage.builder().set(subject("a"))
                .recipient(new Recipient(0, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Alice"))))
                .build())).id();
        long b = s.saveMessage(SaveRequest.create(f, MessageImage.builder().set(subject("b"))
                .attachment(Attachment.of(0, List.of(PropValue.ofString(PropTags.PR_ATTACH_FILENAME, "x.pdf")))
                        .withStream(new ValueStream(PropTags.PR_ATTACH_DATA_BIN, () -> generated(5L * inlineLimit(), 9))))
                .build())).id();
        assertThat(ids(f, new Restriction.Sub(PropTags.PR_MESSAGE_RECIPIENTS, new Restriction.Content(
                Restriction.FL_PREFIX | Restriction.FL_IGNORECASE, PropTags.PR_DISPLAY_NAME,
                PropValue.ofString(PropTags.PR_DISPLAY_NAME, "ali"))))).containsExactly(a);
        assertThat(ids(f, new Restriction.Sub(PropTags.PR_MESSAGE_ATTACHMENTS, new Restriction.Size(
                Restriction.RELOP_GT, PropTags.PR_ATTACH_DATA_BIN, 4 * inlineLimit())))).containsExactly(b);
        assertThat(ids(f, new Restriction.Sub(PropTags.PR_MESSAGE_ATTACHMENTS, new Restriction.Property(
                Restriction.RELOP_EQ, PropTags.PR_ATTACH_NUM, PropValue.ofInt(PropTags.PR_ATTACH_NUM, 0)))))
                .containsExactly(b);
    }

    @Test
    void query_badInput() {
        long f = folder("f");
        assertCode(HResult.MAPI_E_TOO_COMPLEX, () -> s.query(ContentsQuery.of(f).withRestriction(
                new Restriction.Property(Restriction.RELOP_RE, PropTags.PR_SUBJECT, subject("x")))));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.query(ContentsQuery.of(f).withRestriction(
                new Restriction.Property(Restriction.RELOP_EQ, PropTags.PR_SUBJECT, flags(1)))));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.query(ContentsQuery.of(f).withRestriction(
                new Restriction.Not(null))));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.count(f, false, new Restriction.Bitmask(3,
                PropTags.PR_MESSAGE_FLAGS, 1)));
        assertCode(HResult.MAPI_E_TOO_COMPLEX, () -> s.query(ContentsQuery.of(f).withSort(new SortOrder(
                PropTag.withType(PropTags.PR_DISPLAY_TO, PropType.PT_MV_UNICODE | PropType.MV_INSTANCE), 0))));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.query(ContentsQuery.of(f).withSort(
                new SortOrder(PropTags.PR_SUBJECT, 5))));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.query(ContentsQuery.of(424242)));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.count(424242, false, null));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> ContentsQuery.of(f).page(-1, 5));
    }

    @Test
    @DisplayName("R-TBL-3/4: SQL and Java evaluation agree on 600 random restrictions, sorts and pages")
    void query_randomRestrictionsAgreeWithJavaEvaluation() {
        RandomContents gen = new RandomContents(20240601L);
        long f = folder("random");
        String large = "L".repeat(2 * inlineLimit());
        List<SaveRequest> batch = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            batch.add(SaveRequest.create(f, gen.message(large)));
        }
        for (int i = 0; i < 15; i++) {
            batch.add(SaveRequest.create(f, gen.message(large)).withAssociated(true));
        }
        s.saveMessages(batch);
        List<ReferenceContents.Row> rows = ReferenceContents.rows(s, f, false);
        assertThat(rows).hasSize(160);
        Random r = gen.random();
        int nonEmpty = 0;
        for (int i = 0; i < 600; i++) {
            Restriction res = r.nextInt(10) == 0 ? null : gen.restriction();
            ContentsQuery q = ContentsQuery.of(f).withRestriction(res).withSort(gen.sortOrder());
            if (r.nextInt(3) == 0) {
                q = q.page(r.nextInt(20), 1 + r.nextInt(30));
            }
            List<Long> expected = ReferenceContents.expected(rows, q);
            List<Long> actual = s.query(q).stream().map(MessageRow::id).toList();
            assertThat(actual).as("case %d: %s", i, q).containsExactlyElementsOf(expected);
            assertThat(s.count(f, false, res)).as("count, case %d: %s", i, res)
                    .isEqualTo(ReferenceContents.expectedCount(rows, res));
            if (!expected.isEmpty() && expected.size() < rows.size()) {
                nonEmpty++;
            }
        }
        assertThat(nonEmpty).as("restrictions that select some but not all rows").isGreaterThan(200);
    }

    // ==== named properties ====================================================================================

    @Test
    @DisplayName("named properties: created on demand, 0x8000..0xFFFE, stable across instances and reopen")
    void namedProperties_stable() {
        MapiUid set = MapiUid.parse("00062008000000000000000000000046");
        MapiUid other = MapiUid.parse("00020329000000000000000000000046");
        List<NamedProperty> names = List.of(NamedProperty.ofId(set, 0x8503), NamedProperty.ofName(set, "Keywords"),
                NamedProperty.ofName(other, "Keywords"), NamedProperty.ofId(other, 0x8503));
        assertThat(s.getIdsFromNames(names, false)).containsOnly(0);
        int[] ids = s.getIdsFromNames(names, true);
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(java.util.Arrays.stream(ids).boxed().toList()).allSatisfy(id -> assertThat(id).isBetween(0x8000, 0xFFFE));
        assertThat(s.getIdsFromNames(names, true)).containsExactly(ids);
        try (Storage second = openOther(s)) {
            assertThat(second.getIdsFromNames(names, false)).containsExactly(ids);
            int[] more = second.getIdsFromNames(List.of(NamedProperty.ofName(set, "new one"), names.get(1)), true);
            assertThat(more[1]).isEqualTo(ids[1]);
            assertThat(more[0]).isNotIn(ids[0], ids[1], ids[2], ids[3]);
        }
        s = reopen(s);
        assertThat(s.getIdsFromNames(names, false)).containsExactly(ids);
        assertThat(s.getNamesFromIds(new int[] {ids[1], PropTag.tag(PropType.PT_UNICODE, ids[0]), 0x9999}))
                .containsExactly(names.get(1), names.get(0), null);
        assertThat(s.namedProperties()).hasSize(5).containsEntry(ids[2], names.get(2));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.getIdsFromNames(
                List.of(new NamedProperty(null, "x", 0)), true));
    }

    // ==== receive folders =====================================================================================

    @Test
    @DisplayName("R-RF-1: receive folder by class, nearest base class, then the default")
    void receiveFolders_baseClassWalk() {
        long inbox = folder("Inbox");
        long notes = folder("Notes");
        long signed = folder("Signed");
        assertThat(s.getReceiveFolder("IPM.Note")).isEmpty();
        s.setReceiveFolder("", inbox);
        s.setReceiveFolder("IPM.Note", notes);
        s.setReceiveFolder("IPM.Note.SMIME.MultipartSigned", signed);
        assertThat(s.getReceiveFolder("IPM.Note")).contains(new ReceiveFolder("IPM.Note", notes));
        assertThat(s.getReceiveFolder("ipm.note.custom.x")).contains(new ReceiveFolder("IPM.Note", notes));
        assertThat(s.getReceiveFolder("IPM.Note.SMIME.MultipartSigned"))
                .contains(new ReceiveFolder("IPM.Note.SMIME.MultipartSigned", signed));
        assertThat(s.getReceiveFolder("IPM.Schedule.Meeting")).contains(new ReceiveFolder("", inbox));
        assertThat(s.getReceiveFolder(null)).contains(new ReceiveFolder("", inbox));
        assertThat(s.getReceiveFolder("IPM")).contains(new ReceiveFolder("", inbox));
        s.setReceiveFolder("ipm.note", signed);
        assertThat(s.getReceiveFolder("IPM.Note.X")).contains(new ReceiveFolder("ipm.note", signed));
        s.clearReceiveFolder("IPM.NOTE");
        s.clearReceiveFolder("IPM.Never.Set");
        assertThat(s.getReceiveFolder("IPM.Note.X")).contains(new ReceiveFolder("", inbox));
        assertThat(s.receiveFolders()).extracting(ReceiveFolder::messageClass)
                .containsExactly("", "IPM.Note.SMIME.MultipartSigned");
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.setReceiveFolder("IPM..Note", inbox));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.setReceiveFolder("IPM.", inbox));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.setReceiveFolder("IPM.Note", 424242));
        s.deleteFolder(signed, false, false);
        s = reopen(s);
        assertThat(s.receiveFolders()).extracting(ReceiveFolder::messageClass).containsExactly("");
    }

    // ==== outgoing queue ======================================================================================

    @Test
    @DisplayName("R-SUB-2, R-OQ-1: submitted messages are queued in submit-time order with MSGFLAG_SUBMIT")
    void submit_queueOrderAndFlags() {
        long outbox = folder("Outbox");
        long a = save(outbox, subject("a")).id();
        long b = save(outbox, subject("b")).id();
        long c = s.saveMessage(SaveRequest.create(outbox, MessageImage.of(List.of(subject("c"))))
                .withSubmit(Instant.ofEpochSecond(150), 0)).id();
        MessageInfo ia = s.submitMessage(a, Instant.ofEpochSecond(200), 0);
        s.submitMessage(b, Instant.ofEpochSecond(100), Flags.SUBMITFLAG_PREPROCESS);
        assertThat(ia.version()).isEqualTo(2);
        assertThat(ia.queue().submitTime()).isEqualTo(Instant.ofEpochSecond(200));
        assertThat(s.queue()).extracting(MessageRow::id).containsExactly(b, c, a);
        MessageRow rb = s.queue().get(0);
        assertThat(rb.get(PropTags.PR_SUBMIT_FLAGS).asInt()).isEqualTo(Flags.SUBMITFLAG_PREPROCESS);
        assertThat(rb.get(PropTags.PR_MESSAGE_FLAGS).asInt() & Flags.MSGFLAG_SUBMIT).isNotZero();
        assertThat(rb.get(PropTags.PR_CLIENT_SUBMIT_TIME).asTime()).isEqualTo(Instant.ofEpochSecond(100));
        assertThat(rb.get(PropTags.PR_SUBJECT)).isEqualTo(subject("b"));
        assertThat(rb.info().queue().locked()).isFalse();
        assertCode(HResult.MAPI_E_SUBMITTED, () -> s.submitMessage(a, Instant.now(), 0));
        assertCode(HResult.MAPI_E_SUBMITTED, () -> s.saveMessage(SaveRequest.update(c, s.messageInfo(c).version(),
                MessageImage.of(List.of())).withSubmit(Instant.now(), 0)));
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.submitMessage(save(outbox).id(), Instant.now(),
                Flags.SUBMITFLAG_LOCKED));
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.submitMessage(424242, Instant.now(), 0));
        s = reopen(s);
        assertThat(s.queue()).extracting(MessageRow::id).containsExactly(b, c, a);
        assertThat(s.activitySummary().logoffFlags()).isEqualTo(Flags.LOGOFF_OUTBOUND_QUEUE);
    }

    @Test
    @DisplayName("R-OQ-2, R-OQ-4: a locked message is the holder's: others get BUSY, NO_ACCESS, UNABLE_TO_ABORT")
    void lock_ownershipAcrossInstances() {
        long outbox = folder("Outbox");
        long a = save(outbox, subject("a")).id();
        long b = save(outbox, subject("b")).id();
        long notQueued = save(outbox, subject("c")).id();
        s.submitMessage(a, Instant.ofEpochSecond(1), 0);
        s.submitMessage(b, Instant.ofEpochSecond(2), 0);
        try (Storage spooler = openOther(s)) {
            MessageInfo locked = spooler.lockMessage(a);
            assertThat(locked.queue().lockOwner()).isEqualTo(spooler.ownerId());
            MessageRow seen = s.queue().get(0);
            assertThat(seen.info().queue().locked()).isTrue();
            assertThat(seen.get(PropTags.PR_SUBMIT_FLAGS).asInt() & Flags.SUBMITFLAG_LOCKED).isNotZero();
            assertThat(s.loadMessage(a).image().find(PropTags.PR_SUBMIT_FLAGS).orElseThrow().asInt()
                    & Flags.SUBMITFLAG_LOCKED).isNotZero();
            assertCode(HResult.MAPI_E_BUSY, () -> s.lockMessage(a));
            assertCode(HResult.MAPI_E_NO_ACCESS, () -> s.unlockMessage(a));
            assertCode(HResult.MAPI_E_UNABLE_TO_ABORT, () -> s.abortSubmit(a));
            assertCode(HResult.MAPI_E_NO_ACCESS, () -> s.finishMessage(a, Disposal.KEEP));
            assertCode(HResult.MAPI_E_NOT_IN_QUEUE, () -> s.lockMessage(notQueued));
            assertCode(HResult.MAPI_E_NOT_IN_QUEUE, () -> s.unlockMessage(notQueued));
            assertThat(s.lockNextQueued()).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(b));
            assertThat(s.lockNextQueued()).isEmpty();
            assertThat(spooler.lockNextQueued()).isEmpty();
            assertThat(spooler.lockMessage(a).queue().lockOwner()).isEqualTo(spooler.ownerId());
            assertThat(s.activitySummary()).isEqualTo(new ActivitySummary(0, 0, 2, 0));
            spooler.unlockMessage(a);
            spooler.unlockMessage(a);
            assertThat(s.messageInfo(a).queue().locked()).isFalse();
            s.abortSubmit(a);
            assertThat(s.queue()).extracting(MessageRow::id).containsExactly(b);
            assertCode(HResult.MAPI_E_NOT_IN_QUEUE, () -> s.abortSubmit(a));
            assertCode(HResult.MAPI_E_NOT_IN_QUEUE, () -> s.abortSubmit(424242));
            assertThat(intProp(s.loadMessage(a).image().properties(), PropTags.PR_MESSAGE_FLAGS)
                    & Flags.MSGFLAG_SUBMIT).isZero();
            assertThat(s.loadMessage(a).info().folderId()).isEqualTo(outbox);
        }
    }

    @Test
    @DisplayName("R-OQ-5: FinishedMsg takes a locked message out of the queue, then keeps, moves or deletes it")
    void finish_disposals() {
        long outbox = folder("Outbox");
        long sent = folder("Sent Items");
        long keep = save(outbox, subject("keep")).id();
        long move = save(outbox, subject("move")).id();
        long delete = save(outbox, subject("delete")).id();
        for (long id : new long[] {keep, move, delete}) {
            s.submitMessage(id, Instant.now(), 0);
        }
        assertCode(HResult.MAPI_E_NO_ACCESS, () -> s.finishMessage(keep, Disposal.KEEP));
        s.lockMessage(keep);
        s.lockMessage(move);
        s.lockMessage(delete);
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.finishMessage(move, Disposal.moveTo(424242)));
        s.finishMessage(keep, Disposal.KEEP);
        s.finishMessage(move, Disposal.moveTo(sent));
        s.finishMessage(delete, new Disposal(sent, true));
        assertThat(s.queue()).isEmpty();
        MessageInfo k = s.messageInfo(keep);
        assertThat(k.submitted()).isFalse();
        assertThat(k.folderId()).isEqualTo(outbox);
        assertThat(intProp(s.loadMessage(keep).image().properties(), PropTags.PR_MESSAGE_FLAGS)
                & Flags.MSGFLAG_SUBMIT).isZero();
        assertThat(s.messageInfo(move).folderId()).isEqualTo(sent);
        assertCode(HResult.MAPI_E_NOT_FOUND, () -> s.messageInfo(delete));
        assertThat(s.loadFolder(outbox).contentCount()).isEqualTo(1);
        assertThat(s.loadFolder(sent).contentCount()).isEqualTo(1);
        assertCode(HResult.MAPI_E_NOT_IN_QUEUE, () -> s.finishMessage(keep, Disposal.KEEP));
    }

    @Test
    @DisplayName("R-MAIL-1: queued mail stays queued when its spooler goes; the lock does not survive")
    void lock_notPersistedAcrossClose() {
        long outbox = folder("Outbox");
        long a = save(outbox, subject("a")).id();
        s.submitMessage(a, Instant.now(), 0);
        Storage spooler = openOther(s);
        Activity sending = spooler.beginActivity(ActivityKind.OUTBOUND, "smtp", a);
        spooler.lockMessage(a);
        assertThat(s.activitySummary().logoffFlags()).isEqualTo(Flags.LOGOFF_OUTBOUND);
        spooler.close();
        sending.close();
        MessageInfo after = s.messageInfo(a);
        assertThat(after.submitted()).isTrue();
        assertThat(after.queue().locked()).isFalse();
        assertThat(s.activities()).isEmpty();
        assertThat(s.activitySummary()).isEqualTo(new ActivitySummary(0, 0, 0, 1));
        assertThat(s.lockNextQueued()).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(a));
    }

    @Test
    @DisplayName("R-OQ-5: FinishedMsg's MSGFLAG_UNSENT change goes with the disposal; nothing changes when it fails")
    void finish_clearsFlagsWithTheDisposal() {
        long outbox = folder("Outbox");
        long sent = folder("Sent Items");
        long move = save(outbox, subject("move"), PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS,
                Flags.MSGFLAG_UNSENT | Flags.MSGFLAG_READ)).id();
        long notLocked = save(outbox, subject("not locked"), PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS,
                Flags.MSGFLAG_UNSENT)).id();
        s.submitMessage(move, Instant.now(), 0);
        s.submitMessage(notLocked, Instant.now(), 0);
        assertCode(HResult.MAPI_E_NO_ACCESS, () -> s.finishMessage(notLocked, Disposal.moveTo(sent),
                Flags.MSGFLAG_UNSENT));
        assertThat(intProp(s.loadMessage(notLocked).image().properties(), PropTags.PR_MESSAGE_FLAGS)
                & Flags.MSGFLAG_UNSENT).as("a refused FinishedMsg changes nothing").isNotZero();
        s.lockMessage(move);
        s.finishMessage(move, Disposal.moveTo(sent), Flags.MSGFLAG_UNSENT);
        MessageInfo m = s.messageInfo(move);
        assertThat(m.submitted()).isFalse();
        assertThat(m.folderId()).isEqualTo(sent);
        int flags = intProp(s.loadMessage(move).image().properties(), PropTags.PR_MESSAGE_FLAGS);
        assertThat(flags & (Flags.MSGFLAG_UNSENT | Flags.MSGFLAG_SUBMIT)).isZero();
        assertThat(flags & Flags.MSGFLAG_READ).isNotZero();
        assertThat(s.queue()).extracting(MessageRow::id).containsExactly(notLocked);
    }

    @Test
    @DisplayName("R-OQ-2: a lock whose owner's lease ran out counts as unlocked")
    void lock_expiresWithLease() {
        MutableClock clock = onMutableClock();
        long outbox = folder("Outbox");
        long a = save(outbox, subject("a")).id();
        s.submitMessage(a, clock.instant(), 0);
        MutableClock later = new MutableClock(clock.instant());
        try (Storage other = openOther(s, later, LEASE)) {
            s.lockMessage(a);
            Activity inbound = s.beginActivity(ActivityKind.INBOUND, "pop3", 0);
            assertThat(other.messageInfo(a).queue().locked()).isTrue();
            assertThat(other.activities()).hasSize(1);
            assertCode(HResult.MAPI_E_BUSY, () -> other.lockMessage(a));
            later.advance(LEASE.plusSeconds(1));
            assertThat(other.messageInfo(a).queue().locked()).isFalse();
            assertThat(other.activities()).isEmpty();
            assertThat(other.activitySummary()).isEqualTo(new ActivitySummary(0, 0, 0, 1));
            assertThat(other.lockMessage(a).queue().lockOwner()).isEqualTo(other.ownerId());
            clock.advance(LEASE.plusSeconds(1));
            assertCode(HResult.MAPI_E_NO_ACCESS, () -> s.finishMessage(a, Disposal.KEEP));
            inbound.close();
            other.finishMessage(a, Disposal.KEEP);
            assertThat(other.queue()).isEmpty();
        }
    }

    @Test
    @DisplayName("what lockMessage and saveMessage return is what messageInfo reads back: own, foreign and expired locks")
    void lockAndSave_returnWhatIsReadBack() {
        MutableClock clock = onMutableClock();
        long outbox = folder("Outbox");
        long plain = save(outbox, subject("plain")).id();
        long own = save(outbox, subject("own")).id();
        long foreign = save(outbox, subject("foreign")).id();
        long submitted = save(outbox, subject("submitted")).id();
        for (long id : new long[] {own, foreign}) {
            s.submitMessage(id, clock.instant(), 0);
        }
        clock.advance(Duration.ofSeconds(1));

        MessageInfo locked = s.lockMessage(own);
        assertThat(locked).isEqualTo(s.messageInfo(own));
        assertThat(locked.queue().lockOwner()).isEqualTo(s.ownerId());
        clock.advance(Duration.ofSeconds(1));
        MessageInfo saved = s.saveMessage(SaveRequest.update(own, locked.version(),
                MessageImage.of(List.of(subject("own, saved by its spooler")))));
        assertThat(saved).isEqualTo(s.messageInfo(own));
        assertThat(saved.queue().locked()).isTrue();
        assertThat(saved.version()).isEqualTo(locked.version() + 1);

        saved = s.saveMessage(SaveRequest.update(plain, s.messageInfo(plain).version(),
                MessageImage.of(List.of(subject("plain, saved")))));
        assertThat(saved).isEqualTo(s.messageInfo(plain));
        assertThat(saved.queue()).isNull();
        saved = s.saveMessage(SaveRequest.update(submitted, s.messageInfo(submitted).version(),
                MessageImage.of(List.of(subject("submitted with its save")))).withSubmit(clock.instant(), 0));
        assertThat(saved).isEqualTo(s.messageInfo(submitted));
        assertThat(saved.queue()).isNotNull();

        MutableClock later = new MutableClock(clock.instant());
        try (Storage other = openOther(s, later, LEASE)) {
            MessageInfo theirs = other.lockMessage(foreign);
            assertThat(theirs).isEqualTo(other.messageInfo(foreign)).isEqualTo(s.messageInfo(foreign));
            saved = s.saveMessage(SaveRequest.update(foreign, theirs.version(),
                    MessageImage.of(List.of(subject("foreign, saved while another spooler holds it")))));
            assertThat(saved).isEqualTo(s.messageInfo(foreign));
            assertThat(saved.queue().lockOwner()).isEqualTo(other.ownerId());

            clock.advance(LEASE.plusSeconds(1)); // the other instance's lease runs out for s; it no longer renews it
            assertThat(s.messageInfo(foreign).queue().locked()).isFalse();
            saved = s.saveMessage(SaveRequest.update(foreign, saved.version(),
                    MessageImage.of(List.of(subject("foreign, saved after the lock lapsed")))));
            assertThat(saved).isEqualTo(s.messageInfo(foreign));
            assertThat(saved.queue().locked()).isFalse();
        }
    }

    @Test
    @DisplayName("each queued message goes to exactly one spooler, with two instances racing")
    void lockNextQueued_exactlyOnce() throws Exception {
        long outbox = folder("Outbox");
        int n = 60;
        for (int i = 0; i < n; i++) {
            s.saveMessage(SaveRequest.create(outbox, MessageImage.of(List.of(subject("q" + i))))
                    .withSubmit(Instant.ofEpochSecond(i), 0));
        }
        Set<Long> taken = ConcurrentHashMap.newKeySet();
        List<Long> duplicates = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Storage a = openOther(s); Storage b = openOther(s)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (Storage st : List.of(a, b, a, b)) {
                futures.add(pool.submit(() -> {
                    start.await();
                    while (true) {
                        var next = st.lockNextQueued();
                        if (next.isEmpty()) {
                            return null;
                        }
                        if (!taken.add(next.get().id())) {
                            duplicates.add(next.get().id());
                        }
                    }
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(duplicates).isEmpty();
        assertThat(taken).hasSize(n);
    }

    // ==== activity ============================================================================================

    @Test
    @DisplayName("R-SLT-4: activity recorded by one instance is seen by another, and ends with its handle")
    void activity_visibleToOtherInstances() {
        try (Storage spooler = openOther(s)) {
            Activity in = spooler.beginActivity(ActivityKind.INBOUND, "pop3:inbox", 0);
            Activity out = spooler.beginActivity(ActivityKind.OUTBOUND, "smtp", 17);
            List<ActivityRecord> seen = s.activities();
            assertThat(seen).extracting(ActivityRecord::kind).containsExactly(ActivityKind.INBOUND,
                    ActivityKind.OUTBOUND);
            assertThat(seen.get(1).messageId()).isEqualTo(17);
            assertThat(seen.get(1).spoolerId()).isEqualTo("smtp");
            assertThat(seen.get(1).ownerId()).isEqualTo(spooler.ownerId());
            assertThat(seen.get(1).storeUid()).isEqualTo(s.identity().storeUid());
            assertThat(s.activitySummary().logoffFlags()).isEqualTo(Flags.LOGOFF_INBOUND | Flags.LOGOFF_OUTBOUND);
            in.close();
            in.close();
            assertThat(s.activitySummary()).isEqualTo(new ActivitySummary(0, 1, 0, 0));
            spooler.close();
            out.close();
            assertThat(s.activities()).isEmpty();
            assertThat(s.activitySummary().logoffFlags()).isZero();
        }
    }

    // ==== concurrency =========================================================================================

    @Test
    void concurrentWriters_onTwoInstances_allSavesLand() throws Exception {
        long f = folder("f");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        try (Storage other = openOther(s)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                Storage st = t % 2 == 0 ? s : other;
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        ids.add(st.saveMessage(SaveRequest.create(f, MessageImage.of(List.of(subject(thread + ":" + i)))))
                                .id());
                        st.query(ContentsQuery.of(f).withSort(SortOrder.descending(PropTags.PR_SUBJECT)).page(0, 5));
                    }
                    return null;
                }));
            }
            for (Future<?> fu : futures) {
                fu.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ids).hasSize(150);
        assertThat(s.loadFolder(f).contentCount()).isEqualTo(150);
        assertThat(new HashSet<>(s.query(ContentsQuery.of(f)).stream().map(MessageRow::id).toList())).isEqualTo(ids);
    }
}
