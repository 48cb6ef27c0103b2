package org.jmapi.transport;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
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
import org.jmapi.runtime.trace.TraceEvent;
import org.jmapi.runtime.trace.TraceRecorder;
import org.jmapi.spi.BaseMsgStore;
import org.jmapi.store.postgres.PostgresServer;
import org.jmapi.store.provider.PostgresStoreService;
import org.jmapi.store.provider.SqliteStoreService;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.jmapi.transport.imap.ImapService;
import org.jmapi.transport.inbound.MailPeer;
import org.jmapi.transport.inbound.MailProxy;
import org.jmapi.transport.inbound.SessionFixture;
import org.jmapi.transport.pop3.Pop3Service;
import org.jmapi.transport.smtp.SmtpFixture;
import org.jmapi.transport.smtp.SmtpTransportService;
import org.jmapi.transport.smtp.TcpProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jmapi.transport.smtp.SmtpFixture.await;

/**
 * The table of spec &sect;11.3, row by row, with real mail in flight through real peers: a session on the SQLite
 * store whose profile has {@code jmapi.smtp} (to GreenMail's SMTP server through a {@link TcpProxy}) and
 * {@code jmapi.pop3} or {@code jmapi.imap} (from GreenMail through a {@link MailProxy}). Before each StoreLogoff:
 * <ul>
 *   <li>message A is being sent: the proxy holds the transfer right after {@code DATA}, so the transport has written
 *       the message and waits for the server's reply to its final "." (OUTBOUND);</li>
 *   <li>message B is queued behind it, not locked (OUTBOUND_QUEUE);</li>
 *   <li>message C is being received: the proxy holds the RETR / FETCH reply after its first lines, so StartMessage
 *       waits for the rest (INBOUND).</li>
 * </ul>
 * Then {@code StoreLogoff(flag)} on the client's store, the output bits, the holds released, and per flag what
 * GreenMail received, what stayed queued (read through a MAPI_NO_MAIL session, which moves nothing), what is in the
 * Inbox, and, from the lifecycle trace, that once the spooler released the store it never called GetOutgoingQueue,
 * SetLockState, FinishedMsg or NotifyNewMail on it again (R-SLT-10) although new mail waited on both sides.
 * The in-memory version of the same matrix is {@code SpoolerMailTest} in jmapi-runtime.
 *
 * <p>Every wait has a deadline and waits for a state the proxies, GreenMail or the trace show. The only sleep gives
 * a PURGE that wrongly returns early the time to do so.
 */
class LogoffMatrixTest {
    private static final String PROFILE = "matrix";
    private static final String TO = "ann@example.org";
    private static final String SUBJECT_A = "matrix A in flight";
    private static final String SUBJECT_B = "matrix B queued";
    private static final String SUBJECT_C = "Message matrix-c"; // MailPeer.message("matrix-c", ...)
    private static final String SUBJECT_D = "matrix D after the release";
    private static final String SUBJECT_B2 = "matrix B2 after the refusal";
    private static final String SUBJECT_C2 = "Message matrix-c2";
    private static final int ALL = Flags.LOGOFF_INBOUND | Flags.LOGOFF_OUTBOUND | Flags.LOGOFF_OUTBOUND_QUEUE;
    /** The store methods only the spooler calls, which R-SLT-10 forbids after the release. */
    private static final Set<String> SPOOLER_STORE_CALLS = Set.of("IMsgStore::GetOutgoingQueue",
            "IMsgStore::SetLockState", "IMsgStore::FinishedMsg", "IMsgStore::NotifyNewMail");
    private static final String SLT = "IMAPISupport::StoreLogoffTransports";

    /** Where the store lives. */
    enum Engine { SQLITE, POSTGRESQL }

    /** The receiving half of the profile. */
    enum Receiver {
        POP3(Pop3Service.NAME, MailProxy.Protocol.POP3, "RETR"),
        IMAP(ImapService.NAME, MailProxy.Protocol.IMAP, "FETCH");

        final String service;
        final MailProxy.Protocol protocol;
        final String fetchCommand;

        Receiver(String service, MailProxy.Protocol protocol, String fetchCommand) {
            this.service = service;
            this.protocol = protocol;
            this.fetchCommand = fetchCommand;
        }

        int port(MailPeer peer) {
            return this == POP3 ? peer.pop3Port() : peer.imapPort();
        }

        /** @return the ConfigureMsgService values: the proxy, plain, GreenMail's account, a check at every poll */
        List<PropValue> config(int port) {
            boolean pop = this == POP3;
            return List.of(PropValue.ofString(pop ? ServerProps.PR_POP3_HOST : ServerProps.PR_IMAP_HOST, "127.0.0.1"),
                    PropValue.ofInt(pop ? ServerProps.PR_POP3_PORT : ServerProps.PR_IMAP_PORT, port),
                    PropValue.ofString(pop ? ServerProps.PR_POP3_SECURITY : ServerProps.PR_IMAP_SECURITY, "none"),
                    PropValue.ofString(pop ? ServerProps.PR_POP3_USER : ServerProps.PR_IMAP_USER, MailPeer.USER),
                    PropValue.ofString(pop ? ServerProps.PR_POP3_PASSWORD : ServerProps.PR_IMAP_PASSWORD,
                            MailPeer.PASSWORD),
                    PropValue.ofInt(ServerProps.PR_POLL_SECONDS, 0));
        }
    }

    /**
     * The fast spooler every transport test uses. Not cleared afterwards: {@link SessionFixture} sets the same values
     * once, when its class loads, and the test classes that run later in this JVM rely on them.
     */
    @BeforeAll
    static void fastSpooler() {
        System.setProperty("jmapi.spooler.poll", "100");
        System.setProperty("jmapi.spooler.retry", "200");
    }

    // ---- one test per row of the table ---------------------------------------------------------------------------

    @ParameterizedTest(name = "LOGOFF_QUIET, receiving with {0}")
    @EnumSource(Receiver.class)
    void R_SLT_5_quietWithActivityIsRefusedAndTheSpoolerGoesOnAsBefore(Receiver receiver, @TempDir Path home)
            throws Exception {
        runRow(Flags.LOGOFF_QUIET, receiver, home);
    }

    @ParameterizedTest(name = "LOGOFF_ABORT, receiving with {0}")
    @EnumSource(Receiver.class)
    void R_SLT_6_abortWithActivityIsRefusedAndTheSpoolerGoesOnAsBefore(Receiver receiver, @TempDir Path home)
            throws Exception {
        runRow(Flags.LOGOFF_ABORT, receiver, home);
    }

    @ParameterizedTest(name = "LOGOFF_NO_WAIT, receiving with {0}")
    @EnumSource(Receiver.class)
    void R_SLT_7_noWaitReturnsAtOnce_theSendTheQueueAndTheReceiveAllFinish(Receiver receiver, @TempDir Path home)
            throws Exception {
        runRow(Flags.LOGOFF_NO_WAIT, receiver, home);
    }

    @ParameterizedTest(name = "LOGOFF_ORDERLY, receiving with {0}")
    @EnumSource(Receiver.class)
    void R_SLT_8_orderlyReturnsAtOnce_inFlightFinishes_theQueuedMessageStaysQueued(Receiver receiver,
            @TempDir Path home) throws Exception {
        runRow(Flags.LOGOFF_ORDERLY, receiver, home);
    }

    @ParameterizedTest(name = "LOGOFF_PURGE, receiving with {0}")
    @EnumSource(Receiver.class)
    void R_SLT_9_purgeReturnsOnlyAfterEverythingWasSentAndReceived(Receiver receiver, @TempDir Path home)
            throws Exception {
        runRow(Flags.LOGOFF_PURGE, receiver, home);
    }

    /**
     * R-SLT-4 across processes and hosts: the activity StoreLogoffTransports reports is read from the store, so a
     * client whose own session's spooler is idle still sees another session's spooler writing a received message
     * into the same store. "Host A" is a second profile on the same store file with a spooler and no transports;
     * "host B" is the rig's session, held mid-fetch. A's LOGOFF_QUIET is refused with LOGOFF_INBOUND while B
     * receives, and A's store answers {@link BaseMsgStore#PR_TRANSPORT_ACTIVITY} with it; once B's message is in the
     * store the record is gone and the same call completes.
     */
    @ParameterizedTest(name = "store in {0}")
    @EnumSource(Engine.class)
    @ExtendWith(PostgresServer.class)
    void R_SLT_4_inboundOfAnotherSessionsSpoolerOnTheSameStoreIsReported(Engine engine, @TempDir Path home,
            PostgresServer pg) throws Exception {
        String service = engine == Engine.SQLITE ? SqliteStoreService.NAME : PostgresStoreService.NAME;
        List<PropValue> settings = engine == Engine.SQLITE
                ? List.of(PropValue.ofString(SqliteStoreService.PR_STORE_PATH, home.resolve("mail.jmapi").toString()))
                : List.of(PropValue.ofString(PostgresStoreService.PR_PG_JDBC_URL, pg.newDatabase("matrix")),
                        PropValue.ofString(PostgresStoreService.PR_PG_USER, PostgresServer.USER),
                        PropValue.ofString(PostgresStoreService.PR_PG_PASSWORD, PostgresServer.PASSWORD),
                        PropValue.ofString(PostgresStoreService.PR_PG_STORE_NAME, "mailbox"));
        try (Rig rig = new Rig(home, Receiver.POP3, service, settings)) {
            rig.logon();
            try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
                admin.createProfile("hostA", null, 0, 0);
                try (MsgServiceAdmin services = admin.adminServices("hostA", 0)) {
                    MapiUid st = services.createMsgService(service, "Mailbox", 0, 0);
                    services.configureMsgService(st, 0, 0, settings);
                }
            }
            long mark = rig.mark();
            MapiSession hostA = Mapi.logonEx(0, "hostA", null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION);
            try {
                MsgStore storeA = SessionFixture.openStoreOnly(hostA);
                rig.awaitEvent(mark, e -> e.call().equals("IMSProvider::SpoolerLogon")
                        && e.phase() == TraceEvent.Phase.RETURN && e.hresult() != null && e.hresult() == HResult.S_OK);
                assertThat(activity(storeA)).as("nothing recorded yet").isZero();

                rig.inProxy.holdAfter(Receiver.POP3.fetchCommand, 4);
                rig.peer.deliver(MailPeer.message("matrix-c", ""));
                assertThat(rig.inProxy.awaitHolding(SmtpFixture.DEADLINE.toMillis())).as("C held mid-fetch").isTrue();

                assertThat(activity(storeA)).as("B's delivery, seen through A's store")
                        .isEqualTo(Flags.LOGOFF_INBOUND);
                int refused = storeA.storeLogoff(Flags.LOGOFF_QUIET);
                assertThat(refused).as("A's QUIET while B receives").isEqualTo(Flags.LOGOFF_INBOUND);
                assertThat(storeA.getProp(PropTags.PR_DISPLAY_NAME)).as("A's store still works").isPresent();

                rig.releaseHolds();
                await(() -> SessionFixture.inboxSubjects(storeA).contains(SUBJECT_C), () -> "C in the Inbox");
                await(() -> activity(storeA) == 0, () -> "B's record to end with its delivery");
                assertThat(storeA.storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(Flags.LOGOFF_COMPLETE);
                storeA.release();
            } finally {
                hostA.logoff(0, 0, 0);
                hostA.release();
            }
        }
    }

    /** @return the store's {@link BaseMsgStore#PR_TRANSPORT_ACTIVITY}: what every process's spoolers do */
    private static int activity(MsgStore store) {
        return store.getProp(BaseMsgStore.PR_TRANSPORT_ACTIVITY).map(PropValue::asInt)
                .orElseThrow(() -> new AssertionError("the store does not answer PR_TRANSPORT_ACTIVITY"));
    }

    // ---- the scenario --------------------------------------------------------------------------------------------

    private static void runRow(int flag, Receiver receiver, Path home) throws Exception {
        try (Rig rig = new Rig(home, receiver)) {
            rig.logon();
            rig.makeActivity();
            long before = rig.mark();
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> call = caller.submit(() -> rig.store.storeLogoff(flag));
                switch (flag) {
                    case Flags.LOGOFF_QUIET, Flags.LOGOFF_ABORT -> refused(rig, flag, before, call);
                    case Flags.LOGOFF_NO_WAIT, Flags.LOGOFF_ORDERLY -> drained(rig, flag, before, call);
                    case Flags.LOGOFF_PURGE -> purged(rig, before, call);
                    default -> throw new AssertionError(flag);
                }
            } finally {
                caller.shutdownNow();
            }
            rig.assertNothingAfterTheRelease();
        }
    }

    /** R-SLT-5 / R-SLT-6: refused with exactly the activity bits; nothing changes; later, idle, COMPLETE. */
    private static void refused(Rig rig, int flag, long before, Future<Integer> call) throws Exception {
        int out = call.get(SmtpFixture.DEADLINE.toSeconds(), TimeUnit.SECONDS); // the holds are still closed
        assertThat(out).as("refused: the activity bits, no LOGOFF_COMPLETE").isEqualTo(ALL);

        // Nothing was touched: both transfers are still held, nothing was told to any transport, the spooler still
        // holds the store, the message being sent is still locked, and the client's store still works.
        assertThat(rig.smtpProxy.isHolding()).as("A still held mid-DATA").isTrue();
        assertThat(rig.inProxy.awaitHolding(0)).as("C still held mid-fetch").isTrue();
        assertThat(rig.calls(before, c -> c.startsWith("IXPLogon::") || c.equals("IMsgStore::Release")
                || c.startsWith("IMSLogon::"))).isEmpty();
        assertThat(rig.queued(rig.store)).containsExactly(SUBJECT_A, SUBJECT_B);
        assertThat(rig.submitFlags(rig.store, SUBJECT_A) & Flags.SUBMITFLAG_LOCKED).as("A locked").isNotZero();
        assertThat(rig.submitFlags(rig.store, SUBJECT_B) & Flags.SUBMITFLAG_LOCKED).as("B unlocked").isZero();

        // The spooler goes on exactly as before: A finishes, B is sent after it, C arrives, and mail that comes
        // after the refusal moves too (nothing was stopped for the store).
        Rig.submit(rig.store, SUBJECT_B2);
        rig.peer.deliver(MailPeer.message("matrix-c2", ""));
        long released = rig.mark();
        rig.releaseHolds();
        await(() -> rig.received().size() == 3 && rig.queued(rig.store).isEmpty()
                && rig.peer.waiting() == 0 && SessionFixture.inboxSubjects(rig.store).size() == 2,
                () -> "A, B and B2 sent, C and C2 received; GreenMail has " + rig.received() + ", queued "
                        + rig.queued(rig.store) + ", Inbox " + SessionFixture.inboxSubjects(rig.store));
        assertThat(rig.received()).containsExactly(SUBJECT_A, SUBJECT_B, SUBJECT_B2);
        assertThat(rig.subjects(rig.store, PropTags.PR_IPM_SENTMAIL_ENTRYID))
                .containsExactly(SUBJECT_A, SUBJECT_B, SUBJECT_B2);
        assertThat(SessionFixture.inboxSubjects(rig.store)).containsExactlyInAnyOrder(SUBJECT_C, SUBJECT_C2);
        rig.awaitTransfersClosed(released, 3, 2);

        long idle = rig.mark();
        assertThat(rig.store.storeLogoff(flag)).as("idle now: the logoff happens").isEqualTo(Flags.LOGOFF_COMPLETE);
        assertReleasedBeforeSltReturned(rig, idle);
        assertStoreLoggedOff(rig.store);
    }

    /** R-SLT-7 / R-SLT-8: COMPLETE plus the activity bits at once; in-flight mail finishes; then the release. */
    private static void drained(Rig rig, int flag, long before, Future<Integer> call) throws Exception {
        int out = call.get(SmtpFixture.DEADLINE.toSeconds(), TimeUnit.SECONDS); // the holds are still closed
        assertThat(out).as("at once, COMPLETE plus what was in flight").isEqualTo(Flags.LOGOFF_COMPLETE | ALL);
        assertStoreLoggedOff(rig.store);
        assertThat(rig.smtpProxy.isHolding()).as("A still held mid-DATA").isTrue();
        assertThat(rig.inProxy.awaitHolding(0)).as("C still held mid-fetch").isTrue();
        assertThat(rig.releaseOfTheSpoolersLogon()).as("not released while transfers are in flight").isEmpty();

        rig.releaseHolds();
        await(() -> rig.endOfTheSpoolersLogon().isPresent(), () -> "the spooler to release the store");

        MsgStore look = rig.observe();
        if (flag == Flags.LOGOFF_NO_WAIT) {
            assertThat(rig.received()).as("the send in flight finished, the queued one was sent too")
                    .containsExactly(SUBJECT_A, SUBJECT_B);
            assertThat(rig.queued(look)).isEmpty();
            assertThat(rig.subjects(look, PropTags.PR_IPM_SENTMAIL_ENTRYID)).containsExactly(SUBJECT_A, SUBJECT_B);
        } else {
            assertThat(rig.received()).as("the send in flight finished, nothing new was started")
                    .containsExactly(SUBJECT_A);
            assertThat(rig.queued(look)).as("B stays queued for a later session").containsExactly(SUBJECT_B);
            assertThat(rig.submitFlags(look, SUBJECT_B) & Flags.SUBMITFLAG_LOCKED).as("B unlocked").isZero();
            assertThat(rig.subjects(look, PropTags.PR_IPM_SENTMAIL_ENTRYID)).containsExactly(SUBJECT_A);
        }
        assertThat(SessionFixture.inboxSubjects(look)).as("the receive in flight finished, once")
                .containsExactly(SUBJECT_C);
        assertThat(rig.calls(before, "IXPLogon::FlushQueues"::equals)).isEmpty();
    }

    /** R-SLT-9: SLT returns only after the flush, the sends and the receive finished and the store was released. */
    private static void purged(Rig rig, long before, Future<Integer> call) throws Exception {
        rig.awaitEvent(before, e -> e.call().equals(SLT) && e.phase() == TraceEvent.Phase.CALL);
        Thread.sleep(300); // a PURGE that wrongly returns before the transfers end gets the time to do so
        assertThat(call.isDone()).as("PURGE returns only after everything finished").isFalse();
        assertThat(rig.smtpProxy.isHolding()).isTrue();
        assertThat(rig.inProxy.awaitHolding(0)).isTrue();

        rig.releaseHolds(); // from this thread, while the StoreLogoff waits on the other one
        int out = call.get(SmtpFixture.DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(out).isEqualTo(Flags.LOGOFF_COMPLETE);

        // Already done when it returned: no waiting from here on.
        TraceEvent release = assertReleasedBeforeSltReturned(rig, before);
        assertThat(rig.received()).containsExactly(SUBJECT_A, SUBJECT_B);
        List<TraceEvent> flushes = rig.trace.since(before).stream().filter(e -> e.call().equals("IXPLogon::FlushQueues")
                && e.phase() == TraceEvent.Phase.CALL).toList();
        assertThat(flushes).as("FlushQueues on both transports, upload and (default store) download").hasSize(2)
                .allMatch(e -> e.flags() == (Flags.FLUSH_UPLOAD | Flags.FLUSH_DOWNLOAD) && e.seq() < release.seq());
        assertStoreLoggedOff(rig.store);

        MsgStore look = rig.observe();
        assertThat(rig.queued(look)).isEmpty();
        assertThat(rig.subjects(look, PropTags.PR_IPM_SENTMAIL_ENTRYID)).containsExactly(SUBJECT_A, SUBJECT_B);
        assertThat(SessionFixture.inboxSubjects(look)).containsExactly(SUBJECT_C);
    }

    /**
     * The spooler's release of the store, from its final Release of its store object to the end of its logon's chain
     * (IMSLogon::Release), lies before the return of the StoreLogoffTransports called since {@code mark}.
     *
     * @return the start of the release
     */
    private static TraceEvent assertReleasedBeforeSltReturned(Rig rig, long mark) {
        TraceEvent returned = rig.trace.since(mark).stream().filter(e -> e.call().equals(SLT)
                && e.phase() == TraceEvent.Phase.RETURN).findFirst().orElseThrow(() -> new AssertionError("no SLT"));
        TraceEvent release = rig.releaseOfTheSpoolersLogon()
                .orElseThrow(() -> new AssertionError("SLT returned COMPLETE; the spooler never released the store"));
        TraceEvent ended = rig.endOfTheSpoolersLogon().orElseThrow(() -> new AssertionError("no IMSLogon::Release"));
        assertThat(release.seq()).isGreaterThan(mark);
        assertThat(ended.seq()).as("the spooler's logon ended before SLT returned").isLessThan(returned.seq());
        return release;
    }

    /** R-SL-6: after COMPLETE the client's store object answers MAPI_E_INVALID_OBJECT. */
    private static void assertStoreLoggedOff(MsgStore store) {
        assertThatThrownBy(() -> store.getProp(PropTags.PR_DISPLAY_NAME)).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_INVALID_OBJECT));
    }

    // ---- the rig -------------------------------------------------------------------------------------------------

    /**
     * GreenMail (SMTP) behind a {@link TcpProxy}, GreenMail (POP3/IMAP, {@link MailPeer}) behind a {@link MailProxy},
     * MAPI initialised on a throw-away home with one profile (SQLite store, jmapi.smtp, then the receiver), the
     * client's session and store, and, once the client's store is logged off, an observer session (MAPI_NO_MAIL:
     * no spooler) on the same store. Closing it releases the holds, ends both sessions and uninitialises MAPI.
     */
    private static final class Rig implements AutoCloseable {
        final Receiver receiver;
        final GreenMail smtp;
        final TcpProxy smtpProxy;
        final MailPeer peer;
        final MailProxy inProxy;
        final TraceRecorder trace = new TraceRecorder();
        private final Runnable stopTrace;
        MapiSession session;
        MsgStore store;
        String spoolLabel;
        MapiSession observer;
        MsgStore observed;

        Rig(Path home, Receiver receiver) throws Exception {
            this(home, receiver, SqliteStoreService.NAME, List.of(PropValue.ofString(
                    SqliteStoreService.PR_STORE_PATH, home.resolve("mail.jmapi").toString())));
        }

        /**
         * @param storeService  the store's message service
         * @param storeSettings its ConfigureMsgService values
         */
        Rig(Path home, Receiver receiver, String storeService, List<PropValue> storeSettings) throws Exception {
            this.receiver = receiver;
            smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
            smtp.start();
            smtpProxy = TcpProxy.start("127.0.0.1", smtp.getSmtp().getPort());
            peer = new MailPeer();
            inProxy = new MailProxy(receiver.protocol, MailProxy.Mode.PLAIN, receiver.port(peer));

            List<PropValue> smtpSettings = SmtpFixture.smtp(smtpProxy.port(), "none");
            // A read timeout far beyond the test's deadline: only the proxy's release ends the wait mid-DATA.
            smtpSettings.removeIf(v -> v.id() == (SmtpTransportService.PR_SMTP_TIMEOUT >>> 16));
            smtpSettings.add(PropValue.ofInt(SmtpTransportService.PR_SMTP_TIMEOUT, 3600));
            Mapi.initialize(MapiInit.home(home));
            stopTrace = Mapi.trace().addListener(trace);
            try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
                admin.createProfile(PROFILE, null, 0, 0);
                try (MsgServiceAdmin services = admin.adminServices(PROFILE, 0)) {
                    MapiUid st = services.createMsgService(storeService, "Mailbox", 0, 0);
                    services.configureMsgService(st, 0, 0, storeSettings);
                    MapiUid out = services.createMsgService(SmtpTransportService.NAME, "SMTP", 0, 0);
                    services.configureMsgService(out, 0, 0, smtpSettings);
                    MapiUid in = services.createMsgService(receiver.service, receiver.name(), 0, 0);
                    services.configureMsgService(in, 0, 0, receiver.config(inProxy.port()));
                }
            }
        }

        /** The client's session and store; waits for the spooler's own logon on the store and for its transports. */
        void logon() {
            long mark = mark();
            session = Mapi.logonEx(0, PROFILE, null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION);
            store = SessionFixture.openStoreOnly(session);
            TraceEvent spoolerLogon = awaitEvent(mark, e -> e.call().equals("IMSProvider::SpoolerLogon")
                    && e.phase() == TraceEvent.Phase.RETURN && e.hresult() != null && e.hresult() == HResult.S_OK);
            spoolLabel = spoolerLogon.object();
            int begin = Flags.NOTIFY_BEGIN_INBOUND | Flags.NOTIFY_BEGIN_OUTBOUND;
            await(() -> trace.since(mark).stream().filter(e -> e.call().equals("IXPLogon::TransportNotify")
                    && e.phase() == TraceEvent.Phase.RETURN && e.flags() == begin).count() == 2,
                    () -> "both transports to begin traffic; trace " + briefs(mark));
        }

        /** A held mid-DATA, B queued behind it, C held mid-fetch. */
        void makeActivity() throws InterruptedException {
            smtpProxy.holdAfter("DATA\r\n");
            submit(store, SUBJECT_A);
            assertThat(smtpProxy.awaitHeld(SmtpFixture.DEADLINE)).as("A held right after DATA").isTrue();
            await(() -> smtpProxy.clientTranscript().contains("Subject: " + SUBJECT_A),
                    () -> "A's content written; the transport waits for the reply to its final '.'");
            submit(store, SUBJECT_B);
            assertThat(queued(store)).containsExactly(SUBJECT_A, SUBJECT_B);

            long mark = mark();
            inProxy.holdAfter(receiver.fetchCommand, 4); // the reply begins; the message is not complete
            peer.deliver(MailPeer.message("matrix-c", ""));
            assertThat(inProxy.awaitHolding(SmtpFixture.DEADLINE.toMillis())).as("C held mid-fetch").isTrue();
            assertThat(trace.since(mark).stream().filter(e -> e.call().equals("IXPLogon::StartMessage")).toList())
                    .as("StartMessage called and not returned").extracting(TraceEvent::phase)
                    .containsExactly(TraceEvent.Phase.CALL);
            assertThat(received()).isEmpty();
            assertThat(SessionFixture.inboxSubjects(store)).isEmpty();
        }

        void releaseHolds() {
            smtpProxy.release();
            inProxy.release();
        }

        /**
         * Waits until every message of each direction since {@code mark} was finished (FinishedMsg, NotifyNewMail: a
         * message is in the store a little before its NotifyNewMail) and the spooler's threads came round again
         * after the last one: its mail thread read the queue after the last FinishedMsg, its inbound thread polled
         * after the last NotifyNewMail (each thread closes a message's transfer before it goes on), so nothing is in
         * flight any more.
         */
        void awaitTransfersClosed(long mark, int sent, int received) {
            await(() -> {
                List<TraceEvent> es = trace.since(mark);
                List<Long> finished = seqs(es, "IMsgStore::FinishedMsg");
                List<Long> notified = seqs(es, "IMsgStore::NotifyNewMail");
                return finished.size() == sent && notified.size() == received
                        && last(seqs(es, "IMsgStore::GetOutgoingQueue")) > last(finished)
                        && last(seqs(es, "IXPLogon::Poll")) > last(notified);
            }, () -> "the spooler to go round again after the last transfer; trace " + briefs(mark));
        }

        private static List<Long> seqs(List<TraceEvent> events, String call) {
            return events.stream().filter(e -> e.call().equals(call) && e.phase() == TraceEvent.Phase.CALL)
                    .map(TraceEvent::seq).toList();
        }

        private static long last(List<Long> seqs) {
            return seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1);
        }

        /**
         * @return the start of the spooler's release of the store (its final Release of its own store object), once
         *         it happened
         */
        Optional<TraceEvent> releaseOfTheSpoolersLogon() {
            return spoolerLogonEvent("IMsgStore::Release", TraceEvent.Phase.CALL);
        }

        /** @return the end of that release's chain (the spooler's store logon released, R-SR-1), once it happened */
        Optional<TraceEvent> endOfTheSpoolersLogon() {
            return spoolerLogonEvent("IMSLogon::Release", TraceEvent.Phase.RETURN);
        }

        private Optional<TraceEvent> spoolerLogonEvent(String call, TraceEvent.Phase phase) {
            return trace.events().stream().filter(e -> e.call().equals(call) && e.phase() == phase
                    && e.object().equals(spoolLabel)).findFirst();
        }

        /**
         * R-SLT-10: after the release, with a new message queued in the store (submitted by the observer) and new mail
         * waiting at the server, the spooler goes round several times and touches neither: no GetOutgoingQueue,
         * SetLockState, FinishedMsg, NotifyNewMail, SubmitMessage or StartMessage. The runtime traces the spooler's
         * store calls with the object "spooler"; the profile has this one store and the observer's session has no
         * spooler, so any such call after the release would be one on this store.
         */
        void assertNothingAfterTheRelease() {
            TraceEvent release = releaseOfTheSpoolersLogon().orElseThrow(() -> new AssertionError("never released"));
            MsgStore look = observe();
            await(() -> peer.waiting() == 0, () -> "C's server copy deleted");
            List<String> sent = received();
            List<String> inbox = SessionFixture.inboxSubjects(look);
            assertThat(inbox).contains(SUBJECT_C);
            submit(look, SUBJECT_D);
            peer.deliver(MailPeer.message("matrix-e", ""));
            long mark = mark();
            await(() -> trace.since(mark).stream().filter(e -> e.call().equals("IXPLogon::Poll")
                    && e.phase() == TraceEvent.Phase.RETURN && e.flags() == 1).count() >= 3,
                    () -> "three polls that see the new mail; trace " + briefs(mark));
            assertThat(calls(release.seq(), c -> SPOOLER_STORE_CALLS.contains(c)
                    || c.equals("IXPLogon::SubmitMessage") || c.equals("IXPLogon::StartMessage")))
                    .as("the spooler's calls on the store after it released it").isEmpty();
            assertThat(queued(look)).contains(SUBJECT_D);
            assertThat(submitFlags(look, SUBJECT_D) & Flags.SUBMITFLAG_LOCKED).isZero();
            assertThat(received()).isEqualTo(sent);
            assertThat(peer.waiting()).as("the new mail stays at the server").isEqualTo(1);
            assertThat(SessionFixture.inboxSubjects(look)).isEqualTo(inbox);
        }

        /** @return the store, opened in a MAPI_NO_MAIL session (no spooler: it only looks) */
        MsgStore observe() {
            if (observed == null) {
                observer = Mapi.logonEx(0, PROFILE, null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION
                        | Flags.MAPI_NO_MAIL);
                observed = SessionFixture.openStoreOnly(observer);
            }
            return observed;
        }

        long mark() {
            return Mapi.trace().lastSeq();
        }

        TraceEvent awaitEvent(long mark, Predicate<TraceEvent> p) {
            await(() -> trace.since(mark).stream().anyMatch(p), () -> "a trace event; trace " + briefs(mark));
            return trace.since(mark).stream().filter(p).findFirst().orElseThrow();
        }

        /** @return the calls (CALL phase) since {@code mark} whose name matches, as "name object" */
        List<String> calls(long mark, Predicate<String> name) {
            return trace.since(mark).stream().filter(e -> e.phase() == TraceEvent.Phase.CALL && name.test(e.call()))
                    .map(e -> e.call() + " " + e.object()).toList();
        }

        List<String> briefs(long mark) {
            return trace.since(mark).stream().map(TraceEvent::brief).toList();
        }

        /** @return the subjects GreenMail's SMTP server received, in order */
        List<String> received() {
            List<String> out = new ArrayList<>();
            for (MimeMessage m : smtp.getReceivedMessages()) {
                try {
                    out.add(m.getSubject());
                } catch (MessagingException e) {
                    throw new AssertionError(e);
                }
            }
            return out;
        }

        /** Composes a message to {@value #TO} in the Outbox (moved to Sent Items when sent) and submits it. */
        static void submit(MsgStore store, String subject) {
            try (MapiFolder outbox = folder(store, PropTags.PR_IPM_OUTBOX_ENTRYID);
                 Message m = outbox.createMessage(0)) {
                m.setProps(List.of(PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note"),
                        PropValue.ofString(PropTags.PR_SUBJECT, subject),
                        PropValue.ofString(PropTags.PR_BODY, "Hello Ann,\r\n\r\n" + subject + "\r\n"),
                        PropValue.ofString(PropTags.PR_SENDER_NAME, "Sender"),
                        PropValue.ofString(PropTags.PR_SENDER_ADDRTYPE, "SMTP"),
                        PropValue.ofString(PropTags.PR_SENDER_EMAIL_ADDRESS, SmtpFixture.SENDER),
                        PropValue.ofBinary(PropTags.PR_SENTMAIL_ENTRYID,
                                SmtpFixture.entryId(store, PropTags.PR_IPM_SENTMAIL_ENTRYID).toBytes())));
                m.modifyRecipients(0, List.of(SmtpFixture.recipient("Ann", TO, Flags.MAPI_TO)));
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                m.submitMessage(0);
            }
        }

        static MapiFolder folder(MsgStore store, int storeTag) {
            return (MapiFolder) store.openEntry(SmtpFixture.entryId(store, storeTag), Flags.MAPI_MODIFY);
        }

        List<String> subjects(MsgStore store, int storeTag) {
            try (MapiFolder f = folder(store, storeTag)) {
                return SmtpFixture.subjects(f);
            }
        }

        /** @return the Outbox messages still submitted (MSGFLAG_SUBMIT), by subject, in table order */
        List<String> queued(MsgStore store) {
            List<String> out = new ArrayList<>();
            for (Row r : outbox(store)) {
                int flags = r.find(PropTags.PR_MESSAGE_FLAGS).map(PropValue::asInt).orElse(0);
                if ((flags & Flags.MSGFLAG_SUBMIT) != 0) {
                    out.add(r.find(PropTags.PR_SUBJECT).map(PropValue::asString).orElse(null));
                }
            }
            return out;
        }

        /** @return PR_SUBMIT_FLAGS of the Outbox message with this subject (SUBMITFLAG_LOCKED: the spooler has it) */
        int submitFlags(MsgStore store, String subject) {
            for (Row r : outbox(store)) {
                if (subject.equals(r.find(PropTags.PR_SUBJECT).map(PropValue::asString).orElse(null))) {
                    return r.find(PropTags.PR_SUBMIT_FLAGS).map(PropValue::asInt).orElse(0);
                }
            }
            throw new AssertionError("no '" + subject + "' in the Outbox");
        }

        private static List<Row> outbox(MsgStore store) {
            try (MapiFolder f = folder(store, PropTags.PR_IPM_OUTBOX_ENTRYID); MapiTable t = f.getContentsTable(0)) {
                t.setColumns(new int[] {PropTags.PR_SUBJECT, PropTags.PR_MESSAGE_FLAGS, PropTags.PR_SUBMIT_FLAGS}, 0);
                return t.queryRows(1000, 0);
            }
        }

        @Override
        public void close() throws Exception {
            try {
                releaseHolds();
                if (observed != null) {
                    observed.release();
                }
                if (observer != null) {
                    observer.logoff(0, 0, 0);
                    observer.release();
                }
                if (store != null) {
                    store.release(); // after a COMPLETE only Release follows (R-SL-6)
                }
                if (session != null) {
                    session.logoff(0, 0, 0);
                    session.release();
                }
            } finally {
                stopTrace.run();
                while (Mapi.initCount() > 0) {
                    Mapi.uninitialize();
                }
                inProxy.close();
                peer.close();
                smtpProxy.close();
                smtp.stop();
            }
        }
    }
}
