package org.jmapi.mime;

import jakarta.activation.DataHandler;
import jakarta.mail.Address;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.jmapi.Flags;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** MAPI &#8660; {@code jakarta.mail.internet.MimeMessage}. */
class JakartaMailTest {

    /** A session without any server. */
    private static final Session SESSION = Session.getInstance(new Properties());

    /**
     * @param part a Jakarta part
     * @param out  where its leaf parts go, depth first
     */
    private static void leaves(Part part, List<Part> out) throws Exception {
        if (part.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                leaves(mp.getBodyPart(i), out);
            }
        } else {
            out.add(part);
        }
    }

    @Test
    void toMimeMessage_carriesEverything() throws Exception {
        InMemoryMessage m = RoundTripTest.fullMessage();
        MimeMessage mime = JakartaMail.toMimeMessage(m, SESSION);

        assertThat(mime.getSubject()).isEqualTo(m.string(PropTags.PR_SUBJECT));
        InternetAddress from = (InternetAddress) mime.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo("zoe@example.org");
        assertThat(from.getPersonal()).isEqualTo("Zoë Ångström");
        assertThat(addresses(mime.getRecipients(jakarta.mail.Message.RecipientType.TO)))
                .containsExactly("hans@example.com", "plain@example.com");
        assertThat(addresses(mime.getRecipients(jakarta.mail.Message.RecipientType.CC)))
                .containsExactly("lee@example.cn", "q@example.com");
        assertThat(addresses(mime.getRecipients(jakarta.mail.Message.RecipientType.BCC)))
                .as("Bcc is kept on the MimeMessage as an envelope recipient").containsExactly("hidden@example.com");
        assertThat(mime.getMessageID()).isEqualTo("<abc.123@example.org>");
        assertThat(mime.getHeader("In-Reply-To")[0]).isEqualTo("<parent.1@example.net>");
        assertThat(mime.getSentDate()).isEqualTo(Date.from(java.time.Instant.parse("2024-03-01T09:30:15Z")));

        List<Part> parts = new ArrayList<>();
        leaves(mime, parts);
        assertThat(parts).extracting(p -> p.getContentType().split(";")[0].trim().toLowerCase())
                .containsExactly("text/plain", "text/html", "image/png", "application/pdf", "text/plain",
                        "message/rfc822");
        assertThat(parts.get(0).getContent()).isEqualTo(m.string(PropTags.PR_BODY));
        assertThat(parts.get(3).getFileName()).isEqualTo(
                Mapi.string(m.attachments().get(1), PropTags.PR_ATTACH_LONG_FILENAME));
        try (InputStream in = parts.get(3).getInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(Mapi.data(m.attachments().get(1)));
        }
        assertThat(((MimeBodyPart) parts.get(2)).getContentID()).isEqualTo("<logo.1@example.org>");
        assertThat(parts.get(5).getContent()).isInstanceOf(MimeMessage.class);
        assertThat(((MimeMessage) parts.get(5).getContent()).getSubject()).isEqualTo("Inner äöü");
    }

    @Test
    void toMimeMessage_saveChangesKeepsTheMessageId() throws Exception {
        MimeMessage mime = JakartaMail.toMimeMessage(RoundTripTest.fullMessage(), SESSION);
        mime.saveChanges();
        assertThat(mime.getMessageID()).isEqualTo("<abc.123@example.org>");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mime.writeTo(out, new String[] {"Bcc"});
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("hidden@example.com");
    }

    @Test
    void fromMimeMessage_builtWithJakarta() throws Exception {
        MimeMessage mime = new MimeMessage(SESSION);
        mime.setFrom(new InternetAddress("sender@example.com", "Sénder"));
        mime.setRecipients(jakarta.mail.Message.RecipientType.TO, "to1@example.com, To Two <to2@example.com>");
        mime.setRecipients(jakarta.mail.Message.RecipientType.CC, "cc@example.com");
        mime.setRecipients(jakarta.mail.Message.RecipientType.BCC, "bcc@example.com");
        mime.setSubject("Grüße 🎉", "UTF-8");
        mime.setSentDate(Date.from(java.time.Instant.parse("2023-06-01T10:00:00Z")));
        mime.setHeader("In-Reply-To", "<earlier@example.com>");
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Körper\r\n", "UTF-8");
        mixed.addBodyPart(text);
        MimeBodyPart file = new MimeBodyPart();
        byte[] data = new byte[2048];
        new java.util.Random(5).nextBytes(data);
        file.setDataHandler(new DataHandler(new ByteArrayDataSource(data, "application/zip")));
        file.setFileName("Archiv für 2023.zip");
        file.setDisposition(Part.ATTACHMENT);
        mixed.addBodyPart(file);
        mime.setContent(mixed);

        InMemoryMessage m = new InMemoryMessage();
        MimeReader.Result r = JakartaMail.fromMimeMessage(mime, m, new MimeReader().withDeliveryTime(Mapi.DELIVERED));

        assertThat(r.defects()).isEmpty();
        assertThat(m.string(PropTags.PR_SUBJECT)).isEqualTo("Grüße 🎉");
        assertThat(m.string(PropTags.PR_SENT_REPRESENTING_NAME)).isEqualTo("Sénder");
        assertThat(m.string(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS)).isEqualTo("sender@example.com");
        assertThat(Mapi.recipients(m, Flags.MAPI_TO)).containsExactly("to1@example.com", "To Two <to2@example.com>");
        assertThat(Mapi.recipients(m, Flags.MAPI_CC)).containsExactly("cc@example.com");
        assertThat(Mapi.recipients(m, Flags.MAPI_BCC)).as("a Bcc header in the MimeMessage").containsExactly(
                "bcc@example.com");
        assertThat(m.string(PropTags.PR_BODY)).isEqualTo("Körper\r\n");
        assertThat(m.string(PropTags.PR_IN_REPLY_TO_ID)).isEqualTo("<earlier@example.com>");
        assertThat(m.string(PropTags.PR_INTERNET_MESSAGE_ID)).isEqualTo(mime.getMessageID()).isNotNull();
        assertThat(m.prop(PropTags.PR_CLIENT_SUBMIT_TIME).asTime())
                .isEqualTo(java.time.Instant.parse("2023-06-01T10:00:00Z"));
        Map<Integer, PropValue> a = m.attachments().get(0);
        assertThat(Mapi.string(a, PropTags.PR_ATTACH_LONG_FILENAME)).isEqualTo("Archiv für 2023.zip");
        assertThat(Mapi.string(a, PropTags.PR_ATTACH_MIME_TAG)).isEqualTo("application/zip");
        assertThat(Mapi.data(a)).isEqualTo(data);
    }

    @Test
    void bothWays_roundTrip() throws Exception {
        InMemoryMessage original = RoundTripTest.fullMessage();
        InMemoryMessage back = new InMemoryMessage();
        JakartaMail.fromMimeMessage(JakartaMail.toMimeMessage(original, SESSION), back,
                new MimeReader().withDeliveryTime(Mapi.DELIVERED));
        RoundTripTest.assertSameMessage(back, original);
        assertThat(Mapi.recipients(back, Flags.MAPI_BCC)).containsExactly("Hidden Person <hidden@example.com>");
    }

    /**
     * @param list addresses, or null
     * @return their SMTP addresses
     */
    private static List<String> addresses(Address[] list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            for (Address a : list) {
                out.add(((InternetAddress) a).getAddress());
            }
        }
        return out;
    }
}
