package org.jmapi.mime;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiStream;
import org.jmapi.client.Message;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.mime.StoreMessages.digest;

/**
 * Values too large for GetProps (the SQLite store's inline limit is 1 MiB) go through the converters by
 * OpenProperty streams: a message of a real store with a 20 MB attachment, a 3 MB body, a 2 MB HTML body that
 * references an inline image near its end, and a 1.5 MB text attachment is written as MIME and read back into
 * another store message, every value compared through streams; the same MIME is what the GetProps path writes and
 * reads for the same values (an {@link InMemoryMessage}, which has no OpenProperty). Large text bodies are decoded
 * the same way whole or in pieces, whatever decides their charset.
 */
class LargeContentTest {
    private static final int CREATE = Flags.MAPI_CREATE | Flags.MAPI_MODIFY;
    private static final int ATTACHMENT = 20 * 1024 * 1024;
    private static final int IMAGE = 1_200_000;
    private static final String CID = "logo.1234@example.com";
    private static final Instant SENT = Instant.parse("2024-06-01T08:30:00Z");

    /** @return byte {@code p} of the generated content {@code seed}: a function of the position only */
    static byte at(long seed, long p) {
        long z = (p >>> 3) + seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (byte) (z >>> ((p & 7) * 8));
    }

    /** @return the 3 MB plain body: numbered lines with non-ASCII letters, CRLF line breaks */
    static String body() {
        StringBuilder sb = new StringBuilder();
        for (int line = 0; sb.length() < 3_000_000; line++) {
            sb.append("Zeile ").append(line).append(": Gr\u00fc\u00dfe aus K\u00f6ln, 20 \u20ac \u2014 \u2713 ")
                    .append("lorem ipsum dolor sit amet ".repeat(line % 4)).append("\r\n");
        }
        return sb.toString();
    }

    /** @return the 2 MB HTML body (UTF-8, no charset declaration), referencing the image at its end */
    static byte[] html() {
        StringBuilder sb = new StringBuilder("<html><body>\r\n");
        for (int i = 0; sb.length() < 2_000_000; i++) {
            sb.append("<p>Absatz ").append(i).append(" \u00e4\u00f6\u00fc \u00a7 ").append("x".repeat(i % 90))
                    .append("</p>\r\n");
        }
        sb.append("<img src=\"CID:").append(CID.toUpperCase()).append("\"></body></html>\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @return the 1.5 MB text attachment: mostly ASCII, some UTF-8, a trailing space before each line break */
    static byte[] notes() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 1_500_000; i++) {
            sb.append("note ").append(i).append(i % 7 == 0 ? " \u00fcber " : " ").append("=".repeat(i % 3))
                    .append(" \r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void largeBodiesAndAttachments_writtenAsMimeAndReadBack_throughStreams(@TempDir Path dir) throws IOException {
        Set<Path> tempBefore = mimeTempFiles();
        String body = body();
        byte[] html = html();
        byte[] notes = notes();
        try (StoreMessages store = StoreMessages.open(dir)) {
            EntryId id;
            String attachmentDigest;
            String imageDigest;
            try (Message m = store.create()) {
                m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "Large values"),
                        PropValue.ofString(PropTags.PR_SENT_REPRESENTING_NAME, "Alice"),
                        PropValue.ofString(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS, "alice@example.com"),
                        PropValue.ofString(MimeProps.PR_SENT_REPRESENTING_ADDRTYPE, "SMTP"),
                        PropValue.ofString(PropTags.PR_INTERNET_MESSAGE_ID, "<large.1@example.com>"),
                        PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME, SENT)));
                m.modifyRecipients(Flags.MODRECIP_ADD, List.of(RoundTripTest.recipient(Flags.MAPI_TO, "Bob",
                        "bob@example.com")));
                write(m, PropTags.PR_BODY, body.getBytes(StandardCharsets.UTF_16LE));
                write(m, PropTags.PR_HTML, html);
                attachmentDigest = attach(m, "big.bin", "application/octet-stream", null, 1, ATTACHMENT);
                imageDigest = attach(m, "logo.png", "image/png", CID, 2, IMAGE);
                try (Attach a = m.createAttach(0)) {
                    a.setProps(meta("notes.txt", "text/plain", null));
                    write(a, PropTags.PR_ATTACH_DATA_BIN, notes);
                    a.saveChanges(0);
                }
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                id = StoreMessages.entryId(m);
            }

            Path mime = dir.resolve("large.eml");
            MimeWriter writer = new MimeWriter();
            try (Message m = store.open(id)) {
                PropValues inline = m.getProps(new int[] {PropTags.PR_BODY, MimeProps.PR_HTML_ANY}, 0);
                assertThat(inline.values()).as("the bodies are too large for GetProps: only a stream reads them")
                        .allMatch(v -> v.isError() && v.errorCode() == HResult.MAPI_E_NOT_ENOUGH_MEMORY);
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(mime))) {
                    MimeWriter.Result r = writer.write(m, out);
                    assertThat(r.attachments()).isEqualTo(3);
                    assertThat(r.omitted()).isEmpty();
                    assertThat(r.messageId()).isEqualTo("<large.1@example.com>");
                }
            }
            assertThat(Files.size(mime)).isGreaterThan(ATTACHMENT * 4L / 3);
            List<String> fields = partFields(mime);
            assertThat(fields).contains("Content-Type: text/plain; charset=utf-8",
                    "Content-Type: text/html; charset=utf-8", "Content-Disposition: inline; filename=logo.png",
                    "Content-ID: <" + CID + ">", "Content-Type: text/plain; charset=utf-8; name=notes.txt");
            assertThat(fields.stream().filter(f -> f.startsWith("Content-Type: multipart/related")).count())
                    .as("the streamed HTML was searched for the image's cid: reference").isEqualTo(1);
            assertThat(fields.stream().filter(f -> f.equals("Content-Transfer-Encoding: quoted-printable")).count())
                    .as("plain body, HTML and notes.txt are mostly ASCII").isEqualTo(3);

            EntryId backId;
            try (Message back = store.create()) {
                MimeReader.Result r;
                try (InputStream in = new BufferedInputStream(Files.newInputStream(mime))) {
                    r = new MimeReader().read(in, back);
                }
                assertThat(inputDefects(r)).isEmpty();
                assertThat(r.attachments()).isEqualTo(3);
                back.saveChanges(Flags.KEEP_OPEN_READWRITE);
                backId = StoreMessages.entryId(back);
            }
            try (Message source = store.open(id); Message back = store.open(backId)) {
                assertThat(digest(back, PropTags.PR_BODY)).isEqualTo(digest(source, PropTags.PR_BODY))
                        .isEqualTo(digest(body.getBytes(StandardCharsets.UTF_16LE)));
                assertThat(digest(back, PropTags.PR_HTML)).isEqualTo(digest(source, PropTags.PR_HTML))
                        .isEqualTo(digest(html));
                assertThat(back.getProp(MimeProps.PR_INTERNET_CPID).orElseThrow().asInt()).isEqualTo(MimeProps.CP_UTF8);
                Map<String, Attach> byName = attachments(back);
                try {
                    assertThat(byName.keySet()).containsExactlyInAnyOrder("big.bin", "logo.png", "notes.txt");
                    assertThat(digest(byName.get("big.bin"), PropTags.PR_ATTACH_DATA_BIN)).isEqualTo(attachmentDigest);
                    assertThat(digest(byName.get("logo.png"), PropTags.PR_ATTACH_DATA_BIN)).isEqualTo(imageDigest);
                    assertThat(digest(byName.get("notes.txt"), PropTags.PR_ATTACH_DATA_BIN)).isEqualTo(digest(notes));
                    assertThat(byName.get("big.bin").getProp(PropTags.PR_ATTACH_SIZE).orElseThrow().asInt())
                            .isGreaterThanOrEqualTo(ATTACHMENT);
                    assertThat(byName.get("logo.png").getProp(PropTags.PR_ATTACH_CONTENT_ID).orElseThrow().asString())
                            .isEqualTo(CID);
                    assertThat(byName.get("logo.png").getProp(MimeProps.PR_ATTACHMENT_HIDDEN).orElseThrow()
                            .asBoolean()).isTrue();
                    assertThat(byName.get("notes.txt").getProp(PropTags.PR_ATTACH_MIME_TAG).orElseThrow().asString())
                            .isEqualTo("text/plain");
                } finally {
                    byName.values().forEach(Attach::release);
                }
            }

            // The GetProps path (no OpenProperty) writes the same bytes for the same values, and reads the MIME into
            // the same values: streaming changes how, not what.
            InMemoryMessage copy = new InMemoryMessage();
            try (Message source = store.open(id)) {
                copy.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "Large values"),
                        PropValue.ofString(PropTags.PR_SENT_REPRESENTING_NAME, "Alice"),
                        PropValue.ofString(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS, "alice@example.com"),
                        PropValue.ofString(MimeProps.PR_SENT_REPRESENTING_ADDRTYPE, "SMTP"),
                        PropValue.ofString(PropTags.PR_INTERNET_MESSAGE_ID, "<large.1@example.com>"),
                        PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME, SENT),
                        PropValue.ofString(PropTags.PR_BODY, body), PropValue.ofBinary(PropTags.PR_HTML, html)));
                copy.modifyRecipients(Flags.MODRECIP_ADD, List.of(RoundTripTest.recipient(Flags.MAPI_TO, "Bob",
                        "bob@example.com")));
                for (String name : List.of("big.bin", "logo.png", "notes.txt")) {
                    Map<String, Attach> byName = attachments(source);
                    try {
                        List<PropValue> p = new ArrayList<>(meta(name, name.equals("big.bin")
                                ? "application/octet-stream" : name.equals("logo.png") ? "image/png" : "text/plain",
                                name.equals("logo.png") ? CID : null));
                        p.add(PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, read(byName.get(name),
                                PropTags.PR_ATTACH_DATA_BIN)));
                        RoundTripTest.attach(copy, p);
                    } finally {
                        byName.values().forEach(Attach::release);
                    }
                }
            }
            assertThat(boundariesOut(writer.toBytes(copy))).isEqualTo(boundariesOut(Files.readAllBytes(mime)));
            InMemoryMessage readWhole = new InMemoryMessage();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(mime))) {
                assertThat(new MimeReader().read(in, readWhole).defects()).isEmpty();
            }
            assertThat(readWhole.string(PropTags.PR_BODY)).isEqualTo(body);
            assertThat(readWhole.prop(PropTags.PR_HTML).asBinary()).isEqualTo(html);
            assertThat(readWhole.attachments()).hasSize(3);
            for (Map<Integer, PropValue> a : readWhole.attachments()) {
                String name = a.get(PropTags.PR_ATTACH_LONG_FILENAME).asString();
                byte[] data = Mapi.data(a);
                assertThat(digest(data)).as(name).isEqualTo(name.equals("big.bin") ? attachmentDigest
                        : name.equals("logo.png") ? imageDigest : digest(notes));
            }
        }
        assertThat(mimeTempFiles()).as("no temporary file of the reader is left").isSubsetOf(tempBefore);
    }

    /**
     * Large text bodies whose charset is decided by a declaration, by a {@code <meta>} tag, by the bytes (none or
     * US-ASCII declared: UTF-8 when valid, else ISO-8859-1; the reader goes through a temporary file) or is unknown
     * (ISO-8859-1 and a defect): the store message (streams) gets the text the GetProps path gets.
     */
    @Test
    void largeTextBodies_decodedInPieces_likeWhole_whateverDecidesTheCharset(@TempDir Path dir) throws IOException {
        Set<Path> tempBefore = mimeTempFiles();
        byte[] latin1 = repeat("Gr\u00fc\u00dfe aus K\u00f6ln \u00a7 ", 1_500_000).getBytes(StandardCharsets.ISO_8859_1);
        byte[] utf8 = repeat("\u041f\u0440\u0438\u0432\u0435\u0442 \u20ac \uD83D\uDE00 ", 1_500_000)
                .getBytes(StandardCharsets.UTF_8);
        byte[] cp1252 = ("<html><head><meta charset=\"windows-1252\"></head><body>"
                + repeat("caf\u00e9 \u20ac \u201cquoted\u201d ", 1_500_000) + "</body></html>")
                .getBytes("windows-1252");
        record Case(String plainType, byte[] plain, String htmlType, byte[] html, String plainText, String htmlText,
                    boolean unknownCharset) {}
        List<Case> cases = List.of(
                new Case("text/plain", latin1, "text/html; charset=\"x-no-such-charset\"", latin1,
                        new String(latin1, StandardCharsets.ISO_8859_1), new String(latin1, StandardCharsets.ISO_8859_1),
                        true),
                new Case("text/plain; charset=us-ascii", utf8, "text/html", cp1252,
                        new String(utf8, StandardCharsets.UTF_8), new String(cp1252, "windows-1252"), false),
                new Case("text/plain; charset=utf-8", utf8, "text/html; charset=iso-8859-1", latin1,
                        new String(utf8, StandardCharsets.UTF_8), new String(latin1, StandardCharsets.ISO_8859_1),
                        false));
        try (StoreMessages store = StoreMessages.open(dir)) {
            for (Case c : cases) {
                ByteArrayOutputStream mime = new ByteArrayOutputStream();
                mime.writeBytes(("From: a@example.com\r\nTo: b@example.com\r\nSubject: text\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: "
                        + c.plainType + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                mime.writeBytes(c.plain);
                mime.writeBytes(("\r\n--b\r\nContent-Type: " + c.htmlType + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                mime.writeBytes(c.html);
                mime.writeBytes("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
                MimeReader reader = new MimeReader().withDeliveryTime(SENT);

                InMemoryMessage whole = new InMemoryMessage();
                MimeReader.Result wholeResult = reader.read(mime.toByteArray(), whole);
                EntryId id;
                MimeReader.Result streamedResult;
                try (Message m = store.create()) {
                    streamedResult = reader.read(mime.toByteArray(), m);
                    m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                    id = StoreMessages.entryId(m);
                }
                assertThat(inputDefects(streamedResult)).isEqualTo(wholeResult.defects());
                assertThat(streamedResult.defects().stream().anyMatch(d -> d.contains("x-no-such-charset")))
                        .isEqualTo(c.unknownCharset);
                assertThat(whole.string(PropTags.PR_BODY)).isEqualTo(c.plainText);
                assertThat(Mapi.html(whole)).isEqualTo(c.htmlText);
                try (Message m = store.open(id)) {
                    assertThat(m.getProps(new int[] {PropTags.PR_BODY}, 0).values().get(0).errorCode())
                            .isEqualTo(HResult.MAPI_E_NOT_ENOUGH_MEMORY);
                    assertThat(new String(read(m, PropTags.PR_BODY), StandardCharsets.UTF_16LE))
                            .isEqualTo(c.plainText);
                    assertThat(new String(read(m, PropTags.PR_HTML), StandardCharsets.UTF_8)).isEqualTo(c.htmlText);
                    assertThat(m.getProp(MimeProps.PR_INTERNET_CPID).orElseThrow().asInt())
                            .isEqualTo(MimeProps.CP_UTF8);
                }
            }
        }
        assertThat(mimeTempFiles()).as("no temporary file of the reader is left").isSubsetOf(tempBefore);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** @return the defects without the store's refusal of PR_HASATTACH, which it computes itself */
    private static List<String> inputDefects(MimeReader.Result r) {
        return r.defects().stream().filter(d -> !d.equals("the target message refused PR_HASATTACH: "
                + "MAPI_E_COMPUTED")).toList();
    }

    private static String repeat(String unit, int length) {
        return unit.repeat(length / unit.length() + 1).substring(0, length);
    }

    /** Writes a value through a stream in 64 KiB pieces and commits it. */
    private static void write(MapiProp obj, int tag, byte[] value) {
        try (MapiStream s = obj.openProperty(tag, Flags.STGM_WRITE, CREATE)) {
            for (int at = 0; at < value.length; at += 64 * 1024) {
                s.write(value, at, Math.min(64 * 1024, value.length - at));
            }
            s.commit(Flags.STGC_DEFAULT);
        }
    }

    /** @return a value read whole through a stream */
    private static byte[] read(MapiProp obj, int tag) throws IOException {
        try (MapiStream s = obj.openProperty(tag, Flags.STGM_READ, 0); InputStream in = s.asInputStream()) {
            return in.readAllBytes();
        }
    }

    private static List<PropValue> meta(String name, String type, String cid) {
        List<PropValue> p = new ArrayList<>(List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD,
                        MimeProps.ATTACH_BY_VALUE), PropValue.ofString(PropTags.PR_ATTACH_LONG_FILENAME, name),
                PropValue.ofString(PropTags.PR_ATTACH_MIME_TAG, type)));
        if (cid != null) {
            p.add(PropValue.ofString(PropTags.PR_ATTACH_CONTENT_ID, cid));
        }
        return p;
    }

    /** Adds an attachment whose content is generated piece by piece into its stream; @return its digest */
    private static String attach(Message m, String name, String type, String cid, long seed, int size) {
        try (Attach a = m.createAttach(0)) {
            a.setProps(meta(name, type, cid));
            var sha = StoreMessages.sha256();
            try (MapiStream s = a.openProperty(PropTags.PR_ATTACH_DATA_BIN, Flags.STGM_WRITE, CREATE)) {
                byte[] piece = new byte[64 * 1024];
                for (long at = 0; at < size; ) {
                    int n = (int) Math.min(piece.length, size - at);
                    for (int i = 0; i < n; i++) {
                        piece[i] = at(seed, at + i);
                    }
                    s.write(piece, 0, n);
                    sha.update(piece, 0, n);
                    at += n;
                }
                s.commit(Flags.STGC_DEFAULT);
            }
            a.saveChanges(0);
            return java.util.HexFormat.of().formatHex(sha.digest()) + "/" + size;
        }
    }

    /** @return the message's attachments by PR_ATTACH_LONG_FILENAME, opened; the caller releases them */
    private static Map<String, Attach> attachments(Message m) {
        Map<String, Attach> out = new HashMap<>();
        try (MapiTable t = m.getAttachmentTable(0)) {
            t.setColumns(new int[] {PropTags.PR_ATTACH_NUM, PropTags.PR_ATTACH_LONG_FILENAME}, 0);
            for (Row r : t.queryRows(100, 0)) {
                out.put(r.get(PropTags.PR_ATTACH_LONG_FILENAME).asString(),
                        m.openAttach(r.get(PropTags.PR_ATTACH_NUM).asInt(), 0));
            }
        }
        return out;
    }

    /** @return the Content-* header lines of every part (unfolded lines only: the tests' values are short) */
    private static List<String> partFields(Path mime) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(mime),
                StandardCharsets.ISO_8859_1))) {
            return r.lines().filter(l -> l.startsWith("Content-")).collect(Collectors.toList());
        }
    }

    /** @return the MIME text with every generated boundary replaced by one fixed string */
    private static String boundariesOut(byte[] mime) {
        return new String(mime, StandardCharsets.ISO_8859_1).replaceAll("=_jmapi_[0-9a-f]{32}", "=_jmapi_B");
    }

    /** @return the reader's temporary files now in java.io.tmpdir */
    private static Set<Path> mimeTempFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("jmapi-mime-")).collect(Collectors.toSet());
        }
    }
}
