package org.jmapi.store.provider;

import org.jmapi.AdviseSink;
import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.Notification;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiStream;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.PropTags;
import org.jmapi.runtime.trace.TraceEvent;
import org.jmapi.table.MapiTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * The store shutdown paths of spec &sect;11 with the SQLite store in place of the runtime's in-memory test store:
 * P1 (StoreLogoff with each of the five flags, then Release), P2 (Release only) and P3 (session logoff) produce the
 * same ordered lifecycle trace the in-memory store shows in the runtime's {@code ShutdownPathsTest} (R-SL-1..9,
 * R-SR-1..4, R-LOFF-1/2), every object open under the logon is invalid afterwards (R-SR-2, R-INV-1/2), also with
 * 10,000 of them, and sinks registered through the store hear nothing more and are released.
 *
 * <p>The profile holds only the store (no transport, no address book), so P3's trace is the store part of the
 * runtime's P3 trace. {@link PostgresShutdownPathsTest} runs every test again with the store in PostgreSQL
 * ({@link #fixture}).
 */
class ShutdownPathsTest {
    /**
     * @param home a fresh jmapi home
     * @return the fixture every test runs on: here a SQLite store file in the home; subclasses run the same tests
     *         on other engines
     */
    StoreFixture fixture(Path home) {
        return StoreFixture.start(home);
    }

    private static final int COMPLETE = Flags.LOGOFF_COMPLETE;
    private static final String SLT = "IMAPISupport::StoreLogoffTransports";
    private static final String UNREGISTER = "MAPI::UnregisterUIDs";
    private static final String ROWS = "MAPI::RemoveStatusRows";

    // ---- P1 -----------------------------------------------------------------------------------------------

    @Test
    void R_SL_2_R_SR_1_P1_quiet_fullOrderedTrace(@TempDir Path home) {
        p1SpoolerReleasedInsideSlt(home, Flags.LOGOFF_QUIET);
    }

    @Test
    void R_SL_2_R_SR_1_P1_abort_fullOrderedTrace(@TempDir Path home) {
        p1SpoolerReleasedInsideSlt(home, Flags.LOGOFF_ABORT);
    }

    @Test
    void R_SL_2_R_SR_1_P1_purge_fullOrderedTrace(@TempDir Path home) {
        p1SpoolerReleasedInsideSlt(home, Flags.LOGOFF_PURGE);
    }

    /** QUIET / ABORT / PURGE on an idle store: the spooler lets go inside SLT; the client's release ends it all. */
    private void p1SpoolerReleasedInsideSlt(Path home, int flag) {
        try (StoreFixture f = fixture(home)) {
            MapiSession s = f.logon();
            StoreFixture.Opened o = f.openAndAwaitSpooler(s);
            Labels l = new Labels(o.labels());
            long m = f.mark();

            assertThat(o.store().storeLogoff(flag)).isEqualTo(COMPLETE);
            assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> o.store().getProps(null, 0));
            o.store().release();
            f.awaitBrief(m, ret("IMSProvider::Release", l.msp, 0));

            List<String> expected = new ArrayList<>();
            expected.add(call("IMsgStore::StoreLogoff", l.st, flag));
            expected.add(call(SLT, l.st, flag));
            expected.addAll(releaseChain(l.sp, 0, List.of()));
            expected.add(ret(SLT, l.st, COMPLETE));
            expected.add(ret("IMsgStore::StoreLogoff", l.st, COMPLETE));
            expected.addAll(releaseChain(l.st, 1, providerTail(l.msp)));
            List<TraceEvent> events = events(f, m, Set.of(l.st, l.sp, l.msp));
            assertThat(briefs(events)).containsExactlyElementsOf(expected);
            assertThat(events).filteredOn(e -> e.object().equals(l.sp))
                    .allSatisfy(e -> assertThat(e.thread()).startsWith("jmapi-spooler-"));
            s.release();
        }
    }

    @Test
    void R_SL_2_R_SR_1_P1_noWait_fullOrderedTrace(@TempDir Path home) {
        p1SpoolerReleasedInBackground(home, Flags.LOGOFF_NO_WAIT);
    }

    @Test
    void R_SL_2_R_SR_1_P1_orderly_fullOrderedTrace(@TempDir Path home) {
        p1SpoolerReleasedInBackground(home, Flags.LOGOFF_ORDERLY);
    }

    /** NO_WAIT / ORDERLY: SLT returns at once; the spooler lets go in the background, then the client releases. */
    private void p1SpoolerReleasedInBackground(Path home, int flag) {
        try (StoreFixture f = fixture(home)) {
            MapiSession s = f.logon();
            StoreFixture.Opened o = f.openAndAwaitSpooler(s);
            Labels l = new Labels(o.labels());
            long m = f.mark();

            assertThat(o.store().storeLogoff(flag)).isEqualTo(COMPLETE);
            f.awaitBrief(m, ret("IMsgStore::Release", l.sp, 0));
            long beforeRelease = f.mark();
            o.store().release();
            f.awaitBrief(m, ret("IMSProvider::Release", l.msp, 0));

            List<TraceEvent> before = events(f, m, Set.of(l.st, l.sp, l.msp)).stream()
                    .filter(e -> e.seq() <= beforeRelease).toList();
            assertThat(briefs(before)).filteredOn(b -> b.contains(" " + l.st + " ")).containsExactly(
                    call("IMsgStore::StoreLogoff", l.st, flag), call(SLT, l.st, flag), ret(SLT, l.st, COMPLETE),
                    ret("IMsgStore::StoreLogoff", l.st, COMPLETE));
            assertThat(briefs(before)).filteredOn(b -> b.contains(" " + l.sp + " "))
                    .containsExactlyElementsOf(releaseChain(l.sp, 0, List.of()));
            assertThat(briefs(before)).noneMatch(b -> b.contains(" " + l.msp + " "));
            assertThat(briefs(events(f, beforeRelease, Set.of(l.st, l.sp, l.msp))))
                    .containsExactlyElementsOf(releaseChain(l.st, 1, providerTail(l.msp)));
            s.release();
        }
    }

    @Test
    void R_SL_1_badFlags_nothingHappens_storeStillUsable(@TempDir Path home) {
        try (StoreFixture f = fixture(home)) {
            MapiSession s = f.logon();
            StoreFixture.Opened o = f.openAndAwaitSpooler(s);
            long m = f.mark();
            assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> o.store().storeLogoff(0));
            assertCode(HResult.MAPI_E_INVALID_PARAMETER,
                    () -> o.store().storeLogoff(Flags.LOGOFF_QUIET | Flags.LOGOFF_ABORT));
            assertCode(HResult.MAPI_E_UNKNOWN_FLAGS, () -> o.store().storeLogoff(Flags.LOGOFF_ORDERLY | 0x100));
            assertThat(f.briefsSince(m)).noneMatch(b -> b.startsWith(SLT));
            assertThat(string(o.store(), PropTags.PR_DISPLAY_NAME)).isEqualTo("personal");
            o.store().release();
            s.release();
        }
    }

    // ---- P2 -----------------------------------------------------------------------------------------------

    @Test
    void R_SL_4_R_SR_1_P2_releaseOnly_sltAbortFirst_thenTheSameChain(@TempDir Path home) {
        try (StoreFixture f = fixture(home)) {
            MapiSession s = f.logon();
            StoreFixture.Opened o = f.openAndAwaitSpooler(s);
            Labels l = new Labels(o.labels());
            long m = f.mark();

            o.store().release();
            f.awaitBrief(m, ret("IMSProvider::Release", l.msp, 0));

            List<String> expected = new ArrayList<>();
            expected.add(call("IMsgStore::Release", l.st, 0));
            expected.add(call(SLT, l.st, Flags.LOGOFF_ABORT));
            expected.addAll(releaseChain(l.sp, 0, List.of()));
            expected.add(ret(SLT, l.st, COMPLETE));
            List<String> chain = releaseChain(l.st, 1, providerTail(l.msp));
            expected.addAll(chain.subList(1, chain.size()));
            assertThat(briefs(events(f, m, Set.of(l.st, l.sp, l.msp)))).containsExactlyElementsOf(expected);
            s.release();
        }
    }

    // ---- P3 -----------------------------------------------------------------------------------------------

    @Test
    void R_SL_3_R_SESOFF_2_P3_sessionLogoff_fullOrderedTrace(@TempDir Path home) {
        try (StoreFixture f = fixture(home)) {
            MapiSession s = f.logon();
            StoreFixture.Opened o = f.openAndAwaitSpooler(s);
            Labels l = new Labels(o.labels());
            String session = f.trace.events().stream().filter(e -> e.call().equals("MAPILogonEx")
                    && e.phase() == TraceEvent.Phase.RETURN).reduce((a, b) -> b).orElseThrow().object();
            long m = f.mark();

            s.logoff(0, 0, 0);

            List<String> expected = new ArrayList<>();
            expected.add(call("IMAPISession::Logoff", session, 0));
            expected.addAll(releaseChain(l.sp, 0, List.of()));
            expected.addAll(List.of(call(UNREGISTER, l.st, 0), ret(UNREGISTER, l.st, 1), call(ROWS, l.st, 0),
                    ret(ROWS, l.st, 1)));
            expected.add(call("IMSLogon::Logoff", l.st, 0));
            expected.add(call(SLT, l.st, Flags.LOGOFF_ABORT));
            expected.add(ret(SLT, l.st, COMPLETE));
            expected.addAll(pair("IMAPISupport::Release", l.st));
            expected.add(ret("IMSLogon::Logoff", l.st, 0));
            expected.addAll(pair("IMSLogon::Release", l.st));
            expected.addAll(providerTail(l.msp));
            expected.add(ret("IMAPISession::Logoff", session, 0));
            assertThat(briefs(events(f, m, Set.of(session, l.st, l.sp, l.msp)))).containsExactlyElementsOf(expected);
            assertCode(HResult.MAPI_E_INVALID_OBJECT, () -> o.store().getProps(null, 0));
            assertThat(o.store().release()).isZero();
            s.release();
        }
    }

    // ---- objects open at logoff ---------------------------------------------------------------------------

    @Test
    void R_SR_2_R_INV_2_P1_everyObjectOfTheStoreIsInvalid_sinksSilencedAndReleased(@TempDir Path home) {
        try (StoreFixture f = fixture(home)) {
            MapiSession s = f.logon();
            StoreFixture.Opened o = f.openAndAwaitSpooler(s);
            Victims v = victims(o.store());

            assertThat(o.store().storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(COMPLETE);
            o.store().release();

            v.assertDead();
            afterLogoffChangeFromAnotherSession(f, v);
            v.releaseAll();
            s.release();
        }
    }

    @Test
    void R_INV_2_P2_everyObjectOfTheStoreIsInvalid_sinksSilencedAndReleased(@TempDir Path home) {
        try (StoreFixture f = fixture(home)) {
            MapiSession s = f.logon();
            StoreFixture.Opened o = f.openAndAwaitSpooler(s);
            Victims v = victims(o.store());

            o.store().release();

            v.assertDead();
            afterLogoffChangeFromAnotherSession(f, v);
            v.releaseAll();
            s.release();
        }
    }

    @Test
    void R_INV_2_P3_everyObjectOfTheStoreIsInvalid_sinksSilencedAndReleased(@TempDir Path home) {
        try (StoreFixture f = fixture(home)) {
            MapiSession s = f.logon();
            StoreFixture.Opened o = f.openAndAwaitSpooler(s);
            Victims v = victims(o.store());
            v.add("store", o.store(), () -> o.store().getProps(null, 0));

            s.logoff(0, 0, 0);

            v.assertDead();
            afterLogoffChangeFromAnotherSession(f, v);
            v.releaseAll();
            s.release();
        }
    }

    @Test
    void R_INV_2_tenThousandObjectsOpenAtSessionLogoff_allInvalid_releaseSafe(@TempDir Path home) {
        tenThousand(home, true);
    }

    @Test
    void R_INV_2_tenThousandObjectsOpenAtStoreLogoff_allInvalid_releaseSafe(@TempDir Path home) {
        tenThousand(home, false);
    }

    private void tenThousand(Path home, boolean sessionLogoff) {
        try (StoreFixture f = fixture(home)) {
            MapiSession s = f.logon();
            MsgStore store = open(s);
            List<EntryId> folders = List.of(entryId(store, PropTags.PR_IPM_SUBTREE_ENTRYID),
                    entryId(store, PropTags.PR_IPM_OUTBOX_ENTRYID), entryId(store, PropTags.PR_IPM_SENTMAIL_ENTRYID));
            MapiFolder sent = folder(store, PropTags.PR_IPM_SENTMAIL_ENTRYID);
            List<EntryId> messages = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                messages.add(saved(sent, "m" + i));
            }
            List<MapiObject> open = new ArrayList<>(10_000);
            for (int i = 0; i < 10_000; i++) {
                switch (i % 3) {
                    case 0 -> open.add(store.openEntry(folders.get(i % folders.size()), 0));
                    case 1 -> open.add(store.openEntry(messages.get(i % messages.size()), 0));
                    default -> open.add(i % 2 == 0 ? sent.getContentsTable(0) : sent.getHierarchyTable(0));
                }
            }
            assertThat(open).filteredOn(x -> x instanceof MapiFolder).isNotEmpty();
            assertThat(open).filteredOn(x -> x instanceof Message).isNotEmpty();
            assertThat(open).filteredOn(x -> x instanceof MapiTable).isNotEmpty();

            if (sessionLogoff) {
                s.logoff(0, 0, 0);
            } else {
                assertThat(store.storeLogoff(Flags.LOGOFF_ORDERLY) & COMPLETE).isNotZero();
                store.release();
            }

            int invalid = 0;
            for (MapiObject x : open) {
                try {
                    if (x instanceof MapiTable t) {
                        t.getRowCount(0);
                    } else {
                        ((MapiProp) x).getProps(null, 0);
                    }
                } catch (MapiException e) {
                    if (e.hresult() == HResult.MAPI_E_INVALID_OBJECT) {
                        invalid++;
                    }
                }
            }
            assertThat(invalid).isEqualTo(10_000);
            Collections.shuffle(open, new Random(42));
            for (MapiObject x : open) {
                assertThat(x.release()).isZero();
            }
            assertThat(open).allSatisfy(x -> assertThat(((BaseMapiObject) x).isDestroyed()).isTrue());
            assertThat(sent.release()).isZero();
            if (sessionLogoff) {
                store.release();
            }
            s.release();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** A sink that counts; a MapiObject, so registrations must AddRef and release it. */
    static final class CountingSink extends BaseMapiObject implements AdviseSink {
        final List<Notification> received = new CopyOnWriteArrayList<>();

        @Override
        public int onNotify(List<Notification> notifications) {
            received.addAll(notifications);
            return 0;
        }
    }

    private record Probe(String what, MapiObject object, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {}

    /** Objects open under one store logon, each with a non-IUnknown call, and sinks on the store and a table. */
    private static final class Victims {
        final List<Probe> probes = new ArrayList<>();
        final CountingSink storeSink = new CountingSink();
        final CountingSink folderSink = new CountingSink();
        final CountingSink tableSink = new CountingSink();
        final CountingSink hierarchySink = new CountingSink();

        void add(String what, MapiObject object, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
            probes.add(new Probe(what, object, call));
        }

        void assertDead() {
            for (Probe p : probes) {
                assertCode(HResult.MAPI_E_INVALID_OBJECT, p.call());
            }
            for (CountingSink sink : List.of(storeSink, folderSink, tableSink, hierarchySink)) {
                await(() -> sink.refCount() == 1, () -> "a sink released by the logoff");
            }
        }

        void releaseAll() {
            for (Probe p : probes) {
                if (!(p.object() instanceof MsgStore)) {
                    p.object().release();
                }
            }
            for (Probe p : probes) {
                if (!(p.object() instanceof MsgStore)) {
                    assertThat(((BaseMapiObject) p.object()).isDestroyed()).as(p.what() + " destroyed").isTrue();
                }
            }
            for (CountingSink sink : List.of(storeSink, folderSink, tableSink, hierarchySink)) {
                assertThat(sink.received).as("nothing delivered after the logoff").isEmpty();
                assertThat(sink.release()).isZero();
            }
        }
    }

    private static Victims victims(MsgStore store) {
        Victims v = new Victims();
        MapiFolder outbox = folder(store, PropTags.PR_IPM_OUTBOX_ENTRYID);
        EntryId msgId = saved(outbox, "victim");
        Message msg = (Message) store.openEntry(msgId, Flags.MAPI_MODIFY);
        Attach att = msg.createAttach(0);
        MapiTable contents = outbox.getContentsTable(0);
        MapiFolder root = (MapiFolder) store.openEntry(null, 0);
        MapiTable hierarchy = root.getHierarchyTable(0);
        MapiTable recipients = msg.getRecipientTable(0);
        MapiTable attachments = msg.getAttachmentTable(0);
        MapiStream body = msg.openProperty(PropTags.PR_BODY, Flags.STGM_READWRITE, Flags.MAPI_CREATE | Flags.MAPI_MODIFY);
        MapiStream data = att.openProperty(PropTags.PR_ATTACH_DATA_BIN, Flags.STGM_READWRITE,
                Flags.MAPI_CREATE | Flags.MAPI_MODIFY);
        MapiStream folderName = outbox.openProperty(PropTags.PR_DISPLAY_NAME, 0, 0);
        MapiStream storeName = store.openProperty(PropTags.PR_DISPLAY_NAME, 0, 0);
        body.write(new byte[] {65, 0}, 0, 2);
        v.add("folder", outbox, () -> outbox.getProps(null, 0));
        v.add("root folder", root, () -> root.getHierarchyTable(0));
        v.add("message", msg, () -> msg.getProps(null, 0));
        v.add("attachment", att, () -> att.getProps(null, 0));
        v.add("contents table", contents, () -> contents.getRowCount(0));
        v.add("hierarchy table", hierarchy, () -> hierarchy.getRowCount(0));
        v.add("recipient table", recipients, () -> recipients.getRowCount(0));
        v.add("attachment table", attachments, () -> attachments.getRowCount(0));
        v.add("message stream", body, () -> body.commit(0));
        v.add("attachment stream", data, () -> data.write(new byte[1], 0, 1));
        v.add("folder stream", folderName, () -> folderName.read(new byte[2], 0, 2));
        v.add("store stream", storeName, () -> storeName.stat());
        store.advise(null, Flags.fnevObjectCreated | Flags.fnevObjectModified, v.storeSink);
        store.advise(entryId(outbox, PropTags.PR_ENTRYID), Flags.fnevObjectCreated, v.folderSink);
        contents.advise(Flags.fnevTableModified, v.tableSink);
        hierarchy.advise(Flags.fnevTableModified, v.hierarchySink);
        for (CountingSink sink : List.of(v.storeSink, v.folderSink, v.tableSink, v.hierarchySink)) {
            assertThat(sink.refCount()).isEqualTo(2);
        }
        return v;
    }

    /** Another session of the same profile changes the store: the logged-off objects' sinks hear nothing. */
    private static void afterLogoffChangeFromAnotherSession(StoreFixture f, Victims v) {
        MapiSession other = f.logon();
        try (MsgStore store = open(other); MapiFolder outbox = folder(store, PropTags.PR_IPM_OUTBOX_ENTRYID)) {
            saved(outbox, "after logoff");
            outbox.createFolder(MapiFolder.FOLDER_GENERIC, "new after logoff", null, 0).release();
        }
        try {
            Thread.sleep(StoreFile.POLL_INTERVAL.toMillis() * 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        other.logoff(0, 0, 0);
        other.release();
    }

    /** Labels of one store logon in the trace. */
    private record Labels(String st, String sp, String msp) {
        Labels(StoreFixture.Labels l) {
            this(l.client(), l.spooler(), l.provider());
        }
    }

    private static String call(String method, String object, int flags) {
        return method + " call " + object + " " + HResult.hex(flags);
    }

    private static String ret(String method, String object, int flags) {
        return method + " return " + object + " " + HResult.hex(flags) + " S_OK";
    }

    private static List<String> pair(String method, String object) {
        return List.of(call(method, object, 0), ret(method, object, 0));
    }

    /** R-SR-1 (6)-(7): IMSProvider::Shutdown(&0), then the provider object's Release. */
    private static List<String> providerTail(String msp) {
        List<String> l = new ArrayList<>(pair("IMSProvider::Shutdown", msp));
        l.addAll(pair("IMSProvider::Release", msp));
        return l;
    }

    /** A store's final release: (2) UIDs, (3) rows, (4) Logoff, (5) Release, then the tail. */
    private static List<String> releaseChain(String label, int rows, List<String> tail) {
        List<String> l = new ArrayList<>();
        l.add(call("IMsgStore::Release", label, 0));
        l.add(call("IMAPISupport::Release", label, 0));
        l.add(call(UNREGISTER, label, 0));
        l.add(ret(UNREGISTER, label, 1));
        l.add(call(ROWS, label, 0));
        l.add(ret(ROWS, label, rows));
        l.addAll(pair("IMSLogon::Logoff", label));
        l.addAll(pair("IMSLogon::Release", label));
        l.addAll(tail);
        l.add(ret("IMAPISupport::Release", label, 0));
        l.add(ret("IMsgStore::Release", label, 0));
        return l;
    }

    private static List<TraceEvent> events(StoreFixture f, long mark, Set<String> labels) {
        return f.trace.since(mark).stream().filter(e -> labels.contains(e.object())).toList();
    }

    private static List<String> briefs(List<TraceEvent> events) {
        return events.stream().map(TraceEvent::brief).toList();
    }
}
