package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * The provider through the real runtime, the way a client uses it: profile, logon, store, default folders,
 * messages with recipients and attachments, tables, submission. Rule-by-rule checks are in the other test classes;
 * this one checks that the pieces fit together.
 */
class EndToEndTest {

    @Test
    void aClientSession_createsReadsAndSubmitsMail(@TempDir Path home) {
        try (StoreFixture f = StoreFixture.start(home)) {
            assertThat(Files.exists(f.storeFile)).as("ConfigureMsgService created the store file").isTrue();
            MapiSession s = f.logon();
            MsgStore store = open(s);
            assertThat(string(store, PropTags.PR_DISPLAY_NAME)).isEqualTo("personal");

            try (MapiFolder outbox = folder(store, PropTags.PR_IPM_OUTBOX_ENTRYID);
                 Message m = outbox.createMessage(0)) {
                m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "hello"),
                        PropValue.ofString(PropTags.PR_BODY, "x".repeat(20_000))));
                m.modifyRecipients(0, List.of(recipient("Alice", Flags.MAPI_TO), recipient("Bob", Flags.MAPI_CC)));
                try (Attach a = m.createAttach(0)) {
                    a.setProps(List.of(PropValue.ofString(PropTags.PR_ATTACH_FILENAME, "a.txt"),
                            PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, new byte[10_000])));
                    a.saveChanges(0);
                }
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                EntryId id = entryId(m, PropTags.PR_ENTRYID);
                assertThat(string(m, PropTags.PR_DISPLAY_TO)).isEqualTo("Alice");

                try (Message again = (Message) store.openEntry(id, 0)) {
                    assertThat(string(again, PropTags.PR_SUBJECT)).isEqualTo("hello");
                    assertThat(string(again, PropTags.PR_BODY)).hasSize(20_000);
                    assertThat(string(again, PropTags.PR_DISPLAY_CC)).isEqualTo("Bob");
                    try (MapiTable rt = again.getRecipientTable(0)) {
                        assertThat(rt.getRowCount(0)).isEqualTo(2);
                    }
                    try (Attach a = again.openAttach(0, 0)) {
                        assertThat(a.getProp(PropTags.PR_ATTACH_DATA_BIN).orElseThrow().asBinary()).hasSize(10_000);
                    }
                }
                try (MapiTable contents = outbox.getContentsTable(0)) {
                    assertThat(subjects(contents)).containsExactly("hello");
                }
                m.submitMessage(0);
                StoreFixture.assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> m.getProps(null, 0));
                try (Message queued = (Message) store.openEntry(id, Flags.MAPI_BEST_ACCESS)) {
                    assertThat(integer(queued, PropTags.PR_MESSAGE_FLAGS) & Flags.MSGFLAG_SUBMIT).isNotZero();
                }
            }
            try (MapiFolder root = (MapiFolder) store.openEntry(null, 0);
                 MapiTable h = root.getHierarchyTable(0)) {
                h.setColumns(new int[] {PropTags.PR_DISPLAY_NAME}, 0);
                List<Row> rows = h.queryRows(10, 0);
                assertThat(rows).extracting(r -> r.get(PropTags.PR_DISPLAY_NAME).asString())
                        .containsExactly(StoreLayout.IPM_SUBTREE_NAME);
            }
            store.release();
            s.logoff(0, 0, 0);
            s.release();
        }
    }
}
