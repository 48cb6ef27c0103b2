package org.jmapi.mime;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropertyBag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link MimeReader} on hand-made messages: charsets, names, structures, reports, and input that is broken. */
class MimeReaderTest {

    /**
     * @param lines message lines, joined with CRLF
     * @return the bytes (UTF-8 for characters outside Latin-1 use, else as given)
     */
    private static byte[] crlf(String... lines) {
        return String.join("\r\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param head  header and body text before the body bytes
     * @param body  body bytes
     * @return the message
     */
    private static byte[] concat(String head, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /**
     * @param mime a message
     * @return the reader's result for it (the message is thrown away)
     */
    private static MimeReader.Result result(byte[] mime) {
        return new MimeReader().read(mime, new InMemoryMessage());
    }

    @Test
    void read_bodyCharsets() {
        Map<String, String> cases = Map.of(
                "KOI8-R", "Съешь же ещё этих мягких французских булок",
                "windows-1251", "Жълтата дюля беше щастлива",
                "windows-1252", "“Smart quotes” – and the € sign",
                "ISO-8859-2", "Příliš žluťoučký kůň",
                "ISO-2022-JP", "いろはにほへと 色は匂へど",
                "Shift_JIS", "日本語のテキスト",
                "GB18030", "中文测试");
        cases.forEach((charset, text) -> {
            byte[] mime = concat("Content-Type: text/plain; charset=\"" + charset.toLowerCase() + "\"\r\n"
                    + "Content-Transfer-Encoding: 8bit\r\n\r\n", text.getBytes(Charset.forName(charset)));
            InMemoryMessage m = Mapi.read(mime);
            assertThat(m.string(PropTags.PR_BODY)).as(charset).isEqualTo(text);
        });
    }

    @Test
    void read_unknownCharsetFallsBackToLatin1() {
        byte[] mime = concat("Content-Type: text/plain; charset=x-klingon\r\n\r\n", new byte[] {'a', (byte) 0xE9, 'b'});
        InMemoryMessage m = new InMemoryMessage();
        MimeReader.Result r = new MimeReader().read(mime, m);
        assertThat(m.string(PropTags.PR_BODY)).isEqualTo("aéb");
        assertThat(r.defects()).contains("unknown charset \"x-klingon\", decoded as ISO-8859-1");
    }

    @Test
    void read_undeclaredEightBitText() {
        assertThat(Mapi.read(concat("Subject: x\r\n\r\n", "Grüße".getBytes(StandardCharsets.UTF_8)))
                .string(PropTags.PR_BODY)).as("valid UTF-8").isEqualTo("Grüße");
        assertThat(Mapi.read(concat("Subject: x\r\n\r\n", "Grüße".getBytes(StandardCharsets.ISO_8859_1)))
                .string(PropTags.PR_BODY)).as("Latin-1").isEqualTo("Grüße");
        assertThat(Mapi.read("Subject: Grüße\r\n\r\n".getBytes(StandardCharsets.UTF_8)).string(PropTags.PR_SUBJECT))
                .as("raw UTF-8 header (RFC 6532)").isEqualTo("Grüße");
        byte[] latinHeader = concat("Subject: Gr", new byte[] {(byte) 0xFC, 'n', '\r', '\n', '\r', '\n'});
        assertThat(Mapi.read(latinHeader).string(PropTags.PR_SUBJECT)).as("raw Latin-1 header").isEqualTo("Grün");
    }

    @Test
    void read_encodedWordSubjects() {
        assertThat(Mapi.read(crlf("Subject: =?ISO-2022-JP?B?GyRCJTUlViU4JSclLyVIGyhC?=", "", ""))
                .string(PropTags.PR_SUBJECT)).isEqualTo("サブジェクト");
        assertThat(Mapi.read(crlf("Subject: =?koi8-r?B?8NLJ18XU?= =?windows-1251?Q?_=EC=E8=F0?=", "", ""))
                .string(PropTags.PR_SUBJECT)).isEqualTo("Привет мир");
        assertThat(Mapi.read(crlf("Subject: =?x-unknown?Q?caf=E9?=", "", ""))
                .string(PropTags.PR_SUBJECT)).isEqualTo("café");
    }

    @Test
    void read_subjectPrefix() {
        String[][] cases = {{"RE: Hello", "RE: ", "Hello"}, {"AW: Re: x", "AW: ", "Re: x"},
            {"Re:Hello", "", "Re:Hello"}, {"10: meeting", "", "10: meeting"}, {"Hello", "", "Hello"},
            {"Fw: Re: Hi", "Fw: ", "Re: Hi"}, {"Fwd: ", "", "Fwd:"}};
        for (String[] c : cases) {
            InMemoryMessage m = Mapi.read(crlf("Subject: " + c[0], "", ""));
            assertThat(m.string(PropTags.PR_SUBJECT_PREFIX)).as(c[0]).isEqualTo(c[1]);
            assertThat(m.string(PropTags.PR_NORMALIZED_SUBJECT)).as(c[0]).isEqualTo(c[2].strip());
        }
    }

    @Test
    void read_filenames() {
        String mime = String.join("\r\n",
                "Content-Type: multipart/mixed; boundary=b", "", "--b", "Content-Type: text/plain", "", "body",
                "--b", "Content-Type: application/pdf", "Content-Disposition: attachment;",
                " filename*0*=utf-8'de'%E2%82%AC%20rates;", " filename*1=\" 2024\";", " filename*2*=.pdf",
                "", "x",
                "--b", "Content-Type: application/octet-stream; name=\"=?UTF-8?B?w6TDtsO8LnppcA==?=\"", "", "y",
                "--b", "Content-Type: text/plain", "Content-Disposition: attachment; filename=\"..\\\\..\\\\evil.exe\"",
                "", "z",
                "--b", "Content-Type: image/png", "Content-Disposition: attachment; filename*=iso-8859-1''%E9t%E9.png",
                "", "w",
                "--b--", "");
        InMemoryMessage m = Mapi.read(mime.getBytes(StandardCharsets.US_ASCII));
        List<Map<Integer, PropValue>> a = m.attachments();
        assertThat(a).extracting(x -> Mapi.string(x, PropTags.PR_ATTACH_LONG_FILENAME))
                .containsExactly("€ rates 2024.pdf", "äöü.zip", "evil.exe", "été.png");
        assertThat(Mapi.string(a.get(0), MimeProps.PR_ATTACH_EXTENSION)).isEqualTo(".pdf");
        assertThat(m.string(PropTags.PR_BODY)).isEqualTo("body");
    }

    @Test
    void read_relatedHtmlWithInlineImage() {
        String mime = String.join("\r\n",
                "Content-Type: multipart/related; boundary=r; type=\"multipart/alternative\"", "",
                "--r", "Content-Type: multipart/alternative; boundary=a", "",
                "--a", "Content-Type: text/plain; charset=utf-8", "", "plain",
                "--a", "Content-Type: text/html; charset=iso-8859-1", "Content-Transfer-Encoding: quoted-printable", "",
                "<p>caf=E9 <img src=3D\"cid:img1@x\"></p>",
                "--a--",
                "--r", "Content-Type: image/gif", "Content-ID: <img1@x>", "Content-Location: logo.gif",
                "Content-Transfer-Encoding: base64", "", "R0lGODlhAQABAAAAACw=",
                "--r--", "");
        InMemoryMessage m = Mapi.read(mime.getBytes(StandardCharsets.US_ASCII));
        assertThat(m.string(PropTags.PR_BODY)).isEqualTo("plain");
        assertThat(Mapi.html(m)).isEqualTo("<p>café <img src=\"cid:img1@x\"></p>");
        assertThat(m.prop(MimeProps.PR_INTERNET_CPID).asInt()).isEqualTo(65001);
        Map<Integer, PropValue> img = m.attachments().get(0);
        assertThat(Mapi.string(img, PropTags.PR_ATTACH_CONTENT_ID)).isEqualTo("img1@x");
        assertThat(Mapi.string(img, MimeProps.PR_ATTACH_CONTENT_LOCATION)).isEqualTo("logo.gif");
        assertThat(img.get(MimeProps.PR_ATTACHMENT_HIDDEN).asBoolean()).isTrue();
        assertThat(Mapi.data(img)).startsWith((byte) 'G', (byte) 'I', (byte) 'F');
    }

    @Test
    void read_relatedStartParameterChoosesTheRoot() {
        String mime = String.join("\r\n",
                "Content-Type: multipart/related; boundary=r; start=\"<root@x>\"", "",
                "--r", "Content-Type: text/css", "Content-ID: <css@x>", "", "p{}",
                "--r", "Content-Type: text/html", "Content-ID: <root@x>", "", "<p>root</p>",
                "--r--", "");
        InMemoryMessage m = Mapi.read(mime.getBytes(StandardCharsets.US_ASCII));
        assertThat(Mapi.html(m)).isEqualTo("<p>root</p>");
        assertThat(m.attachments()).hasSize(1);
        assertThat(Mapi.string(m.attachments().get(0), PropTags.PR_ATTACH_MIME_TAG)).isEqualTo("text/css");
    }

    @Test
    void read_htmlCharsetFromMetaTag() {
        byte[] html = "<html><head><meta charset=\"windows-1251\"></head><body>Привет</body></html>"
                .getBytes(Charset.forName("windows-1251"));
        InMemoryMessage m = Mapi.read(concat("Content-Type: text/html\r\n\r\n", html));
        assertThat(Mapi.html(m)).contains("Привет");
    }

    @Test
    void read_reports() {
        assertThat(reportClass("delivery-status", "Action: delivered")).isEqualTo(MimeProps.CLASS_DELIVERY_REPORT);
        assertThat(reportClass("delivery-status", "Action: relayed")).isEqualTo(MimeProps.CLASS_DELIVERY_REPORT);
        assertThat(reportClass("delivery-status", "Action: delayed\r\n\r\nAction: failed"))
                .isEqualTo(MimeProps.CLASS_NON_DELIVERY_REPORT);
        assertThat(reportClass("delivery-status", "Action: delayed")).isEqualTo(MimeProps.CLASS_DELAYED_REPORT);
        assertThat(reportClass("delivery-status", "Nothing: here")).isEqualTo(MimeProps.CLASS_NOTE);
        assertThat(reportClass("disposition-notification",
                "Disposition: manual-action/MDN-sent-manually; displayed")).isEqualTo(MimeProps.CLASS_READ_RECEIPT);
        assertThat(reportClass("disposition-notification",
                "Disposition: automatic-action/MDN-sent-automatically; deleted"))
                .isEqualTo(MimeProps.CLASS_NON_READ_RECEIPT);
    }

    /**
     * @param type   the report-type
     * @param fields the machine-readable part's per-recipient fields
     * @return the class the reader gives the report
     */
    private static String reportClass(String type, String fields) {
        String mime = String.join("\r\n",
                "Content-Type: multipart/report; report-type=" + type + "; boundary=r", "",
                "--r", "Content-Type: text/plain", "", "human text",
                "--r", "Content-Type: message/" + type, "", "Reporting-MTA: dns; mx.example", "", fields,
                "--r--", "");
        InMemoryMessage m = Mapi.read(mime.getBytes(StandardCharsets.US_ASCII));
        assertThat(m.string(PropTags.PR_BODY)).isEqualTo("human text");
        return m.string(PropTags.PR_MESSAGE_CLASS);
    }

    @Test
    void read_recipientsAndOriginators() {
        InMemoryMessage m = Mapi.read(crlf(
                "From: \"Doe, Jane\" <jane@example.com>",
                "Sender: secretary@example.com (The Secretary)",
                "To: undisclosed-recipients:;",
                "To: Team: a@example.com, \"B\" <b@example.com>;, c@example.com",
                "Cc: =?utf-8?Q?J=C3=BCrgen?= <juergen@example.de>, <@route.example:routed@example.org>",
                "Bcc: hidden@example.com",
                "Reply-To: ignored@example.com",
                "", "body"));
        assertThat(m.string(PropTags.PR_SENT_REPRESENTING_NAME)).isEqualTo("Doe, Jane");
        assertThat(m.string(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS)).isEqualTo("jane@example.com");
        assertThat(m.string(PropTags.PR_SENDER_NAME)).isEqualTo("The Secretary");
        assertThat(m.string(PropTags.PR_SENDER_EMAIL_ADDRESS)).isEqualTo("secretary@example.com");
        assertThat(Mapi.recipients(m, Flags.MAPI_TO)).containsExactly("a@example.com", "B <b@example.com>",
                "c@example.com");
        assertThat(Mapi.recipients(m, Flags.MAPI_CC)).containsExactly("Jürgen <juergen@example.de>",
                "routed@example.org");
        assertThat(Mapi.recipients(m, Flags.MAPI_BCC)).containsExactly("hidden@example.com");
        Map<Integer, PropValue> first = m.recipients().get(0);
        assertThat(first.get(PropTags.PR_ADDRTYPE).asString()).isEqualTo("SMTP");
        assertThat(first.get(MimeProps.PR_SMTP_ADDRESS).asString()).isEqualTo("a@example.com");
        assertThat(new String(first.get(PropTags.PR_SEARCH_KEY).asBinary(), StandardCharsets.US_ASCII))
                .isEqualTo("SMTP:A@EXAMPLE.COM\0");
    }

    @Test
    void read_idsImportanceAndTimes() {
        InMemoryMessage m = new InMemoryMessage();
        new MimeReader().withClock(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC)).read(crlf(
                "Message-ID:  <id-1@example.com>  (comment)",
                "In-Reply-To: <parent@example.com> (Jane's message)",
                "References: <a@example.com>", "  <b@example.com>", "References: <c@example.com>",
                "X-Priority: 5 (Lowest)",
                "Date: Tue, 1 Jul 2003 10:52:37 +0200",
                "", ""), m);
        assertThat(m.string(PropTags.PR_INTERNET_MESSAGE_ID)).isEqualTo("<id-1@example.com>");
        assertThat(m.string(PropTags.PR_IN_REPLY_TO_ID)).isEqualTo("<parent@example.com>");
        assertThat(m.string(PropTags.PR_INTERNET_REFERENCES)).isEqualTo("<a@example.com> <b@example.com> <c@example.com>");
        assertThat(m.prop(PropTags.PR_IMPORTANCE).asInt()).isEqualTo(MimeProps.IMPORTANCE_LOW);
        assertThat(m.prop(PropTags.PR_CLIENT_SUBMIT_TIME).asTime()).isEqualTo(Instant.parse("2003-07-01T08:52:37Z"));
        assertThat(m.prop(PropTags.PR_MESSAGE_DELIVERY_TIME).asTime()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        InMemoryMessage high = Mapi.read(crlf("Importance: High", "", ""));
        assertThat(high.prop(PropTags.PR_IMPORTANCE).asInt()).isEqualTo(MimeProps.IMPORTANCE_HIGH);
    }

    @Test
    void read_transportHeadersAreTheRawHeaderBlock() {
        byte[] mime = "From MAILER-DAEMON Fri Jul  8 12:08:34 2011\nReceived: from x\n\tby y\nSubject: =?utf-8?B?w6Q=?=\n\nbody\n"
                .getBytes(StandardCharsets.US_ASCII);
        InMemoryMessage m = Mapi.read(mime);
        assertThat(m.string(PropTags.PR_TRANSPORT_MESSAGE_HEADERS))
                .isEqualTo("Received: from x\r\n\tby y\r\nSubject: =?utf-8?B?w6Q=?=\r\n");
        assertThat(m.string(PropTags.PR_SUBJECT)).isEqualTo("ä");
        assertThat(m.string(PropTags.PR_BODY)).isEqualTo("body\n");
    }

    @Test
    void read_leavesSavingTheMessageToTheCaller() {
        InMemoryMessage m = new InMemoryMessage();
        new MimeReader().read(TestData.eml("mime4j_simple-attachment.eml"), m);
        assertThat(m.saves()).isZero();
        assertThat(m.attachments()).hasSize(1);
        assertThat(m.refCount()).isEqualTo(1);
    }

    @Test
    void read_reportsPropertiesTheTargetRefuses() {
        PropertyBag bag = new PropertyBag();
        bag.putComputed(PropValue.ofBoolean(PropTags.PR_HASATTACH, false));
        InMemoryMessage m = new InMemoryMessage() {
            @Override
            public List<PropProblem> setProps(List<PropValue> values) {
                List<PropProblem> problems = bag.setProps(values);
                super.setProps(values.stream().filter(v -> v.tag() != PropTags.PR_HASATTACH).toList());
                return problems;
            }
        };
        MimeReader.Result r = new MimeReader().read(TestData.eml("mime4j_simple-attachment.eml"), m);
        assertThat(r.defects()).contains("the target message refused PR_HASATTACH: " + HResult.name(HResult.MAPI_E_COMPUTED));
        assertThat(m.string(PropTags.PR_SUBJECT)).isEqualTo("Here is the attachment I was waiting for.");
    }

    @Test
    void read_ioFailureOfTheStreamPropagates() {
        InputStream failing = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n++ > 100) {
                    throw new IOException("disk on fire");
                }
                return 'a';
            }
        };
        assertThatThrownBy(() -> new MimeReader().read(failing, new InMemoryMessage()))
                .isInstanceOf(IOException.class).hasMessage("disk on fire");
    }

    // ---- malformed input: converted as well as the data allows, never an exception, never a hang ----

    @Test
    @Timeout(10)
    void malformed_unterminatedMultipart() {
        MimeReader.Result[] r = new MimeReader.Result[1];
        InMemoryMessage m = new InMemoryMessage();
        r[0] = new MimeReader().read(crlf("Content-Type: multipart/mixed; boundary=b", "", "--b",
                "Content-Type: text/plain", "", "first", "--b", "Content-Type: application/octet-stream",
                "Content-Transfer-Encoding: base64", "", "AAEC"), m);
        assertThat(m.string(PropTags.PR_BODY)).isEqualTo("first");
        assertThat(Mapi.data(m.attachments().get(0))).containsExactly(0, 1, 2);
        assertThat(r[0].defects()).isNotEmpty();
    }

    @Test
    @Timeout(10)
    void malformed_boundaryNeverAppearsOrIsMissing() {
        InMemoryMessage m = Mapi.read(crlf("Content-Type: multipart/mixed; boundary=nowhere", "", "all the text",
                "is here", ""));
        assertThat(m.string(PropTags.PR_BODY)).isEqualTo("all the text\r\nis here\r\n");
        InMemoryMessage n = Mapi.read(crlf("Content-Type: multipart/mixed", "", "no boundary parameter", ""));
        assertThat(n.string(PropTags.PR_BODY)).contains("no boundary parameter");
    }

    @Test
    @Timeout(10)
    void malformed_brokenTransferEncodings() {
        InMemoryMessage m = Mapi.read(crlf("Content-Type: text/plain", "Content-Transfer-Encoding: base64", "",
                "SGVsbG8g!!!d29y*bGQ", ""));
        assertThat(m.string(PropTags.PR_BODY)).startsWith("Hello ");
        InMemoryMessage q = Mapi.read(crlf("Content-Type: text/plain", "Content-Transfer-Encoding: quoted-printable",
                "", "a=ZZb=", "c=4", ""));
        assertThat(q.string(PropTags.PR_BODY)).startsWith("a").contains("b");
        InMemoryMessage u = Mapi.read(crlf("Content-Type: text/plain", "Content-Transfer-Encoding: x-uuencode", "",
                "begin 644 x", ""));
        assertThat(u.string(PropTags.PR_BODY)).isEqualTo("begin 644 x\r\n");
    }

    @Test
    @Timeout(10)
    void malformed_headerLineLongerThanTheLimitStopsTheParse() {
        byte[] mime = crlf("Subject: ok", "X-Long: " + "x".repeat(2 * 1024 * 1024), "", "body");
        InMemoryMessage m = new InMemoryMessage();
        MimeReader.Result r = new MimeReader().read(mime, m);
        assertThat(r.defects()).anyMatch(d -> d.startsWith("parsing stopped early"));
        assertThat(m.string(PropTags.PR_MESSAGE_CLASS)).isEqualTo("IPM.Note");
    }

    @Test
    @Timeout(20)
    void malformed_deepNesting() {
        InMemoryMessage shallow = Mapi.read(nested(MimeToMapi.MAX_DEPTH - 2));
        assertThat(shallow.string(PropTags.PR_BODY)).isEqualTo("deep");
        InMemoryMessage deep = new InMemoryMessage();
        MimeReader.Result r = new MimeReader().read(nested(20_000), deep);
        assertThat(deep.string(PropTags.PR_BODY)).isNull();
        assertThat(deep.attachments()).hasSize(1);
        assertThat(Mapi.string(deep.attachments().get(0), PropTags.PR_ATTACH_MIME_TAG)).isEqualTo("multipart/mixed");
        assertThat(new String(Mapi.data(deep.attachments().get(0)), StandardCharsets.US_ASCII)).contains("deep");
        assertThat(r.defects()).anyMatch(d -> d.contains("nested deeper than"));
    }

    /**
     * @param depth nesting levels
     * @return a message of {@code depth} nested multiparts around one text part "deep" (no boundary is a prefix of
     *         another, which mime4j would take as a delimiter)
     */
    private static byte[] nested(int depth) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            sb.append("Content-Type: multipart/mixed; boundary=b").append(i).append("z\r\n\r\n--b").append(i)
                    .append("z\r\n");
        }
        sb.append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        for (int i = depth - 1; i >= 0; i--) {
            sb.append("--b").append(i).append("z--\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    @Timeout(10)
    void malformed_oddInputs() {
        List<byte[]> inputs = List.of(new byte[0], "\r\n".getBytes(StandardCharsets.US_ASCII),
                "no header at all, just text".getBytes(StandardCharsets.US_ASCII),
                "Subject: only a header".getBytes(StandardCharsets.US_ASCII),
                "Subject: a\rTo: b@c\r\rbare CR line ends\r".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0, 0, 0, ':', 0, '\n', '\n', 0},
                crlf(":", ": no name", "Subject", "Content-Type: ;;;;", "Content-Disposition: =", "", ""),
                crlf("Content-Type: message/rfc822", "", "not really a message"),
                crlf("Content-Type: multipart/digest; boundary=d", "", "--d", "", "--d--"),
                crlf("Date: 99 Foo 12345 25:61:61 +9999", "To: <<<>>>, \"unterminated", "From: (((", "", ""));
        for (byte[] in : inputs) {
            assertThatCode(() -> new MimeReader().read(in, new InMemoryMessage())).doesNotThrowAnyException();
        }
        InMemoryMessage empty = Mapi.read(new byte[0]);
        assertThat(empty.string(PropTags.PR_MESSAGE_CLASS)).isEqualTo("IPM.Note");
        assertThat(empty.string(PropTags.PR_TRANSPORT_MESSAGE_HEADERS)).isEmpty();
        assertThat(result(crlf("Date: 99 Foo 12345 25:61:61 +9999", "", "")).defects())
                .anyMatch(d -> d.startsWith("malformed Date"));
    }

    @Test
    @Timeout(60)
    void malformed_mutatedTestdataNeverThrows() {
        Random random = new Random(20240501);
        for (String file : TestData.emlFiles()) {
            byte[] original = TestData.eml(file);
            for (int i = 0; i < 40; i++) {
                byte[] mutated = mutate(original, random);
                assertThatCode(() -> new MimeReader().read(mutated, new InMemoryMessage()))
                        .as("%s mutation %d", file, i).doesNotThrowAnyException();
            }
        }
        for (int i = 0; i < 200; i++) {
            byte[] noise = new byte[random.nextInt(4000)];
            random.nextBytes(noise);
            assertThatCode(() -> new MimeReader().read(noise, new InMemoryMessage())).doesNotThrowAnyException();
        }
    }

    /**
     * @param in     a message
     * @param random randomness
     * @return it with bytes flipped, deleted or duplicated, or truncated
     */
    private static byte[] mutate(byte[] in, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int cut = random.nextInt(4) == 0 ? random.nextInt(in.length + 1) : in.length;
        for (int i = 0; i < cut; i++) {
            int r = random.nextInt(100);
            if (r == 0) {
                continue;
            }
            out.write(r == 1 ? random.nextInt(256) : r == 2 ? "\r\n-=?:;\"<>(".charAt(random.nextInt(11)) : in[i]);
            if (r == 3) {
                out.write(in[i]);
            }
        }
        return out.toByteArray();
    }

    @Test
    void read_fromStreamEqualsFromBytes() throws IOException {
        byte[] mime = TestData.eml("rubymail_attachment_pdf_non_ascii.eml");
        InMemoryMessage a = new InMemoryMessage();
        new MimeReader().withDeliveryTime(Mapi.DELIVERED).read(new FilterInputStream(new ByteArrayInputStream(mime)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 7));
            }
        }, a);
        RoundTripTest.assertSameMessage(a, Mapi.read(mime));
    }
}
