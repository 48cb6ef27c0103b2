package org.jmapi.bench.mime;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.jmapi.LeakTracker;
import org.jmapi.mime.MimeReader;
import org.jmapi.mime.MimeWriter;
import org.jmapi.prop.PropTags;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the {@code mime.*} rows time is real work on both sides: every corpus message converts with jmapi and with
 * Angus Mail, both find the same recipients in the clean messages, and what each side writes is a message again.
 * Needs {@code ../shared/testdata/eml} and fails when it is missing.
 */
class MimeRowsTest {
    private static final MimeCorpus CORPUS = MimeCorpus.load(Path.of(""));

    @Test
    void corpusIsTheSharedEmlFolder() {
        assertThat(CORPUS.size()).isGreaterThanOrEqualTo(20);
        assertThat(CORPUS.names()).allMatch(n -> n.endsWith(".eml"));
        assertThat(CORPUS.bytes()).isGreaterThan(10_000);
    }

    @Test
    void bothSidesParseEveryMessageAndAgreeOnRecipientsOfCleanOnes() throws Exception {
        Session session = AngusMail.session();
        MimeReader reader = new MimeReader();
        int agree = 0;
        for (int i = 0; i < CORPUS.size(); i++) {
            byte[] eml = CORPUS.messages().get(i);
            MemoryMessage m = new MemoryMessage();
            try {
                MimeReader.Result r = reader.read(eml, m);
                AngusMail.Seen seen = AngusMail.read(session, eml);
                assertThat(seen.chars()).as(CORPUS.names().get(i)).isPositive();
                if (r.defects().isEmpty() && r.recipients() == seen.recipients()) {
                    agree++;
                }
                assertThat(m.recipientCount()).isEqualTo(r.recipients());
                assertThat(m.attachmentCount()).isEqualTo(r.attachments());
            } finally {
                m.release();
            }
        }
        // most messages are clean, and on those both libraries see the same To / Cc / Bcc addresses
        assertThat(agree).isGreaterThanOrEqualTo(CORPUS.size() / 2);
    }

    @Test
    void bothSidesWriteMessagesThatParseBack() throws Exception {
        Session session = AngusMail.session();
        MimeReader reader = new MimeReader();
        MimeWriter writer = new MimeWriter();
        long before = LeakTracker.liveObjects();
        for (int i = 0; i < CORPUS.size(); i++) {
            byte[] eml = CORPUS.messages().get(i);
            MemoryMessage m = new MemoryMessage();
            try {
                reader.read(eml, m);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                writer.write(m, out);
                MimeMessage back = AngusMail.parse(session, out.toByteArray());
                String subject = m.getProps(new int[] {PropTags.PR_SUBJECT}, 0).find(PropTags.PR_SUBJECT)
                        .map(org.jmapi.prop.PropValue::asString).orElse(null);
                if (subject != null) {
                    assertThat(back.getSubject()).as(CORPUS.names().get(i)).isEqualTo(subject);
                }
                out.reset();
                AngusMail.Model model = AngusMail.extract(session, eml);
                AngusMail.write(session, model, out);
                MimeMessage angus = AngusMail.parse(session, out.toByteArray());
                assertThat(AngusMail.leaves(angus)).as(CORPUS.names().get(i)).isPositive();
                if (model.subject() != null) {
                    assertThat(angus.getSubject()).isEqualTo(model.subject());
                }
            } finally {
                m.release();
            }
        }
        assertThat(LeakTracker.liveObjects()).isEqualTo(before);
    }

    @Test
    void theBaselineUsesTheStreamProviderWorkaround() {
        AngusMail.session();
        assertThat(System.getProperty(AngusMail.STREAM_PROVIDER)).isEqualTo(AngusMail.ANGUS_STREAM_PROVIDER);
        assertThat(List.of(AngusMail.ANGUS_STREAM_PROVIDER)).allSatisfy(name -> {
            try {
                Class.forName(name);
            } catch (ClassNotFoundException e) {
                throw new AssertionError(name + " is not on the class path", e);
            }
        });
    }
}
