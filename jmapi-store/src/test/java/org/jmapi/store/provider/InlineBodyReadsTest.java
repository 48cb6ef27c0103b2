package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiStream;
import org.jmapi.client.Message;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.store.engine.PropCodec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.folder;
import static org.jmapi.store.provider.StoreFixture.entryId;
import static org.jmapi.store.provider.StoreFixture.saved;

/**
 * PR_BODY (and PT_STRING8 / PT_BINARY values) read through a message of the SQLite store, for values on both sides
 * of the store's inline limit (4,096 bytes; a PT_UNICODE body stays in the message row up to 4,096 ASCII characters,
 * out of line beyond): GetProps, GetProps asking for the other string flavour, and OpenProperty as an IStream give
 * exactly the value that was set or streamed, whichever way it was stored.
 */
class InlineBodyReadsTest {
    private static final int RW = Flags.STGM_READWRITE;
    private static final int BODY_A = PropTag.withType(PropTags.PR_BODY, PropType.PT_STRING8);

    private static List<PropValue> values() {
        byte[] bin = new byte[4097];
        for (int i = 0; i < bin.length; i++) {
            bin[i] = (byte) (i * 13);
        }
        return List.of(
                PropValue.ofString(PropTags.PR_BODY, "a".repeat(2048)),
                PropValue.ofString(PropTags.PR_BODY, "b".repeat(2049)),
                PropValue.ofString(PropTags.PR_BODY, "c".repeat(4096)),
                PropValue.ofString(PropTags.PR_BODY, "d".repeat(4097)),
                PropValue.ofString(PropTags.PR_BODY, "x".repeat(4094) + "\u00e9"),
                PropValue.ofString(PropTags.PR_BODY, "x".repeat(4095) + "\u00e9"),
                PropValue.ofString(PropTags.PR_BODY, "\u4e2d".repeat(2049)),
                PropValue.ofString(PropTags.PR_BODY, "\uD83D\uDE00 ".repeat(1365)),
                PropValue.ofString(PropTags.PR_BODY, "line\r\n".repeat(682) + "end!"),
                PropValue.ofString(BODY_A, "e".repeat(4096)),
                PropValue.ofString(BODY_A, "f".repeat(4097)),
                PropValue.ofBinary(PropTags.PR_HTML, java.util.Arrays.copyOf(bin, 4096)),
                PropValue.ofBinary(PropTags.PR_HTML, bin));
    }

    private static byte[] streamForm(PropValue v) {
        return v.type() == PropType.PT_BINARY ? v.asBinary() : PropCodec.streamBytes(v.type(), v.asString());
    }

    private static void checkReads(Message m, PropValue v) throws IOException {
        String what = PropTag.toString(v.tag()) + " of " + streamForm(v).length + " bytes";
        assertThat(m.getProps(new int[] {v.tag()}, 0).values()).as(what).containsExactly(v);
        assertThat(m.getProps(new int[] {PropTag.withType(v.tag(), PropType.PT_UNSPECIFIED)}, 0).values())
                .as(what).containsExactly(v);
        if (v.type() != PropType.PT_BINARY) {
            int other = v.type() == PropType.PT_UNICODE ? PropType.PT_STRING8 : PropType.PT_UNICODE;
            assertThat(m.getProps(new int[] {PropTag.withType(v.tag(), other)}, 0).values()).as(what)
                    .containsExactly(PropValue.ofString(PropTag.withType(v.tag(), other), v.asString()));
        }
        assertThat(m.getProps(null, 0).values()).as(what).contains(v);
        try (MapiStream s = m.openProperty(v.tag(), MapiStream.class, 0, 0); InputStream in = s.asInputStream()) {
            assertThat(s.stat().size()).as(what).isEqualTo(streamForm(v).length);
            assertThat(in.readAllBytes()).as(what).isEqualTo(streamForm(v));
        }
    }

    @Test
    @DisplayName("R-PROP-1/R-PROP-6: values set with SetProps read back exactly around the inline limit")
    void setValues_readBackExactly(@TempDir Path dir) throws IOException {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            for (PropValue v : values()) {
                EntryId id = saved(drafts, "s", v);
                try (Message m = (Message) drafts.openEntry(id, 0)) {
                    checkReads(m, v);
                }
            }
        }
    }

    @Test
    @DisplayName("R-PROP-6: values written through OpenProperty streams read back exactly around the inline limit")
    void streamedValues_readBackExactly(@TempDir Path dir) throws IOException {
        try (Direct d = Direct.open(dir); MapiFolder drafts = folder(d.store(), PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            for (PropValue v : values()) {
                EntryId id;
                try (Message m = drafts.createMessage(0)) {
                    m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "streamed")));
                    try (MapiStream s = m.openProperty(v.tag(), RW, Flags.MAPI_CREATE | Flags.MAPI_MODIFY);
                         OutputStream out = s.asOutputStream()) {
                        out.write(streamForm(v));
                    }
                    m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                    checkReads(m, v);
                    id = entryId(m, PropTags.PR_ENTRYID);
                }
                try (Message m = (Message) drafts.openEntry(id, 0)) {
                    checkReads(m, v);
                }
            }
        }
    }
}
