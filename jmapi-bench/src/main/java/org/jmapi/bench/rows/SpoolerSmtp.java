package org.jmapi.bench.rows;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.MapiUid;
import org.jmapi.bench.Bench;
import org.jmapi.bench.Result;
import org.jmapi.bench.Row;
import org.jmapi.bench.SmtpSink;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.MapiInit;
import org.jmapi.store.provider.SqliteStoreService;
import org.jmapi.table.MapiTable;
import org.jmapi.transport.ServerProps;
import org.jmapi.transport.smtp.SmtpTransportService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * {@code spooler.smtp}: a full Outbox sent by the spooler through jmapi's SMTP transport to an in-process SMTP sink,
 * against a plain Angus Mail loop sending the same messages to the same sink; ratio = baseline time / jmapi time.
 *
 * <p><b>jmapi</b>, per round: a MAPI_NO_MAIL session (no spooler: nothing moves) composes the messages in the
 * Outbox of a SQLite store (PR_SUBJECT, PR_BODY, sender, one To and one Cc SMTP recipient, PR_SENTMAIL_ENTRYID =
 * Sent Items, as a client does), saves and submits each one, and logs off: the queue is full and durable. The clock
 * starts at the {@code logonEx} of an ordinary session on the same profile — its spooler logs the SMTP transport
 * ({@code jmapi.smtp}, configured to the sink, security "none", {@value #CONNECTIONS} connections at once:
 * {@code PR_SMTP_MAX_CONNECTIONS}, the "parallel connections"; {@code -Djmapi.bench.spooler.connections=N}
 * changes it) on, logs on to the store when the client opens it
 * and starts sending — and stops when the sink has accepted every message. Everything the spooler does for a message
 * (lock, routing, SubmitMessage: MIME conversion and the SMTP transaction, EndMessage, FinishedMsg: the move to Sent
 * Items) is what a round costs; the time until the Outbox is empty (the last FinishedMsg) is reported as well.
 *
 * <p><b>Baseline</b>, per round: the same messages (same sender, recipients, subject and body) built beforehand as
 * Angus Mail MimeMessages with the API ({@code setFrom}, {@code setRecipient}, {@code setSubject},
 * {@code setSentDate}, {@code setText}, {@code saveChanges()}), not timed; timed: {@code Transport.connect}, a
 * {@code sendMessage(m, m.getAllRecipients())} loop over that one connection, {@code close}, until the sink counted
 * every message.
 *
 * <p>The sink is {@link SmtpSink}, the same instance for both sides. The rounds alternate (jmapi, baseline, jmapi,
 * ...) after one small warm-up round of each; the figures are medians over the rounds, the ratio the median of the
 * per-round ratios. Each round also records the whole process's CPU time per message while that side sent (every
 * thread: the side's own, the sink's, the JIT's and GC's), which tells a CPU-bound round from a waiting one. For
 * profiling, {@code -Djmapi.bench.spooler.messages=N}, {@code -Djmapi.bench.spooler.rounds=R} and
 * {@code -Djmapi.bench.spooler.warmup=W} (through {@code BENCH_JAVA_OPTS}) change the count, the rounds and the
 * warm-up; the params show what was run.
 *
 * <p>A second result, {@code spooler.smtp[rtt=0.5ms]}, measures the same with a sink that waits 500 µs before each
 * write of replies (a server a LAN round trip away; {@value #FULL_RTT_MESSAGES} messages a round): the round trips
 * pipelining and connection reuse save count there, as they do against real servers. It is reported next to the
 * row's own figure, against the same target, never instead of it.
 */
public final class SpoolerSmtp implements Row {
    static final double TARGET = 1.5;
    static final int FULL_MESSAGES = 5_000;
    static final int QUICK_MESSAGES = 500;
    static final int WARMUP_MESSAGES = 200;
    /** The {@code [rtt=0.5ms]} result: the sink's wait before each write of replies, and its messages per round. */
    static final long RTT_MICROS = 500;
    static final int FULL_RTT_MESSAGES = 1_500;
    static final int QUICK_RTT_MESSAGES = 300;
    /** PR_SMTP_MAX_CONNECTIONS of jmapi's side; the baseline sends over one connection, as the row defines it. */
    static final int CONNECTIONS = 4;
    static final String SENDER = "sender@example.org";
    static final String TO = "alice@example.net";
    static final String CC = "bob@example.net";
    static final long TIMEOUT_MS = 600_000;

    @Override
    public String name() {
        return "spooler.smtp";
    }

    @Override
    public String what() {
        return "5,000 queued messages until all accepted by an in-process SMTP sink";
    }

    @Override
    public String baseline() {
        return "a plain Angus Mail Transport.sendMessage loop over one connection, same messages, same sink";
    }

    @Override
    public String target() {
        return "ratio (baseline time / jmapi time) ≥ " + TARGET;
    }

    /** The body of every message: about 1.5 KB of plain text, with a line that starts with a dot. */
    static String body(int i) {
        StringBuilder b = new StringBuilder("Hello,\r\n\r\n");
        for (int line = 0; line < 20; line++) {
            b.append("Line ").append(line).append(" of message ").append(i)
                    .append(": the quick brown fox jumps over the lazy dog.\r\n");
        }
        b.append(".a line starting with a dot\r\n\r\nRegards\r\n");
        return b.toString();
    }

    /** @return jmapi's connection count: {@value #CONNECTIONS}, or {@code -Djmapi.bench.spooler.connections} */
    static int connections() {
        return Integer.getInteger("jmapi.bench.spooler.connections", CONNECTIONS);
    }

    static String subject(int i) {
        return "spooler.smtp message " + i;
    }

    /** One jmapi side: a profile with the SQLite store and the SMTP transport pointed at the sink. */
    static final class JmapiSide implements AutoCloseable {
        static final String PROFILE = "bench-smtp";
        private int sent;

        JmapiSide(Path home, int port) throws java.io.IOException {
            Files.createDirectories(home);
            Mapi.initialize(MapiInit.home(home));
            try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
                admin.createProfile(PROFILE, null, 0, 0);
                try (MsgServiceAdmin services = admin.adminServices(PROFILE, 0)) {
                    MapiUid store = services.createMsgService(SqliteStoreService.NAME, "Mailbox", 0, 0);
                    services.configureMsgService(store, 0, 0, List.of(PropValue.ofString(
                            SqliteStoreService.PR_STORE_PATH, home.resolve("mail.jmapi").toString())));
                    MapiUid xp = services.createMsgService(SmtpTransportService.NAME, "Outgoing mail", 0, 0);
                    services.configureMsgService(xp, 0, 0, List.of(
                            PropValue.ofString(ServerProps.PR_SMTP_HOST, "127.0.0.1"),
                            PropValue.ofInt(ServerProps.PR_SMTP_PORT, port),
                            PropValue.ofString(ServerProps.PR_SMTP_SECURITY, "none"),
                            PropValue.ofInt(SmtpTransportService.PR_SMTP_TIMEOUT, 60),
                            PropValue.ofInt(SmtpTransportService.PR_SMTP_MAX_CONNECTIONS,
                                    connections())));
                }
            }
        }

        private static MsgStore open(MapiSession s) {
            EntryId storeId;
            try (MapiTable t = s.getMsgStoresTable(0)) {
                t.setColumns(new int[] {PropTags.PR_ENTRYID}, 0);
                storeId = EntryId.of(t.queryRows(1, 0).get(0).get(PropTags.PR_ENTRYID).asBinary());
            }
            return s.openMsgStore(0, storeId, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
        }

        private static EntryId entryId(org.jmapi.prop.MapiProp o, int tag) {
            return EntryId.of(o.getProp(tag).orElseThrow().asBinary());
        }

        /** Composes and submits messages first..first+n-1 in a session without spooler. @return seconds taken */
        double fill(int first, int n) {
            long t0 = System.nanoTime();
            MapiSession s = Mapi.logonEx(0, PROFILE, null,
                    Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION | Flags.MAPI_NO_MAIL);
            MsgStore store = open(s);
            try {
                byte[] sentItems = entryId(store, PropTags.PR_IPM_SENTMAIL_ENTRYID).toBytes();
                try (MapiFolder outbox = (MapiFolder) store.openEntry(entryId(store, PropTags.PR_IPM_OUTBOX_ENTRYID),
                        Flags.MAPI_MODIFY)) {
                    for (int i = first; i < first + n; i++) {
                        try (Message m = outbox.createMessage(0)) {
                            m.setProps(List.of(
                                    PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note"),
                                    PropValue.ofString(PropTags.PR_SUBJECT, subject(i)),
                                    PropValue.ofString(PropTags.PR_BODY, body(i)),
                                    PropValue.ofString(PropTags.PR_SENDER_NAME, "Sender"),
                                    PropValue.ofString(PropTags.PR_SENDER_ADDRTYPE, "SMTP"),
                                    PropValue.ofString(PropTags.PR_SENDER_EMAIL_ADDRESS, SENDER),
                                    PropValue.ofBinary(PropTags.PR_SENTMAIL_ENTRYID, sentItems)));
                            m.modifyRecipients(0, List.of(
                                    recipient("Alice", TO, Flags.MAPI_TO),
                                    recipient("Bob", CC, Flags.MAPI_CC)));
                            m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                            m.submitMessage(0);
                        }
                    }
                }
                if (queued(store) != n) {
                    throw new IllegalStateException("expected " + n + " queued messages, the Outbox has "
                            + queued(store));
                }
            } finally {
                store.storeLogoff(Flags.LOGOFF_NO_WAIT);
                store.release();
                s.logoff(0, 0, 0);
                s.release();
            }
            return (System.nanoTime() - t0) / 1e9;
        }

        private static List<PropValue> recipient(String name, String address, int type) {
            return List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, name),
                    PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, type),
                    PropValue.ofString(PropTags.PR_ADDRTYPE, "SMTP"),
                    PropValue.ofString(PropTags.PR_EMAIL_ADDRESS, address));
        }

        private static int queued(MsgStore store) {
            try (MapiFolder outbox = (MapiFolder) store.openEntry(entryId(store, PropTags.PR_IPM_OUTBOX_ENTRYID), 0);
                 MapiTable t = outbox.getContentsTable(0)) {
                return t.getRowCount(0);
            }
        }

        /**
         * Logs on with the spooler and waits until the sink accepted {@code n} messages, then until the Outbox is
         * empty. @return {seconds until all accepted, seconds until the Outbox was empty, the process's CPU seconds
         * until all were accepted}
         */
        double[] drain(SmtpSink sink, int n) throws InterruptedException {
            sink.reset();
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            MapiSession s = Mapi.logonEx(0, PROFILE, null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION);
            MsgStore store = open(s);
            try {
                if (!sink.await(n, TIMEOUT_MS)) {
                    throw new IllegalStateException("the sink accepted " + sink.accepted() + " of " + n
                            + " messages in " + TIMEOUT_MS / 1000 + " s");
                }
                long t1 = System.nanoTime();
                long cpu1 = processCpuNanos();
                long deadline = t1 + TIMEOUT_MS * 1_000_000L;
                while (queued(store) > 0) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the Outbox still holds " + queued(store) + " messages");
                    }
                    Thread.sleep(5);
                }
                long t2 = System.nanoTime();
                sent += n;
                return new double[] {(t1 - t0) / 1e9, (t2 - t0) / 1e9, (cpu1 - cpu0) / 1e9};
            } finally {
                store.storeLogoff(Flags.LOGOFF_NO_WAIT);
                store.release();
                s.logoff(0, 0, 0);
                s.release();
            }
        }

        /** @return the messages in Sent Items (every sent message is moved there) */
        int sentItems() {
            MapiSession s = Mapi.logonEx(0, PROFILE, null,
                    Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION | Flags.MAPI_NO_MAIL);
            MsgStore store = open(s);
            try (MapiFolder f = (MapiFolder) store.openEntry(entryId(store, PropTags.PR_IPM_SENTMAIL_ENTRYID), 0);
                 MapiTable t = f.getContentsTable(0)) {
                return t.getRowCount(0);
            } finally {
                store.storeLogoff(Flags.LOGOFF_NO_WAIT);
                store.release();
                s.logoff(0, 0, 0);
                s.release();
            }
        }

        int sent() {
            return sent;
        }

        @Override
        public void close() {
            while (Mapi.initCount() > 0) {
                Mapi.uninitialize();
            }
        }
    }

    /** The baseline: Angus Mail over one connection. */
    static final class AngusSide {
        private final Session session;

        AngusSide(int port) {
            Properties p = new Properties();
            p.setProperty("mail.smtp.host", "127.0.0.1");
            p.setProperty("mail.smtp.port", Integer.toString(port));
            p.setProperty("mail.smtp.connectiontimeout", "60000");
            p.setProperty("mail.smtp.timeout", "60000");
            p.setProperty("mail.smtp.localhost", "bench.example.org");
            if (System.getProperty(org.jmapi.bench.mime.AngusMail.STREAM_PROVIDER) == null) {
                System.setProperty(org.jmapi.bench.mime.AngusMail.STREAM_PROVIDER,
                        org.jmapi.bench.mime.AngusMail.ANGUS_STREAM_PROVIDER);
            }
            session = Session.getInstance(p);
        }

        /** @return the messages first..first+n-1, built and saveChanges()d (not timed) */
        List<MimeMessage> build(int first, int n) throws Exception {
            List<MimeMessage> out = new ArrayList<>(n);
            for (int i = first; i < first + n; i++) {
                MimeMessage m = new MimeMessage(session);
                m.setFrom(new InternetAddress(SENDER, "Sender"));
                m.setRecipient(RecipientType.TO, new InternetAddress(TO, "Alice"));
                m.setRecipient(RecipientType.CC, new InternetAddress(CC, "Bob"));
                m.setSubject(subject(i), "UTF-8");
                m.setSentDate(new Date());
                m.setText(body(i), "UTF-8");
                m.saveChanges();
                out.add(m);
            }
            return out;
        }

        /**
         * @return {seconds from connect until the sink accepted every message, the process's CPU seconds meanwhile}
         */
        double[] send(SmtpSink sink, List<MimeMessage> messages) throws Exception {
            sink.reset();
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            try (Transport t = session.getTransport("smtp")) {
                t.connect();
                for (MimeMessage m : messages) {
                    t.sendMessage(m, m.getAllRecipients());
                }
            }
            if (!sink.await(messages.size(), TIMEOUT_MS)) {
                throw new IllegalStateException("the sink accepted " + sink.accepted() + " of " + messages.size());
            }
            return new double[] {(System.nanoTime() - t0) / 1e9, (processCpuNanos() - cpu0) / 1e9};
        }
    }

    @Override
    public List<Result> measure(Bench bench) throws Exception {
        int n = Integer.getInteger("jmapi.bench.spooler.messages", bench.quick() ? QUICK_MESSAGES : FULL_MESSAGES);
        int rounds = Integer.getInteger("jmapi.bench.spooler.rounds", bench.quick() ? 2 : 3);
        List<Result> out = new ArrayList<>(measure(bench, name(), n, FULL_MESSAGES, rounds,
                Long.getLong("jmapi.bench.spooler.replyDelayMicros", 0), "spooler-smtp"));
        // The same, against a sink that answers a network round trip later (a server on the LAN): what pipelining
        // and connection reuse are for. Reported next to the row, not instead of it.
        int rttN = Integer.getInteger("jmapi.bench.spooler.messages",
                bench.quick() ? QUICK_RTT_MESSAGES : FULL_RTT_MESSAGES);
        out.addAll(measure(bench, name() + "[rtt=0.5ms]", rttN, FULL_RTT_MESSAGES, rounds, RTT_MICROS,
                "spooler-smtp-rtt"));
        return out;
    }

    /**
     * One measurement: warm-up, then {@code rounds} rounds of jmapi and the baseline.
     *
     * @param rowName     the result's name
     * @param n           messages per round
     * @param fullN       the row's own count, for the note when {@code n} differs
     * @param delayMicros how long the sink waits before each write of replies
     * @param dir         the jmapi side's home, under the bench's work directory
     */
    private List<Result> measure(Bench bench, String rowName, int n, int fullN, int rounds, long delayMicros,
                                 String dir) throws Exception {
        bench.log().printf(Locale.ROOT, "  %s%s%n", rowName, delayMicros > 0 ? ": the sink waits " + delayMicros
                + " µs before each write of replies" : "");
        int warm = warmup();
        List<Double> jmapiS = new ArrayList<>();
        List<Double> emptyS = new ArrayList<>();
        List<Double> fillS = new ArrayList<>();
        List<Double> angusS = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> jmapiCpu = new ArrayList<>();
        List<Double> angusCpu = new ArrayList<>();
        List<Map<String, Object>> perRound = new ArrayList<>();
        long jmapiBytes = 0;
        long angusBytes = 0;
        boolean allRecipients = true;
        int sentItems;
        int jmapiConnections = 0;
        int angusConnections = 0;
        try (SmtpSink sink = new SmtpSink(delayMicros * 1_000);
             JmapiSide jmapi = new JmapiSide(bench.work().resolve(dir), sink.port())) {
            AngusSide angus = new AngusSide(sink.port());
            int next = 0;
            bench.log().printf("  warm-up: %d messages each side%n", warm);
            jmapi.fill(next, warm);
            jmapi.drain(sink, warm);
            angus.send(sink, angus.build(next, warm));
            next += warm;
            for (int r = 1; r <= rounds; r++) {
                double fill = jmapi.fill(next, n);
                double[] j = jmapi.drain(sink, n);
                allRecipients &= sink.recipients() == 2L * n;
                jmapiBytes = sink.bytes();
                jmapiConnections = sink.connections();
                List<MimeMessage> messages = angus.build(next, n);
                double[] angusRound = angus.send(sink, messages);
                double a = angusRound[0];
                allRecipients &= sink.recipients() == 2L * n;
                angusBytes = sink.bytes();
                angusConnections = sink.connections();
                next += n;
                jmapiS.add(j[0]);
                emptyS.add(j[1]);
                fillS.add(fill);
                angusS.add(a);
                ratios.add(a / j[0]);
                double jCpu = j[2] * 1e3 / n;
                double aCpu = angusRound[1] * 1e3 / n;
                jmapiCpu.add(jCpu);
                angusCpu.add(aCpu);
                bench.log().printf(Locale.ROOT, "  round %d/%d: jmapi %.3f s (Outbox empty at %.3f s; filled in %.1f"
                        + " s; CPU %.3f ms/message), Angus %.3f s (CPU %.3f ms/message), ratio %.3f%n", r, rounds,
                        j[0], j[1], fill, jCpu, a, aCpu, a / j[0]);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("jmapi_s", Result.round(j[0]));
                m.put("baseline_s", Result.round(a));
                m.put("ratio", Result.round(a / j[0]));
                m.put("jmapi_cpu_ms_per_message", Result.round(jCpu));
                m.put("baseline_cpu_ms_per_message", Result.round(aCpu));
                perRound.add(m);
            }
            sentItems = jmapi.sentItems();
        }
        double jmapiTime = median(jmapiS);
        double angusTime = median(angusS);
        double ratio = median(ratios);
        Map<String, Object> params = bench.params();
        params.put("messages", n);
        if (Integer.getInteger("jmapi.bench.spooler.messages") != null) {
            params.put("note", String.format(Locale.ROOT, "%,d messages per round (-Djmapi.bench.spooler.messages),"
                    + " not the row's %,d", n, fullN));
        } else if (bench.quick()) {
            params.put("note", String.format(Locale.ROOT, "quick run: %,d messages per round instead of %,d", n,
                    fullN));
        }
        params.put("harness", String.format(Locale.ROOT, "one warm-up round of %d messages per side, then %d rounds"
                + " alternating jmapi and baseline; figures are medians over the rounds, the ratio the median of the"
                + " per-round ratios", warm, rounds));
        params.put("message", "IPM.Note from " + SENDER + ", one To and one Cc SMTP recipient, subject + "
                + body(0).length() + "-character plain-text body");
        params.put("sink", "org.jmapi.bench.SmtpSink: in-process, 127.0.0.1, a thread per connection, EHLO offers"
                + " PIPELINING, 8BITMIME, SIZE; accepts and counts, parses and stores nothing (GreenMail parses and"
                + " stores every message, a cost both sides would pay that would hide the difference measured here)");
        if (delayMicros > 0) {
            params.put("reply_delay", delayMicros + " µs before every write of replies, for both sides: a server a"
                    + " network round trip away" + (rowName.equals(name()) ? " (-Djmapi.bench.spooler.replyDelayMicros:"
                    + " a diagnostic run of the row)" : ""));
        }
        params.put("jmapi_start", "logonEx of an ordinary session (spooler on) with the whole queue already"
                + " submitted and durable (composed by a MAPI_NO_MAIL session, not timed); stop: the sink accepted"
                + " every message");
        params.put("jmapi_store", "jmapi.sqlite-store (WAL, synchronous=FULL); sent messages move to Sent Items");
        params.put("jmapi_transport", "jmapi.smtp, security none, PR_SMTP_MAX_CONNECTIONS " + connections()
                + " (up to that many messages at once, a connection each), defaults otherwise");
        params.put("baseline_transport", "Angus Mail smtp Transport, one connect, sendMessage per message, close");
        params.put("rounds", perRound);
        params.put("jmapi_outbox_empty_s", Result.round(median(emptyS)));
        params.put("jmapi_fill_s", Result.round(median(fillS)));
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("jmapi", Result.round(median(jmapiCpu)));
        cpu.put("baseline", Result.round(median(angusCpu)));
        cpu.put("how", "the whole process's CPU time (every thread: the side's own, the sink's, the JIT's, GC's)"
                + " while the side sent, divided by its messages; the median over the rounds");
        params.put("cpu_ms_per_message", cpu);
        params.put("bytes_per_message", Map.of("jmapi", jmapiBytes / n, "baseline", angusBytes / n));
        params.put("connections_last_round", Map.of("jmapi", jmapiConnections, "baseline", angusConnections));
        params.put("sent_items", sentItems);
        List<Result.Check> checks = List.of(
                new Result.Check("ratio ≥ " + TARGET, ratio >= TARGET),
                new Result.Check("every message reached the sink with both recipients, both sides, every round",
                        allRecipients),
                new Result.Check("every message jmapi sent is in Sent Items (" + sentItems + ")",
                        sentItems == warm + rounds * n));
        return List.of(new Result(rowName, n / jmapiTime, Double.NaN, "messages/s", "angus-mail.sendMessage-loop",
                n / angusTime, Double.NaN, ratio, target(), checks, params));
    }

    /** @return the warm-up's messages per side: {@code -Djmapi.bench.spooler.warmup}, else {@value #WARMUP_MESSAGES} */
    static int warmup() {
        return Integer.getInteger("jmapi.bench.spooler.warmup", WARMUP_MESSAGES);
    }

    /** @return the whole process's CPU time so far (every thread), in nanoseconds */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
