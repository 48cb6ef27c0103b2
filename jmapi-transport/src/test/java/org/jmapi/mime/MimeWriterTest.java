package org.jmapi.mime;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropertyBag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link MimeWriter} puts into the bytes, and what it keeps out. */
class MimeWriterTest {

    /**
     * @param mime RFC 5322 bytes
     * @return the header block, unfolded
     */
    private static String header(byte[] mime) {
        String s = new String(mime, StandardCharsets.UTF_8);
        return s.substring(0, s.indexOf("\r\n\r\n") + 2).replace("\r\n ", " ").replace("\r\n\t", "\t");
    }

    /**
     * @param mime RFC 5322 bytes
     * @return them as text
     */
    private static String text(byte[] mime) {
        return new String(mime, StandardCharsets.UTF_8);
    }

    @Test
    void write_neverWritesBcc() {
        InMemoryMessage m = RoundTripTest.fullMessage();
        MimeWriter.Result r;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            r = new MimeWriter().write(m, out);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        String all = text(out.toByteArray());
        assertThat(header(out.toByteArray())).doesNotContainPattern("(?im)^bcc\\s*:");
        assertThat(all).doesNotContain("hidden@example.com").doesNotContain("Hidden Person");
        assertThat(r.recipients()).as("Bcc recipients are returned for the envelope")
                .contains(new MimeWriter.Recipient(Flags.MAPI_BCC, "Hidden Person", "hidden@example.com"));
    }

    @Test
    void write_neverWritesP1Recipients_RXPS3() {
        InMemoryMessage m = new InMemoryMessage();
        m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "resend")));
        m.modifyRecipients(Flags.MODRECIP_ADD, List.of(
                RoundTripTest.recipient(Flags.MAPI_TO, "Kept", "kept@example.com"),
                RoundTripTest.recipient(Flags.MAPI_TO | Flags.MAPI_P1, "Envelope Only", "p1to@example.com"),
                RoundTripTest.recipient(Flags.MAPI_CC | Flags.MAPI_P1, "Envelope Cc", "p1cc@example.com"),
                RoundTripTest.recipient(Flags.MAPI_CC | Flags.MAPI_SUBMITTED, "Submitted", "sub@example.com")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MimeWriter.Result r;
        try {
            r = new MimeWriter().write(m, out);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        String h = header(out.toByteArray());
        assertThat(h).contains("To: Kept <kept@example.com>").contains("Cc: Submitted <sub@example.com>")
                .doesNotContain("p1to@example.com").doesNotContain("p1cc@example.com");
        assertThat(r.recipients()).extracting(MimeWriter.Recipient::address)
                .containsExactly("kept@example.com", "sub@example.com");
        assertThat(r.omitted()).anyMatch(s -> s.contains("Envelope Only") && s.contains("MAPI_P1"));
    }

    @Test
    void write_nonSmtpRecipientUsesSmtpAddressOrIsOmitted() {
        InMemoryMessage m = new InMemoryMessage();
        m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "x")));
        m.modifyRecipients(Flags.MODRECIP_ADD, List.of(
                List.of(PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, Flags.MAPI_TO),
                        PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Exchange User"),
                        PropValue.ofString(PropTags.PR_ADDRTYPE, "EX"),
                        PropValue.ofString(PropTags.PR_EMAIL_ADDRESS, "/o=Org/ou=Site/cn=Recipients/cn=user"),
                        PropValue.ofString(MimeProps.PR_SMTP_ADDRESS, "user@example.com")),
                List.of(PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, Flags.MAPI_TO),
                        PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Fax Only"),
                        PropValue.ofString(PropTags.PR_ADDRTYPE, "FAX"),
                        PropValue.ofString(PropTags.PR_EMAIL_ADDRESS, "+1 555 0100"))));
        MimeWriter.Result r = write(m);
        String h = header(new MimeWriter().toBytes(m));
        assertThat(h).contains("To: Exchange User <user@example.com>").doesNotContain("/o=Org")
                .doesNotContain("+1 555 0100").doesNotContain("Fax Only");
        assertThat(r.omitted()).anyMatch(s -> s.contains("Fax Only") && s.contains("FAX"));
    }

    /**
     * @param m a message
     * @return the writer's result
     */
    private static MimeWriter.Result write(InMemoryMessage m) {
        try {
            return new MimeWriter().write(m, new ByteArrayOutputStream());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void write_headers() {
        byte[] mime = new MimeWriter().withZone(ZoneOffset.UTC).toBytes(RoundTripTest.fullMessage());
        String h = header(mime);
        assertThat(h).startsWith("Date: Fri, 1 Mar 2024 09:30:15 +0000\r\n")
                .contains("From: =?utf-8?Q?Zo=C3=AB_=C3=85ngstr=C3=B6m?= <zoe@example.org>\r\n")
                .contains("Message-ID: <abc.123@example.org>\r\n")
                .contains("In-Reply-To: <parent.1@example.net>\r\n")
                .contains("References: <root.0@example.net> <a.very.long.reference.identifier.0001@some.host.example.net>"
                        + " <parent.1@example.net>\r\n")
                .contains("Importance: high\r\n").contains("X-Priority: 1\r\n")
                .contains("MIME-Version: 1.0\r\n")
                .doesNotContain("Sender:");
        assertThat(h).contains("\r\nTo: =?utf-8?Q?M=C3=BCller=2C_Hans?= <hans@example.com>, plain@example.com\r\n");
        assertThat(h).containsPattern("\r\nSubject: =\\?utf-8\\?[QB]\\?");
        for (String line : text(mime).split("\r\n")) {
            assertThat(line.length()).as("line: %s", line).isLessThanOrEqualTo(998);
        }
        String rawHeader = text(mime).substring(0, text(mime).indexOf("\r\n\r\n"));
        for (String line : rawHeader.split("\r\n")) {
            assertThat(line.length()).as("header line: %s", line).isLessThanOrEqualTo(78);
            assertThat(line).as("header is ASCII").matches("\\p{ASCII}*");
        }
    }

    @Test
    void write_structure_mixedAlternativeRelated() {
        String all = text(new MimeWriter().toBytes(RoundTripTest.fullMessage()));
        int mixed = all.indexOf("multipart/mixed");
        int alternative = all.indexOf("multipart/alternative");
        int plain = all.indexOf("Content-Type: text/plain; charset=utf-8");
        int related = all.indexOf("multipart/related");
        int html = all.indexOf("Content-Type: text/html; charset=utf-8");
        int image = all.indexOf("Content-Type: image/png; name=logo.png");
        int pdf = all.indexOf("Content-Type: application/pdf;");
        assertThat(mixed).isGreaterThan(0);
        assertThat(List.of(mixed, alternative, plain, related, html, image, pdf)).isSorted();
        assertThat(all).contains("Content-Disposition: inline; filename=logo.png\r\nContent-ID: <logo.1@example.org>");
        assertThat(all).contains("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 7bit\r\n"
                + "Content-Disposition: attachment\r\n\r\nFrom: a@example.com");
        assertThat(all).contains("filename*0*=utf-8''%C3%9Cbersicht");
        assertThat(all).contains("filename=\"notes \\\"v2\\\"; final.txt\"");
    }

    @Test
    void write_imageWithContentIdButNoHtmlReferenceIsARegularAttachment() {
        InMemoryMessage m = new InMemoryMessage();
        m.setProps(List.of(PropValue.ofString(PropTags.PR_BODY_HTML, "<p>no image here</p>")));
        RoundTripTest.attach(m, List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_BY_VALUE),
                PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, new byte[] {1, 2, 3}),
                PropValue.ofString(PropTags.PR_ATTACH_MIME_TAG, "image/gif"),
                PropValue.ofString(PropTags.PR_ATTACH_CONTENT_ID, "<unused@x>")));
        String all = text(new MimeWriter().toBytes(m));
        assertThat(all).contains("multipart/mixed").doesNotContain("multipart/related")
                .contains("Content-Disposition: attachment\r\nContent-ID: <unused@x>");
    }

    @Test
    void write_transferEncodingsByContent() {
        InMemoryMessage m = new InMemoryMessage();
        m.setProps(List.of(PropValue.ofString(PropTags.PR_BODY, "Grüße, mostly ASCII text.\r\n")));
        assertThat(text(new MimeWriter().toBytes(m))).contains("charset=utf-8\r\nContent-Transfer-Encoding: "
                + "quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe, mostly ASCII text.\r\n");
        m.setProps(List.of(PropValue.ofString(PropTags.PR_BODY, "Всё хорошо, спасибо")));
        assertThat(text(new MimeWriter().toBytes(m))).contains("Content-Transfer-Encoding: base64");
        m.setProps(List.of(PropValue.ofString(PropTags.PR_BODY, "ASCII\r\n")));
        assertThat(text(new MimeWriter().toBytes(m))).contains("charset=us-ascii\r\nContent-Transfer-Encoding: 7bit");
        m.setProps(List.of(PropValue.ofString(PropTags.PR_BODY, "y".repeat(1200))));
        assertThat(text(new MimeWriter().toBytes(m))).as("a line too long for 7bit")
                .contains("Content-Transfer-Encoding: quoted-printable");
    }

    @Test
    void write_embeddedMessageIsNeverBase64() {
        InMemoryMessage m = new InMemoryMessage();
        byte[] eightBit = "Subject: x\r\n\r\nGrüße\r\n".getBytes(StandardCharsets.UTF_8);
        RoundTripTest.attach(m, List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_EMBEDDED_MSG),
                PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, eightBit)));
        String all = text(new MimeWriter().toBytes(m));
        assertThat(all).contains("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit")
                .doesNotContain("base64");
    }

    @Test
    void write_generatesMessageIdAndDateWhenMissing() {
        InMemoryMessage m = new InMemoryMessage();
        m.setProps(List.of(PropValue.ofString(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS, "me@mail.example.org")));
        MimeWriter w = new MimeWriter().withClock(Clock.fixed(Instant.parse("2020-01-02T03:04:05Z"), ZoneOffset.UTC))
                .withZone(ZoneId.of("Europe/Berlin"));
        String h = header(w.toBytes(m));
        assertThat(h).contains("Date: Thu, 2 Jan 2020 04:04:05 +0100\r\n")
                .containsPattern("Message-ID: <[0-9a-f]{32}@mail\\.example\\.org>\r\n");
        assertThat(header(w.withMessageIdDomain("ids.example").toBytes(m))).containsPattern("@ids\\.example>");
        assertThat(header(w.toBytes(new InMemoryMessage()))).containsPattern("@jmapi\\.invalid>");
        assertThatThrownBy(() -> w.withMessageIdDomain("bad domain")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void write_senderWhenDifferentFromFrom() {
        InMemoryMessage m = new InMemoryMessage();
        m.setProps(List.of(
                PropValue.ofString(PropTags.PR_SENT_REPRESENTING_NAME, "Boss"),
                PropValue.ofString(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS, "boss@example.com"),
                PropValue.ofString(PropTags.PR_SENDER_NAME, "Assistant"),
                PropValue.ofString(PropTags.PR_SENDER_EMAIL_ADDRESS, "assistant@example.com")));
        String h = header(new MimeWriter().toBytes(m));
        assertThat(h).contains("From: Boss <boss@example.com>\r\n").contains("Sender: Assistant <assistant@example.com>");
        InMemoryMessage back = Mapi.read(new MimeWriter().toBytes(m));
        assertThat(back.string(PropTags.PR_SENDER_EMAIL_ADDRESS)).isEqualTo("assistant@example.com");
        assertThat(back.string(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS)).isEqualTo("boss@example.com");
    }

    @Test
    void write_onlyMappedPropertiesAreTransmitted() {
        InMemoryMessage m = new InMemoryMessage();
        m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "visible"),
                PropValue.ofBinary(PropTags.PR_ENTRYID, new byte[] {9, 9, 9}),
                PropValue.ofString(PropTags.PR_DISPLAY_TO, "nontransmittable display to"),
                PropValue.ofString(0x6601001F, "provider private secret"),
                PropValue.ofString(0x8001001F, "named property value")));
        String all = text(new MimeWriter().toBytes(m));
        assertThat(all).contains("visible").doesNotContain("nontransmittable").doesNotContain("secret")
                .doesNotContain("named property");
    }

    @Test
    void write_attachMethodsWithoutMimeFormAreOmitted() {
        InMemoryMessage m = new InMemoryMessage();
        RoundTripTest.attach(m, List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_OLE),
                PropValue.ofString(PropTags.PR_ATTACH_LONG_FILENAME, "object.ole")));
        MimeWriter.Result r = write(m);
        assertThat(r.attachments()).isZero();
        assertThat(r.omitted()).anyMatch(s -> s.contains("object.ole") && s.contains("PR_ATTACH_METHOD 6"));
        assertThat(text(new MimeWriter().toBytes(m))).doesNotContain("object.ole");
    }

    @Test
    void write_unusableIdsAreReplacedOrDropped() {
        InMemoryMessage m = new InMemoryMessage();
        m.setProps(List.of(PropValue.ofString(PropTags.PR_INTERNET_MESSAGE_ID, "no brackets@example.com here"),
                PropValue.ofString(PropTags.PR_IN_REPLY_TO_ID, "bare@example.com")));
        MimeWriter.Result r = write(m);
        String h = header(new MimeWriter().toBytes(m));
        assertThat(h).contains("In-Reply-To: <bare@example.com>\r\n").contains("Message-ID: <brackets@example.com>");
        assertThat(r.messageId()).isEqualTo("<brackets@example.com>");
    }

    @Test
    void write_largeValueReadThroughGetAllProps() {
        // A store with an inline limit answers MAPI_E_NOT_ENOUGH_MEMORY for large explicit requests.
        PropertyBag limited = new PropertyBag(16);
        limited.put(PropValue.ofString(PropTags.PR_BODY, "a body that is longer than sixteen characters"));
        assertThat(limited.getProps(new int[] {PropTags.PR_BODY}, 0).values().get(0).errorCode())
                .isEqualTo(HResult.MAPI_E_NOT_ENOUGH_MEMORY);
        InMemoryMessage m = new InMemoryMessage() {
            @Override
            public org.jmapi.prop.PropValues getProps(int[] tags, int flags) {
                return limited.getProps(tags, flags);
            }
        };
        assertThat(text(new MimeWriter().toBytes(m))).contains("a body that is longer than sixteen characters");
    }

    @Test
    void write_valueTooLargeEverywhere_andNoOpenProperty_isMapiENotEnoughMemory() {
        // No OpenProperty (MAPI_E_NO_SUPPORT) and GetProps answers the body with an error even when asked for all:
        // the writer cannot read it and says so instead of leaving the body out.
        InMemoryMessage m = new InMemoryMessage() {
            @Override
            public org.jmapi.prop.PropValues getProps(int[] tags, int flags) {
                List<PropValue> out = new java.util.ArrayList<>();
                for (PropValue v : super.getProps(tags, flags).values()) {
                    out.add(v.id() == org.jmapi.prop.PropTag.id(PropTags.PR_BODY)
                            ? PropValue.error(PropTags.PR_BODY, HResult.MAPI_E_NOT_ENOUGH_MEMORY) : v);
                }
                return org.jmapi.prop.PropValues.of(out);
            }
        };
        m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "s"), PropValue.ofString(PropTags.PR_BODY, "b")));
        assertThatThrownBy(() -> new MimeWriter().toBytes(m)).isInstanceOf(MapiException.class)
                .satisfies(e -> assertThat(((MapiException) e).hresult()).isEqualTo(HResult.MAPI_E_NOT_ENOUGH_MEMORY))
                .hasMessageContaining("PR_BODY");
    }

    @Test
    void write_valuesCannotInjectHeaderLines() {
        InMemoryMessage m = new InMemoryMessage();
        m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "hi\r\nBcc: evil@example.com"),
                PropValue.ofString(PropTags.PR_SENT_REPRESENTING_NAME, "Me\r\nX-Evil: 1"),
                PropValue.ofString(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS, "me@example.com")));
        m.modifyRecipients(Flags.MODRECIP_ADD, List.of(
                RoundTripTest.recipient(Flags.MAPI_TO, "To\nX-Evil: 2", "to@example.com\r\nX-Evil: 3")));
        RoundTripTest.attach(m, List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_BY_VALUE),
                PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, new byte[] {1}),
                PropValue.ofString(PropTags.PR_ATTACH_LONG_FILENAME, "a\r\nX-Evil: 4.txt"),
                PropValue.ofString(PropTags.PR_ATTACH_CONTENT_ID, "id\r\nX-Evil: 5"),
                PropValue.ofString(MimeProps.PR_ATTACH_CONTENT_LOCATION, "loc\r\nX-Evil: 6")));
        byte[] mime = new MimeWriter().toBytes(m);
        for (String line : text(mime).split("\r\n")) {
            assertThat(line).doesNotStartWith("Bcc").doesNotStartWith("X-Evil");
        }
        InMemoryMessage back = Mapi.read(mime);
        assertThat(back.string(PropTags.PR_SUBJECT)).isEqualTo("hi\r\nBcc: evil@example.com");
        assertThat(back.string(PropTags.PR_SENT_REPRESENTING_NAME)).isEqualTo("Me\r\nX-Evil: 1");
        assertThat(Mapi.string(back.attachments().get(0), PropTags.PR_ATTACH_LONG_FILENAME))
                .as("control characters are removed from received filenames").isEqualTo("aX-Evil: 4.txt");
    }

    @Test
    void write_releasesWhatItOpens() {
        InMemoryMessage m = RoundTripTest.fullMessage();
        new MimeWriter().toBytes(m);
        assertThat(m.refCount()).isEqualTo(1);
        m.release();
        assertThatThrownBy(() -> new MimeWriter().toBytes(m)).isInstanceOf(MapiException.class)
                .satisfies(e -> assertThat(((MapiException) e).hresult()).isEqualTo(HResult.MAPI_E_INVALID_OBJECT));
    }

    @Test
    void write_randomBinaryAttachmentsRoundTrip() {
        Random random = new Random(42);
        for (int i = 0; i < 30; i++) {
            InMemoryMessage m = new InMemoryMessage();
            byte[] data = new byte[random.nextInt(5000)];
            random.nextBytes(data);
            if (i % 3 == 0) {
                for (int j = 0; j < data.length; j++) {
                    data[j] = (byte) " \r\n\tabc=.xyz\u00e9".charAt(random.nextInt(13));
                }
            }
            RoundTripTest.attach(m, List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_BY_VALUE),
                    PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, data),
                    PropValue.ofString(PropTags.PR_ATTACH_MIME_TAG, i % 2 == 0 ? "text/plain" : "application/x-y")));
            assertThat(Mapi.data(Mapi.read(new MimeWriter().toBytes(m)).attachments().get(0))).isEqualTo(data);
        }
    }
}
