package org.jmapi.store.sqlite;

import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.store.Attachment;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.LargeValue;
import org.jmapi.store.MessageImage;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.StoredMessage;
import org.jmapi.store.ValueStream;
import org.jmapi.store.engine.PropCodec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the SQLite engine keeps a string or binary (inline in the properties blob, or out of line in chunks) with
 * the default 4,096-byte inline limit, and that every value reads back exactly either way: through
 * {@code loadMessage}, {@code openValueStream} (the stream form: UTF-16LE, UTF-8 or raw bytes) and contents rows.
 * A PT_UNICODE value stays inline when its UTF-16 form or its blob form (one byte per ASCII char) fits the limit.
 */
class SqliteInlineValuesTest {
    private static final int LIMIT = 4096;

    @TempDir
    Path dir;

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] stream(int type, String s) {
        return PropCodec.streamBytes(type, s); // exact UTF-16 code units, unpaired surrogates included
    }

    private record Case(String name, int tag, Object value, boolean inline) {}

    private static Case text(String name, String s, boolean inline) {
        return new Case(name, PropTags.PR_BODY, s, inline);
    }

    private static List<Case> cases() {
        int string8Body = PropTag.withType(PropTags.PR_BODY, PropType.PT_STRING8);
        return List.of(
                text("2,048 ASCII chars (UTF-16 at the limit)", "a".repeat(2048), true),
                text("2,049 ASCII chars", "a".repeat(2049), true),
                text("4,095 ASCII chars", "b".repeat(4095), true),
                text("4,096 ASCII chars (blob form at the limit)", "c".repeat(4096), true),
                text("4,097 ASCII chars", "d".repeat(4097), false),
                text("8,000 ASCII chars", "e".repeat(8000), false),
                text("4,094 ASCII + one 2-byte char (4,096 bytes)", "f".repeat(4094) + "\u00e9", true),
                text("4,095 ASCII + one 2-byte char (4,097 bytes)", "f".repeat(4095) + "\u00e9", false),
                text("2,048 x U+00E9 (4,096 bytes either way)", "\u00e9".repeat(2048), true),
                text("2,049 x U+00E9", "\u00e9".repeat(2049), false),
                text("2,048 CJK chars (UTF-16 at the limit, 6,144 blob bytes)", "\u4e2d".repeat(2048), true),
                text("2,049 CJK chars", "\u4e2d".repeat(2049), false),
                text("1,024 emoji (surrogate pairs, UTF-16 at the limit)", "\uD83D\uDE00".repeat(1024), true),
                text("1,025 emoji", "\uD83D\uDE00".repeat(1025), false),
                text("2,048 NUL chars (2 blob bytes each)", "\0".repeat(2048), true),
                text("2,049 NUL chars", "\0".repeat(2049), false),
                text("2,047 NUL + 1 ASCII", "\0".repeat(2047) + "x", true),
                text("ASCII with an unpaired surrogate, 4,096 blob bytes", "g".repeat(4093) + "\uD800", true),
                text("ASCII with an unpaired surrogate, 4,097 blob bytes", "g".repeat(4094) + "\uD800", false),
                new Case("PT_STRING8, 4,096 ASCII", string8Body, "h".repeat(4096), true),
                new Case("PT_STRING8, 4,097 ASCII", string8Body, "h".repeat(4097), false),
                new Case("PT_STRING8, 2,048 x U+00E9 (4,096 UTF-8 bytes)", string8Body, "\u00e9".repeat(2048), true),
                new Case("PT_STRING8, 2,049 x U+00E9", string8Body, "\u00e9".repeat(2049), false),
                new Case("PT_BINARY, 4,096 bytes", PropTags.PR_HTML, bytes(4096), true),
                new Case("PT_BINARY, 4,097 bytes", PropTags.PR_HTML, bytes(4097), false));
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static PropValue value(Case c) {
        return c.value() instanceof byte[] b ? PropValue.ofBinary(c.tag(), b) : PropValue.ofString(c.tag(),
                (String) c.value());
    }

    private static byte[] streamForm(Case c) {
        return c.value() instanceof byte[] b ? b : stream(PropTag.type(c.tag()), (String) c.value());
    }

    private void check(SqliteStorage s, long id, Case c) {
        StoredMessage m = s.loadMessage(id);
        Optional<PropValue> inline = m.image().find(c.tag());
        Optional<LargeValue> large = m.image().findLarge(c.tag());
        if (c.inline()) {
            assertThat(inline).as(c.name()).contains(value(c));
            assertThat(large).as(c.name()).isEmpty();
        } else {
            assertThat(inline).as(c.name()).isEmpty();
            assertThat(large).as(c.name()).hasValueSatisfying(v -> {
                assertThat(v.tag()).isEqualTo(c.tag());
                assertThat(v.size()).isEqualTo(streamForm(c).length);
                assertThat(readAll(s.openValueStream(v))).isEqualTo(streamForm(c));
            });
        }
        assertThat(readAll(s.openValueStream(id, c.tag()))).as(c.name()).isEqualTo(streamForm(c));
        // a contents row shows an inline value, and an out-of-line one as a reference
        var row = s.query(org.jmapi.store.ContentsQuery.of(m.info().folderId())).stream()
                .filter(r -> r.id() == id).findFirst().orElseThrow();
        assertThat(row.get(c.tag())).as(c.name()).isEqualTo(c.inline() ? value(c) : null);
        assertThat(row.largeValues().stream().anyMatch(v -> v.tag() == c.tag())).isEqualTo(!c.inline());
    }

    @Test
    @DisplayName("values set as values: inline up to the limit (PT_UNICODE: UTF-16 or blob form), exact either way")
    void valuesAroundTheLimit_storedWhereTheRuleSays_readBackExactly() {
        try (SqliteStorage s = SqliteStorage.create(dir.resolve("v.jmapi"), "x", null)) {
            assertThat(s.options().inlineLimit()).isEqualTo(LIMIT);
            long f = s.createFolder(s.identity().rootFolderId(), "f", FolderRecord.FOLDER_GENERIC, null, List.of())
                    .id();
            for (Case c : cases()) {
                // a new message with nothing else (one INSERT), and one with an attachment (the general path)
                long plain = s.saveMessage(SaveRequest.create(f, MessageImage.of(List.of(value(c))))).id();
                check(s, plain, c);
                long general = s.saveMessage(SaveRequest.create(f, MessageImage.builder().set(value(c))
                        .attachment(Attachment.of(0, List.of(value(c)))).build())).id();
                check(s, general, c);
                StoredMessage m = s.loadMessage(general);
                Attachment a = m.image().attachment(0).orElseThrow();
                assertThat(a.properties().contains(value(c))).as(c.name()).isEqualTo(c.inline());
                assertThat(readAll(s.openAttachmentValueStream(general, 0, c.tag()))).isEqualTo(streamForm(c));
                // saved again unchanged (the loaded image: inline values and kept references)
                s.saveMessage(SaveRequest.update(general, m.info().version(), m.image()));
                check(s, general, c);
                s.deleteMessage(plain);
                s.deleteMessage(general);
            }
        }
    }

    @Test
    @DisplayName("values written as streams follow the same rule; bad streams still fail")
    void streamsAroundTheLimit_storedWhereTheRuleSays_readBackExactly() {
        try (SqliteStorage s = SqliteStorage.create(dir.resolve("s.jmapi"), "x", null)) {
            long f = s.createFolder(s.identity().rootFolderId(), "f", FolderRecord.FOLDER_GENERIC, null, List.of())
                    .id();
            for (Case c : cases()) {
                byte[] form = streamForm(c);
                long id = s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                        .stream(c.tag(), () -> new ByteArrayInputStream(form)).build())).id();
                // an exact stream form comes back as the same value; only an unpaired surrogate has no exact
                // PT_STRING8 form, and none of these is PT_STRING8 with one
                check(s, id, c);
                s.deleteMessage(id);
            }
            // 8,193 bytes: not UTF-16 (odd), refused as before
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.saveMessage(SaveRequest.create(f,
                    MessageImage.builder().stream(PropTags.PR_BODY, () -> new ByteArrayInputStream(new byte[8193]))
                            .build()))).isInstanceOfSatisfying(org.jmapi.MapiException.class, e -> assertThat(
                    e.hresult()).isEqualTo(org.jmapi.HResult.MAPI_E_INVALID_PARAMETER));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.saveMessage(SaveRequest.create(f,
                    MessageImage.builder().stream(PropTags.PR_BODY, () -> new ByteArrayInputStream(new byte[4001]))
                            .build()))).isInstanceOfSatisfying(org.jmapi.MapiException.class, e -> assertThat(
                    e.hresult()).isEqualTo(org.jmapi.HResult.MAPI_E_INVALID_PARAMETER));
            // PT_STRING8 that is not UTF-8 stays out of line, byte for byte
            int a = PropTag.withType(PropTags.PR_BODY, PropType.PT_STRING8);
            long bad = s.saveMessage(SaveRequest.create(f, MessageImage.builder()
                    .stream(a, () -> new ByteArrayInputStream(new byte[] {'x', (byte) 0xC3})).build())).id();
            assertThat(s.loadMessage(bad).image().findLarge(a)).isPresent();
            assertThat(readAll(s.openValueStream(bad, a))).containsExactly('x', 0xC3);
        }
    }

    @Test
    @DisplayName("a 4,096-character ASCII body (the benchmark's) lives in the message row: no large_value, no chunk")
    void benchmarkBody_isInline_inTheRowsLastColumn() throws Exception {
        Path p = dir.resolve("b.jmapi");
        String body = "word ".repeat(820).substring(0, 4096);
        long id;
        try (SqliteStorage s = SqliteStorage.create(p, "x", null)) {
            long f = s.createFolder(s.identity().rootFolderId(), "f", FolderRecord.FOLDER_GENERIC, null, List.of())
                    .id();
            id = s.saveMessage(SaveRequest.create(f, MessageImage.of(List.of(
                    PropValue.ofString(PropTags.PR_SUBJECT, "s"), PropValue.ofString(PropTags.PR_BODY, body))))).id();
            assertThat(s.loadMessage(id).image().find(PropTags.PR_BODY))
                    .contains(PropValue.ofString(PropTags.PR_BODY, body));
            int size = s.messageInfo(id).size();
            assertThat(size).isBetween(body.length(), body.length() + 200);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + p)) {
            assertThat(Sql.longValue(c, "SELECT count(*) FROM large_value")).isZero();
            assertThat(Sql.longValue(c, "SELECT count(*) FROM large_chunk")).isZero();
            byte[] props = Sql.one(c, "SELECT props FROM message WHERE id = ?", rs -> rs.getBytes(1), id)
                    .orElseThrow();
            assertThat(PropCodec.decode(props)).contains(PropValue.ofString(PropTags.PR_BODY, body));
            assertThat(props.length).isLessThan(body.length() + 200);
        }
    }
}
