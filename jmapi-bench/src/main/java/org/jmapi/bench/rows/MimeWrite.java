package org.jmapi.bench.rows;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.jmapi.bench.Bench;
import org.jmapi.bench.Interleaved;
import org.jmapi.bench.Result;
import org.jmapi.bench.Row;
import org.jmapi.bench.mime.AngusMail;
import org.jmapi.bench.mime.MemoryMessage;
import org.jmapi.bench.mime.MimeCorpus;
import org.jmapi.mime.MimeReader;
import org.jmapi.mime.MimeWriter;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code mime.write}: MAPI → MIME over the shared {@code .eml} corpus; ratio = jmapi / baseline messages per second.
 *
 * <p>Both sides start from the same messages, decoded and held in memory, each in its library's own form; neither
 * build is timed. jmapi: each {@code .eml} read once by MimeReader into an in-memory MAPI message
 * ({@link MemoryMessage}). Baseline: each {@code .eml} parsed once by Angus Mail and read into plain decoded values
 * ({@link AngusMail.Model}: addresses, subject, date, ids, the part tree with decoded text and bytes).
 *
 * <p><b>jmapi</b>, timed, per message: {@code MimeWriter.write(message, out)}: reads the message through the MAPI
 * API (getProps, the recipient table with queryRows, the attachment table, openAttach + getProps per attachment),
 * writes the header (Date, From, To, Cc, Subject RFC 2047 encoded when not ASCII, Message-ID, In-Reply-To,
 * References, Importance, MIME-Version, folded), chooses each part's transfer encoding by scanning it and writes the
 * body and attachments encoded (7bit / quoted-printable / base64) in the multipart structure the message needs.
 *
 * <p><b>Baseline</b>, timed, per message: {@link AngusMail#write}: a new MimeMessage built from the decoded values
 * with the API (setFrom, setRecipients, setSubject(…, "UTF-8"), setSentDate, setText for text parts, a
 * ByteArrayDataSource for every other part, MimeMultiparts as parsed), {@code saveChanges()} (Angus chooses each
 * part's transfer encoding by scanning it and writes the headers) and {@code writeTo(out)}, which encodes every
 * part. Not {@code writeTo} of the parsed MimeMessage itself: an unchanged parsed message writes its original bytes
 * back as they came (a copy, no MIME work), which is not what a transport does with a message it has to send.
 *
 * <p>Both write into a reused in-memory buffer. Harness: {@link Interleaved}, one call = one pass over the corpus.
 */
public final class MimeWrite implements Row {
    static final double TARGET = 0.8;

    @Override
    public String name() {
        return "mime.write";
    }

    @Override
    public String what() {
        return "MAPI → MIME: MimeWriter.write of each message of the corpus, held as an in-memory MAPI message "
                + "(MemoryMessage, filled once by MimeReader, not timed), to RFC 5322 bytes: header, transfer "
                + "encodings chosen and applied, multipart structure; repeated";
    }

    @Override
    public String baseline() {
        return "Angus Mail: the same messages held as decoded values (parsed once by Angus, not timed), built into a "
                + "new MimeMessage with the API, saveChanges() and writeTo() (encodings chosen and applied)";
    }

    @Override
    public String target() {
        return "ratio (jmapi / baseline messages/s) ≥ " + TARGET;
    }

    @Override
    public List<Result> measure(Bench bench) throws Exception {
        MimeCorpus corpus = MimeCorpus.load(bench.root());
        Session session = AngusMail.session();
        MimeReader reader = new MimeReader().withDeliveryTime(MimeParse.DELIVERED);
        MimeWriter writer = new MimeWriter().withClock(Clock.fixed(MimeParse.DELIVERED, ZoneOffset.UTC))
                .withZone(ZoneOffset.UTC);
        List<MemoryMessage> mapi = new ArrayList<>();
        List<AngusMail.Model> models = new ArrayList<>();
        try {
            for (byte[] eml : corpus.messages()) {
                MemoryMessage m = new MemoryMessage();
                mapi.add(m);
                reader.read(eml, m);
                models.add(AngusMail.extract(session, eml));
            }
            // both outputs must be messages: parsed back by Angus, with their parts
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
            long[] jmapiOut = new long[2];
            long[] angusOut = new long[2];
            for (int i = 0; i < mapi.size(); i++) {
                out.reset();
                writer.write(mapi.get(i), out);
                MimeMessage back = AngusMail.parse(session, out.toByteArray());
                jmapiOut[0] += out.size();
                jmapiOut[1] += AngusMail.leaves(back);
                out.reset();
                AngusMail.write(session, models.get(i), out);
                back = AngusMail.parse(session, out.toByteArray());
                angusOut[0] += out.size();
                angusOut[1] += AngusMail.leaves(back);
            }
            Interleaved.Measurement t = Interleaved.run(() -> {
                for (MemoryMessage m : mapi) {
                    out.reset();
                    writer.write(m, out);
                }
                return out.size();
            }, () -> {
                for (AngusMail.Model m : models) {
                    out.reset();
                    AngusMail.write(session, m, out);
                }
                return out.size();
            }, MimeParse.warmupS(bench), MimeParse.measureS(bench), 1, bench.log());
            Map<String, Object> params = MimeParse.corpusParams(bench, corpus, t);
            params.put("jmapi_wrote", Map.of("bytes", jmapiOut[0], "leaf_parts", jmapiOut[1]));
            params.put("baseline_wrote", Map.of("bytes", angusOut[0], "leaf_parts", angusOut[1]));
            params.put("checked", "every message each side wrote was parsed back by Angus Mail before measuring");
            return List.of(MimeParse.throughput(name(), t, corpus.size(), "angus-mail.build-writeTo", target(),
                    TARGET, params));
        } finally {
            for (MemoryMessage m : mapi) {
                m.release();
            }
        }
    }
}
