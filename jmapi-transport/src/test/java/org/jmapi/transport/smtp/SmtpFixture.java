package org.jmapi.transport.smtp;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.MapiUid;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.MapiInit;
import org.jmapi.runtime.trace.TraceEvent;
import org.jmapi.runtime.trace.TraceRecorder;
import org.jmapi.store.provider.SqliteStoreService;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.jmapi.transport.ServerProps;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A throw-away jmapi home driven through the real runtime, for transport tests: one profile ({@value #PROFILE})
 * with the SQLite message store ({@code jmapi.sqlite-store}, file {@code home/mail.jmapi}) and, when given
 * settings, the SMTP transport ({@code jmapi.smtp}) configured through {@code ConfigureMsgService}; a session
 * ({@code logonEx}), the store opened with MDB_WRITE, a lifecycle trace recorder, and the helpers the tests need:
 * compose and submit a message in the Outbox, look at the Outbox / Sent Items / Inbox, the transport's status
 * row, the messages still queued, and wait for a condition with a deadline (never a sleep-and-assert).
 *
 * <p>The spooler runs fast here: {@code jmapi.spooler.poll} = 100 ms and {@code jmapi.spooler.retry} = 200 ms
 * (set before {@code Mapi.initialize}). {@link #close()} ends everything the way a client does: StoreLogoff,
 * release, session Logoff, release, then {@code Mapi.uninitialize} until the subsystem is down.
 *
 * <p>Reusable by other transport tests: {@link #start(Path, Transport...)} takes any transport services and their
 * settings; {@link #restart()} is "the next process" on the same home; {@link #logoffSession()} logs the session off
 * with transfers in flight.
 */
public final class SmtpFixture implements AutoCloseable {
    /** The profile name. */
    public static final String PROFILE = "mail";
    /** The sender's address on every composed message. */
    public static final String SENDER = "sender@example.org";
    /** How long {@link #await} waits before failing. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);

    /** The jmapi home. */
    public final Path home;
    /** Every lifecycle event since the fixture started. */
    public final TraceRecorder trace = new TraceRecorder();
    private Runnable stopTrace;
    private MapiSession session;
    private MsgStore store;

    /**
     * One transport service of the profile and its ConfigureMsgService settings.
     *
     * @param service  PR_SERVICE_NAME, e.g. {@value SmtpTransportService#NAME}
     * @param settings its settings
     */
    public record Transport(String service, List<PropValue> settings) {}

    private SmtpFixture(Path home, List<Transport> transports) {
        this(home);
        try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
            admin.createProfile(PROFILE, null, 0, 0);
            try (MsgServiceAdmin services = admin.adminServices(PROFILE, 0)) {
                MapiUid store = services.createMsgService(SqliteStoreService.NAME, "Mailbox", 0, 0);
                services.configureMsgService(store, 0, 0, List.of(
                        PropValue.ofString(SqliteStoreService.PR_STORE_PATH, home.resolve("mail.jmapi").toString())));
                for (Transport t : transports) { // in this order: the transport order of the profile
                    MapiUid xp = services.createMsgService(t.service(), t.service(), 0, 0);
                    services.configureMsgService(xp, 0, 0, t.settings());
                }
            }
        }
    }

    /** Initializes MAPI on {@code home} as it is (its profile made earlier, by this process or another). */
    private SmtpFixture(Path home) {
        this.home = home;
        System.setProperty("jmapi.spooler.poll", "100");
        System.setProperty("jmapi.spooler.retry", "200");
        Mapi.initialize(MapiInit.home(home));
        stopTrace = Mapi.trace().addListener(trace);
    }

    /**
     * @param home a home a fixture made before (its profile {@value #PROFILE} exists): "the next process"
     * @return a fixture on it, not yet logged on
     */
    public static SmtpFixture existing(Path home) {
        return new SmtpFixture(home);
    }

    /**
     * @param home     an empty directory
     * @param settings the SMTP transport's settings, e.g. from {@link #smtp(int, String)}
     * @return a fixture with the store and the SMTP transport, logged on
     */
    public static SmtpFixture start(Path home, List<PropValue> settings) {
        return start(home, SmtpTransportService.NAME, settings).logon();
    }

    /**
     * @param home     an empty directory
     * @param service  a transport service name, or null for a profile with the store only
     * @param settings its settings
     * @return a fixture, not yet logged on
     */
    public static SmtpFixture start(Path home, String service, List<PropValue> settings) {
        return new SmtpFixture(home, service == null ? List.of() : List.of(new Transport(service, settings)));
    }

    /**
     * @param home       an empty directory
     * @param transports the profile's transport services, in transport order (none: the store only)
     * @return a fixture, not yet logged on
     */
    public static SmtpFixture start(Path home, Transport... transports) {
        return new SmtpFixture(home, List.of(transports));
    }

    /**
     * @param port     the server port on 127.0.0.1
     * @param security "none", "starttls" or "tls"
     * @return the base SMTP settings for a local test server: short timeout and retry delay
     */
    public static List<PropValue> smtp(int port, String security) {
        return new ArrayList<>(List.of(PropValue.ofString(ServerProps.PR_SMTP_HOST, "127.0.0.1"),
                PropValue.ofInt(ServerProps.PR_SMTP_PORT, port),
                PropValue.ofString(ServerProps.PR_SMTP_SECURITY, security),
                PropValue.ofInt(SmtpTransportService.PR_SMTP_TIMEOUT, 20),
                PropValue.ofInt(SmtpTransportService.PR_SMTP_RETRY_SECONDS, 1)));
    }

    /** Logs on (a new session) and opens the store. @return this */
    public SmtpFixture logon() {
        return logon(0);
    }

    /**
     * Logs on (a new session) and opens the store.
     *
     * @param flags more logonEx flags, e.g. MAPI_NO_MAIL for a session without spooler (nothing is sent)
     * @return this
     */
    public SmtpFixture logon(int flags) {
        session = Mapi.logonEx(0, PROFILE, null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION | flags);
        EntryId storeId;
        try (MapiTable t = session.getMsgStoresTable(0)) {
            t.setColumns(new int[] {PropTags.PR_ENTRYID}, 0);
            storeId = EntryId.of(t.queryRows(10, 0).get(0).get(PropTags.PR_ENTRYID).asBinary());
        }
        store = session.openMsgStore(0, storeId, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
        return this;
    }

    /** @return the session */
    public MapiSession session() {
        return session;
    }

    /** @return the client's store object */
    public MsgStore store() {
        return store;
    }

    /**
     * @param name    display name
     * @param address SMTP address
     * @param type    MAPI_TO, MAPI_CC, MAPI_BCC (| MAPI_P1)
     * @return a resolved SMTP recipient row
     */
    public static List<PropValue> recipient(String name, String address, int type) {
        return List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, name),
                PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, type),
                PropValue.ofString(PropTags.PR_ADDRTYPE, "SMTP"),
                PropValue.ofString(PropTags.PR_EMAIL_ADDRESS, address),
                PropValue.ofBinary(PropTags.PR_ENTRYID, ("smtp:" + address).getBytes()));
    }

    /**
     * Composes a message in the Outbox (from {@value #SENDER}, moved to Sent Items when sent) and submits it.
     *
     * @param subject    PR_SUBJECT
     * @param recipients recipient rows
     * @param more       further properties (they win over the defaults)
     * @return the message's entry id
     */
    @SafeVarargs
    public final EntryId submit(String subject, List<List<PropValue>> recipients, PropValue... more) {
        try (MapiFolder outbox = folder(PropTags.PR_IPM_OUTBOX_ENTRYID);
             Message m = outbox.createMessage(0)) {
            List<PropValue> props = new ArrayList<>(List.of(
                    PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note"),
                    PropValue.ofString(PropTags.PR_SUBJECT, subject),
                    PropValue.ofString(PropTags.PR_BODY, "Hello,\r\n.a line starting with a dot\r\n\r\n" + subject
                            + "\r\n"),
                    PropValue.ofString(PropTags.PR_SENDER_NAME, "Sender"),
                    PropValue.ofString(PropTags.PR_SENDER_ADDRTYPE, "SMTP"),
                    PropValue.ofString(PropTags.PR_SENDER_EMAIL_ADDRESS, SENDER),
                    PropValue.ofBinary(PropTags.PR_SENTMAIL_ENTRYID, entryId(store, PropTags.PR_IPM_SENTMAIL_ENTRYID)
                            .toBytes())));
            for (PropValue v : more) {
                props.removeIf(p -> p.id() == v.id());
                props.add(v);
            }
            m.setProps(props);
            m.modifyRecipients(0, recipients);
            m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            EntryId id = entryId(m, PropTags.PR_ENTRYID);
            m.submitMessage(0);
            return id;
        }
    }

    /** @return the folder a store property (PR_IPM_*_ENTRYID) names, opened for writing */
    public MapiFolder folder(int storeTag) {
        return (MapiFolder) store.openEntry(entryId(store, storeTag), Flags.MAPI_MODIFY);
    }

    /** @return the Inbox (the default receive folder: reports go there) */
    public MapiFolder inbox() {
        return (MapiFolder) store.openEntry(store.getReceiveFolder("IPM", 0).folderId(), Flags.MAPI_MODIFY);
    }

    /** @return the subjects in a folder, in table order */
    public static List<String> subjects(MapiFolder folder) {
        try (MapiTable t = folder.getContentsTable(0)) {
            t.setColumns(new int[] {PropTags.PR_SUBJECT}, 0);
            List<String> out = new ArrayList<>();
            for (Row r : t.queryRows(100_000, 0)) {
                out.add(r.find(PropTags.PR_SUBJECT).map(PropValue::asString).orElse(null));
            }
            return out;
        }
    }

    /** @return the subjects in the folder a store property names */
    public List<String> subjects(int storeTag) {
        try (MapiFolder f = folder(storeTag)) {
            return subjects(f);
        }
    }

    /** @return the subjects in the Inbox */
    public List<String> inboxSubjects() {
        try (MapiFolder f = inbox()) {
            return subjects(f);
        }
    }

    /** @return the entry ids of the Inbox messages, in table order */
    public List<EntryId> inboxIds() {
        try (MapiFolder f = inbox(); MapiTable t = f.getContentsTable(0)) {
            t.setColumns(new int[] {PropTags.PR_ENTRYID}, 0);
            return t.queryRows(100_000, 0).stream().map(r -> EntryId.of(r.get(PropTags.PR_ENTRYID).asBinary()))
                    .toList();
        }
    }

    /** @return the subjects of the Outbox messages still submitted (MSGFLAG_SUBMIT): the queue as a client sees it */
    public List<String> queued() {
        List<String> out = new ArrayList<>();
        try (MapiFolder f = folder(PropTags.PR_IPM_OUTBOX_ENTRYID); MapiTable t = f.getContentsTable(0)) {
            t.setColumns(new int[] {PropTags.PR_SUBJECT, PropTags.PR_MESSAGE_FLAGS}, 0);
            for (Row r : t.queryRows(100_000, 0)) {
                int flags = r.find(PropTags.PR_MESSAGE_FLAGS).map(PropValue::asInt).orElse(0);
                if ((flags & Flags.MSGFLAG_SUBMIT) != 0) {
                    out.add(r.find(PropTags.PR_SUBJECT).map(PropValue::asString).orElse(null));
                }
            }
        }
        return out;
    }

    /**
     * @return PR_SUBMIT_FLAGS of an Outbox message as the contents table shows it (SUBMITFLAG_LOCKED while the
     *         spooler holds it; a locked message cannot be opened by the client, R-OQ-2)
     */
    public int submitFlags(EntryId id) {
        try (MapiFolder f = folder(PropTags.PR_IPM_OUTBOX_ENTRYID); MapiTable t = f.getContentsTable(0)) {
            t.setColumns(new int[] {PropTags.PR_ENTRYID, PropTags.PR_SUBMIT_FLAGS}, 0);
            for (Row r : t.queryRows(100_000, 0)) {
                if (store.compareEntryIds(id, EntryId.of(r.get(PropTags.PR_ENTRYID).asBinary()), 0)) {
                    return r.find(PropTags.PR_SUBMIT_FLAGS).map(PropValue::asInt).orElse(0);
                }
            }
        }
        throw new AssertionError("message " + id + " is not in the Outbox");
    }

    /** @return the SMTP transport's status row (PR_PROVIDER_DISPLAY = the service's display name) */
    public Row statusRow() {
        return statusRow(SmtpTransportService.DISPLAY_NAME)
                .orElseThrow(() -> new AssertionError("no status row of " + SmtpTransportService.DISPLAY_NAME));
    }

    /** @return the status row whose PR_PROVIDER_DISPLAY is {@code providerDisplay} */
    public Optional<Row> statusRow(String providerDisplay) {
        try (MapiTable t = session.getStatusTable(0)) {
            t.setColumns(new int[] {PropTags.PR_PROVIDER_DISPLAY, PropTags.PR_DISPLAY_NAME, PropTags.PR_STATUS_CODE,
                    PropTags.PR_STATUS_STRING, PropTags.PR_ENTRYID}, 0);
            return t.queryRows(100, 0).stream()
                    .filter(r -> r.find(PropTags.PR_PROVIDER_DISPLAY).map(PropValue::asString)
                            .filter(providerDisplay::equals).isPresent())
                    .findFirst();
        }
    }

    /** @return PR_STATUS_STRING of the SMTP transport now */
    public String statusString() {
        return statusRow().find(PropTags.PR_STATUS_STRING).map(PropValue::asString).orElse("");
    }

    /**
     * ConfigureMsgService on the profile's service {@code serviceName} while the session runs (the profile is on
     * disk; a transport reads it again at ValidateState(CONFIG_CHANGED)).
     */
    public void reconfigure(String serviceName, List<PropValue> settings) {
        try (org.jmapi.client.MsgServiceAdmin admin = session.adminServices(0);
             MapiTable t = admin.getMsgServiceTable(0)) {
            t.setColumns(new int[] {PropTags.PR_SERVICE_UID, PropTags.PR_SERVICE_NAME}, 0);
            Row row = t.queryRows(100, 0).stream().filter(r -> r.find(PropTags.PR_SERVICE_NAME)
                    .map(PropValue::asString).filter(serviceName::equals).isPresent()).findFirst()
                    .orElseThrow(() -> new AssertionError("no service " + serviceName));
            admin.configureMsgService(MapiUid.of(row.get(PropTags.PR_SERVICE_UID).asBinary()), 0, 0, settings);
        }
    }

    /** @return the SMTP transport's status object (IMAPIStatus), opened from its status row */
    public org.jmapi.client.MapiStatus transportStatus() {
        EntryId id = EntryId.of(statusRow().get(PropTags.PR_ENTRYID).asBinary());
        return (org.jmapi.client.MapiStatus) session.openEntry(id, 0);
    }

    /** @return the spooler's status object (the status row with PR_RESOURCE_TYPE = MAPI_SPOOLER) */
    public org.jmapi.client.MapiStatus spoolerStatus() {
        try (MapiTable t = session.getStatusTable(0)) {
            t.setColumns(new int[] {PropTags.PR_RESOURCE_TYPE, PropTags.PR_ENTRYID}, 0);
            Row row = t.queryRows(100, 0).stream().filter(r -> r.find(PropTags.PR_RESOURCE_TYPE)
                    .map(PropValue::asInt).filter(v -> v == Flags.MAPI_SPOOLER).isPresent()).findFirst()
                    .orElseThrow(() -> new AssertionError("no spooler status row"));
            return (org.jmapi.client.MapiStatus) session.openEntry(EntryId.of(row.get(PropTags.PR_ENTRYID).asBinary()),
                    0);
        }
    }

    /** FlushQueues(FLUSH_UPLOAD) on the spooler: queued mail is sent now, retry times ignored (R-FLUSH-1). */
    public void flushOutbound() {
        try (org.jmapi.client.MapiStatus spooler = spoolerStatus()) {
            spooler.flushQueues(0, null, Flags.FLUSH_UPLOAD);
        }
    }

    /** @return PR_STATUS_CODE of the SMTP transport now */
    public int statusCode() {
        return statusRow().find(PropTags.PR_STATUS_CODE).map(PropValue::asInt).orElse(0);
    }

    /** @return the HRESULTs SubmitMessage returned so far, in order (from the trace) */
    public List<Integer> submitResults() {
        return trace.events().stream().filter(e -> e.call().equals("IXPLogon::SubmitMessage")
                && e.phase() == TraceEvent.Phase.RETURN).map(e -> e.hresult() == null ? 0 : e.hresult()).toList();
    }

    /** @return every trace event as JSON, one per line (for checks that a secret never appears) */
    public String traceText() {
        StringBuilder sb = new StringBuilder();
        for (TraceEvent e : trace.events()) {
            sb.append(e.toJson()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Waits until {@code condition} holds, polling, for at most {@link #DEADLINE}.
     *
     * @param condition what to wait for
     * @param what      what it is, for the failure message (evaluated only on failure)
     */
    public static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting for " + what.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** @return the entry id a property of {@code object} holds */
    public static EntryId entryId(MapiProp object, int tag) {
        return EntryId.of(object.getProp(tag).orElseThrow(() -> new AssertionError("no " + PropTags.name(tag)))
                .asBinary());
    }

    /**
     * Ends the session without a StoreLogoff first: the spooler's transports are logged off (TransportLogoff at any
     * moment, R-LOFF-3) while whatever they do is in progress; then the store object is released.
     */
    public void logoffSession() {
        MapiSession s = session;
        MsgStore st = store;
        session = null;
        store = null;
        if (s != null) {
            s.logoff(0, 0, 0);
        }
        if (st != null) {
            st.release();
        }
        if (s != null) {
            s.release();
        }
    }

    /** Ends the session the ordinary way: StoreLogoff(LOGOFF_ABORT), release, Logoff, release. */
    public void logoff() {
        MsgStore st = store;
        MapiSession s = session;
        store = null;
        session = null;
        if (st != null) {
            st.storeLogoff(Flags.LOGOFF_ABORT);
            st.release();
        }
        if (s != null) {
            s.logoff(0, 0, 0);
            s.release();
        }
    }

    /** Logs off, uninitializes, initializes again on the same home and logs on: the next process. */
    public void restart() {
        restart(0);
    }

    /**
     * Logs off, uninitializes, initializes again on the same home and logs on: the next process.
     *
     * @param flags more logonEx flags for the new session
     */
    public void restart(int flags) {
        logoff();
        stopTrace.run();
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
        Mapi.initialize(MapiInit.home(home));
        stopTrace = Mapi.trace().addListener(trace);
        logon(flags);
    }

    @Override
    public void close() {
        try {
            logoff();
        } finally {
            stopTrace.run();
            while (Mapi.initCount() > 0) {
                Mapi.uninitialize();
            }
        }
    }
}
