package org.jmapi.mime;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.internet.InternetAddress;
import org.jmapi.Flags;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Every .eml of ../shared/testdata/eml converts to MAPI without an exception and within a time limit; the result
 * agrees with the facts manifest.json records (subject, originator, To, date, Message-ID, attachments with their
 * sizes and hashes) and, for the mime4j files, with mime4j's own header fields and decoded bodies; and every file
 * converts MIME &#8594; MAPI &#8594; MIME &#8594; MAPI to the same MAPI message. Where the manifest's second opinion
 * (Python's email package) disagrees with mime4j's ground truth or the RFCs, an override below says why.
 */
class TestdataConversionTest {

    /** Subjects where Python's reading is not the one to test against, with why. */
    private static final Map<String, String> SUBJECT_OVERRIDES = Map.of(
            // RFC 5322 4.5.x obs-optional allows whitespace before the colon and obs-FWS whitespace-only lines in
            // folding; mime4j reads the field (expected/mime4j/obsolete/obsolete.xml), Python drops it.
            "mime4j_obsolete.eml",
            "The obsolete syntax allow spaces before the colon and also empty lines in folding.");

    /** Cc lists, which manifest.json does not record. */
    private static final Map<String, List<String>> CC = Map.of(
            "mime4j_basic-plain.eml", List.of("recipient1@example.com", "recipient2@example.com", "localrecipient"));

    /** By-value attachments ("type name"), at any depth, where Python's list is not what MAPI should hold. */
    private static final Map<String, List<String>> ATTACHMENT_OVERRIDES = Map.of(
            // The filename is an RFC 2047 word inside the parameter (illegal, but what Outlook writes); Python
            // gives up (null), the reader decodes it as mime4j and mail clients do.
            "mime4j_russian-headers.eml", List.of("text/plain Список.doc"),
            // Python lists only parts with Content-Disposition: attachment; in MAPI the delivery-status and
            // returned-header parts of a report are attachments too (the returned message is embedded).
            "rubymail_report_422.eml", List.of("message/delivery-status null", "text/rfc822-headers null"),
            "rubymail_multi_address_bounce1.eml", List.of("message/delivery-status null"));

    /** Embedded-message counts where Python's structure is not the ground truth. */
    private static final Map<String, Integer> EMBEDDED_OVERRIDES = Map.of(
            // mime4j's expected tree (base64encoded-rfc822message-nested.xml) has a message inside a message
            // inside the message; Python does not decode the base64 message/rfc822 payload and sees one level.
            "mime4j_base64encoded-rfc822message-nested.eml", 2);

    /**
     * The recipient tables of the delivery status notifications: the recipients reported on, read from their
     * message/delivery-status parts (Original-Recipient, Action matching the class), not the report's To, which
     * Python's facts hold and which becomes PR_RECEIVED_BY_EMAIL_ADDRESS instead (MS-OXCMAIL 2.2.3.7.1).
     */
    private static final Map<String, List<String>> REPORT_RECIPIENTS = Map.of(
            "rubymail_report_422.eml", List.of("fraser@oooooooo.com.au"),
            "rubymail_multi_address_bounce1.eml", List.of("bbbbvhvbbvkjbhfbvbvjhb@gmail.com",
                    "bscdbcjhasbcjhbdscbhbsdhcbj@gmail.com", "egyfefsdvsfvvhjsd@gmail.com", "kfhejkfbsjkjsbhds@gmail.com",
                    "qfvhgsvhgsduiohncdhcvhsdfvsfygusd@gmail.com"));

    /** PR_MESSAGE_CLASS of the reports; everything else is IPM.Note. */
    private static final Map<String, String> CLASSES = Map.of(
            "rubymail_report_422.eml", MimeProps.CLASS_DELAYED_REPORT,          // Action: delayed
            "rubymail_multi_address_bounce1.eml", MimeProps.CLASS_NON_DELIVERY_REPORT); // Action: failed

    /**
     * Where each mime4j decoded file is found in the MAPI message: {@code body}, {@code html} or {@code attN}
     * (PR_ATTACH_DATA_BIN of attachment N), a {@code attN/} prefix entering embedded message N; and the charset
     * the expected bytes are in.
     */
    private static final Map<String, String> DECODED = Map.ofEntries(
            Map.entry("bad-newlines-multiple-parts_decoded_1_1.txt", "body US-ASCII"),
            Map.entry("base64-encoded-text_decoded_1.txt", "body US-ASCII"),
            Map.entry("base64encoded-rfc822message-nested_decoded_1_1_1.txt", "att0/att0/body US-ASCII"),
            Map.entry("basic-plain_decoded_1.txt", "body US-ASCII"),
            Map.entry("boundary-name-clash_decoded_1_1_1.txt", "body UTF-8"),
            Map.entry("boundary-name-clash_decoded_1_1_2.txt", "html UTF-8"),
            Map.entry("boundary-name-clash_decoded_1_2.bin", "att0 -"),
            Map.entry("ending-boundaries_decoded_1_1.txt", "body US-ASCII"),
            Map.entry("malformedHeader-nocrlfcrlf_decoded_1.txt", "body US-ASCII"),
            Map.entry("missing-inner-boundary_decoded_1_1.txt", "body US-ASCII"),
            Map.entry("multipartdigestnestedemptyparts_decoded_1_1_1_1.txt", "att0/body US-ASCII"),
            Map.entry("obsolete_decoded_1.txt", "body US-ASCII"),
            Map.entry("qp-body_decoded_1.txt", "body ISO-8859-15"),
            // A single part with Content-Disposition: attachment is an attachment, not the body.
            Map.entry("russian-headers_decoded_1.txt", "att0 -"),
            Map.entry("simple-attachment_decoded_1_1.txt", "body ISO-8859-15"),
            Map.entry("simple-attachment_decoded_1_2.bin", "att0 -"),
            Map.entry("very-long-boundary_decoded_1_1.txt", "body US-ASCII"),
            Map.entry("weird-boundary_decoded_1_1.txt", "body US-ASCII"));

    /**
     * Decoded files with no MAPI counterpart: the inner multipart/alternative of missing-inner-boundary has no
     * delimiter, so no part; mime4j still writes an empty file for it (checked to be empty).
     */
    private static final Set<String> DECODED_WITHOUT_COUNTERPART = Set.of("missing-inner-boundary_decoded_1_2_1.txt");

    /** @return the manifest entries */
    static Stream<JsonNode> manifestEntries() {
        List<JsonNode> out = new ArrayList<>();
        TestData.manifest().get("files").forEach(out::add);
        return out.stream();
    }

    /** @return the mime4j expected sets */
    static Stream<String> mime4jSets() throws Exception {
        try (Stream<Path> s = Files.list(TestData.emlDir().resolve("expected/mime4j"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    /** @return the .eml file names */
    static Stream<String> emlFiles() {
        return TestData.emlFiles().stream();
    }

    @Test
    void testdata_presentAndDescribed() {
        List<String> files = TestData.emlFiles();
        Set<String> described = new HashSet<>();
        manifestEntries().forEach(e -> described.add(e.get("file").asText()));
        assertThat(files).as("eml files in %s", TestData.emlDir()).hasSize(20);
        assertThat(described).containsExactlyInAnyOrderElementsOf(files);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emlFiles")
    @Timeout(10)
    void read_neverThrows(String file) {
        assertThatCode(() -> new MimeReader().read(TestData.eml(file), new InMemoryMessage()))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifestEntries")
    @Timeout(10)
    void read_agreesWithManifestFacts(JsonNode entry) throws Exception {
        String file = entry.get("file").asText();
        JsonNode facts = entry.get("python_email_facts");
        InMemoryMessage m = Mapi.read(TestData.eml(file));

        String subject = SUBJECT_OVERRIDES.getOrDefault(file, text(facts.get("Subject")));
        String actualSubject = m.string(PropTags.PR_SUBJECT);
        assertThat(actualSubject == null ? null : actualSubject.replaceAll("\\s+", " "))
                .as("PR_SUBJECT of %s", file).isEqualTo(subject);

        String from = text(facts.get("From"));
        if (from == null) {
            assertThat(m.prop(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS)).as("originator of %s", file).isNull();
        } else {
            InternetAddress a = new InternetAddress(from, false);
            assertThat(m.string(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS)).as("From of %s", file)
                    .isEqualTo(a.getAddress());
            assertThat(m.string(PropTags.PR_SENDER_EMAIL_ADDRESS)).isEqualTo(a.getAddress());
            assertThat(m.string(MimeProps.PR_SENT_REPRESENTING_ADDRTYPE)).isEqualTo("SMTP");
            if (a.getPersonal() != null) {
                assertThat(m.string(PropTags.PR_SENT_REPRESENTING_NAME)).isEqualTo(a.getPersonal());
            }
        }

        String to = text(facts.get("To"));
        List<String> expectedTo = new ArrayList<>();
        if (to != null) {
            for (InternetAddress a : InternetAddress.parseHeader(to, false)) {
                expectedTo.add(a.getPersonal() == null ? a.getAddress() : a.getPersonal() + " <" + a.getAddress() + ">");
            }
        }
        if (REPORT_RECIPIENTS.containsKey(file)) {
            assertThat(Mapi.recipients(m, Flags.MAPI_TO)).as("reported recipients of %s", file)
                    .isEqualTo(REPORT_RECIPIENTS.get(file));
            assertThat(m.string(MimeProps.PR_RECEIVED_BY_EMAIL_ADDRESS)).as("addressee of the report %s", file)
                    .isEqualTo(new InternetAddress(expectedTo.get(0).replaceAll(".*<|>", ""), false).getAddress());
        } else {
            assertThat(Mapi.recipients(m, Flags.MAPI_TO)).as("To of %s", file).isEqualTo(expectedTo);
        }
        assertThat(Mapi.recipients(m, Flags.MAPI_CC)).as("Cc of %s", file).isEqualTo(CC.getOrDefault(file, List.of()));
        for (Map<Integer, PropValue> r : m.recipients()) {
            assertThat(r.get(PropTags.PR_ADDRTYPE).asString()).isEqualTo("SMTP");
        }

        String date = text(facts.get("Date"));
        PropValue submit = m.prop(PropTags.PR_CLIENT_SUBMIT_TIME);
        if (date == null) {
            assertThat(submit).as("PR_CLIENT_SUBMIT_TIME of %s", file).isNull();
        } else {
            Instant expected = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            assertThat(submit.asTime()).as("PR_CLIENT_SUBMIT_TIME of %s", file).isEqualTo(expected);
        }
        assertThat(m.prop(PropTags.PR_MESSAGE_DELIVERY_TIME).asTime()).isEqualTo(Mapi.DELIVERED);
        assertThat(m.string(PropTags.PR_INTERNET_MESSAGE_ID)).as("Message-ID of %s", file)
                .isEqualTo(text(facts.get("Message-ID")));

        List<String> expectedAttachments = new ArrayList<>();
        Map<String, JsonNode> factsByName = new java.util.HashMap<>();
        for (JsonNode a : facts.get("attachments")) {
            expectedAttachments.add(a.get("type").asText() + " " + text(a.get("filename")));
            factsByName.put(a.get("type").asText() + " " + text(a.get("filename")), a);
        }
        expectedAttachments = ATTACHMENT_OVERRIDES.getOrDefault(file, expectedAttachments);
        List<Map<Integer, PropValue>> attachments = Mapi.byValueDeep(m);
        List<String> actualAttachments = new ArrayList<>();
        for (Map<Integer, PropValue> a : attachments) {
            String key = Mapi.string(a, PropTags.PR_ATTACH_MIME_TAG) + " "
                    + Mapi.string(a, PropTags.PR_ATTACH_LONG_FILENAME);
            actualAttachments.add(key);
            JsonNode fact = factsByName.get(key);
            byte[] data = Mapi.data(a);
            assertThat(a.get(PropTags.PR_ATTACH_METHOD).asInt()).isEqualTo(MimeProps.ATTACH_BY_VALUE);
            assertThat(a.get(PropTags.PR_ATTACH_SIZE).asInt()).isEqualTo(data.length);
            if (fact != null) {
                assertThat(data.length).as("size of %s in %s", key, file).isEqualTo(fact.get("decoded_size").asInt());
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)))
                        .as("sha256 of %s in %s", key, file).isEqualTo(fact.get("sha256").asText());
            }
        }
        assertThat(actualAttachments).as("attachments of %s", file).isEqualTo(expectedAttachments);
        int embedded = EMBEDDED_OVERRIDES.getOrDefault(file, count(facts.get("structure"), "message/rfc822"));
        assertThat(Mapi.embeddedDeep(m)).as("embedded messages of %s", file).isEqualTo(embedded);
        assertThat(m.prop(PropTags.PR_HASATTACH).asBoolean()).isEqualTo(!m.attachments().isEmpty());

        assertThat(m.string(PropTags.PR_MESSAGE_CLASS)).as("class of %s", file)
                .isEqualTo(CLASSES.getOrDefault(file, MimeProps.CLASS_NOTE));
        String headers = m.string(PropTags.PR_TRANSPORT_MESSAGE_HEADERS);
        assertThat(headers).as("PR_TRANSPORT_MESSAGE_HEADERS of %s", file).isNotEmpty().endsWith("\r\n")
                .doesNotContain("\r\n\r\n");
        assertThat(headers.replace("\r\n", "\n").split("\n")[0])
                .isEqualTo(firstHeaderLine(TestData.eml(file)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mime4jSets")
    @Timeout(10)
    void read_matchesMime4jDecodedBodies(String set) throws Exception {
        String file = "mime4j_" + set + ".eml";
        InMemoryMessage m = Mapi.read(TestData.eml(file));
        List<Path> decoded;
        try (Stream<Path> s = Files.list(TestData.emlDir().resolve("expected/mime4j").resolve(set))) {
            decoded = s.filter(p -> p.getFileName().toString().contains("_decoded_")
                    && !p.getFileName().toString().endsWith(".xml")).sorted().toList();
        }
        assertThat(decoded).as("decoded files of %s", set).isNotEmpty();
        for (Path p : decoded) {
            String name = p.getFileName().toString();
            byte[] expected = Files.readAllBytes(p);
            if (DECODED_WITHOUT_COUNTERPART.contains(name)) {
                assertThat(expected).as("%s is listed as having no counterpart because it is empty", name).isEmpty();
                continue;
            }
            String where = DECODED.get(name);
            assertThat(where).as("every decoded file is mapped; %s is not", name).isNotNull();
            String[] parts = where.split(" ");
            InMemoryMessage at = m;
            Iterator<String> path = List.of(parts[0].split("/")).iterator();
            String step = path.next();
            while (path.hasNext()) {
                at = Mapi.open(at.attachments().get(Integer.parseInt(step.substring(3))));
                step = path.next();
            }
            switch (step) {
                case "body" -> assertThat(at.string(PropTags.PR_BODY)).as("PR_BODY for %s", name)
                        .isEqualTo(new String(expected, Charset.forName(parts[1])));
                case "html" -> assertThat(Mapi.html(at)).as("PR_HTML for %s", name)
                        .isEqualTo(new String(expected, Charset.forName(parts[1])));
                default -> assertThat(Mapi.data(at.attachments().get(Integer.parseInt(step.substring(3)))))
                        .as("PR_ATTACH_DATA_BIN for %s", name).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mime4jSets")
    void read_transportHeadersHoldMime4jFields(String set) throws Exception {
        String xml = Files.readString(TestData.emlDir().resolve("expected/mime4j").resolve(set).resolve(set + ".xml"),
                StandardCharsets.ISO_8859_1);
        String header = xml.substring(xml.indexOf("<header>"), xml.indexOf("</header>"));
        Matcher fields = Pattern.compile("<field>\\r?\\n(.*?)</field>", Pattern.DOTALL).matcher(header);
        InMemoryMessage m = Mapi.read(TestData.eml("mime4j_" + set + ".eml"));
        String headers = squeeze(m.string(PropTags.PR_TRANSPORT_MESSAGE_HEADERS));
        int n = 0;
        while (fields.find()) {
            String field = fields.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                    .replace("&amp;", "&");
            assertThat(headers).as("PR_TRANSPORT_MESSAGE_HEADERS of %s", set).contains(squeeze(field));
            n++;
        }
        assertThat(n).as("fields in %s.xml", set).isPositive();
    }

    /**
     * @param s text
     * @return it with every run of whitespace (line breaks included) made one space
     */
    private static String squeeze(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    @Test
    void read_iso2022jpBodyAndUtf8Subject() {
        InMemoryMessage m = Mapi.read(TestData.eml("rubymail_japanese_iso_2022.eml"));
        assertThat(m.string(PropTags.PR_BODY)).startsWith("すみません。");
        assertThat(m.string(PropTags.PR_SUBJECT)).isEqualTo("まみむめも");
        assertThat(Mapi.recipients(m, Flags.MAPI_TO)).containsExactly("みける <raasdnil@gmail.com>");
    }

    @Test
    void read_embeddedMessageIsAnAttachmentWithItsBytes() {
        InMemoryMessage m = Mapi.read(TestData.eml("rubymail_attachment_message_rfc822.eml"));
        Map<Integer, PropValue> a = m.attachments().get(0);
        assertThat(a.get(PropTags.PR_ATTACH_METHOD).asInt()).isEqualTo(MimeProps.ATTACH_EMBEDDED_MSG);
        assertThat(Mapi.string(a, PropTags.PR_ATTACH_MIME_TAG)).isEqualTo("message/rfc822");
        assertThat(Mapi.string(a, PropTags.PR_DISPLAY_NAME)).isEqualTo("Another PDF");
        assertThat(Mapi.string(a, PropTags.PR_ATTACH_LONG_FILENAME)).isEqualTo("ForwardedMessage.eml");
        InMemoryMessage inner = Mapi.open(a);
        assertThat(inner.string(PropTags.PR_SUBJECT)).isEqualTo("Another PDF");
        assertThat(inner.string(PropTags.PR_INTERNET_MESSAGE_ID)).isEqualTo("<xxxx@xxxx.com>");
        assertThat(inner.string(PropTags.PR_BODY)).startsWith("Just attaching another PDF");
        assertThat(m.string(PropTags.PR_BODY)).isEqualTo("This is the first part.\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emlFiles")
    @Timeout(10)
    void roundTrip_mimeToMapiToMimeToMapi(String file) {
        InMemoryMessage first = Mapi.read(TestData.eml(file));
        byte[] written = new MimeWriter().toBytes(first);
        InMemoryMessage second = Mapi.read(written);
        RoundTripTest.assertSameMessage(second, first);
    }

    /**
     * @param node a JSON value
     * @return its text, or null for JSON null
     */
    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    /**
     * @param structure a manifest structure tree
     * @param type      a MIME type
     * @return how often it occurs as a container key
     */
    private static int count(JsonNode structure, String type) {
        int n = 0;
        if (structure.isObject()) {
            for (Map.Entry<String, JsonNode> e : structure.properties()) {
                n += (e.getKey().equals(type) ? 1 : 0) + count(e.getValue(), type);
            }
        } else if (structure.isArray()) {
            for (JsonNode c : structure) {
                n += count(c, type);
            }
        }
        return n;
    }

    /**
     * @param eml a message
     * @return its first header line, skipping an mbox From_ line
     */
    private static String firstHeaderLine(byte[] eml) {
        String[] lines = new String(eml, StandardCharsets.UTF_8).replace("\r\n", "\n").split("\n");
        return lines[0].startsWith("From ") ? lines[1] : lines[0];
    }
}
