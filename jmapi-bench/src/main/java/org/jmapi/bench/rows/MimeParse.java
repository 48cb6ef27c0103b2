package org.jmapi.bench.rows;

import jakarta.mail.Session;
import org.jmapi.bench.Bench;
import org.jmapi.bench.Interleaved;
import org.jmapi.bench.Result;
import org.jmapi.bench.Row;
import org.jmapi.bench.mime.AngusMail;
import org.jmapi.bench.mime.MemoryMessage;
import org.jmapi.bench.mime.MimeCorpus;
import org.jmapi.mime.MimeReader;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code mime.parse}: MIME → MAPI over the shared {@code .eml} corpus; ratio = jmapi / baseline messages per second.
 *
 * <p><b>jmapi</b>, per message: {@code new MimeReader().read(bytes, message)} into a new {@link MemoryMessage} (an
 * in-memory MAPI message built from jmapi-api's PropertyBag and TableData, no store: the row measures the converter
 * and the MAPI object model, not a disk), then {@code release()}. MimeReader parses with mime4j's token stream and
 * writes everything it maps: subject (RFC 2047 decoded) and prefix, sender and From, To / Cc / Bcc as recipient rows
 * (modifyRecipients), Date, Message-ID, In-Reply-To, References, importance, the text body decoded to PR_BODY, the
 * HTML body to PR_HTML, every other part decoded (base64 / quoted-printable) into an attachment created, filled and
 * saved through createAttach / setProps / saveChanges, and the header block as PR_TRANSPORT_MESSAGE_HEADERS.
 *
 * <p><b>Baseline</b>, per message: Angus Mail (Jakarta Mail) {@code new MimeMessage(session, bytes)}, then
 * {@link AngusMail#read}: the same headers read through the API (decoded / parsed), and the content walked with
 * {@code getContent()} — every multipart opened, text parts decoded to Strings, every other part read to its last
 * decoded byte — so both sides parse, decode and hold every part. Angus keeps what it parsed in its MimeMessage;
 * jmapi writes it into a MAPI message.
 *
 * <p>Harness: {@link Interleaved}, one call = one pass over the whole corpus, jmapi and baseline alternating.
 */
public final class MimeParse implements Row {
    static final double TARGET = 0.8;

    /** PR_MESSAGE_DELIVERY_TIME stamped on every converted message (a fixed one: no clock call in the loop). */
    static final Instant DELIVERED = Instant.parse("2024-06-01T12:00:00Z");

    @Override
    public String name() {
        return "mime.parse";
    }

    @Override
    public String what() {
        return "MIME → MAPI: MimeReader.read of each .eml of the ../shared/testdata/eml corpus into a new in-memory "
                + "MAPI message (org.jmapi.bench.mime.MemoryMessage: PropertyBag + TableData recipient and attachment "
                + "tables, no store), every header, body and attachment written through the Message API; repeated";
    }

    @Override
    public String baseline() {
        return "Angus Mail: new MimeMessage(session, bytes) of the same bytes, the same headers read through the API "
                + "and the content walked with getContent() (multiparts opened, text decoded to Strings, every other "
                + "part read to its last decoded byte)";
    }

    @Override
    public String target() {
        return "ratio (jmapi / baseline messages/s) ≥ " + TARGET;
    }

    @Override
    public List<Result> measure(Bench bench) throws Exception {
        MimeCorpus corpus = MimeCorpus.load(bench.root());
        Session session = AngusMail.session();
        MimeReader reader = new MimeReader().withDeliveryTime(DELIVERED);
        int[] jmapiCounts = new int[3];
        int[] angusCounts = new int[2];
        for (byte[] eml : corpus.messages()) {
            MemoryMessage m = new MemoryMessage();
            try {
                MimeReader.Result r = reader.read(eml, m);
                jmapiCounts[0] += r.recipients();
                jmapiCounts[1] += r.attachments();
                jmapiCounts[2] += r.defects().size();
            } finally {
                m.release();
            }
            AngusMail.Seen seen = AngusMail.read(session, eml);
            angusCounts[0] += seen.recipients();
            angusCounts[1] += seen.attachments();
        }
        List<byte[]> messages = corpus.messages();
        Interleaved.Measurement t = Interleaved.run(() -> {
            int n = 0;
            for (byte[] eml : messages) {
                MemoryMessage m = new MemoryMessage();
                try {
                    n += reader.read(eml, m).attachments();
                } finally {
                    m.release();
                }
            }
            return n;
        }, () -> {
            long n = 0;
            for (byte[] eml : messages) {
                n += AngusMail.read(session, eml).chars();
            }
            return n;
        }, warmupS(bench), measureS(bench), 1, bench.log());
        Map<String, Object> params = corpusParams(bench, corpus, t);
        params.put("jmapi_found", Map.of("recipients", jmapiCounts[0], "attachments", jmapiCounts[1],
                "defects_reported", jmapiCounts[2]));
        params.put("baseline_found", Map.of("recipients", angusCounts[0], "non_text_leaf_parts", angusCounts[1]));
        return List.of(throughput(name(), t, corpus.size(), "angus-mail.parse", target(), TARGET, params));
    }

    /** @return the mime rows' warm-up: 3 s quick (a pass takes about a millisecond), else the run's */
    static double warmupS(Bench bench) {
        return bench.quick() ? 3 : bench.loopWarmupS();
    }

    /** @return the mime rows' measurement: 6 s quick, else the run's */
    static double measureS(Bench bench) {
        return bench.quick() ? 6 : bench.loopMeasureS();
    }

    /**
     * @param bench the run
     * @return the mime rows' harness, as a sentence for the report
     */
    public static String settings(Bench bench) {
        return String.format(java.util.Locale.ROOT, "timed loop in one JVM (org.jmapi.bench.Interleaved): jmapi and "
                + "baseline calls alternate one by one, each timed; warm-up %.0f s, measurement %.0f s in 1 s windows;"
                + " one call = one pass over the corpus", warmupS(bench), measureS(bench));
    }

    /** The parameters both mime rows report. */
    static Map<String, Object> corpusParams(Bench bench, MimeCorpus corpus, Interleaved.Measurement t) {
        Map<String, Object> params = bench.params();
        params.put("harness", settings(bench));
        params.put("corpus", bench.root().relativize(corpus.dir()).toString().replace('\\', '/') + ": "
                + corpus.size() + " messages, " + corpus.bytes() + " bytes");
        params.put("passes_per_side", t.calls());
        params.put("median_pass_ms", Map.of("jmapi", Result.round(t.aMedianMs()), "baseline",
                Result.round(t.bMedianMs())));
        params.put("ratio_error", Result.round(t.ratioError() / (t.ratio() * t.ratio())));
        List<Double> ratios = new java.util.ArrayList<>();
        for (double r : t.windowRatios()) {
            ratios.add(Result.round(1 / r));
        }
        params.put("window_ratios", ratios);
        return params;
    }

    /** A throughput result from a timed pair whose calls each convert {@code perCall} messages. */
    static Result throughput(String name, Interleaved.Measurement t, int perCall, String baselineName, String target,
                             double threshold, Map<String, Object> params) {
        double j = perCall * 1000 / t.aMs();
        double p = perCall * 1000 / t.bMs();
        double ratio = j / p;
        return new Result(name, j, j * t.aError() / t.aMs(), "messages/s", baselineName, p, p * t.bError() / t.bMs(),
                ratio, target, List.of(new Result.Check("ratio ≥ " + threshold, ratio >= threshold)), params);
    }
}
