package org.jmapi.runtime;

import org.jmapi.AdviseSink;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiUid;
import org.jmapi.Notification;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.testproviders.MemoryStoreData;
import org.jmapi.runtime.testproviders.MemoryTransportProvider;
import org.jmapi.runtime.trace.TraceEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.prop.PropTags.PR_ADDRTYPE;
import static org.jmapi.prop.PropTags.PR_DISPLAY_NAME;
import static org.jmapi.prop.PropTags.PR_EMAIL_ADDRESS;
import static org.jmapi.prop.PropTags.PR_ENTRYID;
import static org.jmapi.prop.PropTags.PR_IPM_OUTBOX_ENTRYID;
import static org.jmapi.prop.PropTags.PR_IPM_SENTMAIL_ENTRYID;
import static org.jmapi.prop.PropTags.PR_RECIPIENT_TYPE;
import static org.jmapi.prop.PropTags.PR_RECORD_KEY;
import static org.jmapi.prop.PropTags.PR_SENTMAIL_ENTRYID;
import static org.jmapi.prop.PropTags.PR_SUBJECT;
import static org.jmapi.runtime.Fixture.await;

/**
 * The spooler moving mail through the memory transport (spec &sect;10.3-10.5, &sect;11.3, &sect;11.8): routing,
 * SubmitMessage/EndMessage and their answers, reports, receiving, flushes, and every LOGOFF_* flag with a message
 * really being sent, one really queued and one really being received. The SMTP/POP3/IMAP versions of the same
 * checks run against GreenMail in jmapi-transport.
 */
class SpoolerMailTest {
    private static final String PROFILE = "test";

    @BeforeAll
    static void fastSpooler() {
        System.setProperty("jmapi.spooler.poll", "100");
        System.setProperty("jmapi.spooler.retry", "200");
    }

    @AfterAll
    static void defaultSpooler() {
        System.clearProperty("jmapi.spooler.poll");
        System.clearProperty("jmapi.spooler.retry");
    }

    @BeforeEach
    void clean() {
        MemoryTransportProvider.resetMail();
    }

    /** A client store with the spooler serving it. */
    private record Opened(MapiSession session, RealSession rs, MsgStore store, Spooler.SpoolerStore ss,
            MemoryStoreData data) {
        static Opened of(MapiSession s) {
            EntryId id = Fixture.storeId(s, 0);
            MsgStore store = s.openMsgStore(0, id, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
            Spooler.SpoolerStore ss = Fixture.spoolerStore(s, id);
            RealSession rs = (RealSession) s;
            rs.spooler.awaitReady();
            await(() -> rs.spooler.transports().stream().allMatch(t -> t.inboundEnabled && t.outboundEnabled),
                    "the transports to be enabled");
            return new Opened(s, rs, store, ss,
                    MemoryStoreData.forStore(MapiUid.of(store.getProp(PR_RECORD_KEY).orElseThrow().asBinary())));
        }
    }

    private static List<PropValue> recipient(String address, String type, int recipientType) {
        List<PropValue> r = new ArrayList<>(List.of(PropValue.ofString(PR_DISPLAY_NAME, address),
                PropValue.ofInt(PR_RECIPIENT_TYPE, recipientType), PropValue.ofString(PR_ADDRTYPE, type),
                PropValue.ofString(PR_EMAIL_ADDRESS, address)));
        return r;
    }

    private static List<PropValue> memxp(String address) {
        return recipient(address, MemoryTransportProvider.ADDRESS_TYPE, Flags.MAPI_TO);
    }

    /** Composes in the Outbox, asks for Sent Items, submits. @return the message's entry id */
    private static EntryId submit(MsgStore store, String subject, List<List<PropValue>> recipients) {
        EntryId outboxId = EntryId.of(store.getProp(PR_IPM_OUTBOX_ENTRYID).orElseThrow().asBinary());
        byte[] sent = store.getProp(PR_IPM_SENTMAIL_ENTRYID).orElseThrow().asBinary();
        try (MapiFolder outbox = (MapiFolder) store.openEntry(outboxId, Flags.MAPI_MODIFY);
             Message m = outbox.createMessage(0)) {
            m.setProps(List.of(PropValue.ofString(PR_SUBJECT, subject), PropValue.ofBinary(PR_SENTMAIL_ENTRYID, sent)));
            m.modifyRecipients(0, recipients);
            m.saveChanges(Flags.KEEP_OPEN_READWRITE);
            EntryId id = EntryId.of(m.getProp(PR_ENTRYID).orElseThrow().asBinary());
            m.submitMessage(0);
            return id;
        }
    }

    private static List<String> sentSubjects() {
        return MemoryTransportProvider.sent().stream().map(MemoryTransportProvider.Sent::subject).toList();
    }

    private static void end(Opened a) {
        a.store.release();
        a.session.logoff(0, 0, 0);
        a.session.release();
    }

    private static List<String> calls(Fixture f, long mark, String... names) {
        List<String> wanted = List.of(names);
        return f.trace.since(mark).stream().filter(e -> e.phase() == TraceEvent.Phase.CALL
                && wanted.contains(e.call())).map(TraceEvent::call).toList();
    }

    // ---- outbound ---------------------------------------------------------------------------------------------

    @Test
    void R_XPS_2_aQueuedMessageIsLockedSubmittedEndedAndFinished(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            Opened a = Opened.of(f.logon());
            long mark = f.mark();
            submit(a.store, "hello", List.of(memxp("bob@example.org")));
            await(() -> a.data.queuedCount() == 0, "the message to be sent");
            assertThat(sentSubjects()).containsExactly("hello");
            assertThat(MemoryTransportProvider.sent().get(0).recipients()).containsExactly("bob@example.org");
            assertThat(calls(f, mark, "IMsgStore::SetLockState", "IXPLogon::SubmitMessage", "IXPLogon::EndMessage",
                    "IMsgStore::FinishedMsg")).containsExactly("IMsgStore::SetLockState", "IXPLogon::SubmitMessage",
                    "IXPLogon::EndMessage", "IMsgStore::FinishedMsg");
            assertThat(a.data.subjects("Sent Items")).containsExactly("hello"); // R-OQ-5 with PR_SENTMAIL_ENTRYID
            end(a);
        }
    }

    @Test
    void R_XPS_1_recipientsGoToTheTransportByUidThenAddressType_othersGetAReport(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            Opened a = Opened.of(f.logon());
            List<PropValue> byUid = recipient("carol@example.org", "OTHER", Flags.MAPI_CC);
            byUid.add(PropValue.ofBinary(PR_ENTRYID, EntryId.create(0, MemoryTransportProvider.ADDRESS_TYPE_UID,
                    new byte[] {1, 2, 3}).toBytes()));
            submit(a.store, "routed", List.of(memxp("bob@example.org"), byUid,
                    recipient("fax:+1555", "FAX", Flags.MAPI_TO)));
            await(() -> a.data.queuedCount() == 0, "the message to be finished");
            assertThat(MemoryTransportProvider.sent().get(0).recipients())
                    .containsExactlyInAnyOrder("bob@example.org", "carol@example.org");
            assertThat(a.data.subjects("Inbox")).containsExactly("Undeliverable: routed");
            end(a);
        }
    }

    @Test
    void R_XPS_5_aRecipientTheTransportRefusesGetsOneReportInTheSendersInbox(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            Opened a = Opened.of(f.logon());
            List<EntryId> newMail = new CopyOnWriteArrayList<>();
            a.store.advise(null, Flags.fnevNewMail, sink(newMail));
            long mark = f.mark();
            submit(a.store, "partly", List.of(memxp("bob@example.org"), memxp("nobody1@example.org"),
                    memxp("nobody2@example.org")));
            await(() -> a.data.queuedCount() == 0, "the message to be finished");
            assertThat(MemoryTransportProvider.sent().get(0).recipients()).containsExactly("bob@example.org");
            assertThat(a.data.subjects("Inbox")).containsExactly("Undeliverable: partly"); // one report, not two
            assertThat(calls(f, mark, "IMAPISupport::StatusRecips")).hasSize(1);
            await(() -> newMail.size() == 1, "fnevNewMail for the report");
            assertThat(a.data.subjects("Sent Items")).containsExactly("partly");
            end(a);
        }
    }

    private static AdviseSink sink(List<EntryId> into) {
        return notifications -> {
            for (Notification n : notifications) {
                if (n instanceof Notification.NewMail m) {
                    into.add(m.entryId());
                }
            }
            return 0;
        };
    }

    @ParameterizedTest
    @ValueSource(ints = {HResult.MAPI_E_BUSY, HResult.MAPI_E_WAIT, HResult.MAPI_E_NETWORK_ERROR,
        HResult.MAPI_E_CALL_FAILED})
    void R_XPS_2_aFailedSubmitHasNoEndMessage_theMessageStaysQueuedAndIsRetried(int hr, @TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MemoryTransportProvider.control(PROFILE).failNextSubmit.set(hr);
            Opened a = Opened.of(f.logon());
            long mark = f.mark();
            submit(a.store, "retried", List.of(memxp("bob@example.org")));
            await(() -> sentSubjects().contains("retried") && a.data.queuedCount() == 0, "the retry to send it");
            List<TraceEvent> events = f.trace.since(mark);
            List<String> brief = events.stream().filter(e -> e.call().startsWith("IXPLogon::SubmitMessage")
                    || e.call().startsWith("IXPLogon::EndMessage")).map(e -> e.call() + " " + (e.phase() == TraceEvent.Phase.CALL
                    ? "CALL" : "RETURN " + HResult.name(e.hresult()))).toList();
            assertThat(brief).containsExactly(
                    "IXPLogon::SubmitMessage CALL",
                    "IXPLogon::SubmitMessage RETURN " + HResult.name(hr), // no EndMessage for the failed attempt
                    "IXPLogon::SubmitMessage CALL",
                    "IXPLogon::SubmitMessage RETURN S_OK",
                    "IXPLogon::EndMessage CALL",
                    "IXPLogon::EndMessage RETURN S_OK");
            end(a);
        }
    }

    @Test
    void R_XPS_4_resendLaterKeepsTheMessageQueuedUntilALaterAttemptSendsIt(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MemoryTransportProvider.control(PROFILE).endMessageAnswer.set(Flags.END_RESEND_LATER);
            Opened a = Opened.of(f.logon());
            long mark = f.mark();
            submit(a.store, "later", List.of(memxp("bob@example.org")));
            await(() -> sentSubjects().contains("later") && a.data.queuedCount() == 0, "the later attempt");
            assertThat(calls(f, mark, "IXPLogon::EndMessage")).hasSize(2);
            assertThat(calls(f, mark, "IMsgStore::FinishedMsg")).hasSize(1);
            end(a);
        }
    }

    @Test
    void R_MAIL_4_aDeferredMessageIsAbortedAloneAtSessionLogoff_andStaysQueued(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MemoryTransportProvider.control(PROFILE).endMessageAnswer.set(Flags.END_DONT_RESEND);
            Opened a = Opened.of(f.logon());
            EntryId id = submit(a.store, "deferred", List.of(memxp("bob@example.org")));
            await(() -> !calls(f, 0, "IXPLogon::EndMessage").isEmpty() && a.data.lockedCount() == 0,
                    "the transport to defer the message");
            assertThat(a.data.queuedCount()).isEqualTo(1); // deferred: kept by the transport, not resent
            long mark = f.mark();
            a.store.release();
            a.session.logoff(0, 0, 0);
            List<TraceEvent> notifies = f.trace.since(mark).stream()
                    .filter(e -> e.phase() == TraceEvent.Phase.CALL && e.call().equals("IXPLogon::TransportNotify"))
                    .toList();
            assertThat(notifies).extracting(TraceEvent::flags)
                    .startsWith(Flags.NOTIFY_ABORT_DEFERRED, Flags.NOTIFY_END_INBOUND | Flags.NOTIFY_END_OUTBOUND);
            a.session.release();
            assertThat(a.data.queuedCount()).isEqualTo(1);
            assertThat(a.data.queuedSubjects()).containsExactly("deferred");
            assertThat(id).isNotNull();
        }
    }

    @Test
    void R_TN_1_cancellingADeferredMessageTellsItsTransportAbortDeferredAndCancel(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MemoryTransportProvider.control(PROFILE).endMessageAnswer.set(Flags.END_DONT_RESEND);
            Opened a = Opened.of(f.logon());
            EntryId id = submit(a.store, "deferred", List.of(memxp("bob@example.org")));
            await(() -> !calls(f, 0, "IXPLogon::EndMessage").isEmpty() && a.data.lockedCount() == 0,
                    "the transport to defer the message");
            long mark = f.mark();
            a.store.abortSubmit(id, 0); // the sender cancels it
            await(() -> f.trace.since(mark).stream().anyMatch(e -> e.phase() == TraceEvent.Phase.CALL
                    && e.call().equals("IXPLogon::TransportNotify")
                    && e.flags() == (Flags.NOTIFY_ABORT_DEFERRED | Flags.NOTIFY_CANCEL_MESSAGE)),
                    "NOTIFY_ABORT_DEFERRED | NOTIFY_CANCEL_MESSAGE");
            assertThat(a.data.queuedCount()).isZero();
            long logoff = f.mark();
            end(a);
            assertThat(f.trace.since(logoff)).noneMatch(e -> e.call().equals("IXPLogon::TransportNotify")
                    && (e.flags() & Flags.NOTIFY_ABORT_DEFERRED) != 0); // already aborted: not again at logoff
        }
    }

    // ---- inbound ----------------------------------------------------------------------------------------------

    @Test
    void R_RCV_1_aPollCountBringsThatManyMessagesIntoTheInbox_withNewMailNotifications(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            Opened a = Opened.of(f.logon());
            List<EntryId> newMail = new CopyOnWriteArrayList<>();
            a.store.advise(null, Flags.fnevNewMail, sink(newMail));
            long mark = f.mark();
            MemoryTransportProvider.setPendingInbound(PROFILE, 3);
            await(() -> a.data.messageCount("Inbox") == 3, "three messages received");
            assertThat(a.data.subjects("Inbox")).containsExactlyInAnyOrder("inbound 3", "inbound 2", "inbound 1");
            await(() -> newMail.size() == 3, "R-RCV-3: fnevNewMail for each");
            List<String> order = calls(f, mark, "IXPLogon::Poll", "IXPLogon::StartMessage", "IMsgStore::NotifyNewMail");
            assertThat(order).containsSubsequence("IXPLogon::Poll", "IXPLogon::StartMessage",
                    "IMsgStore::NotifyNewMail");
            end(a);
        }
    }

    @Test
    void R_RCV_2_aStartMessageWithoutSaveStoresNothing(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            Opened a = Opened.of(f.logon());
            long mark = f.mark();
            // FLUSH_DOWNLOAD makes the spooler call StartMessage with nothing waiting at the transport
            a.rs.spooler.flushQueues(null, Flags.FLUSH_DOWNLOAD);
            assertThat(calls(f, mark, "IXPLogon::StartMessage")).isNotEmpty();
            assertThat(calls(f, mark, "IMsgStore::NotifyNewMail")).isEmpty();
            assertThat(a.data.messageCount("Inbox")).isZero();
            end(a);
        }
    }

    @Test
    void R_FLUSH_2_aFlushRunsFlushQueuesThenSendsThenEndsEachHalf(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            Opened a = Opened.of(f.logon());
            a.rs.spooler.validateTransports(0, Flags.FORCE_XP_DISCONNECT);
            submit(a.store, "flushed", List.of(memxp("bob@example.org")));
            a.rs.spooler.validateTransports(0, Flags.FORCE_XP_CONNECT);
            long mark = f.mark();
            a.rs.spooler.flushQueues(null, Flags.FLUSH_UPLOAD | Flags.FLUSH_DOWNLOAD);
            assertThat(sentSubjects()).contains("flushed"); // synchronous without FLUSH_ASYNC_OK (R-FLUSH-1)
            List<String> order = f.trace.since(mark).stream().filter(e -> e.phase() == TraceEvent.Phase.CALL)
                    .map(e -> e.call().equals("IXPLogon::TransportNotify") ? "notify " + e.flags() : e.call())
                    .filter(c -> c.startsWith("notify") || c.equals("IXPLogon::FlushQueues")
                            || c.equals("IXPLogon::SubmitMessage") || c.equals("IXPLogon::StartMessage"))
                    .toList();
            assertThat(order).containsSubsequence("IXPLogon::FlushQueues", "notify " + Flags.NOTIFY_END_OUTBOUND_FLUSH,
                    "IXPLogon::StartMessage", "notify " + Flags.NOTIFY_END_INBOUND_FLUSH);
            end(a);
        }
    }

    @Test
    void R_VS_1_workOfflineKeepsMailQueuedUntilTheTransportIsBack(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            Opened a = Opened.of(f.logon());
            a.rs.spooler.validateTransports(0, Flags.FORCE_XP_DISCONNECT);
            submit(a.store, "offline", List.of(memxp("bob@example.org")));
            MemoryTransportProvider.setPendingInbound(PROFILE, 1);
            long mark = f.mark();
            a.rs.spooler.flushQueues(null, 0); // a pass of the spooler while offline
            assertThat(a.data.queuedCount()).isEqualTo(1);
            assertThat(a.data.lockedCount()).isZero();
            assertThat(calls(f, mark, "IXPLogon::SubmitMessage", "IXPLogon::Poll")).isEmpty();
            a.rs.spooler.validateTransports(0, Flags.FORCE_XP_CONNECT);
            await(() -> a.data.queuedCount() == 0 && a.data.messageCount("Inbox") == 1, "mail to move again");
            end(a);
        }
    }

    // ---- transport logon order and control traffic (R-XP-*, R-TN-2/3, R-FLUSH-1) --------------------------------

    private static int indexOf(List<TraceEvent> events, java.util.function.Predicate<TraceEvent> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean call(TraceEvent e, String name) {
        return e.phase() == TraceEvent.Phase.CALL && e.call().equals(name);
    }

    @Test
    void R_XP_1_transportsLogOnWithoutTrafficAndAreEnabledOnlyOnceAStoreIsOpen(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            RealSession rs = (RealSession) s;
            rs.spooler.awaitReady();
            List<TraceEvent> before = f.trace.since(0);
            TraceEvent logon = before.stream().filter(e -> call(e, "IXPProvider::TransportLogon")).findFirst()
                    .orElseThrow();
            assertThat(logon.flags() & (Flags.LOGON_NO_INBOUND | Flags.LOGON_NO_OUTBOUND))
                    .isEqualTo(Flags.LOGON_NO_INBOUND | Flags.LOGON_NO_OUTBOUND);
            assertThat(before).noneMatch(e -> call(e, "IXPLogon::TransportNotify")); // no store open yet
            Opened a = Opened.of(s);
            List<TraceEvent> all = f.trace.since(0);
            int spoolerLogon = indexOf(all, e -> call(e, "IMSProvider::SpoolerLogon"));
            int begin = indexOf(all, e -> call(e, "IXPLogon::TransportNotify")
                    && e.flags() == (Flags.NOTIFY_BEGIN_INBOUND | Flags.NOTIFY_BEGIN_OUTBOUND));
            assertThat(spoolerLogon).isNotNegative();
            assertThat(begin).isGreaterThan(spoolerLogon);
            end(a);
        }
    }

    @Test
    void R_XP_3_addressTypesIsTheNextCallAfterTransportLogon_andItsTypesRoute(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            Opened a = Opened.of(f.logon());
            TransportLogonRecord t = a.rs.spooler.transports().get(0);
            List<TraceEvent> xp = f.trace.since(0).stream().filter(e -> e.object().equals(t.label)
                    && e.call().startsWith("IXP")).toList();
            int ret = indexOf(xp, e -> e.phase() == TraceEvent.Phase.RETURN
                    && e.call().equals("IXPProvider::TransportLogon"));
            assertThat(xp.get(ret + 1).call()).isEqualTo("IXPLogon::AddressTypes");
            assertThat(t.addressTypes.types()).containsExactly(MemoryTransportProvider.ADDRESS_TYPE);
            assertThat(t.addressTypes.uids()).containsExactly(MemoryTransportProvider.ADDRESS_TYPE_UID);
            end(a);
        }
    }

    @Test
    void R_XP_4_everyTransportLogonHasAStatusRow(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            Opened a = Opened.of(f.logon());
            assertThat(a.rs.spooler.transports()).isNotEmpty().allSatisfy(t ->
                    assertThat(a.rs.statusTable.rowCount(t)).isGreaterThanOrEqualTo(1));
            end(a);
        }
    }

    @Test
    void R_XP_5_noSubmitStartOrPollBeforeTheMatchingBeginNotification(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MemoryTransportProvider.setPendingInbound(PROFILE, 1);
            Opened a = Opened.of(f.logon());
            submit(a.store, "ordered", List.of(memxp("bob@example.org")));
            await(() -> a.data.queuedCount() == 0 && a.data.messageCount("Inbox") == 1, "mail both ways");
            List<TraceEvent> all = f.trace.since(0);
            int begin = indexOf(all, e -> call(e, "IXPLogon::TransportNotify")
                    && (e.flags() & Flags.NOTIFY_BEGIN_OUTBOUND) != 0 && (e.flags() & Flags.NOTIFY_BEGIN_INBOUND) != 0);
            assertThat(begin).isNotNegative();
            for (String c : List.of("IXPLogon::SubmitMessage", "IXPLogon::StartMessage", "IXPLogon::Poll")) {
                assertThat(indexOf(all, e -> call(e, c))).as(c).isGreaterThan(begin);
            }
            end(a);
        }
    }

    @Test
    void R_TN_2_spoolerNotifyFlagsPerSupportKind_andCritsecStopsPolling(@TempDir Path home) throws Exception {
        try (Fixture f = Fixture.startOneStore(home)) {
            Opened a = Opened.of(f.logon());
            TransportLogonRecord t = a.rs.spooler.transports().get(0);
            Fixture.assertMapiError(() -> t.support.spoolerNotify(Flags.NOTIFY_NEWMAIL_RECEIVED, null),
                    HResult.MAPI_E_INVALID_PARAMETER);
            Fixture.assertMapiError(() -> t.support.spoolerNotify(Flags.NOTIFY_CRITICAL_ERROR
                    | Flags.NOTIFY_SENTDEFERRED, null), HResult.MAPI_E_INVALID_PARAMETER);
            Fixture.assertMapiError(() -> a.ss.record.support.spoolerNotify(Flags.NOTIFY_NEWMAIL, null),
                    HResult.MAPI_E_INVALID_PARAMETER);
            t.support.spoolerNotify(Flags.NOTIFY_CRITSEC, null);
            long mark = f.mark();
            MemoryTransportProvider.setPendingInbound(PROFILE, 1);
            Thread.sleep(400); // several poll intervals
            assertThat(calls(f, mark, "IXPLogon::Poll", "IXPLogon::StartMessage")).isEmpty();
            t.support.spoolerNotify(Flags.NOTIFY_NONCRIT, null);
            await(() -> a.data.messageCount("Inbox") == 1, "polling to resume after NOTIFY_NONCRIT");
            end(a);
        }
    }

    @Test
    void R_TN_3_spoolerYieldAnswersCancelOnceWhenTheSpoolerAsked_transportSupportOnly(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            Opened a = Opened.of(f.logon());
            TransportLogonRecord t = a.rs.spooler.transports().get(0);
            assertThat(t.support.spoolerYield(0)).isEqualTo(HResult.S_OK);
            t.requestCancel();
            assertThat(t.support.spoolerYield(0)).isEqualTo(HResult.MAPI_W_CANCEL_MESSAGE);
            assertThat(t.support.spoolerYield(0)).isEqualTo(HResult.S_OK);
            Fixture.assertMapiError(() -> t.support.spoolerYield(1), HResult.MAPI_E_UNKNOWN_FLAGS);
            Fixture.assertMapiError(() -> a.ss.record.support.spoolerYield(0), HResult.MAPI_E_NO_SUPPORT);
            end(a);
        }
    }

    @Test
    void R_FLUSH_1_theSpoolerFlushesSynchronously_aTransportStatusTakesNoTargetOrAsync(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            Opened a = Opened.of(f.logon());
            a.rs.spooler.validateTransports(0, Flags.FORCE_XP_DISCONNECT);
            submit(a.store, "flush me", List.of(memxp("bob@example.org")));
            a.rs.spooler.validateTransports(0, Flags.FORCE_XP_CONNECT);
            EntryId spoolerStatus;
            try (org.jmapi.table.MapiTable st = a.session.getStatusTable(0)) {
                st.setColumns(StatusTable.COLUMNS, 0);
                spoolerStatus = EntryId.of(st.queryRows(1000, 0).stream()
                        .filter(r -> r.get(org.jmapi.prop.PropTags.PR_RESOURCE_TYPE).asInt() == Flags.MAPI_SPOOLER)
                        .findFirst().orElseThrow().get(PR_ENTRYID).asBinary());
            }
            try (org.jmapi.client.MapiStatus spooler = (org.jmapi.client.MapiStatus) a.session.openEntry(spoolerStatus,
                    0)) {
                spooler.flushQueues(0, null, Flags.FLUSH_UPLOAD);
            }
            assertThat(sentSubjects()).contains("flush me"); // done when FlushQueues returned (no FLUSH_ASYNC_OK)
            TransportLogonRecord t = a.rs.spooler.transports().get(0);
            try (org.jmapi.client.MapiStatus xp = t.logon().openStatusEntry(0)) {
                Fixture.assertMapiError(() -> xp.flushQueues(0, spoolerStatus, Flags.FLUSH_UPLOAD),
                        HResult.MAPI_E_INVALID_PARAMETER);
                Fixture.assertMapiError(() -> xp.flushQueues(0, null, Flags.FLUSH_ASYNC_OK),
                        HResult.MAPI_E_UNKNOWN_FLAGS);
            }
            end(a);
        }
    }

    // ---- the table of spec 11.3 with real activity -------------------------------------------------------------

    /**
     * One message held inside SubmitMessage (OUTBOUND), one queued behind it (OUTBOUND_QUEUE), one held inside
     * StartMessage (INBOUND); then StoreLogoff(flag), then the holds open. What each flag does with each of the
     * three is the row of spec &sect;11.3 for that flag.
     */
    @ParameterizedTest
    @ValueSource(ints = {Flags.LOGOFF_QUIET, Flags.LOGOFF_ABORT, Flags.LOGOFF_NO_WAIT, Flags.LOGOFF_ORDERLY,
        Flags.LOGOFF_PURGE})
    void R_SLT_4_eachFlagWithAMessageBeingSentOneQueuedAndOneBeingReceived(int flag, @TempDir Path home)
            throws Exception {
        try (Fixture f = Fixture.startOneStore(home)) {
            MemoryTransportProvider.Control c = MemoryTransportProvider.control(PROFILE);
            c.holdSubmit.close();
            c.holdReceive.close();
            Opened a = Opened.of(f.logon());
            submit(a.store, "in flight", List.of(memxp("bob@example.org")));
            await(() -> c.holdSubmit.waiting() == 1, "a send to be in progress");
            submit(a.store, "queued", List.of(memxp("bob@example.org")));
            MemoryTransportProvider.setPendingInbound(PROFILE, 1);
            await(() -> c.holdReceive.waiting() == 1, "a receive to be in progress");
            int all = Flags.LOGOFF_INBOUND | Flags.LOGOFF_OUTBOUND | Flags.LOGOFF_OUTBOUND_QUEUE;
            assertThat(a.ss.activity.snapshot()).isEqualTo(all);

            java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
            java.util.concurrent.Future<Integer> call = ex.submit(() -> a.store.storeLogoff(flag));
            int out;
            if (flag == Flags.LOGOFF_PURGE) {
                Thread.sleep(300);
                assertThat(call.isDone()).as("PURGE returns only after everything finished").isFalse();
                c.holdSubmit.open();
                c.holdReceive.open();
                out = call.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } else {
                out = call.get(30, java.util.concurrent.TimeUnit.SECONDS); // the others return at once
                c.holdSubmit.open();
                c.holdReceive.open();
            }
            ex.shutdown();
            switch (flag) {
                case Flags.LOGOFF_QUIET, Flags.LOGOFF_ABORT -> {
                    assertThat(out).isEqualTo(all); // refused: nothing changes (R-SLT-5, R-SLT-6)
                    await(() -> sentSubjects().containsAll(List.of("in flight", "queued"))
                            && a.data.messageCount("Inbox") == 1 && a.data.queuedCount() == 0
                            && a.ss.activity.snapshot() == 0, "the spooler to go on as before");
                    assertThat(a.ss.state).isEqualTo(Spooler.State.ACTIVE);
                    assertThat(a.store.storeLogoff(flag)).isEqualTo(Flags.LOGOFF_COMPLETE); // idle now
                }
                case Flags.LOGOFF_NO_WAIT -> {
                    assertThat(out).isEqualTo(Flags.LOGOFF_COMPLETE | all); // R-SLT-7
                    await(() -> a.ss.state == Spooler.State.RELEASED, "the drain to end");
                    assertThat(sentSubjects()).containsExactly("in flight", "queued"); // queued mail sent too
                    assertThat(a.data.messageCount("Inbox")).isEqualTo(1); // the receive in progress finished
                }
                case Flags.LOGOFF_ORDERLY -> {
                    assertThat(out).isEqualTo(Flags.LOGOFF_COMPLETE | all); // R-SLT-8
                    await(() -> a.ss.state == Spooler.State.RELEASED, "the drain to end");
                    assertThat(sentSubjects()).containsExactly("in flight"); // nothing new started
                    assertThat(a.data.queuedSubjects()).containsExactly("queued"); // stays queued
                    assertThat(a.data.lockedCount()).isZero();
                    assertThat(a.data.messageCount("Inbox")).isEqualTo(1);
                }
                case Flags.LOGOFF_PURGE -> {
                    assertThat(out).isEqualTo(Flags.LOGOFF_COMPLETE); // R-SLT-9
                    assertThat(a.ss.state).isEqualTo(Spooler.State.RELEASED);
                    assertThat(sentSubjects()).containsExactly("in flight", "queued");
                    assertThat(a.data.messageCount("Inbox")).isEqualTo(1);
                }
                default -> throw new AssertionError(flag);
            }
            if (flag != Flags.LOGOFF_QUIET && flag != Flags.LOGOFF_ABORT) {
                // R-SLT-10: after the release the spooler never calls the store's spooler methods again
                long mark = f.mark();
                MemoryTransportProvider.setPendingInbound(PROFILE, 1);
                Thread.sleep(400);
                assertThat(f.callsSince(mark)).noneMatch(x -> x.startsWith("IMsgStore::GetOutgoingQueue")
                        || x.startsWith("IMsgStore::NotifyNewMail") || x.startsWith("IMsgStore::SetLockState"));
            }
            end(a);
        }
    }

    // ---- a transport that takes several messages at once (ConcurrentSubmissions) ---------------------------------

    /**
     * Submits {@code subjects} to bob in a session without spooler (MAPI_NO_MAIL, R-SES-3), {@code alsoToNobody}
     * also to a recipient the transport refuses: the next session's spooler finds them all queued in one pass.
     */
    private static void queueWithoutSpooler(Fixture f, List<String> subjects, String alsoToNobody) {
        MapiSession s = f.logon(Flags.MAPI_NO_MAIL);
        MsgStore store = s.openMsgStore(0, Fixture.storeId(s, 0), Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
        for (String subject : subjects) {
            submit(store, subject, subject.equals(alsoToNobody)
                    ? List.of(memxp("bob@example.org"), memxp("nobody@example.org"))
                    : List.of(memxp("bob@example.org")));
        }
        store.release();
        s.logoff(0, 0, 0);
        s.release();
    }

    /**
     * Queues {@code subjects} without spooler, makes the memory transport take three messages at once and hold its
     * sends, and logs on.
     *
     * @return the new session's store, once three messages are inside SubmitMessage together
     */
    private static Opened threeInFlight(Fixture f, List<String> subjects, String alsoToNobody) {
        MemoryTransportProvider.Control c = MemoryTransportProvider.control(PROFILE);
        c.concurrentSubmissions = 3;
        c.holdSubmit.close();
        queueWithoutSpooler(f, subjects, alsoToNobody);
        Opened a = Opened.of(f.logon());
        await(() -> c.holdSubmit.waiting() == 3, "three messages inside SubmitMessage at once");
        return a;
    }

    /**
     * Four messages queued by a session without spooler, then a session whose transport takes three at once: three
     * are inside SubmitMessage together, each locked, the fourth waits unlocked; once the hold opens every message has
     * its own SetLockState, SubmitMessage, EndMessage and FinishedMsg, and a refused recipient gets its report from
     * a sender thread (R-XPS-5).
     */
    @Test
    void R_XPS_2_aTransportThatTakesThreeAtOnceGetsThree_eachLockedSubmittedEndedFinished(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            List<String> subjects = List.of("m0", "m1", "m2", "m3");
            long mark = f.mark();
            Opened a = threeInFlight(f, subjects, "m2");
            MemoryTransportProvider.Control c = MemoryTransportProvider.control(PROFILE);
            assertThat(a.data.lockedCount()).isEqualTo(3);
            assertThat(a.data.queuedCount()).isEqualTo(4);
            assertThat(a.ss.activity.snapshot() & Flags.LOGOFF_OUTBOUND).isNotZero();
            c.holdSubmit.open();
            await(() -> a.data.queuedCount() == 0, "every message to be finished");
            assertThat(c.holdSubmit.peak()).as("never more than the transport takes").isEqualTo(3);
            assertThat(sentSubjects()).containsExactlyInAnyOrderElementsOf(subjects);
            for (String call : List.of("IXPLogon::SubmitMessage", "IXPLogon::EndMessage", "IMsgStore::FinishedMsg")) {
                assertThat(calls(f, mark, call)).as(call).hasSize(4);
            }
            assertThat(calls(f, mark, "IMsgStore::SetLockState")).hasSize(4); // each locked once; finished, not unlocked
            assertThat(a.data.subjects("Sent Items")).containsExactlyInAnyOrderElementsOf(subjects);
            assertThat(a.data.subjects("Inbox")).containsExactly("Undeliverable: m2");
            end(a);
        }
    }

    /**
     * R-SLT-8 with three messages being sent at once and one queued behind them: LOGOFF_ORDERLY returns at once,
     * the three in flight are finished, the queued one is not started, and the spooler lets go of the store only
     * after the last of the three ended.
     */
    @Test
    void R_SLT_8_orderlyWithThreeMessagesBeingSentAtOnce_finishesTheThree_startsNothingNew(@TempDir Path home)
            throws Exception {
        try (Fixture f = Fixture.startOneStore(home)) {
            Opened a = threeInFlight(f, List.of("m0", "m1", "m2", "queued"), null);
            MemoryTransportProvider.Control c = MemoryTransportProvider.control(PROFILE);

            int out = a.store.storeLogoff(Flags.LOGOFF_ORDERLY); // returns at once (R-SLT-8)
            assertThat(out).isEqualTo(Flags.LOGOFF_COMPLETE | Flags.LOGOFF_OUTBOUND | Flags.LOGOFF_OUTBOUND_QUEUE);
            assertThat(a.ss.state).as("three messages still in flight").isEqualTo(Spooler.State.DRAINING);
            c.holdSubmit.open();
            await(() -> a.ss.state == Spooler.State.RELEASED, "the drain to end");
            assertThat(sentSubjects()).containsExactlyInAnyOrder("m0", "m1", "m2");
            assertThat(a.data.queuedSubjects()).containsExactly("queued");
            assertThat(a.data.lockedCount()).isZero();
            end(a);
        }
    }

    /** R-MAIL-2 / R-LOFF-3 with three messages inside SubmitMessage at once: session logoff leaves all three queued. */
    @Test
    void R_MAIL_2_threeSendsAbandonedAtOnceBySessionLogoffStayQueued_andTheNextSessionSendsThem(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            Opened a = threeInFlight(f, List.of("m0", "m1", "m2"), null);
            MemoryTransportProvider.Control c = MemoryTransportProvider.control(PROFILE);
            long mark = f.mark();
            end(a); // session logoff: TransportLogoff with three messages in flight (R-LOFF-3)
            assertThat(calls(f, mark, "IXPLogon::EndMessage", "IMsgStore::FinishedMsg")).isEmpty();
            assertThat(a.data.queuedSubjects()).containsExactlyInAnyOrder("m0", "m1", "m2");
            assertThat(a.data.lockedCount()).isZero();
            assertThat(sentSubjects()).isEmpty();
            c.holdSubmit.open();
            Opened b = Opened.of(f.logon());
            await(() -> sentSubjects().size() == 3 && b.data.queuedCount() == 0, "the next session");
            end(b);
        }
    }

    // ---- R-MAIL-2 / R-LOFF-3: logoff in the middle of a send -----------------------------------------------------

    @Test
    void R_MAIL_2_aSendAbandonedBySessionLogoffStaysQueuedAndTheNextSessionSendsIt(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MemoryTransportProvider.Control c = MemoryTransportProvider.control(PROFILE);
            c.holdSubmit.close();
            Opened a = Opened.of(f.logon());
            submit(a.store, "abandoned", List.of(memxp("bob@example.org")));
            await(() -> c.holdSubmit.waiting() == 1, "a send to be in progress");
            long mark = f.mark();
            end(a); // session logoff: TransportLogoff in the middle of the message (R-LOFF-3)
            assertThat(calls(f, mark, "IXPLogon::EndMessage", "IMsgStore::FinishedMsg")).isEmpty();
            assertThat(a.data.queuedSubjects()).containsExactly("abandoned");
            assertThat(a.data.lockedCount()).isZero();
            assertThat(sentSubjects()).isEmpty();
            c.holdSubmit.open();
            Opened b = Opened.of(f.logon());
            await(() -> sentSubjects().contains("abandoned") && b.data.queuedCount() == 0, "the next session");
            end(b);
        }
    }

    @Test
    void R_MAIL_3_aReceiveAbandonedBySessionLogoffLeavesTheMailAtItsSource(@TempDir Path home) {
        try (Fixture f = Fixture.startOneStore(home)) {
            MemoryTransportProvider.Control c = MemoryTransportProvider.control(PROFILE);
            c.holdReceive.close();
            Opened a = Opened.of(f.logon());
            MemoryTransportProvider.setPendingInbound(PROFILE, 1);
            await(() -> c.holdReceive.waiting() == 1, "a receive to be in progress");
            end(a);
            assertThat(a.data.messageCount("Inbox")).isZero();
            c.holdReceive.open();
            Opened b = Opened.of(f.logon());
            await(() -> b.data.messageCount("Inbox") == 1, "the next session to receive it");
            end(b);
        }
    }

    @Test
    void R_SES_3_aNoMailSessionMovesNothing(@TempDir Path home) throws InterruptedException {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon(Flags.MAPI_NO_MAIL);
            EntryId id = Fixture.storeId(s, 0);
            MsgStore store = s.openMsgStore(0, id, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
            submit(store, "stays", List.of(memxp("bob@example.org")));
            MemoryTransportProvider.setPendingInbound(PROFILE, 1);
            Thread.sleep(400);
            assertThat(sentSubjects()).isEmpty();
            MemoryStoreData data = MemoryStoreData.forStore(MapiUid.of(store.getProp(PR_RECORD_KEY).orElseThrow()
                    .asBinary()));
            assertThat(data.queuedSubjects()).containsExactly("stays");
            assertThat(data.messageCount("Inbox")).isZero();
            store.release();
            s.logoff(0, 0, 0);
            s.release();
        }
    }
}
