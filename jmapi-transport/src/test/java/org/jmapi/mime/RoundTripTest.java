package org.jmapi.mime;

import org.jmapi.Flags;
import org.jmapi.client.Attach;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** MAPI &#8594; MIME &#8594; MAPI keeps what a message is made of. */
class RoundTripTest {

    /**
     * Asserts that a message read back from MIME equals the original in everything MIME carries: subject parts,
     * originator, To and Cc, submit time (to the second), ids, importance, class, bodies (line breaks compared as
     * CRLF, which the writer makes them), attachments (method, type, names, Content-ID, bytes).
     *
     * @param actual   the message read back
     * @param expected the original
     */
    static void assertSameMessage(InMemoryMessage actual, InMemoryMessage expected) {
        for (int tag : new int[] {PropTags.PR_SUBJECT, PropTags.PR_SUBJECT_PREFIX, PropTags.PR_NORMALIZED_SUBJECT,
            PropTags.PR_SENT_REPRESENTING_NAME, PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS,
            PropTags.PR_SENDER_NAME, PropTags.PR_SENDER_EMAIL_ADDRESS, PropTags.PR_INTERNET_MESSAGE_ID,
            PropTags.PR_IN_REPLY_TO_ID, PropTags.PR_INTERNET_REFERENCES, PropTags.PR_MESSAGE_CLASS}) {
            if (tag == PropTags.PR_INTERNET_MESSAGE_ID && expected.prop(tag) == null) {
                assertThat(actual.string(tag)).as("generated Message-ID").matches("<[^<>@\\s]+@[^<>@\\s]+>");
                continue;
            }
            assertThat(actual.string(tag)).as(PropTags.name(tag)).isEqualTo(expected.string(tag));
        }
        PropValue submit = expected.prop(PropTags.PR_CLIENT_SUBMIT_TIME);
        if (submit != null) {
            assertThat(actual.prop(PropTags.PR_CLIENT_SUBMIT_TIME).asTime())
                    .isEqualTo(Instant.ofEpochSecond(submit.asTime().getEpochSecond()));
        }
        assertThat(actual.prop(PropTags.PR_IMPORTANCE)).isEqualTo(expected.prop(PropTags.PR_IMPORTANCE));
        assertThat(Mapi.recipients(actual, Flags.MAPI_TO)).isEqualTo(Mapi.recipients(expected, Flags.MAPI_TO));
        assertThat(Mapi.recipients(actual, Flags.MAPI_CC)).isEqualTo(Mapi.recipients(expected, Flags.MAPI_CC));
        String body = expected.string(PropTags.PR_BODY);
        boolean bare = body == null && expected.prop(PropTags.PR_HTML) == null && expected.attachments().isEmpty();
        assertThat(crlf(actual.string(PropTags.PR_BODY))).as("PR_BODY").isEqualTo(bare ? "" : crlf(body));
        assertThat(crlf(Mapi.html(actual))).as("PR_HTML").isEqualTo(crlf(Mapi.html(expected)));
        List<Map<Integer, PropValue>> a = actual.attachments();
        List<Map<Integer, PropValue>> e = expected.attachments();
        assertThat(a).as("attachments").hasSameSizeAs(e);
        for (int i = 0; i < e.size(); i++) {
            for (int tag : new int[] {PropTags.PR_ATTACH_METHOD, PropTags.PR_ATTACH_MIME_TAG,
                PropTags.PR_ATTACH_LONG_FILENAME, PropTags.PR_ATTACH_CONTENT_ID, PropTags.PR_ATTACH_SIZE}) {
                assertThat(a.get(i).get(tag)).as("attachment %d %s", i, PropTags.name(tag)).isEqualTo(e.get(i).get(tag));
            }
            assertThat(Mapi.data(a.get(i))).as("attachment %d bytes", i).isEqualTo(Mapi.data(e.get(i)));
        }
        assertThat(actual.prop(PropTags.PR_HASATTACH)).isEqualTo(expected.prop(PropTags.PR_HASATTACH));
    }

    /**
     * @param s text or null
     * @return it with line breaks as CRLF
     */
    private static String crlf(String s) {
        return s == null ? null : s.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    /**
     * @param type  MAPI_TO, MAPI_CC, MAPI_BCC, possibly with MAPI_P1
     * @param name  display name
     * @param email SMTP address
     * @return a recipient row
     */
    static List<PropValue> recipient(int type, String name, String email) {
        return List.of(PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, type),
                PropValue.ofString(PropTags.PR_DISPLAY_NAME, name),
                PropValue.ofString(PropTags.PR_EMAIL_ADDRESS, email),
                PropValue.ofString(PropTags.PR_ADDRTYPE, "SMTP"));
    }

    /**
     * @param m     a message
     * @param props the attachment's properties
     */
    static void attach(InMemoryMessage m, List<PropValue> props) {
        Attach a = m.createAttach(0);
        a.setProps(props);
        a.saveChanges(0);
        a.release();
    }

    /** @return a message with everything: non-ASCII subject and names, both bodies, inline image, files, embedded */
    static InMemoryMessage fullMessage() {
        InMemoryMessage m = new InMemoryMessage();
        String subject = "RE: Grüße aus Köln — 会議の件 🎉 and a rather long tail that makes the encoded header fold";
        m.setProps(List.of(
                PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note"),
                PropValue.ofString(PropTags.PR_SUBJECT, subject),
                PropValue.ofString(PropTags.PR_SUBJECT_PREFIX, "RE: "),
                PropValue.ofString(PropTags.PR_NORMALIZED_SUBJECT, subject.substring(4)),
                PropValue.ofString(PropTags.PR_SENT_REPRESENTING_NAME, "Zoë Ångström"),
                PropValue.ofString(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS, "zoe@example.org"),
                PropValue.ofString(MimeProps.PR_SENT_REPRESENTING_ADDRTYPE, "SMTP"),
                PropValue.ofString(PropTags.PR_SENDER_NAME, "Zoë Ångström"),
                PropValue.ofString(PropTags.PR_SENDER_EMAIL_ADDRESS, "zoe@example.org"),
                PropValue.ofString(PropTags.PR_SENDER_ADDRTYPE, "SMTP"),
                PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME, Instant.parse("2024-03-01T09:30:15Z")),
                PropValue.ofString(PropTags.PR_INTERNET_MESSAGE_ID, "<abc.123@example.org>"),
                PropValue.ofString(PropTags.PR_IN_REPLY_TO_ID, "<parent.1@example.net>"),
                PropValue.ofString(PropTags.PR_INTERNET_REFERENCES,
                        "<root.0@example.net> <a.very.long.reference.identifier.0001@some.host.example.net> "
                                + "<parent.1@example.net>"),
                PropValue.ofInt(PropTags.PR_IMPORTANCE, MimeProps.IMPORTANCE_HIGH),
                PropValue.ofString(PropTags.PR_BODY, "Hallo,\r\n\r\nanbei die Unterlagen. Größe: 3 MB\r\n"
                        + "Trailing space here \r\n=== not QP ===\r\n"),
                PropValue.ofBinary(PropTags.PR_HTML, ("<html><body><p>Hallo, anbei <b>die Unterlagen</b>.</p>"
                        + "<img src=\"cid:logo.1@example.org\"></body></html>").getBytes(StandardCharsets.UTF_8)),
                PropValue.ofInt(MimeProps.PR_INTERNET_CPID, 65001),
                PropValue.ofBoolean(PropTags.PR_HASATTACH, true)));
        m.modifyRecipients(Flags.MODRECIP_ADD, List.of(
                recipient(Flags.MAPI_TO, "Müller, Hans", "hans@example.com"),
                recipient(Flags.MAPI_TO, "plain@example.com", "plain@example.com"),
                recipient(Flags.MAPI_CC, "李小龍", "lee@example.cn"),
                recipient(Flags.MAPI_CC, "Quote \"Me\" \\ please", "q@example.com"),
                recipient(Flags.MAPI_BCC, "Hidden Person", "hidden@example.com")));
        byte[] png = new byte[3000];
        new Random(7).nextBytes(png);
        attach(m, List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_BY_VALUE),
                PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, png),
                PropValue.ofString(PropTags.PR_ATTACH_MIME_TAG, "image/png"),
                PropValue.ofString(PropTags.PR_ATTACH_LONG_FILENAME, "logo.png"),
                PropValue.ofString(PropTags.PR_ATTACH_CONTENT_ID, "logo.1@example.org"),
                PropValue.ofInt(PropTags.PR_ATTACH_SIZE, png.length)));
        byte[] pdf = new byte[70_000];
        new Random(8).nextBytes(pdf);
        String longName = "Übersicht der Quartalszahlen für das Geschäftsjahr 2024 – endgültige Fassung (ÄÖÜ).pdf";
        attach(m, List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_BY_VALUE),
                PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, pdf),
                PropValue.ofString(PropTags.PR_ATTACH_MIME_TAG, "application/pdf"),
                PropValue.ofString(PropTags.PR_ATTACH_LONG_FILENAME, longName),
                PropValue.ofInt(PropTags.PR_ATTACH_SIZE, pdf.length)));
        byte[] unixText = "line one\nline two\n\tindented\nno final newline".getBytes(StandardCharsets.US_ASCII);
        attach(m, List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_BY_VALUE),
                PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, unixText),
                PropValue.ofString(PropTags.PR_ATTACH_MIME_TAG, "text/plain"),
                PropValue.ofString(PropTags.PR_ATTACH_LONG_FILENAME, "notes \"v2\"; final.txt"),
                PropValue.ofInt(PropTags.PR_ATTACH_SIZE, unixText.length)));
        byte[] inner = ("From: a@example.com\r\nTo: b@example.com\r\nSubject: Inner =?utf-8?B?w6TDtsO8?=\r\n"
                + "Message-ID: <inner@example.com>\r\n\r\nInner body\r\n").getBytes(StandardCharsets.US_ASCII);
        attach(m, List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_EMBEDDED_MSG),
                PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, inner),
                PropValue.ofString(PropTags.PR_ATTACH_MIME_TAG, MimeProps.MIME_MESSAGE_RFC822),
                PropValue.ofInt(PropTags.PR_ATTACH_SIZE, inner.length)));
        return m;
    }

    @Test
    @Timeout(10)
    void roundTrip_fullMessage() {
        InMemoryMessage original = fullMessage();
        byte[] mime = new MimeWriter().toBytes(original);
        InMemoryMessage back = Mapi.read(mime);
        assertSameMessage(back, original);
        assertThat(back.string(PropTags.PR_BODY)).isEqualTo(original.string(PropTags.PR_BODY));
        assertThat(back.string(PropTags.PR_SUBJECT)).contains("🎉").contains("会議の件");
        assertThat(Mapi.recipients(back, Flags.MAPI_TO))
                .containsExactly("Müller, Hans <hans@example.com>", "plain@example.com");
        assertThat(Mapi.recipients(back, Flags.MAPI_CC))
                .containsExactly("李小龍 <lee@example.cn>", "Quote \"Me\" \\ please <q@example.com>");
        assertThat(Mapi.recipients(back, Flags.MAPI_BCC)).as("Bcc is not in the content").isEmpty();
        List<Map<Integer, PropValue>> atts = back.attachments();
        assertThat(atts.get(0).get(MimeProps.PR_ATTACHMENT_HIDDEN).asBoolean()).as("inline image").isTrue();
        assertThat(Mapi.string(atts.get(3), PropTags.PR_DISPLAY_NAME)).isEqualTo("Inner äöü");
        InMemoryMessage inner = Mapi.open(atts.get(3));
        assertThat(inner.string(PropTags.PR_BODY)).isEqualTo("Inner body\r\n");
        assertThat(back.prop(PropTags.PR_IMPORTANCE).asInt()).isEqualTo(MimeProps.IMPORTANCE_HIGH);
    }

    @Test
    void roundTrip_twiceGivesTheSameMapiMessage() {
        InMemoryMessage once = Mapi.read(new MimeWriter().toBytes(fullMessage()));
        InMemoryMessage twice = Mapi.read(new MimeWriter().toBytes(once));
        assertSameMessage(twice, once);
    }

    @Test
    void roundTrip_plainOnlyHtmlOnlyAndEmpty() {
        for (List<PropValue> props : List.of(
                List.of(PropValue.ofString(PropTags.PR_BODY, "just text, no final line break")),
                List.of(PropValue.ofString(PropTags.PR_BODY, "")),
                List.of(PropValue.ofString(PropTags.PR_BODY_HTML, "<p>Straße</p>")),
                List.of(PropValue.ofString(PropTags.PR_SUBJECT, "nothing else")))) {
            InMemoryMessage m = new InMemoryMessage();
            m.setProps(props);
            InMemoryMessage back = Mapi.read(new MimeWriter().toBytes(m));
            if (m.prop(PropTags.PR_BODY_HTML) != null) {
                assertThat(Mapi.html(back)).isEqualTo("<p>Straße</p>");
                assertThat(back.prop(PropTags.PR_BODY)).isNull();
            } else if (m.prop(PropTags.PR_BODY) != null) {
                assertThat(back.string(PropTags.PR_BODY)).isEqualTo(m.string(PropTags.PR_BODY));
            } else {
                assertThat(back.string(PropTags.PR_SUBJECT)).isEqualTo("nothing else");
                assertThat(back.string(PropTags.PR_BODY)).isEmpty();
            }
        }
    }

    @Test
    void roundTrip_subjectsOfEveryKind() {
        List<String> subjects = new ArrayList<>(List.of("", " leading and trailing ", "a  double  space",
                "=?utf-8?Q?looks_encoded?=", "tab\there", "x".repeat(1200), "ü".repeat(300),
                "Fwd: 👍🏽 ok", "ĀāĂăĄą" + "\u0301" + " combining", "ends with emoji 🍿"));
        for (String s : subjects) {
            InMemoryMessage m = new InMemoryMessage();
            m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, s)));
            byte[] mime = new MimeWriter().toBytes(m);
            for (String line : new String(mime, StandardCharsets.US_ASCII).split("\r\n")) {
                assertThat(line.length()).as("line length for subject %s", s).isLessThanOrEqualTo(998);
            }
            assertThat(Mapi.read(mime).string(PropTags.PR_SUBJECT)).as("subject %s", s).isEqualTo(s.strip());
        }
    }

    @Test
    void roundTrip_reportKeepsItsClass() {
        InMemoryMessage first = Mapi.read(TestData.eml("rubymail_multi_address_bounce1.eml"));
        byte[] mime = new MimeWriter().toBytes(first);
        assertThat(new String(mime, StandardCharsets.US_ASCII))
                .contains("multipart/report; report-type=delivery-status");
        assertThat(Mapi.read(mime).string(PropTags.PR_MESSAGE_CLASS)).isEqualTo(MimeProps.CLASS_NON_DELIVERY_REPORT);
    }

    @Test
    @Timeout(30)
    void roundTrip_largeAttachment() {
        InMemoryMessage m = new InMemoryMessage();
        byte[] big = new byte[12 * 1024 * 1024];
        new Random(1).nextBytes(big);
        m.setProps(List.of(PropValue.ofString(PropTags.PR_BODY, "big one")));
        attach(m, List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_BY_VALUE),
                PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, big),
                PropValue.ofString(PropTags.PR_ATTACH_MIME_TAG, "application/octet-stream"),
                PropValue.ofString(PropTags.PR_ATTACH_LONG_FILENAME, "big.bin")));
        InMemoryMessage back = Mapi.read(new MimeWriter().toBytes(m));
        assertThat(Mapi.data(back.attachments().get(0))).isEqualTo(big);
    }
}
