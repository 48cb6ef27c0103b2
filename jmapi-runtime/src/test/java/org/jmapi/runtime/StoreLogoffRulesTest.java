package org.jmapi.runtime;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.MapiUid;
import org.jmapi.client.AddrBook;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.StoreActivity.Transfer;
import org.jmapi.runtime.testproviders.MemoryAbProvider;
import org.jmapi.runtime.testproviders.MemoryStoreData;
import org.jmapi.runtime.testproviders.MemoryTransportProvider;
import org.jmapi.runtime.trace.TraceEvent;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.jmapi.runtime.Fixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jmapi.prop.PropTags.PR_ADDRTYPE;
import static org.jmapi.prop.PropTags.PR_DISPLAY_NAME;
import static org.jmapi.prop.PropTags.PR_EMAIL_ADDRESS;
import static org.jmapi.prop.PropTags.PR_ENTRYID;
import static org.jmapi.prop.PropTags.PR_IPM_OUTBOX_ENTRYID;
import static org.jmapi.prop.PropTags.PR_MESSAGE_FLAGS;
import static org.jmapi.prop.PropTags.PR_RECIPIENT_TYPE;
import static org.jmapi.prop.PropTags.PR_RECORD_KEY;
import static org.jmapi.prop.PropTags.PR_RESOURCE_TYPE;
import static org.jmapi.prop.PropTags.PR_SUBJECT;
import static org.jmapi.prop.PropTags.PR_SUBMIT_FLAGS;

/**
 * Store shutdown: {@code IMsgStore::StoreLogoff} (spec &sect;11.2, R-SL-1..9), MAPI's
 * {@code IMAPISupport::StoreLogoffTransports} (&sect;11.3, R-SLT-1..10) and queued mail across logoff (&sect;11.8,
 * R-MAIL-1), observed through the real runtime, the in-memory test providers and the lifecycle trace.
 *
 * <p>Activity is made the way the spooler's send/receive loops will make it: an in-flight transfer is a
 * {@link StoreActivity#tryBeginOutbound()} / {@link StoreActivity#tryBeginInbound()} kept open, a queued message is a
 * real message submitted in the memory store.
 *
 * <p>Pending:
 * <ul>
 *   <li>R-SL-1, a null {@code lpulFlags}: the Java signature takes the flag word by value, so there is no null; its
 *       equivalent, zero, is tested.</li>
 *   <li>R-SLT-7 / R-SLT-9, "every ready outbound message of the store is sent in the background" (NO_WAIT) and
 *       "flushed, then sent" (PURGE), and R-SLT-7 / R-SLT-8 "inbound in progress is completed": moving mail is the
 *       spooler's send and receive loops, which do not exist yet. Tested: the decision, the output, which direction
 *       still accepts new work, the FlushQueues call, and that the spooler's logon on the store ends only after every
 *       in-flight transfer was closed.</li>
 *   <li>R-SLT-10, "never again calls GetOutgoingQueue, SetLockState, FinishedMsg or NotifyNewMail": those calls come
 *       from the send/receive loops and are not traced. Tested instead: the spooler's logon on the store has ended
 *       (IMSLogon::Release in the trace, the record ended), so none of its store objects can be called any more.</li>
 *   <li>R-MAIL-1, "sent once a later session's spooler logs on": needs the send loop. Tested: the later session's
 *       spooler sees the message as queued and unlocked (LOGOFF_OUTBOUND_QUEUE in its snapshot).</li>
 * </ul>
 */
class StoreLogoffRulesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SLT = "IMAPISupport::StoreLogoffTransports";
    private static final int[] INPUT_FLAGS = {Flags.LOGOFF_NO_WAIT, Flags.LOGOFF_ORDERLY, Flags.LOGOFF_PURGE,
        Flags.LOGOFF_ABORT, Flags.LOGOFF_QUIET};

    /** The activity a store can have when StoreLogoff is called (spec &sect;11.3 definitions). */
    enum Activity {
        OUTBOUND_IN_FLIGHT(Flags.LOGOFF_OUTBOUND),
        QUEUED(Flags.LOGOFF_OUTBOUND_QUEUE),
        INBOUND_IN_FLIGHT(Flags.LOGOFF_INBOUND),
        IDLE(0);

        final int bit;

        Activity(int bit) {
            this.bit = bit;
        }
    }

    /** One client-opened store with the spooler's logon on it. */
    private static final class Opened {
        final MapiSession session;
        final RealSession rs;
        final EntryId id;
        final MapiUid section;
        final MsgStore store;
        final StoreLogonRecord record;
        final Spooler.SpoolerStore ss;

        Opened(MapiSession session, int index, int flags, boolean expectSpooler) {
            this.session = session;
            this.rs = (RealSession) session;
            this.id = Fixture.storeId(session, index);
            this.section = MsgStoresTable.sectionOf(id);
            this.store = session.openMsgStore(0, id, flags);
            this.record = clientRecord(rs, section);
            this.ss = expectSpooler ? Fixture.spoolerStore(session, id) : null;
            if (expectSpooler) {
                assertThat(ss.state).isEqualTo(Spooler.State.ACTIVE);
                // let the spooler finish its start-up traffic (BEGIN_INBOUND|BEGIN_OUTBOUND) so later trace
                // assertions only see what the test caused
                rs.spooler.awaitReady();
                await(() -> rs.spooler.transports().stream().allMatch(t -> t.inboundEnabled && t.outboundEnabled),
                        "the transports to be enabled");
            }
        }

        String label() {
            return record.label;
        }

        String spoolLabel() {
            return ss.record.label;
        }

        MemoryStoreData data() {
            return MemoryStoreData.forStore(MapiUid.of(store.getProp(PR_RECORD_KEY).orElseThrow().asBinary()));
        }
    }

    private static Opened open(MapiSession s, int index) {
        return new Opened(s, index, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG, true);
    }

    // ---- R-MS-7 with a drain in progress ------------------------------------------------------------------------

    @Test
    void R_MS_7_storeReopenedWhileTheSpoolerDrainsItGetsANewSpoolerLogonAfterTheDrain(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            StoreActivity.Transfer inFlight = a.ss.activity.tryBeginOutbound().orElseThrow();
            assertThat(a.store.storeLogoff(Flags.LOGOFF_NO_WAIT) & Flags.LOGOFF_COMPLETE).isNotZero();
            assertThat(a.ss.state).isEqualTo(Spooler.State.DRAINING);

            MsgStore again = s.openMsgStore(0, a.id, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
            assertThat(again).isNotSameAs(a.store); // the logged-off store object is not handed out again
            assertThat(a.rs.spooler.store(a.section)).containsSame(a.ss); // still the draining one

            inFlight.close();
            await(() -> a.ss.state == Spooler.State.RELEASED, "the drain to end");
            await(() -> a.rs.spooler.store(a.section).filter(n -> n != a.ss && n.state == Spooler.State.ACTIVE)
                    .isPresent(), "a new spooler logon for the reopened store");
            assertThat(a.rs.spooler.store(a.section).orElseThrow().record).isNotSameAs(a.ss.record);
            again.release();
            a.store.release();
            s.logoff(0, 0, 0);
            s.release();
        }
    }

    // ---- R-SL-1 ------------------------------------------------------------------------------------------------

    @Test
    void R_SL_1_invalidInputFlagsAreRejectedAndNothingHappens(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            int snapshot = a.ss.activity.snapshot();
            long mark = f.mark();

            // zero (also what a null lpulFlags becomes in Java) and every combination of several LOGOFF bits
            for (int flags = 0; flags <= Flags.LOGOFF_INPUT_MASK; flags++) {
                if (Integer.bitCount(flags) != 1) {
                    int bad = flags;
                    assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> a.store.storeLogoff(bad));
                }
            }
            assertCode(HResult.MAPI_E_INVALID_PARAMETER,
                    () -> a.store.storeLogoff(Flags.LOGOFF_ORDERLY | Flags.LOGOFF_QUIET));
            // unknown bits, alone or with a valid flag; an output bit is not an input bit
            for (int bad : new int[] {0x20, 0x100000, Flags.LOGOFF_ORDERLY | 0x20, Flags.LOGOFF_QUIET | 0x100000,
                Flags.LOGOFF_COMPLETE, 0x80000000}) {
                assertCode(HResult.MAPI_E_UNKNOWN_FLAGS, () -> a.store.storeLogoff(bad));
            }

            // nothing else happened: no SLT, no spooler work, the store and the spooler's logon unchanged
            List<TraceEvent> since = f.trace.since(mark);
            assertThat(since).noneMatch(e -> e.call().equals(SLT));
            assertThat(since).noneMatch(e -> e.object().equals(a.spoolLabel()) || e.call().startsWith("IXPLogon::Flush"));
            assertThat(since).filteredOn(e -> e.object().equals(a.label()))
                    .allMatch(e -> e.call().equals("IMsgStore::StoreLogoff"))
                    .filteredOn(e -> e.phase() == TraceEvent.Phase.RETURN).isNotEmpty()
                    .allMatch(e -> e.hresult() == HResult.MAPI_E_INVALID_PARAMETER
                            || e.hresult() == HResult.MAPI_E_UNKNOWN_FLAGS);
            assertThat(a.rs.spooler.store(a.section)).containsSame(a.ss);
            assertThat(a.ss.state).isEqualTo(Spooler.State.ACTIVE);
            assertThat(a.ss.activity.snapshot()).isEqualTo(snapshot);
            assertThat(a.record.isActive()).isTrue();
            assertThat(a.store.getProps(null, 0).values()).isNotEmpty();
            a.store.openEntry(null, 0).release();

            // a later valid StoreLogoff still works, with exactly one SLT call
            long mark2 = f.mark();
            assertThat(a.store.storeLogoff(Flags.LOGOFF_ORDERLY)).isEqualTo(Flags.LOGOFF_COMPLETE);
            assertThat(sltCallFlags(f, mark2, a.label())).containsExactly(Flags.LOGOFF_ORDERLY);
            a.store.release();
        }
    }

    @Test
    void R_SL_1_invalidFlagsOnABusyStoreChangeNothingEither(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            Transfer t = a.ss.activity.tryBeginOutbound().orElseThrow();
            long mark = f.mark();
            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> a.store.storeLogoff(0));
            assertCode(HResult.MAPI_E_UNKNOWN_FLAGS, () -> a.store.storeLogoff(0x20));
            assertThat(f.trace.since(mark)).noneMatch(e -> e.call().equals(SLT));
            // the SLT marker was not set: a refused QUIET now is the first SLT call, and release adds no ABORT
            assertThat(a.store.storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(Flags.LOGOFF_OUTBOUND);
            t.close();
            a.store.release();
            assertThat(sltCallFlags(f, mark, a.label())).containsExactly(Flags.LOGOFF_QUIET);
        }
    }

    // ---- R-SL-2 ------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {Flags.LOGOFF_NO_WAIT, Flags.LOGOFF_ORDERLY, Flags.LOGOFF_PURGE, Flags.LOGOFF_ABORT,
        Flags.LOGOFF_QUIET})
    void R_SL_2_flagReachesStoreLogoffTransportsUnchanged(int flag, @TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            long mark = f.mark();
            a.store.storeLogoff(flag);
            List<TraceEvent> calls = events(f, mark, SLT, a.label(), TraceEvent.Phase.CALL);
            assertThat(calls).hasSize(1);
            assertThat(calls.get(0).flags()).isEqualTo(flag);
            List<TraceEvent> logoff = events(f, mark, "IMsgStore::StoreLogoff", a.label(), TraceEvent.Phase.CALL);
            assertThat(logoff).hasSize(1);
            assertThat(logoff.get(0).flags()).isEqualTo(flag);
            assertThat(logoff.get(0).seq()).isLessThan(calls.get(0).seq());
            a.store.release();
        }
    }

    // ---- R-SL-3 ------------------------------------------------------------------------------------------------

    @Test
    void R_SL_3_P1_storeLogoffCallsStoreLogoffTransportsOnceAndReleaseAddsNone(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            long start = f.mark();
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            assertThat(a.store.storeLogoff(Flags.LOGOFF_ORDERLY)).isEqualTo(Flags.LOGOFF_COMPLETE);
            a.store.release();
            assertThat(a.record.hasEnded()).isTrue();
            end(s);
            assertThat(sltCallFlags(f, start, a.label())).containsExactly(Flags.LOGOFF_ORDERLY);
            assertNoSpoolerSlt(f, start);
        }
    }

    @Test
    void R_SL_3_P2_releaseWithoutStoreLogoffCallsAbortOnce(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            long start = f.mark();
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            long mark = f.mark();
            a.store.release();
            assertThat(a.record.hasEnded()).isTrue();
            List<String> store = briefsOf(f, mark, a.label());
            int release = store.indexOf("IMsgStore::Release call " + a.label() + " 0x00000000");
            int slt = store.indexOf(SLT + " call " + a.label() + " 0x00000008");
            int releaseEnd = store.indexOf("IMsgStore::Release return " + a.label() + " 0x00000000 S_OK");
            assertThat(release).isNotNegative();
            assertThat(slt).isGreaterThan(release).isLessThan(releaseEnd);
            end(s);
            assertThat(sltCallFlags(f, start, a.label())).containsExactly(Flags.LOGOFF_ABORT);
            assertNoSpoolerSlt(f, start);
        }
    }

    @Test
    void R_SL_3_P3_sessionLogoffWithTheStoreOpenCallsAbortOnceInsideLogoff(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            long start = f.mark();
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            Opened b = open(s, 1);
            long mark = f.mark();
            s.logoff(0, 0, 0);
            for (Opened o : List.of(a, b)) {
                List<String> store = briefsOf(f, mark, o.label());
                int logoff = store.indexOf("IMSLogon::Logoff call " + o.label() + " 0x00000000");
                int slt = store.indexOf(SLT + " call " + o.label() + " 0x00000008");
                int logoffEnd = store.indexOf("IMSLogon::Logoff return " + o.label() + " 0x00000000 S_OK");
                assertThat(logoff).isNotNegative();
                assertThat(slt).isGreaterThan(logoff).isLessThan(logoffEnd);
                assertThat(o.record.hasEnded()).isTrue();
            }
            // the client's late release of its (now invalid) store adds no call
            a.store.release();
            b.store.release();
            s.release();
            assertThat(sltCallFlags(f, start, a.label())).containsExactly(Flags.LOGOFF_ABORT);
            assertThat(sltCallFlags(f, start, b.label())).containsExactly(Flags.LOGOFF_ABORT);
            assertNoSpoolerSlt(f, start);
        }
    }

    @Test
    void R_SL_3_P3_afterARefusedStoreLogoffSessionLogoffAddsNoCall(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            long start = f.mark();
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            Transfer t = a.ss.activity.tryBeginInbound().orElseThrow();
            assertThat(a.store.storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(Flags.LOGOFF_INBOUND);
            s.logoff(0, 0, 0);
            t.close();
            a.store.release();
            s.release();
            assertThat(a.record.hasEnded()).isTrue();
            assertThat(sltCallFlags(f, start, a.label())).containsExactly(Flags.LOGOFF_QUIET);
            assertNoSpoolerSlt(f, start);
        }
    }

    @Test
    void R_SL_3_refusedRetriesAreTheOnlyExtraCalls(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            long start = f.mark();
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            Transfer t = a.ss.activity.tryBeginOutbound().orElseThrow();
            assertThat(a.store.storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(Flags.LOGOFF_OUTBOUND);
            assertThat(a.store.storeLogoff(Flags.LOGOFF_ABORT)).isEqualTo(Flags.LOGOFF_OUTBOUND);
            assertThat(a.store.storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(Flags.LOGOFF_OUTBOUND);
            t.close();
            assertThat(a.store.storeLogoff(Flags.LOGOFF_ABORT)).isEqualTo(Flags.LOGOFF_COMPLETE);
            a.store.release();
            end(s);
            assertThat(sltCallFlags(f, start, a.label())).containsExactly(Flags.LOGOFF_QUIET, Flags.LOGOFF_ABORT,
                    Flags.LOGOFF_QUIET, Flags.LOGOFF_ABORT);
            assertNoSpoolerSlt(f, start);
        }
    }

    @Test
    void R_SL_3_spoolerStoreLogonsNeverCallStoreLogoffTransports(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            long start = f.mark();
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            Opened b = open(s, 1);
            List<String> spoolerLabels = List.of(a.spoolLabel(), b.spoolLabel());
            assertThat(spoolerLabels).allMatch(l -> l.startsWith("spoolstore:"));
            // P1 on A: the spooler releases its own logon on A; P3 ends the spooler's logon on B
            assertThat(a.store.storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(Flags.LOGOFF_COMPLETE);
            a.store.release();
            s.logoff(0, 0, 0);
            b.store.release();
            s.release();
            assertThat(a.ss.record.hasEnded()).isTrue();
            assertThat(b.ss.record.hasEnded()).isTrue();
            for (String l : spoolerLabels) {
                assertThat(f.callsSince(start)).contains("IMSLogon::Release " + l);
                assertThat(f.trace.since(start)).noneMatch(e -> e.call().equals(SLT) && e.object().equals(l));
            }
            assertNoSpoolerSlt(f, start);
            assertThat(sltCallFlags(f, start, a.label())).containsExactly(Flags.LOGOFF_QUIET);
            assertThat(sltCallFlags(f, start, b.label())).containsExactly(Flags.LOGOFF_ABORT);
        }
    }

    // ---- R-SL-4 / R-SL-7 -----------------------------------------------------------------------------------------

    @Test
    void R_SL_4_finalReleaseCallsAbortBeforeReleasingTheSupportObjectIffNoSltYet(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            long mark = f.mark();
            a.store.release();
            List<String> store = callsOf(f, mark, a.label());
            assertThat(store).startsWith("IMsgStore::Release", SLT, "IMAPISupport::Release");
            assertThat(events(f, mark, SLT, a.label(), TraceEvent.Phase.CALL)).extracting(TraceEvent::flags)
                    .containsExactly(Flags.LOGOFF_ABORT);
            end(s);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {Flags.LOGOFF_QUIET, Flags.LOGOFF_ABORT})
    void R_SL_4_refusedLogoffLeavesTheStoreUsableAndReleaseDoesNotCallAgain(int flag, @TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            long start = f.mark();
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            Transfer t = a.ss.activity.tryBeginOutbound().orElseThrow();
            int out = a.store.storeLogoff(flag);
            assertThat(out).isEqualTo(Flags.LOGOFF_OUTBOUND);
            assertThat(out & Flags.LOGOFF_COMPLETE).isZero();
            assertStoreUsable(a.store);
            assertThat(a.rs.spooler.store(a.section)).containsSame(a.ss);
            assertThat(a.ss.state).isEqualTo(Spooler.State.ACTIVE);

            long mark = f.mark();
            a.store.release();
            // the marker is set: no SLT from the release; the support object is released, the client logon ends
            assertThat(callsOf(f, mark, a.label())).startsWith("IMsgStore::Release", "IMAPISupport::Release")
                    .doesNotContain(SLT);
            assertThat(a.record.hasEnded()).isTrue();
            // R-SLT-6: only the spooler's own logon on the store survives the client's teardown
            assertThat(a.rs.spooler.store(a.section)).containsSame(a.ss);
            assertThat(a.ss.state).isEqualTo(Spooler.State.ACTIVE);
            assertThat(a.ss.record.isActive()).isTrue();
            t.close();
            end(s);
            assertThat(sltCallFlags(f, start, a.label())).containsExactly(flag);
        }
    }

    @Test
    void R_SL_7_retryAfterRefusalCallsSltAgainWithTheNewFlag(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            long start = f.mark();
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            Transfer t = a.ss.activity.tryBeginOutbound().orElseThrow();

            assertThat(a.store.storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(Flags.LOGOFF_OUTBOUND);
            assertStoreUsable(a.store);
            assertThat(a.store.storeLogoff(Flags.LOGOFF_ABORT)).isEqualTo(Flags.LOGOFF_OUTBOUND);
            assertStoreUsable(a.store);
            assertThat(a.ss.state).isEqualTo(Spooler.State.ACTIVE);
            assertThat(sltCallFlags(f, start, a.label())).containsExactly(Flags.LOGOFF_QUIET, Flags.LOGOFF_ABORT);

            // the latest flag wins: ORDERLY is never refused
            int out = a.store.storeLogoff(Flags.LOGOFF_ORDERLY);
            assertThat(out).isEqualTo(Flags.LOGOFF_COMPLETE | Flags.LOGOFF_OUTBOUND);
            assertThat(a.ss.state).isEqualTo(Spooler.State.DRAINING);
            assertThat(sltCallFlags(f, start, a.label())).containsExactly(Flags.LOGOFF_QUIET, Flags.LOGOFF_ABORT,
                    Flags.LOGOFF_ORDERLY);

            long mark = f.mark();
            a.store.release();
            assertThat(callsOf(f, mark, a.label())).doesNotContain(SLT);
            t.close();
            await(() -> a.ss.state == Spooler.State.RELEASED, "the spooler to release the store");
            end(s);
            assertThat(sltCallFlags(f, start, a.label())).containsExactly(Flags.LOGOFF_QUIET, Flags.LOGOFF_ABORT,
                    Flags.LOGOFF_ORDERLY);
        }
    }

    // ---- R-SL-5 ------------------------------------------------------------------------------------------------

    @Test
    void R_SL_5_returnsExactlyTheSltOutputBits(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = offline(f.logon());

            // idle ORDERLY on A
            Opened a = open(s, 0);
            long mark = f.mark();
            int out = a.store.storeLogoff(Flags.LOGOFF_ORDERLY);
            assertThat(out).isEqualTo(Flags.LOGOFF_COMPLETE).isEqualTo(sltReturn(f, mark, a.label()).flags());
            assertStoreLogoffReturnedSOk(f, mark, a.label(), out);
            a.store.release();

            // busy ORDERLY on B: every activity bit, with COMPLETE
            Opened b = open(s, 1);
            submit(b.store, "queued");
            Transfer in = b.ss.activity.tryBeginInbound().orElseThrow();
            Transfer outT = b.ss.activity.tryBeginOutbound().orElseThrow();
            mark = f.mark();
            out = b.store.storeLogoff(Flags.LOGOFF_ORDERLY);
            assertThat(out).isEqualTo(Flags.LOGOFF_COMPLETE | Flags.LOGOFF_INBOUND | Flags.LOGOFF_OUTBOUND
                    | Flags.LOGOFF_OUTBOUND_QUEUE).isEqualTo(sltReturn(f, mark, b.label()).flags());
            assertThat(out & Flags.LOGOFF_INPUT_MASK).isZero();
            assertStoreLogoffReturnedSOk(f, mark, b.label(), out);
            b.store.release();
            in.close();
            outT.close();
            await(() -> b.ss.state == Spooler.State.RELEASED, "the spooler to release B");
            end(s);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {Flags.LOGOFF_QUIET, Flags.LOGOFF_ABORT})
    void R_SL_5_refusedOutputIsTheSltActivityBitsWithoutInputBits(int flag, @TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            Transfer t = a.ss.activity.tryBeginInbound().orElseThrow();
            long mark = f.mark();
            int out = a.store.storeLogoff(flag);
            assertThat(out).isEqualTo(Flags.LOGOFF_INBOUND).isEqualTo(sltReturn(f, mark, a.label()).flags());
            assertThat(out & flag).isZero();
            assertStoreLogoffReturnedSOk(f, mark, a.label(), out);
            t.close();
            a.store.release();
            end(s);
        }
    }

    // ---- R-SL-6 ------------------------------------------------------------------------------------------------

    @Test
    void R_SL_6_afterCompleteOnlyIUnknownWorks(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            long start = f.mark();
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            MsgStore store = a.store;
            EntryId outbox = EntryId.of(store.getProp(PR_IPM_OUTBOX_ENTRYID).orElseThrow().asBinary());
            assertThat(store.storeLogoff(Flags.LOGOFF_ORDERLY)).isEqualTo(Flags.LOGOFF_COMPLETE);

            int inv = HResult.MAPI_E_INVALID_OBJECT;
            assertCode(inv, () -> store.getProps(null, 0));
            assertCode(inv, () -> store.getPropList(0));
            assertCode(inv, () -> store.setProps(List.of(PropValue.ofString(PR_DISPLAY_NAME, "x"))));
            assertCode(inv, () -> store.openEntry(null, 0));
            assertCode(inv, () -> store.openEntry(outbox, 0));
            assertCode(inv, () -> store.compareEntryIds(outbox, outbox, 0));
            assertCode(inv, () -> store.advise(null, Flags.fnevNewMail, n -> 0));
            assertCode(inv, () -> store.unadvise(1));
            assertCode(inv, () -> store.getReceiveFolder(null, 0));
            assertCode(inv, () -> store.getReceiveFolder("IPM.Note", 0));
            assertCode(inv, () -> store.setReceiveFolder("IPM.Note", 0, null));
            assertCode(inv, () -> store.abortSubmit(outbox, 0));
            long mark = f.mark();
            for (int flag : INPUT_FLAGS) {
                assertCode(inv, () -> store.storeLogoff(flag));
            }
            assertThat(f.trace.since(mark)).noneMatch(e -> e.call().equals(SLT));

            // IUnknown keeps working
            int refs = store.addRef();
            assertThat(refs).isEqualTo(2);
            assertThat(store.release()).isEqualTo(1);
            MsgStore again = store.queryInterface(MsgStore.class);
            assertThat(again).isSameAs(store);
            assertThat(again.release()).isEqualTo(1);
            assertThat(a.record.isActive()).isTrue();
            store.release();
            assertThat(a.record.hasEnded()).isTrue();
            end(s);
            assertThat(sltCallFlags(f, start, a.label())).containsExactly(Flags.LOGOFF_ORDERLY);
        }
    }

    // ---- R-SL-8 ------------------------------------------------------------------------------------------------

    @Test
    void R_SL_8_storeLogoffAffectsOnlyThatStore(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            Opened b = open(s, 1);
            AddrBook ab = s.openAddressBook(0, 0);
            RealSession rs = a.rs;
            rs.spooler.awaitReady();
            TransportLogonRecord xp = rs.spooler.transports().get(0);
            List<AbLogonRecord> abLogons = rs.abLogons();
            assertThat(abLogons).isNotEmpty();
            assertThat(transportRows(s)).isEqualTo(1);
            long mark = f.mark();

            assertThat(a.store.storeLogoff(Flags.LOGOFF_ORDERLY)).isEqualTo(Flags.LOGOFF_COMPLETE);
            a.store.release();
            await(() -> a.ss.state == Spooler.State.RELEASED, "the spooler to release A");
            assertThat(a.record.hasEnded()).isTrue();

            // store B, its spooler logon, the transport, the address book and the session are untouched
            assertStoreUsable(b.store);
            assertThat(b.record.isActive()).isTrue();
            assertThat(rs.spooler.store(b.section)).containsSame(b.ss);
            assertThat(b.ss.state).isEqualTo(Spooler.State.ACTIVE);
            assertThat(b.ss.record.isActive()).isTrue();
            assertThat(xp.isActive()).isTrue();
            assertThat(rs.spooler.transports()).containsExactly(xp);
            assertThat(transportRows(s)).isEqualTo(1);
            assertThat(abLogons).allMatch(LogonRecord::isActive);
            assertThat(rs.abLogons()).containsExactlyElementsOf(abLogons);
            ab.openEntry(MemoryAbProvider.entryIdOf("bob@localhost"), 0).release();
            assertThat(Fixture.storeIds(s)).hasSize(2);
            List<String> calls = f.callsSince(mark);
            assertThat(calls).noneMatch(c -> c.endsWith(" " + b.label()) || c.endsWith(" " + b.spoolLabel())
                    || c.endsWith(" " + xp.label) || c.startsWith("IABLogon::") || c.startsWith("IMAPISession::"));
            ab.release();
            b.store.release();
            end(s);
        }
    }

    @Test
    void R_SL_8_aStoreObjectSharedByTwoOpensIsLoggedOffForBothHolders(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            long start = f.mark();
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            MsgStore second = Fixture.open(s, 0);
            assertThat(second).isSameAs(a.store);
            assertThat(a.store.storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(Flags.LOGOFF_COMPLETE);
            assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> second.getProps(null, 0));
            second.release();
            a.store.release();
            assertThat(a.record.hasEnded()).isTrue();
            end(s);
            assertThat(sltCallFlags(f, start, a.label())).containsExactly(Flags.LOGOFF_QUIET);
        }
    }

    // ---- R-SL-9 ------------------------------------------------------------------------------------------------

    @Test
    void R_SL_9_finalReleaseReleasesTheSupportObjectAndTheLogonDiesWithTheStore(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            MemoryStoreData data = a.data();
            assertThat(a.store.storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(Flags.LOGOFF_COMPLETE);
            assertThat(data.liveLogons()).isEqualTo(1); // the spooler's let go inside SLT; the client's is left
            MapiObject logon = a.record.logonObject();
            long mark = f.mark();
            a.store.release();

            List<String> store = briefsOf(f, mark, a.label());
            String l = a.label();
            assertThat(store).startsWith("IMsgStore::Release call " + l + " 0x00000000",
                    "IMAPISupport::Release call " + l + " 0x00000000");
            assertThat(store).endsWith("IMSLogon::Release call " + l + " 0x00000000",
                    "IMSLogon::Release return " + l + " 0x00000000 S_OK",
                    "IMAPISupport::Release return " + l + " 0x00000000 S_OK",
                    "IMsgStore::Release return " + l + " 0x00000000 S_OK");
            assertThat(store).contains("IMSLogon::Logoff call " + l + " 0x00000000");
            assertThat(a.record.support.isDestroyed()).isTrue();
            assertThat(a.record.hasEnded()).isTrue();
            assertThat(((org.jmapi.BaseMapiObject) logon).isDestroyed()).isTrue();
            assertThat(((org.jmapi.BaseMapiObject) a.store).isDestroyed()).isTrue();
            assertThat(data.liveLogons()).isZero();
            assertThat(a.rs.clientStores()).isEmpty();
            end(s);
        }
    }

    // ---- R-SLT-1 -----------------------------------------------------------------------------------------------

    @Test
    void R_SLT_1_onlyStoreSupportObjectsHaveStoreLogoffTransports(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            s.openAddressBook(0, 0).release();
            RealSession rs = a.rs;
            rs.spooler.awaitReady();
            TransportLogonRecord xp = rs.spooler.transports().get(0);
            AbLogonRecord ab = rs.abLogons().get(0);
            for (int flag : INPUT_FLAGS) {
                assertCode(HResult.MAPI_E_NO_SUPPORT, () -> xp.support.storeLogoffTransports(flag));
                assertCode(HResult.MAPI_E_NO_SUPPORT, () -> ab.support.storeLogoffTransports(flag));
            }
            assertThat(xp.isActive()).isTrue();
            assertThat(a.ss.state).isEqualTo(Spooler.State.ACTIVE);
            a.store.release();
            end(s);
        }
    }

    @Test
    void R_SLT_1_validatesItsInputLikeStoreLogoff(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            StoreLogonRecord record = ((RealSession) s).clientStores().get(0);
            assertThat(record).isSameAs(a.record);
            long mark = f.mark();
            for (int flags = 0; flags <= Flags.LOGOFF_INPUT_MASK; flags++) {
                if (Integer.bitCount(flags) != 1) {
                    int bad = flags;
                    assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> record.support.storeLogoffTransports(bad));
                }
            }
            for (int bad : new int[] {0x20, 0x100000, Flags.LOGOFF_ORDERLY | 0x20, Flags.LOGOFF_COMPLETE,
                0x80000000}) {
                assertCode(HResult.MAPI_E_UNKNOWN_FLAGS, () -> record.support.storeLogoffTransports(bad));
            }
            // nothing happened: only the refused SLT calls themselves on the store's label, nothing on the spooler's
            List<TraceEvent> since = f.trace.since(mark);
            assertThat(since).filteredOn(e -> e.object().equals(a.label()))
                    .allMatch(e -> e.call().equals(SLT))
                    .filteredOn(e -> e.phase() == TraceEvent.Phase.RETURN).isNotEmpty()
                    .allMatch(e -> e.hresult() == HResult.MAPI_E_INVALID_PARAMETER
                            || e.hresult() == HResult.MAPI_E_UNKNOWN_FLAGS);
            assertThat(since).noneMatch(e -> e.object().equals(a.spoolLabel()) || e.call().startsWith("IXPLogon::Flush"));
            assertThat(a.rs.spooler.store(a.section)).containsSame(a.ss);
            assertThat(a.ss.state).isEqualTo(Spooler.State.ACTIVE);
            assertThat(a.ss.activity.acceptsInbound()).isTrue();
            assertThat(a.ss.activity.acceptsOutbound()).isTrue();
            assertStoreUsable(a.store);
            // and the store's own marker is unset: its StoreLogoff still works
            assertThat(a.store.storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(Flags.LOGOFF_COMPLETE);
            a.store.release();
            end(s);
        }
    }

    // ---- R-SLT-2 -----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {Flags.LOGOFF_NO_WAIT, Flags.LOGOFF_ORDERLY, Flags.LOGOFF_PURGE, Flags.LOGOFF_ABORT,
        Flags.LOGOFF_QUIET})
    void R_SLT_2_storeOpenInAnotherSessionAnswersCompleteAtOnceAndLeavesTheSpoolersAlone(int flag,
                                                                                        @TempDir Path home)
            throws Exception {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s1 = offline(f.logon());
            MapiSession s2 = offline(f.logon());
            Opened a1 = open(s1, 0);
            Opened a2 = open(s2, 0);
            submit(a2.store, "queued in the other session");
            List<Transfer> transfers = new ArrayList<>();
            transfers.add(a2.ss.activity.tryBeginOutbound().orElseThrow());
            transfers.add(a2.ss.activity.tryBeginInbound().orElseThrow());
            transfers.add(a1.ss.activity.tryBeginInbound().orElseThrow()); // even own activity does not matter
            int other = a2.ss.activity.snapshot();
            int own = a1.ss.activity.snapshot();
            assertThat(other).isEqualTo(Flags.LOGOFF_ACTIVITY_MASK);
            long mark = f.mark();
            ExecutorService ex = Executors.newSingleThreadExecutor(daemon());
            try {
                // "immediately": the call must come back while every transfer is still open
                Future<Integer> out = ex.submit(() -> a1.store.storeLogoff(flag));
                assertThat(out.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(Flags.LOGOFF_COMPLETE);
            } finally {
                ex.shutdownNow();
            }
            for (Opened o : List.of(a1, a2)) {
                assertThat(o.rs.spooler.store(o.section)).containsSame(o.ss);
                assertThat(o.ss.state).isEqualTo(Spooler.State.ACTIVE);
                assertThat(o.ss.record.isActive()).isTrue();
                assertThat(o.ss.activity.acceptsInbound()).isTrue();
                assertThat(o.ss.activity.acceptsOutbound()).isTrue();
            }
            assertThat(a2.ss.activity.snapshot()).isEqualTo(other);
            assertThat(a1.ss.activity.snapshot()).isEqualTo(own);
            List<String> calls = f.callsSince(mark);
            assertThat(calls).noneMatch(c -> c.startsWith("IXPLogon::") || c.contains(" spoolstore:"));
            assertThat(calls).containsSubsequence("IMsgStore::StoreLogoff " + a1.label(), SLT + " " + a1.label());
            // the caller's store object is logged off; the other session's store works
            assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> a1.store.getProps(null, 0));
            assertStoreUsable(a2.store);
            a1.store.release();
            assertThat(a1.record.hasEnded()).isTrue();
            transfers.forEach(Transfer::close);
            a2.store.release();
            end(s1);
            end(s2);
        }
    }

    // ---- R-SLT-3 -----------------------------------------------------------------------------------------------

    @Test
    void R_SLT_3_noMailSessionAnswersCompleteForEveryFlag(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon(Flags.MAPI_EXTENDED | Flags.MAPI_NO_MAIL);
            boolean first = true;
            for (int flag : INPUT_FLAGS) {
                Opened a = new Opened(s, 0, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG, false);
                if (first) {
                    submit(a.store, "queued without a spooler"); // mail in the queue changes nothing
                    first = false;
                }
                assertThat(a.data().queuedCount()).isEqualTo(1);
                assertThat(a.rs.spooler.store(a.section)).isEmpty();
                long mark = f.mark();
                assertThat(a.store.storeLogoff(flag)).as("flag %s", flag).isEqualTo(Flags.LOGOFF_COMPLETE);
                assertThat(sltCallFlags(f, mark, a.label())).containsExactly(flag);
                assertThat(f.callsSince(mark)).noneMatch(c -> c.startsWith("IXPLogon::"));
                a.store.release();
                assertThat(a.record.hasEnded()).isTrue();
            }
            end(s);
        }
    }

    @Test
    void R_SLT_3_storeOpenedWithNoMailAnswersCompleteForEveryFlag(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            ((RealSession) s).spooler.awaitReady();
            boolean first = true;
            for (int flag : INPUT_FLAGS) {
                Opened a = new Opened(s, 0, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG | Flags.MDB_NO_MAIL, false);
                if (first) {
                    submit(a.store, "queued in a no-mail store");
                    first = false;
                }
                assertThat(a.data().queuedCount()).isEqualTo(1);
                assertThat(a.rs.spooler.store(a.section)).isEmpty();
                long mark = f.mark();
                assertThat(a.store.storeLogoff(flag)).as("flag %s", flag).isEqualTo(Flags.LOGOFF_COMPLETE);
                assertThat(sltCallFlags(f, mark, a.label())).containsExactly(flag);
                assertThat(f.callsSince(mark)).noneMatch(c -> c.startsWith("IXPLogon::"));
                a.store.release();
            }
            end(s);
        }
    }

    @Test
    void R_SLT_3_storeTheSpoolerAlreadyReleasedAnswersComplete(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            assertThat(a.store.storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(Flags.LOGOFF_COMPLETE);
            assertThat(a.rs.spooler.store(a.section)).isEmpty();
            for (int flag : INPUT_FLAGS) {
                assertThat(a.record.support.storeLogoffTransports(flag)).as("flag %s", flag)
                        .isEqualTo(Flags.LOGOFF_COMPLETE);
            }
            a.store.release();
            end(s);
        }
    }

    // ---- R-SLT-4 -----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {Flags.LOGOFF_QUIET, Flags.LOGOFF_ABORT, Flags.LOGOFF_NO_WAIT, Flags.LOGOFF_ORDERLY})
    void R_SLT_4_outputReportsEveryActivityObservedAtTheCall(int flag, @TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            submit(a.store, "queued");
            Transfer in = a.ss.activity.tryBeginInbound().orElseThrow();
            Transfer out = a.ss.activity.tryBeginOutbound().orElseThrow();
            int all = Flags.LOGOFF_INBOUND | Flags.LOGOFF_OUTBOUND | Flags.LOGOFF_OUTBOUND_QUEUE;
            int result = a.store.storeLogoff(flag);
            boolean refusable = flag == Flags.LOGOFF_QUIET || flag == Flags.LOGOFF_ABORT;
            assertThat(result).isEqualTo(refusable ? all : Flags.LOGOFF_COMPLETE | all);
            in.close();
            out.close();
            a.store.release();
            end(s);
        }
    }

    @Test
    void R_SLT_4_completeMeansTheCallersStoreObjectIsInvalid(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            for (int flag : INPUT_FLAGS) {
                Opened a = open(s, 0);
                assertThat(a.store.storeLogoff(flag)).isEqualTo(Flags.LOGOFF_COMPLETE);
                assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> a.store.getProps(null, 0));
                a.store.release();
                await(() -> a.ss.state == Spooler.State.RELEASED, "the spooler to release the store");
                await(() -> a.rs.spooler.store(a.section).isEmpty(), "the spooler to forget the store");
            }
            end(s);
        }
    }

    // ---- R-SLT-5 .. R-SLT-9: the table of spec 11.3, row by row ---------------------------------------------------

    @ParameterizedTest
    @EnumSource(Activity.class)
    void R_SLT_5_quietIsRefusedWhenBusyAndReleasesTheStoreBeforeReturningWhenIdle(Activity act, @TempDir Path home) {
        refusedWhenBusy(home, Flags.LOGOFF_QUIET, act);
    }

    @ParameterizedTest
    @EnumSource(Activity.class)
    void R_SLT_6_abortIsDecidedLikeQuietAndStopsNothing(Activity act, @TempDir Path home) {
        refusedWhenBusy(home, Flags.LOGOFF_ABORT, act);
    }

    @ParameterizedTest
    @EnumSource(Activity.class)
    void R_SLT_7_noWaitReturnsAtOnceStopsInboundAndReleasesAfterInFlightEnded(Activity act, @TempDir Path home)
            throws InterruptedException {
        drainsInBackground(home, Flags.LOGOFF_NO_WAIT, act);
    }

    @ParameterizedTest
    @EnumSource(Activity.class)
    void R_SLT_8_orderlyReturnsAtOnceStartsNothingNewAndLeavesQueuedMailQueued(Activity act, @TempDir Path home)
            throws InterruptedException {
        drainsInBackground(home, Flags.LOGOFF_ORDERLY, act);
    }

    @ParameterizedTest
    @EnumSource(Activity.class)
    void R_SLT_9_purgeFlushesThenReturnsOnlyAfterEverythingFinished(Activity act, @TempDir Path home)
            throws InterruptedException {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            assertThat(a.rs.profile.defaultStore().orElseThrow().uid()).isEqualTo(a.section);
            Transfer t = makeActivity(a, act);
            a.rs.spooler.awaitReady();
            TransportLogonRecord xp = a.rs.spooler.transports().get(0);
            long mark = f.mark();
            int out;
            try (SlowSpoolerRelease slow = new SlowSpoolerRelease(a)) {
                if (t == null) {
                    out = a.store.storeLogoff(Flags.LOGOFF_PURGE);
                    // returned only after everything was done: the spooler's logon is already gone
                    assertThat(a.ss.state).isEqualTo(Spooler.State.RELEASED);
                    assertThat(a.ss.record.hasEnded()).as(String.join("\n", f.callsSince(mark))).isTrue();
                } else {
                    AtomicBoolean closed = new AtomicBoolean();
                    AtomicBoolean returned = new AtomicBoolean();
                    AtomicBoolean closedBeforeReturn = new AtomicBoolean();
                    AtomicReference<Spooler.State> stateAtReturn = new AtomicReference<>();
                    AtomicBoolean endedAtReturn = new AtomicBoolean();
                    AtomicInteger result = new AtomicInteger();
                    AtomicReference<Throwable> failure = new AtomicReference<>();
                    CountDownLatch done = new CountDownLatch(1);
                    Thread caller = new Thread(() -> {
                        try {
                            result.set(a.store.storeLogoff(Flags.LOGOFF_PURGE));
                            closedBeforeReturn.set(closed.get());
                            stateAtReturn.set(a.ss.state);
                            endedAtReturn.set(a.ss.record.hasEnded());
                        } catch (Throwable e) {
                            failure.set(e);
                        } finally {
                            returned.set(true);
                            done.countDown();
                        }
                    }, "purge-caller");
                    caller.setDaemon(true);
                    caller.start();
                    try {
                        await(() -> a.ss.state == Spooler.State.DRAINING
                                && !flushCalls(f, mark).isEmpty(), "PURGE to flush and start draining");
                        // The FlushQueues CALL is traced when the flush starts; "no new inbound" holds once it ended
                        // (its send and receive passes first), so it is waited for, not read at once.
                        await(() -> !a.ss.activity.acceptsInbound(), "no new inbound after the PURGE flush");
                        assertThat(a.ss.activity.acceptsOutbound()).isTrue();
                        Thread.sleep(300); // give a wrong implementation the chance to return early
                        assertThat(returned.get()).as("SLT(PURGE) returned while a transfer was in flight").isFalse();
                        assertThat(a.ss.record.isActive()).isTrue();
                    } finally {
                        closed.set(true);
                        t.close(); // from this thread, while the PURGE caller waits in SLT
                    }
                    assertThat(done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                    assertThat(failure.get()).isNull();
                    assertThat(closedBeforeReturn.get()).isTrue();
                    assertThat(stateAtReturn.get()).isEqualTo(Spooler.State.RELEASED);
                    assertThat(endedAtReturn.get()).isTrue();
                    out = result.get();
                }
            }
            assertThat(out).isEqualTo(Flags.LOGOFF_COMPLETE);
            assertThat(a.rs.spooler.store(a.section)).isEmpty();
            assertThat(a.ss.activity.acceptsInbound()).isFalse(); // new inbound disabled, like NO_WAIT
            assertThat(a.ss.activity.acceptsOutbound()).isTrue();
            List<TraceEvent> flushes = flushCalls(f, mark);
            assertThat(flushes).hasSize(1);
            assertThat(flushes.get(0).object()).isEqualTo(xp.label);
            assertThat(flushes.get(0).flags()).isEqualTo(Flags.FLUSH_UPLOAD | Flags.FLUSH_DOWNLOAD);
            assertThat(flushes.get(0).seq()).isLessThan(sltReturn(f, mark, a.label()).seq());
            assertThat(f.callsSince(mark)).contains("IMSLogon::Release " + a.spoolLabel());
            assertThat(xp.isActive()).isTrue();
            a.store.release();
            end(s);
        }
    }

    @Test
    void R_SLT_9_purgeFlushesUploadOnlyForAStoreWithoutTheDefaultReceiveFolder(@TempDir Path home) {
        try (Fixture f = Fixture.start(home)) {
            MapiSession s = offline(f.logon());
            Opened b = open(s, 1);
            assertThat(b.rs.profile.defaultStore().orElseThrow().uid()).isNotEqualTo(b.section);
            submit(b.store, "queued in B");
            b.rs.spooler.awaitReady();
            long mark = f.mark();
            assertThat(b.store.storeLogoff(Flags.LOGOFF_PURGE)).isEqualTo(Flags.LOGOFF_COMPLETE);
            List<TraceEvent> flushes = flushCalls(f, mark);
            assertThat(flushes).extracting(TraceEvent::flags).containsExactly(Flags.FLUSH_UPLOAD);
            assertThat(flushes.get(0).seq()).isLessThan(sltReturn(f, mark, b.label()).seq());
            assertThat(b.ss.state).isEqualTo(Spooler.State.RELEASED);
            b.store.release();
            end(s);
        }
    }

    // ---- R-SLT-10 ----------------------------------------------------------------------------------------------

    @Test
    void R_SLT_10_afterCompleteTheSpoolerHoldsNothingOfTheStore(@TempDir Path home) throws InterruptedException {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            MemoryStoreData data = a.data();
            assertThat(data.liveLogons()).isEqualTo(2);
            Transfer t = a.ss.activity.tryBeginOutbound().orElseThrow();
            long mark = f.mark();
            assertThat(a.store.storeLogoff(Flags.LOGOFF_ORDERLY)).isEqualTo(Flags.LOGOFF_COMPLETE
                    | Flags.LOGOFF_OUTBOUND);
            assertThat(a.ss.record.isActive()).isTrue(); // background work not done yet
            t.close();
            await(() -> a.ss.state == Spooler.State.RELEASED && a.ss.record.hasEnded(),
                    "the spooler to let go of the store");
            assertThat(a.rs.spooler.store(a.section)).isEmpty();
            assertThat(f.callsSince(mark)).contains("IMSLogon::Release " + a.spoolLabel());
            assertThat(data.liveLogons()).isEqualTo(1); // only the client's logon is left
            a.store.release();
            assertThat(data.liveLogons()).isZero();
            end(s);
        }
    }

    @Test
    void R_SLT_10_afterARefusalTheSpoolerIsCompletelyUnchanged(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            MemoryStoreData data = a.data();
            submit(a.store, "queued");
            Transfer t = a.ss.activity.tryBeginInbound().orElseThrow();
            int before = a.ss.activity.snapshot();
            int inFlight = a.ss.activity.inFlight();
            long mark = f.mark();
            assertThat(a.store.storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(before);
            assertThat(a.store.storeLogoff(Flags.LOGOFF_ABORT)).isEqualTo(before);
            assertThat(a.rs.spooler.store(a.section)).containsSame(a.ss);
            assertThat(a.ss.state).isEqualTo(Spooler.State.ACTIVE);
            assertThat(a.ss.record.isActive()).isTrue();
            assertThat(a.ss.activity.snapshot()).isEqualTo(before);
            assertThat(a.ss.activity.inFlight()).isEqualTo(inFlight);
            assertThat(a.ss.activity.acceptsInbound()).isTrue();
            assertThat(a.ss.activity.acceptsOutbound()).isTrue();
            assertThat(data.liveLogons()).isEqualTo(2);
            assertThat(data.queuedCount()).isEqualTo(1);
            assertThat(f.callsSince(mark)).noneMatch(c -> c.contains(" spoolstore:") || c.startsWith("IXPLogon::"));
            t.close();
            a.store.release();
            end(s);
        }
    }

    // ---- R-MAIL-1 ----------------------------------------------------------------------------------------------

    @Test
    void R_MAIL_1_queuedMessageSurvivesOrderlyLogoffAndSessionLogoff(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s1 = offline(f.logon());
            Opened a = open(s1, 0);
            MemoryStoreData data = a.data();
            MapiUid uid = data.uid();
            EntryId msg = submit(a.store, "kept");
            assertThat(data.queuedCount()).isEqualTo(1);
            assertThat(a.store.storeLogoff(Flags.LOGOFF_ORDERLY))
                    .isEqualTo(Flags.LOGOFF_COMPLETE | Flags.LOGOFF_OUTBOUND_QUEUE);
            a.store.release();
            await(() -> a.ss.state == Spooler.State.RELEASED, "the spooler to release the store");
            end(s1);
            assertThat(MemoryStoreData.forStore(uid).queuedCount()).isEqualTo(1);

            MapiSession s2 = offline(f.logon());
            Opened b = open(s2, 0);
            assertQueuedAndUnlocked(b, uid, msg);
            b.store.release();
            end(s2);
        }
    }

    @Test
    void R_MAIL_1_theSpoolerLockIsNotPersisted(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s1 = offline(f.logon());
            Opened a = open(s1, 0);
            MemoryStoreData data = a.data();
            MapiUid uid = data.uid();
            EntryId msg = submit(a.store, "kept");
            // the spooler starts sending it: outbound transfer, message locked through the spooler's store object
            Transfer t = a.ss.activity.tryBeginOutbound().orElseThrow();
            MsgStore spoolerStore = a.ss.record.store();
            try (Message m = (Message) spoolerStore.openEntry(msg, Flags.MAPI_MODIFY)) {
                spoolerStore.setLockState(m, Flags.MSG_LOCKED);
            }
            assertThat(data.lockedCount()).isEqualTo(1);
            assertThat(a.store.storeLogoff(Flags.LOGOFF_ORDERLY))
                    .isEqualTo(Flags.LOGOFF_COMPLETE | Flags.LOGOFF_OUTBOUND);
            a.store.release();
            s1.logoff(0, 0, 0); // the send is abandoned with the session
            t.close();
            s1.release();
            assertThat(MemoryStoreData.forStore(uid).queuedCount()).isEqualTo(1);

            MapiSession s2 = offline(f.logon());
            Opened b = open(s2, 0);
            assertQueuedAndUnlocked(b, uid, msg);
            b.store.release();
            end(s2);
        }
    }

    private static void assertQueuedAndUnlocked(Opened b, MapiUid uid, EntryId msg) {
        MemoryStoreData data = MemoryStoreData.forStore(uid);
        assertThat(b.data()).isSameAs(data);
        assertThat(data.queuedCount()).isEqualTo(1);
        assertThat(data.queuedSubjects()).containsExactly("kept");
        assertThat(data.lockedCount()).isZero();
        try (Message m = (Message) b.store.openEntry(msg, Flags.MAPI_BEST_ACCESS)) {
            assertThat(m.getProp(PR_MESSAGE_FLAGS).orElseThrow().asInt() & Flags.MSGFLAG_SUBMIT)
                    .isEqualTo(Flags.MSGFLAG_SUBMIT);
            assertThat(m.getProp(PR_SUBMIT_FLAGS).map(PropValue::asInt).orElse(0) & Flags.SUBMITFLAG_LOCKED)
                    .isZero();
        }
        // the new session's spooler sees it as queued and not locked
        assertThat(b.ss.activity.snapshot()).isEqualTo(Flags.LOGOFF_OUTBOUND_QUEUE);
    }

    // ---- the table rows ------------------------------------------------------------------------------------------

    /** QUIET / ABORT (R-SLT-5, R-SLT-6): refused with the activity bits when busy; released before return when idle. */
    private static void refusedWhenBusy(Path home, int flag, Activity act) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            MemoryStoreData data = a.data();
            Transfer t = makeActivity(a, act);
            long mark = f.mark();
            int out;
            try (SlowSpoolerRelease slow = new SlowSpoolerRelease(a)) {
                out = a.store.storeLogoff(flag);
            }
            if (act == Activity.IDLE) {
                assertThat(out).isEqualTo(Flags.LOGOFF_COMPLETE);
                // the spooler released the store before SLT returned
                assertThat(a.ss.state).isEqualTo(Spooler.State.RELEASED);
                assertThat(a.rs.spooler.store(a.section)).isEmpty();
                assertThat(a.ss.record.hasEnded()).isTrue();
                List<String> briefs = f.briefsSince(mark);
                int released = briefs.indexOf("IMSLogon::Release return " + a.spoolLabel() + " 0x00000000 S_OK");
                int sltReturned = briefs.indexOf(SLT + " return " + a.label() + " 0x00010000 S_OK");
                assertThat(released).isNotNegative().isLessThan(sltReturned);
                assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> a.store.getProps(null, 0));
            } else {
                assertThat(out).isEqualTo(act.bit);
                assertThat(a.rs.spooler.store(a.section)).containsSame(a.ss);
                assertThat(a.ss.state).isEqualTo(Spooler.State.ACTIVE);
                assertThat(a.ss.record.isActive()).isTrue();
                assertThat(a.ss.activity.snapshot()).isEqualTo(act.bit);
                assertThat(a.ss.activity.acceptsInbound()).isTrue();
                assertThat(a.ss.activity.acceptsOutbound()).isTrue();
                assertThat(f.callsSince(mark)).noneMatch(c -> c.endsWith(" " + a.spoolLabel())
                        || c.startsWith("IXPLogon::"));
                if (act == Activity.QUEUED) {
                    assertThat(data.queuedCount()).isEqualTo(1);
                }
                assertStoreUsable(a.store);
            }
            if (t != null) {
                t.close();
            }
            a.store.release();
            end(s);
        }
    }

    /** NO_WAIT / ORDERLY (R-SLT-7, R-SLT-8): COMPLETE + bits at once, then release after in-flight transfers end. */
    private static void drainsInBackground(Path home, int flag, Activity act) throws InterruptedException {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = offline(f.logon());
            Opened a = open(s, 0);
            MemoryStoreData data = a.data();
            Transfer t = makeActivity(a, act);
            long mark = f.mark();
            int out = a.store.storeLogoff(flag);
            assertThat(out).isEqualTo(Flags.LOGOFF_COMPLETE | act.bit);
            assertThat(a.ss.activity.acceptsInbound()).isFalse();
            assertThat(a.ss.activity.tryBeginInbound()).isEmpty();
            assertThat(a.ss.activity.acceptsOutbound()).isEqualTo(flag == Flags.LOGOFF_NO_WAIT);
            if (flag == Flags.LOGOFF_ORDERLY) {
                assertThat(a.ss.activity.tryBeginOutbound()).isEmpty();
            }
            if (t != null) {
                assertThat(a.ss.state).isEqualTo(Spooler.State.DRAINING);
                Thread.sleep(300); // give a wrong implementation the chance to release early
                assertThat(a.ss.state).isEqualTo(Spooler.State.DRAINING);
                assertThat(a.ss.record.isActive()).isTrue();
                assertThat(f.callsSince(mark)).doesNotContain("IMSLogon::Release " + a.spoolLabel());
                t.close();
            }
            await(() -> a.ss.state == Spooler.State.RELEASED && a.ss.record.hasEnded(),
                    "the spooler to release the store");
            assertThat(a.rs.spooler.store(a.section)).isEmpty();
            assertThat(f.callsSince(mark)).contains("IMSLogon::Release " + a.spoolLabel());
            assertThat(flushCalls(f, mark)).isEmpty();
            if (flag == Flags.LOGOFF_ORDERLY && act == Activity.QUEUED) {
                assertThat(data.queuedCount()).isEqualTo(1); // not started: stays queued for a later session
            }
            a.store.release();
            end(s);
        }
    }

    /**
     * While open, the spooler's release of its logon on the store is slowed down (a trace listener runs on the
     * releasing thread), so that "released before SLT returned" cannot pass by luck when the release runs on
     * another thread.
     */
    private static final class SlowSpoolerRelease implements AutoCloseable {
        private final Runnable remove;

        SlowSpoolerRelease(Opened a) {
            String label = a.spoolLabel();
            remove = Mapi.trace().addListener(e -> {
                if (e.phase() == TraceEvent.Phase.CALL && e.call().equals("IMSLogon::Release")
                        && e.object().equals(label)) {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        }

        @Override
        public void close() {
            remove.run();
        }
    }

    private static Transfer makeActivity(Opened a, Activity act) {
        Transfer t = switch (act) {
            case OUTBOUND_IN_FLIGHT -> a.ss.activity.tryBeginOutbound().orElseThrow();
            case INBOUND_IN_FLIGHT -> a.ss.activity.tryBeginInbound().orElseThrow();
            case QUEUED -> {
                submit(a.store, "queued");
                yield null;
            }
            case IDLE -> null;
        };
        assertThat(a.ss.activity.snapshot()).isEqualTo(act.bit);
        return t;
    }

    /**
     * These tests make their own activity with {@link StoreActivity} transfers and keep submitted messages queued,
     * so the session's transports work offline (ValidateState(FORCE_XP_DISCONNECT)): the spooler hands them nothing.
     * The send and receive loops themselves are tested in SpoolerMailTest.
     */
    private static MapiSession offline(MapiSession s) {
        ((RealSession) s).spooler.awaitReady();
        ((RealSession) s).spooler.validateTransports(0, Flags.FORCE_XP_DISCONNECT);
        return s;
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static StoreLogonRecord clientRecord(RealSession rs, MapiUid section) {
        List<StoreLogonRecord> matching = rs.clientStores().stream()
                .filter(r -> r.slot.record.uid().equals(section) && r.isActive()).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    /** Saves and submits a message with one MEMXP recipient in the store's Outbox. @return its entry id */
    private static EntryId submit(MsgStore store, String subject) {
        EntryId outboxId = EntryId.of(store.getProp(PR_IPM_OUTBOX_ENTRYID).orElseThrow().asBinary());
        try (MapiFolder outbox = (MapiFolder) store.openEntry(outboxId, Flags.MAPI_MODIFY)) {
            Message m = outbox.createMessage(0);
            try {
                m.setProps(List.of(PropValue.ofString(PR_SUBJECT, subject)));
                m.modifyRecipients(0, List.of(List.of(PropValue.ofString(PR_DISPLAY_NAME, "Bob"),
                        PropValue.ofInt(PR_RECIPIENT_TYPE, Flags.MAPI_TO),
                        PropValue.ofString(PR_ADDRTYPE, MemoryTransportProvider.ADDRESS_TYPE),
                        PropValue.ofString(PR_EMAIL_ADDRESS, "bob@localhost"),
                        PropValue.ofBinary(PR_ENTRYID, MemoryAbProvider.entryIdOf("bob@localhost").toBytes()))));
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                EntryId id = EntryId.of(m.getProp(PR_ENTRYID).orElseThrow().asBinary());
                m.submitMessage(0);
                return id;
            } finally {
                m.release();
            }
        }
    }

    private static void assertStoreUsable(MsgStore store) {
        assertThat(store.getProps(null, 0).values()).isNotEmpty();
        EntryId outbox = EntryId.of(store.getProp(PR_IPM_OUTBOX_ENTRYID).orElseThrow().asBinary());
        store.openEntry(null, 0).release();
        store.openEntry(outbox, 0).release();
        store.getReceiveFolder(null, 0);
    }

    private static int transportRows(MapiSession s) {
        try (MapiTable t = s.getStatusTable(0)) {
            t.setColumns(new int[] {PR_RESOURCE_TYPE, PR_DISPLAY_NAME}, 0);
            int n = 0;
            for (Row r : t.queryRows(100, 0)) {
                if (r.get(PR_RESOURCE_TYPE).asInt() == Flags.MAPI_TRANSPORT_PROVIDER) {
                    n++;
                }
            }
            return n;
        }
    }

    private static List<TraceEvent> events(Fixture f, long mark, String call, String object, TraceEvent.Phase phase) {
        return f.trace.since(mark).stream()
                .filter(e -> e.call().equals(call) && e.object().equals(object) && e.phase() == phase).toList();
    }

    private static List<Integer> sltCallFlags(Fixture f, long mark, String label) {
        return events(f, mark, SLT, label, TraceEvent.Phase.CALL).stream().map(TraceEvent::flags).toList();
    }

    private static TraceEvent sltReturn(Fixture f, long mark, String label) {
        List<TraceEvent> r = events(f, mark, SLT, label, TraceEvent.Phase.RETURN);
        assertThat(r).hasSize(1);
        assertThat(r.get(0).hresult()).isEqualTo(HResult.S_OK);
        return r.get(0);
    }

    private static void assertStoreLogoffReturnedSOk(Fixture f, long mark, String label, int out) {
        List<TraceEvent> r = events(f, mark, "IMsgStore::StoreLogoff", label, TraceEvent.Phase.RETURN);
        assertThat(r).hasSize(1);
        assertThat(r.get(0).hresult()).isEqualTo(HResult.S_OK);
        assertThat(r.get(0).flags()).isEqualTo(out);
    }

    private static List<TraceEvent> flushCalls(Fixture f, long mark) {
        return f.trace.since(mark).stream()
                .filter(e -> e.call().equals("IXPLogon::FlushQueues") && e.phase() == TraceEvent.Phase.CALL).toList();
    }

    private static List<String> briefsOf(Fixture f, long mark, String label) {
        return f.trace.since(mark).stream().filter(e -> e.object().equals(label)).map(TraceEvent::brief).toList();
    }

    private static List<String> callsOf(Fixture f, long mark, String label) {
        return f.trace.since(mark).stream().filter(e -> e.object().equals(label)
                && e.phase() == TraceEvent.Phase.CALL).map(TraceEvent::call).toList();
    }

    private static void assertNoSpoolerSlt(Fixture f, long mark) {
        assertThat(f.trace.since(mark)).filteredOn(e -> e.call().equals(SLT))
                .allMatch(e -> e.object().startsWith("store:"));
    }

    private static void end(MapiSession s) {
        s.logoff(0, 0, 0);
        s.release();
    }

    private static void assertCode(int hr, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).as("expected %s, got %s", HResult.name(hr), HResult.name(e.hresult()))
                        .isEqualTo(hr));
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "store-logoff-caller");
            t.setDaemon(true);
            return t;
        };
    }
}
