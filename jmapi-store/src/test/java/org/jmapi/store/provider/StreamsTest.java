package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiObject;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiStream;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.table.MapiTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * IMAPIProp::OpenProperty with IStream (R-PROP-6) on the SQLite store's objects: the argument rules, transacted
 * writes (Commit, Revert, the object's SaveChanges), reads from any offset, and a 50 MB attachment written and read in
 * a child JVM whose heap is far smaller than the attachment.
 */
class StreamsTest {
    private static final int RW = Flags.STGM_READWRITE;
    private static final int CREATE = Flags.MAPI_CREATE | Flags.MAPI_MODIFY;

    @Test
    void R_PROP_6_openProperty_argumentRules(@TempDir Path dir) {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            EntryId id = saved(drafts, "subject", PropValue.ofString(PropTags.PR_BODY, "body"),
                    PropValue.ofInt(PropTags.PR_IMPORTANCE, 2));
            try (Message m = (Message) drafts.openEntry(id, Flags.MAPI_MODIFY);
                 Message readOnly = (Message) drafts.openEntry(id, 0)) {
                assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> m.openProperty(PropTags.PR_BODY, null, 0, 0));
                assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> m.openProperty(PropTags.PR_BODY & 0xFFFF0000, 0, 0));
                assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> m.openProperty(PropTags.PR_BODY, RW,
                        Flags.MAPI_CREATE));
                assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> m.openProperty(PropTags.PR_BODY, RW, 0));
                assertCode(HResult.MAPI_E_UNKNOWN_FLAGS, () -> m.openProperty(PropTags.PR_BODY, 0, 0x1000));
                assertCode(HResult.MAPI_E_NOT_FOUND, () -> m.openProperty(PropTags.PR_HTML, 0, 0));
                assertCode(HResult.MAPI_E_NOT_FOUND, () -> m.openProperty(PropTag.withType(PropTags.PR_BODY, PropType.PT_STRING8), 0, 0));
                assertCode(HResult.MAPI_E_INTERFACE_NOT_SUPPORTED, () -> m.openProperty(PropTags.PR_IMPORTANCE, 0, 0));
                assertCode(HResult.MAPI_E_INTERFACE_NOT_SUPPORTED, () -> m.openProperty(PropTags.PR_BODY,
                        MapiFolder.class, 0, 0));
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> readOnly.openProperty(PropTags.PR_BODY, RW,
                        Flags.MAPI_MODIFY));
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> m.openProperty(PropTags.PR_ENTRYID, RW, Flags.MAPI_MODIFY));
                try (MapiStream s = m.openProperty(PropTags.PR_ENTRYID, 0, 0)) {
                    assertThat(s.stat().size()).isEqualTo(entryId(m, PropTags.PR_ENTRYID).toBytes().length);
                }
                // PT_OBJECT properties open as tables
                try (MapiTable t = m.openProperty(PropTags.PR_MESSAGE_RECIPIENTS, MapiTable.class, 0, 0)) {
                    assertThat(t.getRowCount(0)).isZero();
                }
                assertCode(HResult.MAPI_E_INTERFACE_NOT_SUPPORTED, () -> m.openProperty(PropTags.PR_MESSAGE_ATTACHMENTS,
                        MapiStream.class, 0, 0));
                try (MapiStream s = m.openProperty(PropTags.PR_BODY, MapiStream.class, 0, 0)) {
                    byte[] b = new byte[100];
                    assertThat(s.read(b, 0, 100)).isEqualTo(8);
                    assertThat(new String(b, 0, 8, StandardCharsets.UTF_16LE)).isEqualTo("body");
                    assertCode(HResult.MAPI_E_NO_ACCESS, () -> s.write(b, 0, 1));
                    assertCode(HResult.MAPI_E_NO_ACCESS, () -> s.setSize(0));
                    assertThat(s.stat()).isEqualTo(new MapiStream.Stat(PropTags.PR_BODY, 8,
                            Flags.STGM_READ | Flags.STGM_TRANSACTED));
                    s.commit(0); // nothing to commit on a read-only stream
                }
            }
            try (MapiFolder f = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID);
                 MapiTable contents = f.openProperty(PropTags.PR_CONTAINER_CONTENTS, MapiTable.class, 0, 0);
                 MapiTable hierarchy = f.openProperty(PropTags.PR_CONTAINER_HIERARCHY, MapiTable.class, 0, 0)) {
                assertThat(contents.getRowCount(0)).isEqualTo(1);
                assertThat(hierarchy.getRowCount(0)).isZero();
                assertCode(HResult.MAPI_E_NO_ACCESS, () -> f.openProperty(PropTags.PR_ENTRYID, RW, Flags.MAPI_MODIFY));
            }
        }
    }

    @Test
    void R_PROP_6_writeCommitSave_readBackFromAnyOffset_revertAndReleaseDiscard(@TempDir Path dir)
            throws IOException {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            String text = "line of text \u00e9\uD83D\uDE00\n".repeat(20_000); // 340,000 UTF-16 bytes
            byte[] utf16 = text.getBytes(StandardCharsets.UTF_16LE);
            EntryId id;
            try (Message m = drafts.createMessage(0)) {
                m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "streamed")));
                try (MapiStream s = m.openProperty(PropTags.PR_BODY, RW, CREATE);
                     OutputStream out = s.asOutputStream()) {
                    for (int at = 0; at < utf16.length; at += 7_001) {
                        out.write(utf16, at, Math.min(7_001, utf16.length - at));
                    }
                } // the view's close committed
                // committed: visible to GetProps before the save (it fits the inline limit of GetProps)
                assertThat(string(m, PropTags.PR_BODY)).isEqualTo(text);
                assertThat(m.getPropList(0)).contains(PropTags.PR_BODY);
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                id = entryId(m, PropTags.PR_ENTRYID);

                try (MapiStream s = m.openProperty(PropTags.PR_BODY, RW, Flags.MAPI_MODIFY)) {
                    assertThat(s.seek(0, Flags.STREAM_SEEK_END)).isEqualTo(utf16.length);
                    s.write("!!".getBytes(StandardCharsets.UTF_16LE), 0, 4);
                    assertThat(s.stat().size()).isEqualTo(utf16.length + 4L);
                    s.revert();
                    assertThat(s.stat().size()).isEqualTo(utf16.length);
                    assertThat(s.seek(0, Flags.STREAM_SEEK_CUR)).as("Revert leaves the pointer")
                            .isEqualTo(utf16.length + 4L);
                    s.write(new byte[] {1}, 0, 1);
                    assertThat(s.stat().size()).isEqualTo(utf16.length + 5L);
                    assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.commit(0)); // odd PT_UNICODE length
                    s.setSize(8);
                    assertThat(s.seek(0, Flags.STREAM_SEEK_CUR)).isEqualTo(utf16.length + 5L);
                    // released without Commit: discarded
                }
                assertThat(string(m, PropTags.PR_BODY)).isEqualTo(text);
            }
            try (Message m = (Message) drafts.openEntry(id, 0); MapiStream s = m.openProperty(PropTags.PR_BODY, 0, 0)) {
                assertThat(s.stat().size()).isEqualTo(utf16.length);
                for (long offset : new long[] {0, 1, 4095, 4096, 65_535, 65_536, 200_001, utf16.length - 3}) {
                    assertThat(s.seek(offset, Flags.STREAM_SEEK_SET)).isEqualTo(offset);
                    byte[] got = new byte[1000];
                    int n = s.read(got, 0, got.length);
                    int expected = (int) Math.min(1000, utf16.length - offset);
                    assertThat(n).as("read at %d", offset).isEqualTo(expected);
                    assertThat(Arrays.copyOf(got, n)).isEqualTo(Arrays.copyOfRange(utf16, (int) offset,
                            (int) offset + expected));
                }
                assertThat(s.seek(-10, Flags.STREAM_SEEK_END)).isEqualTo(utf16.length - 10L);
                assertThat(s.seek(5, Flags.STREAM_SEEK_CUR)).isEqualTo(utf16.length - 5L);
                assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.seek(-1, Flags.STREAM_SEEK_SET));
                assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> s.seek(0, 3));
                assertThat(s.seek(0, Flags.STREAM_SEEK_CUR)).isEqualTo(utf16.length - 5L);
                s.seek(0, Flags.STREAM_SEEK_SET);
                try (InputStream in = s.asInputStream()) {
                    assertThat(in.readAllBytes()).isEqualTo(utf16);
                }
                assertThat(s.read(new byte[10], 0, 10)).isZero();
            }
            // a seek past the end then a write leaves zeros in the gap; SetSize truncates
            try (Message m = (Message) drafts.openEntry(id, Flags.MAPI_MODIFY)) {
                try (MapiStream s = m.openProperty(PropTags.PR_HTML, RW, CREATE)) {
                    s.seek(100_000, Flags.STREAM_SEEK_SET);
                    s.write(new byte[] {9, 9}, 0, 2);
                    s.commit(0);
                    s.setSize(100_001);
                    s.commit(0);
                }
                m.saveChanges(0);
            }
            try (Message m = (Message) drafts.openEntry(id, 0); MapiStream s = m.openProperty(PropTags.PR_HTML, 0, 0)) {
                byte[] all = s.asInputStream().readAllBytes();
                assertThat(all).hasSize(100_001);
                assertThat(all[100_000]).isEqualTo((byte) 9);
                assertThat(Arrays.copyOf(all, 100_000)).containsOnly(0);
                assertThat(string(m, PropTags.PR_BODY)).isEqualTo(text);
            }
        }
    }

    @Test
    void R_PROP_6_attachmentData_streamedThroughBothSaves_smallValuesToo_foldersAndStoreCommitAtOnce(
            @TempDir Path dir) throws IOException {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            byte[] data = new byte[3 * 1024 * 1024 + 5];
            new Random(5).nextBytes(data);
            EntryId id;
            try (Message m = drafts.createMessage(0)) {
                try (Attach a = m.createAttach(0)) {
                    a.setProps(List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, Flags.ATTACH_BY_VALUE),
                            PropValue.ofString(PropTags.PR_ATTACH_FILENAME, "data.bin")));
                    try (MapiStream s = a.openProperty(PropTags.PR_ATTACH_DATA_BIN, Flags.STGM_WRITE, CREATE)) {
                        s.write(data, 0, data.length);
                        s.commit(0);
                    }
                    PropValues v = a.getProps(new int[] {PropTags.PR_ATTACH_DATA_BIN}, 0);
                    assertThat(v.values().get(0).errorCode()).isEqualTo(HResult.MAPI_E_NOT_ENOUGH_MEMORY);
                    a.saveChanges(0);
                }
                try (Attach small = m.createAttach(0);
                     MapiStream s = small.openProperty(PropTags.PR_ATTACH_DATA_OBJ, Flags.STGM_WRITE, CREATE)) {
                    s.write(new byte[] {1, 2, 3}, 0, 3);
                    s.commit(0);
                    assertThat(small.getProp(PropTags.PR_ATTACH_DATA_BIN).orElseThrow().asBinary())
                            .containsExactly(1, 2, 3);
                    small.saveChanges(0);
                }
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                id = entryId(m, PropTags.PR_ENTRYID);
                // the saved message keeps the value by reference: a second save rewrites nothing
                m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "again")));
                m.saveChanges(0);
            }
            try (Message m = (Message) drafts.openEntry(id, 0); Attach a = m.openAttach(0, 0);
                 MapiStream s = a.openProperty(PropTags.PR_ATTACH_DATA_BIN, 0, 0);
                 Attach small = m.openAttach(1, 0);
                 MapiStream t = small.openProperty(PropTags.PR_ATTACH_DATA_OBJ, MapiStream.class, 0, 0)) {
                assertThat(s.asInputStream().readAllBytes()).isEqualTo(data);
                assertThat(t.asInputStream().readAllBytes()).containsExactly(1, 2, 3);
                assertThat(string(m, PropTags.PR_SUBJECT)).isEqualTo("again");
            }

            // folders and the store are not transacted: Commit sets the property at once
            try (MapiFolder f = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
                try (MapiStream s = f.openProperty(PropTags.PR_COMMENT, RW, CREATE)) {
                    s.write("a comment".getBytes(StandardCharsets.UTF_16LE), 0, 18);
                    assertThat(f.getProp(PropTags.PR_COMMENT)).isEmpty();
                    s.commit(0);
                }
                assertThat(string(f, PropTags.PR_COMMENT)).isEqualTo("a comment");
            }
            MsgStore store = d.store();
            try (MapiStream s = store.openProperty(PropTags.PR_DISPLAY_NAME, RW, CREATE)) {
                s.write("Renamed".getBytes(StandardCharsets.UTF_16LE), 0, 14);
                s.commit(0);
            }
            assertThat(string(store, PropTags.PR_DISPLAY_NAME)).isEqualTo("Renamed");
        }
    }

    @Test
    void R_SUB_1_streamsOfASubmittedMessageAndItsAttachmentsAreInvalid_releaseStillWorks(@TempDir Path dir) {
        try (Direct d = Direct.open(dir)) {
            MapiFolder outbox = folder(d.store(), PropTags.PR_IPM_OUTBOX_ENTRYID);
            Message m = outbox.createMessage(0);
            m.modifyRecipients(0, List.of(recipient("Alice", Flags.MAPI_TO)));
            MapiStream body = m.openProperty(PropTags.PR_BODY, RW, CREATE);
            Attach a = m.createAttach(0);
            MapiStream data = a.openProperty(PropTags.PR_ATTACH_DATA_BIN, RW, CREATE);
            body.write(new byte[] {65, 0}, 0, 2);
            body.commit(0);
            m.submitMessage(0);
            assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> body.stat());
            assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> data.write(new byte[1], 0, 1));
            for (MapiObject o : List.of(data, a, body, m)) {
                o.release();
            }

            outbox.release();
        }
    }

    @Test
    void R_PROP_6_fiftyMegabyteAttachment_writtenAndReadInPieces_inAJvmWithA24MegabyteHeap(@TempDir Path dir)
            throws Exception {
        // the child (LargeAttachmentChild) writes 50 MiB through a stream, saves, reads it back through another
        // stream comparing every byte: with a 24 MB heap, neither path can have held the value whole
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Process child = new ProcessBuilder(java, "-Xmx24m", "-Djava.io.tmpdir=" + tmp, "-cp",
                System.getProperty("java.class.path"),
                LargeAttachmentChild.class.getName(), dir.toString(), Long.toString(LargeAttachmentChild.SIZE))
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        long heap = out.lines().filter(l -> l.startsWith("HEAP-MAX ")).mapToLong(l -> Long.parseLong(l.substring(9)))
                .findFirst().orElseThrow(() -> new AssertionError("no HEAP-MAX line: " + out));
        assertThat(heap).as("the child's heap cannot hold the attachment").isLessThan(LargeAttachmentChild.SIZE / 2);
        assertThat(out).contains("WRITTEN " + LargeAttachmentChild.SIZE)
                .contains("COMPARED " + LargeAttachmentChild.SIZE)
                .contains("TAIL-COMPARED " + LargeAttachmentChild.TAIL)
                .contains("GETPROPS MAPI_E_NOT_ENOUGH_MEMORY")
                .as("the written value spilled to a temporary file, deleted once saved and released")
                .contains("TEMP-FILES-BEFORE-SAVE 1").contains("TEMP-FILES-AFTER 0");
    }
}
