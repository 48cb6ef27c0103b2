package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.Mapi;
import org.jmapi.spi.MsLogonResult;
import org.jmapi.store.sqlite.SqliteStorage;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Restriction;
import org.jmapi.table.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * Bad input gets the documented code and changes nothing (issue 3, "Must show"): restriction trees with wrong types,
 * properties of the wrong type, a 0-column SetColumns, a bookmark of another table, an entry id of another store, and
 * a corrupt or foreign file given as the store path (MAPI_E_CORRUPT_STORE naming the path, the file byte for byte
 * untouched). After each refusal the store still saves and reads.
 */
class BadInputTest {

    /** A folder "T" with subjects s0..s{n-1}, PR_IMPORTANCE i % 3. */
    private static MapiFolder filled(Direct d, int n) {
        MapiFolder t;
        try (MapiFolder subtree = folder(d.store(), PropTags.PR_IPM_SUBTREE_ENTRYID)) {
            t = subtree.createFolder(MapiFolder.FOLDER_GENERIC, "T", null, 0);
        }
        for (int i = 0; i < n; i++) {
            saved(t, "s" + i, PropValue.ofInt(PropTags.PR_IMPORTANCE, i % 3));
        }
        return t;
    }

    private static int probes;

    /** A save and a read in {@code folder} succeed. */
    private static void stillWorks(MsgStore store, MapiFolder folder) {
        String subject = "still works " + ++probes;
        EntryId id = saved(folder, subject, PropValue.ofString(PropTags.PR_BODY, "body " + probes));
        try (Message m = (Message) store.openEntry(id, 0)) {
            assertThat(string(m, PropTags.PR_SUBJECT)).isEqualTo(subject);
            assertThat(string(m, PropTags.PR_BODY)).isEqualTo("body " + probes);
        }
    }

    private static List<String> names(List<Row> rows) {
        return rows.stream().map(r -> r.find(PropTags.PR_SUBJECT).map(PropValue::asString).orElse(null)).toList();
    }

    // ---- restrictions --------------------------------------------------------------------------------------------

    @Test
    void R_TBL_3_R_TBL_6_restrictionTreesWithWrongTypes_documentedCode_viewCursorAndBookmarksUnchanged(
            @TempDir Path dir) {
        int longSubject = PropTag.withType(PropTags.PR_SUBJECT, PropType.PT_LONG);
        Restriction good = new Restriction.Property(Restriction.RELOP_NE, PropTags.PR_IMPORTANCE,
                PropValue.ofInt(PropTags.PR_IMPORTANCE, 1));
        Restriction wrongValueType = new Restriction.Property(Restriction.RELOP_EQ, PropTags.PR_SUBJECT,
                PropValue.ofInt(longSubject, 5));
        Map<String, Restriction> invalid = new LinkedHashMap<>();
        invalid.put("RES_PROPERTY value PT_LONG on a PT_UNICODE tag", wrongValueType);
        invalid.put("RES_PROPERTY value of another property", new Restriction.Property(Restriction.RELOP_EQ,
                PropTags.PR_SUBJECT, PropValue.ofString(PropTags.PR_SENDER_NAME, "x")));
        invalid.put("RES_CONTENT string pattern on a PT_LONG tag", new Restriction.Content(Restriction.FL_SUBSTRING,
                PropTags.PR_IMPORTANCE, PropValue.ofString(PropTags.PR_SUBJECT, "s")));
        invalid.put("RES_CONTENT PT_LONG pattern", new Restriction.Content(Restriction.FL_SUBSTRING,
                longSubject, PropValue.ofInt(longSubject, 1)));
        invalid.put("RES_BITMASK on a string", new Restriction.Bitmask(Restriction.BMR_NEZ, PropTags.PR_SUBJECT, 1));
        invalid.put("wrong type deep in AND/OR/NOT", new Restriction.And(List.of(good,
                new Restriction.Or(List.of(good, new Restriction.Not(wrongValueType))))));
        invalid.put("wrong type inside RES_SUBRESTRICTION", new Restriction.Sub(PropTags.PR_MESSAGE_RECIPIENTS,
                new Restriction.Property(Restriction.RELOP_EQ, PropTags.PR_DISPLAY_NAME,
                        PropValue.ofInt(PropTag.withType(PropTags.PR_DISPLAY_NAME, PropType.PT_LONG), 3))));
        invalid.put("RES_SUBRESTRICTION on a non-table property", new Restriction.Sub(PropTags.PR_SUBJECT, good));
        invalid.put("relop out of range", new Restriction.Property(7, PropTags.PR_IMPORTANCE,
                PropValue.ofInt(PropTags.PR_IMPORTANCE, 1)));
        Map<String, Restriction> tooComplex = new LinkedHashMap<>();
        tooComplex.put("RELOP_RE", new Restriction.Property(Restriction.RELOP_RE, PropTags.PR_SUBJECT,
                PropValue.ofString(PropTags.PR_SUBJECT, "s.*")));
        tooComplex.put("RELOP_RE in CompareProps under AND", new Restriction.And(List.of(good,
                new Restriction.CompareProps(Restriction.RELOP_RE, PropTags.PR_SUBJECT, PropTags.PR_SENDER_NAME))));

        try (Direct d = Direct.open(dir); MapiFolder t = filled(d, 12); MapiTable table = t.getContentsTable(0)) {
            table.setColumns(new int[] {PropTags.PR_SUBJECT}, 0);
            table.restrict(good, 0);
            assertThat(table.getRowCount(0)).isEqualTo(8);
            table.queryRows(3, 0);
            int mark = table.createBookmark();
            table.queryRows(2, 0);
            List<String> view = subjectsNoSeek(table);

            Map<String, Integer> cases = new LinkedHashMap<>();
            invalid.keySet().forEach(k -> cases.put(k, HResult.MAPI_E_INVALID_PARAMETER));
            tooComplex.keySet().forEach(k -> cases.put(k, HResult.MAPI_E_TOO_COMPLEX));
            Map<String, Restriction> all = new LinkedHashMap<>(invalid);
            all.putAll(tooComplex);
            for (Map.Entry<String, Integer> c : cases.entrySet()) {
                Restriction bad = all.get(c.getKey());
                assertThatThrownBy(() -> table.restrict(bad, 0)).as(c.getKey())
                        .isInstanceOfSatisfying(MapiException.class, e -> assertThat(HResult.name(e.hresult()))
                                .as(c.getKey() + ": " + e.getMessage()).isEqualTo(HResult.name(c.getValue())));
                assertThatThrownBy(() -> table.findRow(bad, Flags.BOOKMARK_BEGINNING, 0)).as("FindRow " + c.getKey())
                        .isInstanceOfSatisfying(MapiException.class, e -> assertThat(HResult.name(e.hresult()))
                                .isEqualTo(HResult.name(c.getValue())));
                // nothing changed: same filter, same cursor, the bookmark still valid and where it was
                assertThat(table.getRowCount(0)).as(c.getKey()).isEqualTo(8);
                assertThat(table.queryPosition().row()).as(c.getKey()).isEqualTo(5);
                assertThat(table.seekRow(mark, 0).hresult()).isEqualTo(HResult.S_OK);
                assertThat(names(table.queryRows(2, Flags.TBL_NOADVANCE))).containsExactlyElementsOf(view.subList(3, 5));
                table.seekRow(Flags.BOOKMARK_BEGINNING, 5);
            }
            assertThat(table.querySortOrder()).isEmpty();
            stillWorks(d.store(), t);
            table.restrict(null, 0);
            assertThat(table.getRowCount(0)).isEqualTo(13);
        }
    }

    /** @return the subjects of every row in view order; the cursor is put back where it was */
    private static List<String> subjectsNoSeek(MapiTable table) {
        int at = table.queryPosition().row();
        table.seekRow(Flags.BOOKMARK_BEGINNING, 0);
        List<String> out = names(table.queryRows(1000, 0));
        table.seekRow(Flags.BOOKMARK_BEGINNING, at);
        return out;
    }

    // ---- properties ----------------------------------------------------------------------------------------------

    @Test
    void R_PROP_propertyOfTheWrongType_invalidType_ptObjectInvalidParameter_messageUnchanged(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder t = filled(d, 0)) {
            EntryId id = saved(t, "original", PropValue.ofInt(PropTags.PR_IMPORTANCE, 2));
            // a value that does not fit its tag's type cannot even be built
            assertCode(HResult.MAPI_E_INVALID_TYPE, () -> PropValue.of(PropTags.PR_SUBJECT, 42));
            assertCode(HResult.MAPI_E_INVALID_TYPE, () -> PropValue.of(PropTags.PR_IMPORTANCE, "high"));
            assertCode(HResult.MAPI_E_INVALID_TYPE, () -> PropValue.of(PropTags.PR_MESSAGE_DELIVERY_TIME, 5L));
            assertCode(HResult.MAPI_E_INVALID_TYPE, () -> PropValue.of(
                    PropTag.withType(PropTags.PR_SUBJECT, PropType.PT_MV_UNICODE), "not a list"));
            PropValue object = PropValue.of(PropTags.PR_ATTACH_DATA_OBJ, null);
            try (Message m = (Message) d.store().openEntry(id, Flags.MAPI_MODIFY)) {
                // PT_OBJECT in SetProps is refused as a whole: the other value in the same call is not set either
                assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> m.setProps(List.of(
                        PropValue.ofString(PropTags.PR_SUBJECT, "changed"), object)));
                assertThat(string(m, PropTags.PR_SUBJECT)).isEqualTo("original");
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            }
            try (Message m = t.createMessage(0)) {
                assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> m.setProps(List.of(object)));
                assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> m.setProps(List.of()));
            }
            try (Message m = (Message) d.store().openEntry(id, 0)) {
                assertThat(string(m, PropTags.PR_SUBJECT)).isEqualTo("original");
                assertThat(integer(m, PropTags.PR_IMPORTANCE)).isEqualTo(2);
                assertThat(m.getProp(PropTags.PR_ATTACH_DATA_OBJ)).isEmpty();
            }
            try (MapiTable table = t.getContentsTable(0)) {
                assertThat(subjects(table)).containsExactly("original");
            }
            stillWorks(d.store(), t);
        }
    }

    // ---- columns and bookmarks -----------------------------------------------------------------------------------

    @Test
    void R_TBL_1_zeroColumnSetColumns_invalidParameter_columnsUnchanged(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder t = filled(d, 4); MapiTable table = t.getContentsTable(0)) {
            int[] cols = {PropTags.PR_SUBJECT, PropTags.PR_IMPORTANCE};
            table.setColumns(cols, 0);
            table.queryRows(1, 0);
            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> table.setColumns(new int[0], 0));
            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> table.setColumns(null, 0));
            assertThat(table.queryColumns(0)).containsExactly(cols);
            assertThat(table.queryPosition().row()).isEqualTo(1);
            List<Row> rows = table.queryRows(1, 0);
            assertThat(rows).singleElement().satisfies(r -> {
                assertThat(r.values()).extracting(PropValue::tag).containsExactly(PropTags.PR_SUBJECT,
                        PropTags.PR_IMPORTANCE);
                assertThat(r.get(PropTags.PR_SUBJECT).asString()).isEqualTo("s1");
            });
            stillWorks(d.store(), t);
        }
    }

    @Test
    void R_TBL_5_R_TBL_7_bookmarkOfAnotherTable_invalidBookmark_cursorUnchanged(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder t = filled(d, 10);
             MapiTable a = t.getContentsTable(0); MapiTable b = t.getContentsTable(0)) {
            a.setColumns(new int[] {PropTags.PR_SUBJECT}, 0);
            b.setColumns(new int[] {PropTags.PR_SUBJECT}, 0);
            a.queryRows(4, 0);
            int markOfA = a.createBookmark();
            b.queryRows(2, 0);
            // b has no bookmarks of its own
            assertCode(HResult.MAPI_E_INVALID_BOOKMARK, () -> b.seekRow(markOfA, 1));
            assertCode(HResult.MAPI_E_INVALID_BOOKMARK, () -> b.findRow(new Restriction.Exist(PropTags.PR_SUBJECT),
                    markOfA, 0));
            assertCode(HResult.MAPI_E_INVALID_BOOKMARK, () -> b.freeBookmark(markOfA));
            assertThat(b.queryPosition().row()).isEqualTo(2);
            // b has bookmarks of its own: still a's bookmark is not one of them
            b.queryRows(5, 0);
            int markOfB = b.createBookmark();
            assertCode(HResult.MAPI_E_INVALID_BOOKMARK, () -> b.seekRow(markOfA, 1));
            assertCode(HResult.MAPI_E_INVALID_BOOKMARK, () -> b.freeBookmark(markOfA));
            assertThat(b.queryPosition().row()).isEqualTo(7);
            assertThat(b.seekRow(markOfB, 0).rowsSought()).isZero();
            assertThat(names(b.queryRows(1, Flags.TBL_NOADVANCE))).containsExactly("s7");
            // a's bookmark works on a, untouched by all this
            a.seekRow(markOfA, 0);
            assertThat(names(a.queryRows(1, 0))).containsExactly("s4");
            stillWorks(d.store(), t);
        }
    }

    // ---- entry ids -----------------------------------------------------------------------------------------------

    @Test
    void entryIdOfAnotherStore_invalidEntryId_nothingOpened(@TempDir Path dirA, @TempDir Path dirB) {
        try (Direct a = Direct.open(dirA); Direct b = Direct.open(dirB);
             MapiFolder ta = filled(a, 1); MapiFolder tb = filled(b, 0)) {
            EntryId folderOfB = entryId(tb, PropTags.PR_ENTRYID);
            EntryId messageOfB = saved(tb, "in B");
            EntryId folderOfA = entryId(ta, PropTags.PR_ENTRYID);
            assertThat(folderOfB.providerUid()).isNotEqualTo(folderOfA.providerUid());
            // StoreIds.parse documents MAPI_E_INVALID_ENTRYID for an id of another store
            assertCode(HResult.MAPI_E_INVALID_ENTRYID, () -> a.store().openEntry(folderOfB, 0));
            assertCode(HResult.MAPI_E_INVALID_ENTRYID, () -> a.store().openEntry(messageOfB, Flags.MAPI_MODIFY));
            assertCode(HResult.MAPI_E_INVALID_ENTRYID, () -> ta.openEntry(messageOfB, 0));
            assertCode(HResult.MAPI_E_INVALID_ENTRYID, () -> a.store().openEntry(b.storeId(), 0));
            // nothing changed in either store
            try (MapiTable t = ta.getContentsTable(0)) {
                assertThat(subjects(t)).containsExactly("s0");
            }
            try (Message m = (Message) b.store().openEntry(messageOfB, 0)) {
                assertThat(string(m, PropTags.PR_SUBJECT)).isEqualTo("in B");
            }
            stillWorks(a.store(), ta);
            stillWorks(b.store(), tb);
        }
    }

    // ---- files that are not stores -------------------------------------------------------------------------------

    /** @return named bad files in {@code dir}: garbage, an empty file, a foreign SQLite database (with a WAL) */
    private static Map<String, Path> badFiles(Path dir) throws Exception {
        Map<String, Path> files = new LinkedHashMap<>();
        Path garbage = dir.resolve("garbage.jmapi");
        Files.write(garbage, "not a database at all, just text\n".repeat(300).getBytes());
        files.put("garbage", garbage);
        Path empty = dir.resolve("empty.jmapi");
        Files.write(empty, new byte[0]);
        files.put("empty file", empty);
        Path header = dir.resolve("header-only.jmapi");
        byte[] fake = new byte[8192];
        System.arraycopy("SQLite format 3\0".getBytes(), 0, fake, 0, 16);
        for (int i = 16; i < fake.length; i++) {
            fake[i] = (byte) (i * 31);
        }
        Files.write(header, fake);
        files.put("SQLite header over garbage", header);
        Path foreign = dir.resolve("foreign.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + foreign);
             Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, subject TEXT)");
            st.execute("INSERT INTO messages (subject) VALUES ('not a jmapi store')");
        }
        files.put("foreign SQLite database", foreign);
        return files;
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    private static List<String> siblings(Path p) throws Exception {
        try (var s = Files.list(p.getParent())) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void R_LOGON_3_configureWithACorruptOrForeignFile_corruptStore_fileUntouched_settingKept(@TempDir Path home,
            @TempDir Path elsewhere) throws Exception {
        Map<String, Path> bad = badFiles(elsewhere);
        try (StoreFixture f = StoreFixture.start(home)) {
            for (Map.Entry<String, Path> e : bad.entrySet()) {
                Path file = e.getValue();
                String before = sha256(file);
                List<String> dirBefore = siblings(file);
                try (ProfileAdmin admin = Mapi.adminProfiles(0);
                     MsgServiceAdmin services = admin.adminServices(PROFILE, 0)) {
                    assertThatThrownBy(() -> services.configureMsgService(f.service, 0, 0,
                            List.of(PropValue.ofString(SqliteStoreService.PR_STORE_PATH, file.toString()))))
                            .as(e.getKey()).isInstanceOfSatisfying(MapiException.class, x -> {
                                assertThat(HResult.name(x.hresult())).as(e.getKey() + ": " + x.getMessage())
                                        .isEqualTo("MAPI_E_CORRUPT_STORE");
                                assertThat(x.getMessage()).as(e.getKey()).contains(file.toString());
                            });
                    try (ProfileSection section = services.openProfileSection(f.service, 0)) {
                        assertThat(section.getProp(SqliteStoreService.PR_STORE_PATH).orElseThrow().asString())
                                .as("the refused path is not stored").isEqualTo(f.storeFile.toString());
                    }
                }
                assertThat(sha256(file)).as(e.getKey() + " untouched").isEqualTo(before);
                assertThat(siblings(file)).as(e.getKey() + ": no journal or WAL left next to it")
                        .isEqualTo(dirBefore);
                // the profile's store still works
                MapiSession s = f.logon();
                MsgStore store = StoreFixture.open(s);
                try (MapiFolder inbox = (MapiFolder) store.openEntry(store.getReceiveFolder("", 0).folderId(),
                        Flags.MAPI_MODIFY)) {
                    stillWorks(store, inbox);
                }
                store.release();
                s.logoff(0, 0, 0);
                s.release();
            }
        }
        for (Path file : bad.values()) {
            assertThatThrownBy(() -> SqliteStorage.open(file).close()).isInstanceOfSatisfying(MapiException.class,
                    x -> assertThat(x.hresult()).isEqualTo(HResult.MAPI_E_CORRUPT_STORE));
        }
    }

    @Test
    void R_LOGON_3_logonToACorruptOrForeignFile_corruptStore_fileUntouched_providerStillWorks(@TempDir Path dir,
            @TempDir Path elsewhere) throws Exception {
        Map<String, Path> bad = badFiles(elsewhere);
        try (Direct d = Direct.open(dir); MapiFolder t = filled(d, 1)) {
            for (Map.Entry<String, Path> e : bad.entrySet()) {
                Path file = e.getValue();
                String before = sha256(file);
                List<String> dirBefore = siblings(file);
                FakeSupport support = new FakeSupport(new FakeSupport.FakeSection(
                        PropValue.ofString(SqliteStoreService.PR_STORE_PATH, file.toString())), d.hub);
                try {
                    assertThatThrownBy(() -> {
                        MsLogonResult r = d.provider.logon(support, 0, "test", null, Flags.MDB_WRITE, null);
                        r.store().release(); // not reached when the logon is refused
                        r.logon().release();
                    }).as(e.getKey()).isInstanceOfSatisfying(MapiException.class, x -> {
                        assertThat(HResult.name(x.hresult())).as(e.getKey() + ": " + x.getMessage())
                                .isEqualTo("MAPI_E_CORRUPT_STORE");
                        assertThat(x.getMessage()).contains(file.toString());
                    });
                } finally {
                    support.release();
                }
                assertThat(sha256(file)).as(e.getKey() + " untouched").isEqualTo(before);
                assertThat(siblings(file)).as(e.getKey()).isEqualTo(dirBefore);
                stillWorks(d.store(), t);
            }
        }
    }
}
