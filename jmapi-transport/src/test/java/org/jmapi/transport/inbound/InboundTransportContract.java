package org.jmapi.transport.inbound;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.Notification;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MapiStatus;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.trace.TraceEvent;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.jmapi.transport.smtp.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the POP3 and the IMAP transport must both do, run against GreenMail in-process through a {@link MailProxy}
 * (which counts, holds, cuts and speaks TLS), inside a real session on the SQLite store ({@link SessionFixture}).
 * A subclass says which protocol.
 */
public abstract class InboundTransportContract {
    /** The wrong password of the bad-password test; it must never appear in a status row or the trace. */
    protected static final String WRONG_PASSWORD = "Wr0ng-Passw0rd-0815";

    @TempDir
    protected Path home;
    /** Where {@link #certs} are made, once per test class. */
    @TempDir
    static Path certDir;
    /**
     * Certificates made by keytool for this run ({@link TestCertificates}): neither the JDK's CA set (the JVM's
     * default trust, which no test changes) nor the {@link TestTls} certificate vouches for them.
     */
    protected static TestCertificates certs;
    protected MailPeer peer;
    protected final List<AutoCloseable> closeLast = new ArrayList<>();

    /** @return the service name, e.g. {@code "jmapi.pop3"} */
    protected abstract String serviceName();

    /** @return PR_PROVIDER_DISPLAY of the transport's status row */
    protected abstract String providerDisplay();

    /** @return the protocol the proxy relays */
    protected abstract MailProxy.Protocol protocol();

    /** @return GreenMail's plain port of the protocol */
    protected abstract int plainPort();

    /** @return the ConfigureMsgService values of an account */
    protected abstract List<PropValue> config(String host, int port, String security, String password,
                                              int pollSeconds);

    /** @return the command that fetches a message (RETR, FETCH) */
    protected abstract String fetchCommand();

    /** @return the command that deletes a message after the save (DELE, STORE) */
    protected abstract String deleteCommand();

    /** @return the number of times the transport looked at the server for new mail */
    protected abstract int serverChecks(MailProxy proxy);

    @BeforeAll
    static void makeCertificates() {
        certs = TestCertificates.create(certDir);
    }

    @BeforeEach
    void startPeer() {
        peer = new MailPeer();
    }

    @AfterEach
    void stopPeer() throws Exception {
        for (AutoCloseable c : closeLast) {
            c.close();
        }
        peer.close();
    }

    /** @return a proxy in front of GreenMail, closed after the test */
    protected MailProxy proxy(MailProxy.Mode mode) throws Exception {
        MailProxy p = new MailProxy(protocol(), mode, plainPort());
        closeLast.add(p);
        return p;
    }

    /** @return MAPI initialised with the transport configured against {@code proxy}, closed after the test */
    protected SessionFixture fixture(MailProxy proxy, String host, String security, String password, int poll) {
        SessionFixture f = SessionFixture.start(home, serviceName(), config(host, proxy.port(), security, password,
                poll));
        closeLast.add(0, f);
        return f;
    }

    protected SessionFixture plainFixture(MailProxy proxy, int poll) {
        return fixture(proxy, "127.0.0.1", "none", MailPeer.PASSWORD, poll);
    }

    /**
     * @return MAPI initialised with the transport against {@code proxy} (host localhost) whose account trusts the
     *         {@link TestTls} certificate through its trust store setting, written as a PEM file into {@link #home}
     */
    protected SessionFixture trustingFixture(MailProxy proxy, String security) {
        return fixture(proxy, security, PropValue.ofString(trustStoreTag(),
                TestTls.writeCertificatePem(home).toString()));
    }

    protected static int inboxCount(MsgStore store) {
        return SessionFixture.inboxSubjects(store).size();
    }

    protected static String string(Message m, int tag) {
        return m.getProp(tag).map(PropValue::asString).orElseThrow(() -> new AssertionError("no "
                + PropTags.name(tag)));
    }

    // ---- receiving --------------------------------------------------------------------------------------------

    @Test
    void R_RCV_2_waitingMessagesArriveWholeAndLeaveTheServer() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        peer.deliver(MailPeer.message("first", ""));
        peer.deliver(MailPeer.withAttachment("second"));
        peer.deliver(MailPeer.message("third", ""));
        SessionFixture f = plainFixture(proxy, 0);
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);

        SessionFixture.await(() -> inboxCount(store) == 3 && peer.waiting() == 0,
                () -> "3 messages in the Inbox, none at the server; Inbox " + SessionFixture.inboxSubjects(store)
                        + ", server " + peer.waiting());
        assertThat(SessionFixture.inboxSubjects(store))
                .containsExactlyInAnyOrder("Message first", "Message second", "Message third");

        try (Message m = SessionFixture.inboxMessage(store, "Message first")) {
            assertThat(string(m, PropTags.PR_BODY)).contains("Hello Bob, this is first.")
                    .contains("\n.A line that starts with a dot."); // POP3 dot-stuffing undone, IMAP literal intact
            assertThat(string(m, PropTags.PR_SENDER_EMAIL_ADDRESS)).isEqualTo("alice@example.org");
            assertThat(string(m, PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS)).isEqualTo("alice@example.org");
            assertThat(string(m, PropTags.PR_INTERNET_MESSAGE_ID)).isEqualTo("<first@example.org>");
            assertThat(string(m, PropTags.PR_TRANSPORT_MESSAGE_HEADERS))
                    .contains("Message-ID: <first@example.org>\r\n").contains("Subject: Message first\r\n");
            try (MapiTable recips = m.getRecipientTable(0)) {
                recips.setColumns(new int[] {PropTags.PR_EMAIL_ADDRESS, PropTags.PR_RECIPIENT_TYPE}, 0);
                List<String> seen = new ArrayList<>();
                for (Row r : recips.queryRows(100, 0)) {
                    seen.add(r.get(PropTags.PR_EMAIL_ADDRESS).asString() + "/" + r.get(PropTags.PR_RECIPIENT_TYPE)
                            .asInt());
                }
                assertThat(seen).containsExactlyInAnyOrder(MailPeer.ADDRESS + "/" + Flags.MAPI_TO,
                        "carol@example.org/" + Flags.MAPI_CC);
            }
        }
        try (Message m = SessionFixture.inboxMessage(store, "Message second")) {
            assertThat(string(m, PropTags.PR_BODY)).contains("The report is attached.");
            try (MapiTable atts = m.getAttachmentTable(0)) {
                atts.setColumns(new int[] {PropTags.PR_ATTACH_NUM, PropTags.PR_ATTACH_LONG_FILENAME}, 0);
                List<Row> rows = atts.queryRows(10, 0);
                assertThat(rows).hasSize(1);
                assertThat(rows.get(0).get(PropTags.PR_ATTACH_LONG_FILENAME).asString()).isEqualTo("report.bin");
                try (Attach a = m.openAttach(rows.get(0).get(PropTags.PR_ATTACH_NUM).asInt(), 0)) {
                    assertThat(a.getProp(PropTags.PR_ATTACH_DATA_BIN).orElseThrow().asBinary())
                            .isEqualTo(MailPeer.attachmentBytes());
                }
            }
        }
        assertThat(proxy.count(fetchCommand())).as("each message fetched once").isEqualTo(3);
        SessionFixture.end(session, store);
    }

    @Test
    void R_RCV_2_theStoreHoldsTheMessageBeforeTheServerIsToldToDeleteIt() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        peer.deliver(MailPeer.message("ordered", ""));
        proxy.holdAfter(deleteCommand(), 0); // the delete's answer waits
        SessionFixture f = plainFixture(proxy, 0);
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);
        assertThat(proxy.awaitHolding(SessionFixture.WAIT_SECONDS * 1000)).as("a delete in progress").isTrue();

        assertThat(SessionFixture.inboxSubjects(store)).as("saved before the delete").containsExactly("Message ordered");
        proxy.release();
        SessionFixture.await(() -> peer.waiting() == 0, () -> "the server copy deleted");
        SessionFixture.end(session, store);
    }

    @Test
    void R_RCV_3_newMailReachesAStoreAdviseSink() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        SessionFixture f = plainFixture(proxy, 0);
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);
        List<Notification.NewMail> seen = new CopyOnWriteArrayList<>();
        int connection = store.advise(null, Flags.fnevNewMail, list -> {
            list.stream().filter(n -> n instanceof Notification.NewMail).map(n -> (Notification.NewMail) n)
                    .forEach(seen::add);
            return 0;
        });
        peer.deliver(MailPeer.message("advised-1", ""));
        peer.deliver(MailPeer.message("advised-2", ""));

        SessionFixture.await(() -> seen.size() == 2, () -> "2 new-mail notifications, got " + seen);
        List<org.jmapi.EntryId> inbox = SessionFixture.inboxIds(store);
        assertThat(inbox).hasSize(2);
        for (Notification.NewMail n : seen) {
            assertThat(inbox.stream().anyMatch(id -> store.compareEntryIds(id, n.entryId(), 0))).isTrue();
            assertThat(n.messageClass()).isEqualTo("IPM.Note");
        }
        store.unadvise(connection);
        SessionFixture.end(session, store);
    }

    // ---- never lost, never twice ----------------------------------------------------------------------------

    @Test
    void R_MAIL_3_receiveCutOffByLogoffStaysAtTheServerAndArrivesOnceLater() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        peer.deliver(MailPeer.message("interrupted", ""));
        proxy.holdAfter(fetchCommand(), 4); // the reply starts, the message is not complete
        SessionFixture f = plainFixture(proxy, 0);
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);
        assertThat(proxy.awaitHolding(SessionFixture.WAIT_SECONDS * 1000)).as("a receive in progress").isTrue();
        long mark = f.mark();

        SessionFixture.end(session, store); // logoff while StartMessage waits for the rest of the message

        List<TraceEvent> starts = f.events(mark, e -> e.call().equals("IXPLogon::StartMessage")
                && e.phase() == TraceEvent.Phase.RETURN);
        assertThat(starts).extracting(TraceEvent::hresult).containsExactly(HResult.MAPI_E_USER_CANCEL);
        assertThat(f.events(mark, e -> e.call().equals("IMsgStore::NotifyNewMail"))).isEmpty();
        assertThat(peer.waiting()).as("still at the server").isEqualTo(1);
        MapiSession look = f.logonNoMail();
        MsgStore lookStore = SessionFixture.openStoreOnly(look);
        assertThat(inboxCount(lookStore)).as("nothing saved").isZero();
        SessionFixture.end(look, lookStore);

        int fetchesBefore = proxy.count(fetchCommand());
        MapiSession next = f.logon();
        MsgStore nextStore = f.openStore(next);
        SessionFixture.await(() -> inboxCount(nextStore) == 1 && peer.waiting() == 0,
                () -> "the message in the Inbox and gone from the server");
        long after = f.mark();
        SessionFixture.await(() -> f.returns(after, "IXPLogon::Poll") >= 5, () -> "more polls");
        assertThat(SessionFixture.inboxSubjects(nextStore)).containsExactly("Message interrupted");
        assertThat(proxy.count(fetchCommand()) - fetchesBefore).as("fetched exactly once").isEqualTo(1);
        SessionFixture.end(next, nextStore);
    }

    @Test
    void R_MAIL_3_connectionLostInTheMiddleOfAMessageSavesNothingAndItComesAgain() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        peer.deliver(MailPeer.withAttachment("cut"));
        proxy.holdAfter(fetchCommand(), 12); // the whole header and part of the body
        SessionFixture f = plainFixture(proxy, 0);
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);
        assertThat(proxy.awaitHolding(SessionFixture.WAIT_SECONDS * 1000)).as("a receive in progress").isTrue();
        long mark = f.mark();

        proxy.cutAll(); // not a cancel: the connection ends in the middle of the message

        TraceEvent failed = f.awaitEvent(mark, e -> e.call().equals("IXPLogon::StartMessage")
                && e.phase() == TraceEvent.Phase.RETURN);
        assertThat(failed.hresult()).isEqualTo(HResult.MAPI_E_NETWORK_ERROR);
        SessionFixture.await(() -> inboxCount(store) == 1 && peer.waiting() == 0, () -> "the message on a new try");
        long after = f.mark();
        SessionFixture.await(() -> f.returns(after, "IXPLogon::Poll") >= 3, () -> "more polls");
        assertThat(SessionFixture.inboxSubjects(store)).containsExactly("Message cut");
        try (Message m = SessionFixture.inboxMessage(store, "Message cut"); MapiTable atts = m.getAttachmentTable(0)) {
            atts.setColumns(new int[] {PropTags.PR_ATTACH_NUM}, 0);
            List<Row> rows = atts.queryRows(10, 0);
            assertThat(rows).hasSize(1);
            try (Attach a = m.openAttach(rows.get(0).get(PropTags.PR_ATTACH_NUM).asInt(), 0)) {
                assertThat(a.getProp(PropTags.PR_ATTACH_DATA_BIN).orElseThrow().asBinary())
                        .isEqualTo(MailPeer.attachmentBytes());
            }
        }
        SessionFixture.end(session, store);
    }

    @Test
    void R_MAIL_3_savedButNotDeletedAtTheServerIsNotStoredTwice() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        peer.deliver(MailPeer.message("once", ""));
        proxy.dropAt(deleteCommand()); // the connection dies between the save and the delete
        SessionFixture f = plainFixture(proxy, 0);
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);

        SessionFixture.await(() -> proxy.count(fetchCommand()) >= 2 && peer.waiting() == 0,
                () -> "a second fetch and the server copy deleted; fetches " + proxy.count(fetchCommand())
                        + ", server " + peer.waiting());
        long after = f.mark();
        SessionFixture.await(() -> f.returns(after, "IXPLogon::Poll") >= 3, () -> "more polls");
        assertThat(SessionFixture.inboxSubjects(store)).containsExactly("Message once");
        SessionFixture.end(session, store);
    }

    @Test
    void R_MAIL_3_sameMessageIdWithOtherHeadersIsNotADuplicate() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        peer.deliver(MailPeer.message("twice", ""));
        peer.deliver(MailPeer.message("twice", "Received: from relay.example.org by mx.example.org; "
                + "Tue, 3 Mar 2026 10:01:00 +0000\r\n"));
        SessionFixture f = plainFixture(proxy, 0);
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);

        SessionFixture.await(() -> inboxCount(store) == 2 && peer.waiting() == 0,
                () -> "both deliveries kept; Inbox " + SessionFixture.inboxSubjects(store));
        SessionFixture.end(session, store);
    }

    // ---- security and failures ------------------------------------------------------------------------------

    @Test
    void starttlsUpgradesBeforeTheLoginAndReceives() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.STARTTLS);
        peer.deliver(MailPeer.message("upgraded", ""));
        SessionFixture f = trustingFixture(proxy, "starttls");
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);

        SessionFixture.await(() -> inboxCount(store) == 1 && peer.waiting() == 0, () -> "the message received");
        List<String> lines = List.of(proxy.clientText().split("\n"));
        int upgrade = indexOfCommand(lines, protocol() == MailProxy.Protocol.POP3 ? "STLS" : "STARTTLS");
        int login = indexOfCommand(lines, protocol() == MailProxy.Protocol.POP3 ? "PASS" : "LOGIN");
        assertThat(upgrade).as("STARTTLS sent").isNotNegative();
        assertThat(login).as("password sent only after the upgrade").isGreaterThan(upgrade);
        SessionFixture.end(session, store);
    }

    private static int indexOfCommand(List<String> lines, String command) {
        for (int i = 0; i < lines.size(); i++) {
            for (String word : lines.get(i).split("\\s+")) {
                if (word.equalsIgnoreCase(command)) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Test
    void tlsFromTheFirstByteReceives() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.TLS);
        peer.deliver(MailPeer.message("implicit", ""));
        SessionFixture f = trustingFixture(proxy, "tls");
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);

        SessionFixture.await(() -> inboxCount(store) == 1 && peer.waiting() == 0, () -> "the message received");
        assertThat(SessionFixture.inboxSubjects(store)).containsExactly("Message implicit");
        SessionFixture.end(session, store);
    }

    @Test
    void starttlsNotOfferedMeansNoLoginAndAClearError() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        peer.deliver(MailPeer.message("kept", ""));
        SessionFixture f = trustingFixture(proxy, "starttls"); // a refusal for want of STARTTLS, not of trust
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);

        awaitFailure(session, "MAPI_E_NO_SUPPORT");
        assertThat(proxy.logins()).as("no password sent in clear").isZero();
        assertThat(proxy.clientText()).doesNotContain(MailPeer.PASSWORD);
        assertThat(peer.waiting()).isEqualTo(1);
        SessionFixture.end(session, store);
    }

    @Test
    void tlsWithAnUntrustedCertificateFailsWithoutSendingThePassword() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.TLS);
        peer.deliver(MailPeer.message("untrusted", ""));
        // no trust setting: the JVM's default trust, the JDK's CAs, which do not hold the test certificate
        SessionFixture f = fixture(proxy, "localhost", "tls", MailPeer.PASSWORD, 0);
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);
        assertThat(awaitFailure(session, "MAPI_E_NETWORK_ERROR")).as("refused by the JDK's trust").contains("PKIX");
        assertThat(proxy.logins()).isZero();
        assertThat(peer.waiting()).isEqualTo(1);
        SessionFixture.end(session, store);
    }

    // ---- per-account trust ------------------------------------------------------------------------------------
    //
    // The proxy here presents a certificate keytool made for this run (TestCertificates), which the JVM's default
    // trust (the JDK's CAs; no test changes it) never holds, nor does the TestTls certificate the TLS tests above
    // trust per account. So mail arrives only through the configured pin or trust store (with them ignored, the
    // handshake fails), and a refused pin is recognised by the pin's own message, not by a refusal the default
    // trust would give anyway.

    /** @return the protocol's trust store tag */
    protected abstract int trustStoreTag();

    /** @return the protocol's trust store password tag */
    protected abstract int trustStorePasswordTag();

    /** @return the protocol's pinned certificate fingerprint tag */
    protected abstract int certFingerprintTag();

    /** @return a proxy presenting the certificate of {@link #certs}, closed after the test */
    protected MailProxy privateProxy(MailProxy.Mode mode) throws Exception {
        MailProxy p = new MailProxy(protocol(), mode, plainPort(), certs.serverContext());
        closeLast.add(p);
        return p;
    }

    /** @return MAPI initialised with the transport against {@code proxy} plus {@code more} settings */
    protected SessionFixture fixture(MailProxy proxy, String security, PropValue... more) {
        List<PropValue> config = new ArrayList<>(config("localhost", proxy.port(), security, MailPeer.PASSWORD, 0));
        config.addAll(List.of(more));
        SessionFixture f = SessionFixture.start(home, serviceName(), config);
        closeLast.add(0, f);
        return f;
    }

    @Test
    void aPinnedFingerprintTrustsAPrivateCertificateOverImplicitTls() throws Exception {
        MailProxy proxy = privateProxy(MailProxy.Mode.TLS);
        peer.deliver(MailPeer.message("pinned", ""));
        SessionFixture f = fixture(proxy, "tls", PropValue.ofString(certFingerprintTag(),
                TestCertificates.fingerprint(certs.serverPem)));
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);

        SessionFixture.await(() -> inboxCount(store) == 1 && peer.waiting() == 0, () -> "the message received; status "
                + SessionFixture.statusRow(session, providerDisplay()).map(Row::toString).orElse("none"));
        assertThat(SessionFixture.inboxSubjects(store)).containsExactly("Message pinned");
        SessionFixture.end(session, store);
    }

    @Test
    void aWrongPinIsRefusedOverStarttlsBeforeTheLoginAndTheMailStaysAtTheServer() throws Exception {
        MailProxy proxy = privateProxy(MailProxy.Mode.STARTTLS);
        peer.deliver(MailPeer.message("kept", ""));
        SessionFixture f = fixture(proxy, "starttls", PropValue.ofString(certFingerprintTag(),
                TestCertificates.fingerprint(certs.otherPem)));
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);

        String status = awaitFailure(session, "MAPI_E_NETWORK_ERROR");
        assertThat(status).contains("is not the pinned one")
                .contains(TestCertificates.fingerprint(certs.serverPem)); // the certificate the server showed
        assertThat(proxy.count(protocol() == MailProxy.Protocol.POP3 ? "STLS" : "STARTTLS")).isPositive();
        assertThat(proxy.logins()).as("no login over a refused TLS").isZero();
        assertThat(peer.waiting()).isEqualTo(1);
        assertThat(inboxCount(store)).isZero();
        SessionFixture.end(session, store);
    }

    @Test
    void aTrustStoreFileWithThePrivateCertificateReceivesOverStarttls() throws Exception {
        MailProxy proxy = privateProxy(MailProxy.Mode.STARTTLS);
        peer.deliver(MailPeer.message("stored", ""));
        Path pem = home.resolve("server-cert.pem");
        Files.copy(certs.serverPem, pem);
        SessionFixture f = fixture(proxy, "starttls", PropValue.ofString(trustStoreTag(), pem.toString()));
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);

        SessionFixture.await(() -> inboxCount(store) == 1 && peer.waiting() == 0, () -> "the message received; status "
                + SessionFixture.statusRow(session, providerDisplay()).map(Row::toString).orElse("none"));
        assertThat(SessionFixture.inboxSubjects(store)).containsExactly("Message stored");
        assertThat(proxy.count(protocol() == MailProxy.Protocol.POP3 ? "STLS" : "STARTTLS")).isPositive();
        SessionFixture.end(session, store);
    }

    @Test
    void aPasswordProtectedKeyStoreTrustsOverImplicitTlsButNotAnUnrelatedCertificate() throws Exception {
        MailProxy proxy = privateProxy(MailProxy.Mode.TLS);
        peer.deliver(MailPeer.message("keystore", ""));
        SessionFixture f = fixture(proxy, "tls", PropValue.ofString(trustStoreTag(), certs.otherPem.toString()));
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);
        String status = awaitFailure(session, "MAPI_E_NETWORK_ERROR");
        assertThat(status).as("PKIX refuses a certificate the trust store does not hold").contains("Handshake");
        assertThat(proxy.logins()).isZero();
        assertThat(peer.waiting()).isEqualTo(1);

        // R-VS-1: the right key store, ValidateState re-reads it, the message arrives in the same session
        f.reconfigure(List.of(PropValue.ofString(trustStoreTag(), certs.trustStore.toString()),
                PropValue.ofString(trustStorePasswordTag(), TestCertificates.PASSWORD)));
        try (MapiStatus st = (MapiStatus) session.openEntry(org.jmapi.EntryId.of(SessionFixture.statusRow(session,
                providerDisplay()).orElseThrow().get(PropTags.PR_ENTRYID).asBinary()), 0)) {
            st.validateState(0, 0);
        }
        SessionFixture.await(() -> inboxCount(store) == 1 && peer.waiting() == 0, () -> "the message received");
        assertThat(f.traceText()).doesNotContain(TestCertificates.PASSWORD);
        SessionFixture.end(session, store);
    }

    @Test
    void R_LOGON_2_invalidTrustSettingsAreUnconfiguredAndNameTheProperty() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        Path garbage = home.resolve("not-a-certificate.pem");
        Files.writeString(garbage, "this is neither a certificate nor a key store\n", StandardCharsets.UTF_8);
        String fp = PropTag.toString(certFingerprintTag());
        String ts = PropTag.toString(trustStoreTag());
        String pw = PropTag.toString(trustStorePasswordTag());
        assertUnconfigured(proxy, "none", List.of(PropValue.ofString(certFingerprintTag(), "AB:CD:EF")),
                "not a SHA-256 fingerprint", fp);
        assertUnconfigured(proxy, "tls", List.of(PropValue.ofString(certFingerprintTag(), "zz".repeat(32))),
                "not a SHA-256 fingerprint", fp);
        assertUnconfigured(proxy, "starttls", List.of(PropValue.ofString(trustStoreTag(),
                home.resolve("missing.pem").toString())), "is not a readable file", ts);
        assertUnconfigured(proxy, "tls", List.of(PropValue.ofString(trustStoreTag(), garbage.toString())),
                "is neither certificates (PEM or DER) nor a key store", ts);
        assertUnconfigured(proxy, "tls", List.of(PropValue.ofString(trustStoreTag(), certs.trustStore.toString()),
                PropValue.ofString(trustStorePasswordTag(), "wrong password")), "neither certificates", pw);
    }

    private void assertUnconfigured(MailProxy proxy, String security, List<PropValue> trust, String why, String tag)
            throws Exception {
        Path dir = Files.createTempDirectory(home, "unconfigured");
        List<PropValue> config = new ArrayList<>(config("localhost", proxy.port(), security, MailPeer.PASSWORD, 0));
        config.addAll(trust);
        try {
            assertThatThrownBy(() -> SessionFixture.start(dir, serviceName(), config).close())
                    .as(security + " " + trust)
                    .isInstanceOfSatisfying(MapiException.class, e -> {
                        assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_UNCONFIGURED);
                        assertThat(e.getMessage()).contains(why).contains(tag).doesNotContain(MailPeer.PASSWORD)
                                .doesNotContain("wrong password");
                    });
        } finally {
            while (org.jmapi.runtime.Mapi.initCount() > 0) {
                org.jmapi.runtime.Mapi.uninitialize();
            }
        }
    }

    /** Waits until the transport's status row shows STATUS_FAILURE with {@code code}; @return the status string */
    protected String awaitFailure(MapiSession session, String code) {
        String[] text = {""};
        SessionFixture.await(() -> SessionFixture.statusRow(session, providerDisplay()).map(r -> {
            text[0] = r.find(PropTags.PR_STATUS_STRING).map(PropValue::asString).orElse("");
            return (r.get(PropTags.PR_STATUS_CODE).asInt() & Flags.STATUS_FAILURE) != 0 && text[0].startsWith(code);
        }).orElse(false), () -> "STATUS_FAILURE with " + code + " in the status row; it says '" + text[0] + "'");
        return text[0];
    }

    @Test
    void badPasswordIsAClearLogonFailureWithoutThePasswordAndLosesNothing() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        peer.deliver(MailPeer.message("patient", ""));
        SessionFixture f = fixture(proxy, "127.0.0.1", "none", WRONG_PASSWORD, 0);
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);

        String status = awaitFailure(session, "MAPI_E_LOGON_FAILED");
        assertThat(status).contains(MailPeer.USER).contains("127.0.0.1:" + proxy.port());
        f.awaitEvent(0, e -> e.call().equals("IXPLogon::Poll") && e.phase() == TraceEvent.Phase.RETURN
                && e.hresult() == HResult.MAPI_E_LOGON_FAILED);
        assertThat(status).doesNotContain(WRONG_PASSWORD);
        assertThat(f.traceText()).doesNotContain(WRONG_PASSWORD);
        assertThat(peer.waiting()).isEqualTo(1);
        assertThat(inboxCount(store)).isZero();

        // R-VS-1: fix the password, ValidateState re-reads it, the message arrives in the same session
        f.reconfigure(List.of(PropValue.ofString(passwordTag(), MailPeer.PASSWORD)));
        try (MapiStatus st = (MapiStatus) session.openEntry(org.jmapi.EntryId.of(SessionFixture.statusRow(session,
                providerDisplay()).orElseThrow().get(PropTags.PR_ENTRYID).asBinary()), 0)) {
            st.validateState(0, 0);
        }
        SessionFixture.await(() -> inboxCount(store) == 1 && peer.waiting() == 0, () -> "the message received");
        Row row = SessionFixture.statusRow(session, providerDisplay()).orElseThrow();
        assertThat(row.get(PropTags.PR_STATUS_CODE).asInt() & Flags.STATUS_FAILURE).isZero();
        assertThat(row.get(PropTags.PR_STATUS_STRING).asString()).doesNotContain(MailPeer.PASSWORD)
                .doesNotContain(WRONG_PASSWORD);
        assertThat(f.traceText()).doesNotContain(MailPeer.PASSWORD);
        SessionFixture.end(session, store);
    }

    /** @return the protocol's password tag */
    protected abstract int passwordTag();

    // ---- polling ----------------------------------------------------------------------------------------------

    @Test
    void R_XP_2_longPollIntervalMeansOneServerCheck() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        SessionFixture f = plainFixture(proxy, 3600);
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);
        long mark = f.mark();
        SessionFixture.await(() -> f.returns(mark, "IXPLogon::Poll") >= 3, () -> "three polls");
        peer.deliver(MailPeer.message("later", ""));
        long more = f.mark();
        SessionFixture.await(() -> f.returns(more, "IXPLogon::Poll") >= 10, () -> "ten more polls");

        assertThat(serverChecks(proxy)).as("server checks within the hour").isEqualTo(1);
        assertThat(proxy.logins()).isEqualTo(1);
        assertThat(inboxCount(store)).as("not looked for yet").isZero();
        SessionFixture.end(session, store);
    }

    @Test
    void R_XP_2_zeroPollIntervalChecksAtEverySpoolerPoll() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        SessionFixture f = plainFixture(proxy, 0);
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);
        long mark = f.mark();
        SessionFixture.await(() -> f.returns(mark, "IXPLogon::Poll") >= 5, () -> "five polls");

        assertThat(serverChecks(proxy)).isGreaterThanOrEqualTo(4);
        SessionFixture.end(session, store);
    }

    // ---- configuration ----------------------------------------------------------------------------------------

    @Test
    void R_LOGON_2_aConfigurationWithoutHostIsRefusedAndNamesTheProperty() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        List<PropValue> config = new ArrayList<>(config("127.0.0.1", proxy.port(), "none", MailPeer.PASSWORD, 0));
        config.removeIf(v -> v.id() == (hostTag() >>> 16));
        assertThatThrownBy(() -> SessionFixture.start(home, serviceName(), config).close())
                .isInstanceOfSatisfying(MapiException.class, e -> {
                    assertThat(e.hresult()).isEqualTo(HResult.MAPI_E_UNCONFIGURED);
                    assertThat(e.getMessage()).contains("host").doesNotContain(MailPeer.PASSWORD);
                });
        while (org.jmapi.runtime.Mapi.initCount() > 0) {
            org.jmapi.runtime.Mapi.uninitialize();
        }
    }

    /** @return the protocol's host tag */
    protected abstract int hostTag();
}
