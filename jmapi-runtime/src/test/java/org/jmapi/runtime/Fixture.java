package org.jmapi.runtime;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.MapiUid;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.prop.PropTags;
import org.jmapi.runtime.testproviders.MemoryStoreData;
import org.jmapi.runtime.trace.TraceEvent;
import org.jmapi.runtime.trace.TraceRecorder;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A throw-away jmapi home with one profile ("test") holding two in-memory stores, an in-memory transport and an
 * in-memory address book (the real test providers of {@code testproviders}, loaded through ServiceLoader), and a
 * trace recorder. Closing it uninitialises MAPI completely and checks that it did.
 */
final class Fixture implements AutoCloseable {
    static final String PROFILE = "test";
    final Path home;
    final TraceRecorder trace = new TraceRecorder();
    private final Runnable stopTrace;
    final MapiUid storeServiceA;
    final MapiUid storeServiceB;

    private Fixture(Path home, boolean secondStore) {
        this.home = home;
        MemoryStoreData.resetAll();
        Mapi.initialize(MapiInit.home(home));
        try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
            admin.createProfile(PROFILE, null, 0, 0);
            try (MsgServiceAdmin services = admin.adminServices(PROFILE, 0)) {
                storeServiceA = services.createMsgService("test.memstore", "Store A", 0, 0);
                storeServiceB = secondStore ? services.createMsgService("test.memstore", "Store B", 0, 0) : null;
                services.createMsgService("test.memxp", "Transport", 0, 0);
                services.createMsgService("test.memab", "Directory", 0, 0);
            }
        }
        this.stopTrace = Mapi.trace().addListener(trace);
    }

    /** A profile with stores A and B, a transport and an address book. */
    static Fixture start(Path home) {
        return new Fixture(home, true);
    }

    /** A profile with store A only, a transport and an address book. */
    static Fixture startOneStore(Path home) {
        return new Fixture(home, false);
    }

    MapiSession logon() {
        return logon(Flags.MAPI_EXTENDED);
    }

    MapiSession logon(int flags) {
        return Mapi.logonEx(0, PROFILE, null, flags | Flags.MAPI_NEW_SESSION);
    }

    /** @return the wrapped entry ids of the message-store table, in profile order */
    static List<EntryId> storeIds(MapiSession session) {
        List<EntryId> ids = new ArrayList<>();
        try (MapiTable t = session.getMsgStoresTable(0)) {
            t.setColumns(new int[] {PropTags.PR_ENTRYID, PropTags.PR_DISPLAY_NAME}, 0);
            for (Row r : t.queryRows(100, 0)) {
                ids.add(EntryId.of(r.get(PropTags.PR_ENTRYID).asBinary()));
            }
        }
        return ids;
    }

    static MsgStore open(MapiSession session, int index) {
        return session.openMsgStore(0, storeIds(session).get(index), Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
    }

    /** @return the wrapped entry id of store {@code index} */
    static EntryId storeId(MapiSession session, int index) {
        return storeIds(session).get(index);
    }

    /** Waits until the spooler of {@code session} holds its logon on the store (or gave up), so activity is real. */
    static Spooler.SpoolerStore spoolerStore(MapiSession session, EntryId wrappedStoreId) {
        RealSession s = (RealSession) session;
        MapiUid section = MsgStoresTable.sectionOf(wrappedStoreId);
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            var ss = s.spooler.store(section);
            if (ss.isPresent() && ss.get().state != Spooler.State.PENDING) {
                return ss.get();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the spooler never logged on to store " + section);
    }

    /** @return the recorded events from {@code fromSeq} on, as brief strings, for ordered assertions */
    List<String> briefsSince(long fromSeq) {
        return trace.since(fromSeq).stream().map(TraceEvent::brief).toList();
    }

    /** @return the calls (not returns) recorded since {@code fromSeq}, as "Method object" */
    List<String> callsSince(long fromSeq) {
        return trace.since(fromSeq).stream().filter(e -> e.phase() == TraceEvent.Phase.CALL)
                .map(e -> e.call() + " " + e.object()).toList();
    }

    long mark() {
        return Mapi.trace().lastSeq();
    }

    /** Polls {@code condition} until it holds, failing after 10 s; for effects that happen on other threads. */
    static void await(BooleanSupplier condition, String what) {
        await(condition, Duration.ofSeconds(10), what);
    }

    /** Polls {@code condition} until it holds, failing after {@code limit}. */
    static void await(BooleanSupplier condition, Duration limit, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** Asserts that {@code call} throws a MapiException with exactly {@code hresult}. */
    static void assertMapiError(ThrowingCallable call, int hresult) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MapiException.class,
                e -> assertThat(e.hresult()).as("HRESULT %s", HResult.name(e.hresult())).isEqualTo(hresult));
    }

    @Override
    public void close() {
        stopTrace.run();
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
        assertThat(Mapi.initCount()).isZero();
        MemoryStoreData.resetAll();
    }
}
