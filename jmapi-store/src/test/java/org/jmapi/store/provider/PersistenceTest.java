package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiUid;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.store.sqlite.SqliteStorage;
import org.jmapi.table.MapiTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * What the store keeps across logoff / logon and across a new "process" (every object closed, the last
 * {@code Mapi.uninitialize}, a fresh {@code Mapi.initialize} on the same home and file): folders, messages, named
 * properties, receive folders, and submitted mail, which is still queued and unlocked (R-MAIL-1).
 */
class PersistenceTest {
    private static final MapiUid PS = MapiUid.parse("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");

    /** What the first session leaves behind. */
    private record Left(EntryId project, EntryId note, EntryId queued, int namedTag) {}

    private static Left writeEverything(StoreFixture f) {
        MapiSession s = f.logon();
        MsgStore store = open(s);
        EntryId project;
        EntryId note;
        EntryId queued;
        int named;
        try (MapiFolder subtree = folder(store, PropTags.PR_IPM_SUBTREE_ENTRYID);
             MapiFolder p = subtree.createFolder(MapiFolder.FOLDER_GENERIC, "Project", "kept", 0)) {
            project = entryId(p, PropTags.PR_ENTRYID);
            named = PropTag.withType(p.getIdsFromNames(List.of(NamedProperty.ofName(PS, "kept")), Flags.MAPI_CREATE)[0],
                    PropType.PT_UNICODE);
            note = saved(p, "a note", PropValue.ofString(named, "named value"));
            store.setReceiveFolder("IPM.Project", 0, project);
        }
        try (MapiFolder outbox = folder(store, PropTags.PR_IPM_OUTBOX_ENTRYID); Message m = outbox.createMessage(0)) {
            m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "queued at logoff")));
            m.modifyRecipients(0, List.of(recipient("Alice", Flags.MAPI_TO)));
            m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            queued = entryId(m, PropTags.PR_ENTRYID);
            m.submitMessage(0);
        }
        store.release();
        s.logoff(0, 0, 0);
        s.release();
        return new Left(project, note, queued, named);
    }

    private static void checkEverything(StoreFixture f, Left left) {
        MapiSession s = f.logon();
        MsgStore store = open(s);
        try (MapiFolder p = (MapiFolder) store.openEntry(left.project(), 0);
             Message note = (Message) store.openEntry(left.note(), 0)) {
            assertThat(string(p, PropTags.PR_DISPLAY_NAME)).isEqualTo("Project");
            assertThat(string(p, PropTags.PR_COMMENT)).isEqualTo("kept");
            assertThat(string(note, PropTags.PR_SUBJECT)).isEqualTo("a note");
            assertThat(string(note, left.namedTag())).isEqualTo("named value");
            assertThat(p.getNamesFromIds(new int[] {left.namedTag()})).containsExactly(NamedProperty.ofName(PS, "kept"));
        }
        assertThat(store.compareEntryIds(store.getReceiveFolder("IPM.Project.Sub", 0).folderId(), left.project(), 0))
                .isTrue();
        assertCode(HResult.MAPI_E_SUBMITTED, () -> store.openEntry(left.queued(), Flags.MAPI_MODIFY));
        try (Message q = (Message) store.openEntry(left.queued(), Flags.MAPI_BEST_ACCESS)) {
            assertThat(integer(q, PropTags.PR_MESSAGE_FLAGS) & Flags.MSGFLAG_SUBMIT).isNotZero();
            assertThat(integer(q, PropTags.PR_SUBMIT_FLAGS) & Flags.SUBMITFLAG_LOCKED).isZero();
        }
        try (MapiFolder outbox = folder(store, PropTags.PR_IPM_OUTBOX_ENTRYID);
             MapiTable t = outbox.getContentsTable(0)) {
            assertThat(subjects(t)).containsExactly("queued at logoff");
        }
        store.release();
        s.logoff(0, 0, 0);
        s.release();
    }

    @Test
    void R_MAIL_1_everythingSurvivesLogoffAndLogon_queuedMailStillQueuedUnlocked(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.start(home)) {
            Left left = writeEverything(f);
            checkEverything(f, left);
        }
    }

    @Test
    void R_MAIL_1_everythingSurvivesANewProcess_queuedMailStillQueuedUnlocked(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.start(home)) {
            Left left = writeEverything(f);
            f.restart();
            checkEverything(f, left);
        }
        try (SqliteStorage s = SqliteStorage.open(home.resolve("personal.jmapi"))) {
            assertThat(s.queue()).singleElement().satisfies(r -> {
                assertThat(r.info().queue().locked()).isFalse();
                assertThat(r.get(PropTags.PR_SUBJECT).asString()).isEqualTo("queued at logoff");
            });
            assertThat(s.checkIntegrity()).isEmpty();
        }
    }
}
