package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiStream;
import org.jmapi.client.Message;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * Attachments holding embedded messages (R-FM-4, R-PROP-6): PR_ATTACH_DATA_OBJ opened as a Message, transacted into
 * its attachment and then its message, with large values streamed and attachments of its own, at any depth.
 */
class EmbeddedMessageTest {
    private static final int CREATE = Flags.MAPI_CREATE | Flags.MAPI_MODIFY;

    @Test
    void R_FM_4_embeddedMessage_createdThroughOpenProperty_visibleAfterTheThreeSaves_nestedAttachment(
            @TempDir Path dir) throws IOException {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            byte[] body = new byte[500_000];
            new Random(3).nextBytes(body);
            byte[] deep = new byte[70_000];
            new Random(4).nextBytes(deep);
            EntryId id;
            try (Message m = drafts.createMessage(0)) {
                m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "outer")));
                try (Attach a = m.createAttach(0)) {
                    a.setProps(List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, Flags.ATTACH_EMBEDDED_MSG)));
                    assertCode(HResult.MAPI_E_NOT_FOUND, () -> a.openProperty(PropTags.PR_ATTACH_DATA_OBJ,
                            Message.class, 0, 0));
                    try (Message inner = a.openProperty(PropTags.PR_ATTACH_DATA_OBJ, Message.class, 0, CREATE)) {
                        inner.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "inner")));
                        inner.modifyRecipients(0, List.of(recipient("Erin", Flags.MAPI_TO)));
                        try (MapiStream s = inner.openProperty(PropTags.PR_HTML, Flags.STGM_WRITE, CREATE)) {
                            s.write(body, 0, body.length);
                            s.commit(0);
                        }
                        try (Attach nested = inner.createAttach(0);
                             MapiStream s = nested.openProperty(PropTags.PR_ATTACH_DATA_BIN, Flags.STGM_WRITE, CREATE)) {
                            s.write(deep, 0, deep.length);
                            s.commit(0);
                            nested.saveChanges(0);
                        }
                        assertCode(HResult.MAPI_E_NO_SUPPORT, () -> inner.submitMessage(0));
                        assertThat(inner.getProp(PropTags.PR_ENTRYID)).as("an embedded message has no entry id")
                                .isEmpty();
                        assertThat(integer(inner, PropTags.PR_OBJECT_TYPE)).isEqualTo(Flags.MAPI_MESSAGE);
                        assertThat(string(inner, PropTags.PR_DISPLAY_TO)).isEqualTo("Erin");
                        inner.saveChanges(0);
                        assertCode(HResult.MAPI_E_NO_ACCESS, () -> inner.setProps(List.of(
                                PropValue.ofString(PropTags.PR_SUBJECT, "after save"))));
                    }
                    a.saveChanges(0);
                }
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                id = entryId(m, PropTags.PR_ENTRYID);
            }
            try (Message m = (Message) drafts.openEntry(id, 0); Attach a = m.openAttach(0, 0);
                 Message inner = a.openProperty(PropTags.PR_ATTACH_DATA_OBJ, Message.class, 0, 0)) {
                assertThat(string(inner, PropTags.PR_SUBJECT)).isEqualTo("inner");
                try (MapiStream s = inner.openProperty(PropTags.PR_HTML, 0, 0)) {
                    assertThat(s.asInputStream().readAllBytes()).isEqualTo(body);
                }
                try (MapiTable r = inner.getRecipientTable(0)) {
                    assertThat(r.getRowCount(0)).isEqualTo(1);
                }
                try (Attach nested = inner.openAttach(0, 0);
                     MapiStream s = nested.openProperty(PropTags.PR_ATTACH_DATA_BIN, 0, 0)) {
                    assertThat(s.asInputStream().readAllBytes()).isEqualTo(deep);
                }
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> a.openProperty(PropTags.PR_ATTACH_DATA_OBJ, Message.class, 0,
                        Flags.MAPI_MODIFY));
                assertCode(HResult.MAPI_E_INTERFACE_NOT_SUPPORTED, () -> a.openProperty(PropTags.PR_ATTACH_DATA_BIN,
                        Message.class, 0, 0));
            }
        }
    }

    @Test
    void R_FM_4_embeddedMessage_changesStayInTheAttachmentUntilTheMessageIsSaved_createReplaces(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            EntryId id;
            try (Message m = drafts.createMessage(0)) {
                try (Attach a = m.createAttach(0);
                     Message inner = a.openProperty(PropTags.PR_ATTACH_DATA_OBJ, Message.class, 0, CREATE)) {
                    inner.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "v1")));
                    inner.saveChanges(0);
                    a.saveChanges(0);
                }
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                id = entryId(m, PropTags.PR_ENTRYID);
            }
            try (Message m = (Message) drafts.openEntry(id, Flags.MAPI_MODIFY)) {
                try (Attach a = m.openAttach(0, Flags.MAPI_MODIFY)) {
                    try (Message inner = a.openProperty(PropTags.PR_ATTACH_DATA_OBJ, Message.class, 0,
                            Flags.MAPI_MODIFY)) {
                        inner.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "v2")));
                        inner.saveChanges(0);
                    }
                    // the attachment sees the change before its own save; the stored message does not
                    try (Message again = a.openProperty(PropTags.PR_ATTACH_DATA_OBJ, Message.class, 0, 0)) {
                        assertThat(string(again, PropTags.PR_SUBJECT)).isEqualTo("v2");
                    }
                    a.saveChanges(0);
                }
                try (Message other = (Message) drafts.openEntry(id, 0); Attach a = other.openAttach(0, 0);
                     Message inner = a.openProperty(PropTags.PR_ATTACH_DATA_OBJ, Message.class, 0, 0)) {
                    assertThat(string(inner, PropTags.PR_SUBJECT)).isEqualTo("v1");
                }
                try (Attach a = m.openAttach(0, Flags.MAPI_MODIFY);
                     Message fresh = a.openProperty(PropTags.PR_ATTACH_DATA_OBJ, Message.class, 0, CREATE)) {
                    assertThat(fresh.getProp(PropTags.PR_SUBJECT)).as("MAPI_CREATE starts empty").isEmpty();
                    fresh.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "v3")));
                    fresh.saveChanges(0);
                    a.saveChanges(0);
                }
                m.saveChanges(0);
            }
            try (Message m = (Message) drafts.openEntry(id, 0); Attach a = m.openAttach(0, 0);
                 Message inner = a.openProperty(PropTags.PR_ATTACH_DATA_OBJ, Message.class, 0, 0)) {
                assertThat(string(inner, PropTags.PR_SUBJECT)).isEqualTo("v3");
            }
        }
    }
}
