package org.jmapi.transport.imap;

import org.jmapi.Flags;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.transport.ServerProps;
import org.jmapi.transport.inbound.InboundTransportContract;
import org.jmapi.transport.inbound.MailPeer;
import org.jmapi.transport.inbound.MailProxy;
import org.jmapi.transport.inbound.SessionFixture;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The IMAP transport ({@code jmapi.imap}) against GreenMail's IMAP server: see {@link InboundTransportContract}. */
class ImapTransportTest extends InboundTransportContract {
    @Override
    protected String serviceName() {
        return ImapService.NAME;
    }

    @Override
    protected String providerDisplay() {
        return ImapService.DISPLAY_NAME;
    }

    @Override
    protected MailProxy.Protocol protocol() {
        return MailProxy.Protocol.IMAP;
    }

    @Override
    protected int plainPort() {
        return peer.imapPort();
    }

    @Override
    protected List<PropValue> config(String host, int port, String security, String password, int pollSeconds) {
        return List.of(PropValue.ofString(ServerProps.PR_IMAP_HOST, host),
                PropValue.ofInt(ServerProps.PR_IMAP_PORT, port),
                PropValue.ofString(ServerProps.PR_IMAP_SECURITY, security),
                PropValue.ofString(ServerProps.PR_IMAP_USER, MailPeer.USER),
                PropValue.ofString(ServerProps.PR_IMAP_PASSWORD, password),
                PropValue.ofInt(ServerProps.PR_POLL_SECONDS, pollSeconds));
    }

    @Override
    protected String fetchCommand() {
        return "FETCH";
    }

    @Override
    protected String deleteCommand() {
        return "STORE";
    }

    /** IMAP keeps its connection: a check is a UID SEARCH. */
    @Override
    protected int serverChecks(MailProxy proxy) {
        return proxy.count("SEARCH");
    }

    @Override
    protected int passwordTag() {
        return ServerProps.PR_IMAP_PASSWORD;
    }

    @Override
    protected int hostTag() {
        return ServerProps.PR_IMAP_HOST;
    }

    @Test
    void R_XP_2_theConnectionIsKeptBetweenPollsAndReplacedWhenDropped() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        SessionFixture f = plainFixture(proxy, 0);
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);
        long mark = f.mark();
        SessionFixture.await(() -> f.returns(mark, "IXPLogon::Poll") >= 5, () -> "five polls");
        assertThat(proxy.logins()).as("one connection for many checks").isEqualTo(1);
        assertThat(proxy.count("SEARCH")).isGreaterThanOrEqualTo(4);

        proxy.dropAt("NOOP"); // the server dropped the idle connection: the next command finds out
        int before = proxy.count("SEARCH");
        SessionFixture.await(() -> proxy.count("SEARCH") >= before + 3, () -> "checks after the drop");
        assertThat(proxy.logins()).as("one new connection").isEqualTo(2);
        int code = SessionFixture.statusRow(session, providerDisplay()).orElseThrow()
                .get(PropTags.PR_STATUS_CODE).asInt();
        assertThat(code & Flags.STATUS_FAILURE).as("a dropped idle connection is no failure").isZero();

        peer.deliver(MailPeer.message("after-drop", ""));
        SessionFixture.await(() -> inboxCount(store) == 1 && peer.waiting() == 0, () -> "the message received");
        SessionFixture.end(session, store);
    }

    @Test
    void fetchingWithPeekLeavesAnUnsavedMessageUnseen() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        peer.deliver(MailPeer.message("unseen", ""));
        proxy.holdAfter("FETCH", 3);
        SessionFixture f = plainFixture(proxy, 0);
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);
        assertThat(proxy.awaitHolding(SessionFixture.WAIT_SECONDS * 1000)).isTrue();
        SessionFixture.end(session, store);

        assertThat(peer.waiting()).isEqualTo(1);
        assertThat(peer.unseen()).as("BODY.PEEK[] does not set \\Seen").isEqualTo(1);
        assertThat(proxy.clientText()).contains("BODY.PEEK[]");
    }

    @Test
    void withoutUidplusTheFolderIsExpunged() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        proxy.hide("UIDPLUS");
        peer.deliver(MailPeer.message("no-uidplus", ""));
        SessionFixture f = plainFixture(proxy, 0);
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);

        SessionFixture.await(() -> inboxCount(store) == 1 && peer.waiting() == 0, () -> "the message received");
        assertThat(proxy.clientText()).contains(" EXPUNGE").doesNotContain("UID EXPUNGE");
        SessionFixture.end(session, store);
    }

    @Test
    void theConfiguredFolderIsTheOneEmptied() throws Exception {
        MailProxy proxy = proxy(MailProxy.Mode.PLAIN);
        peer.deliver(MailPeer.message("stays-in-inbox", ""));
        peer.deliverTo("Incoming", MailPeer.message("from-incoming", ""));
        List<PropValue> config = new java.util.ArrayList<>(config("127.0.0.1", proxy.port(), "none",
                MailPeer.PASSWORD, 0));
        config.add(PropValue.ofString(ServerProps.PR_IMAP_FOLDER, "Incoming"));
        SessionFixture f = SessionFixture.start(home, serviceName(), config);
        closeLast.add(0, f);
        MapiSession session = f.logon();
        MsgStore store = f.openStore(session);

        SessionFixture.await(() -> inboxCount(store) == 1 && peer.waitingIn("Incoming") == 0,
                () -> "the Incoming message received");
        assertThat(SessionFixture.inboxSubjects(store)).containsExactly("Message from-incoming");
        assertThat(peer.waiting()).as("INBOX untouched").isEqualTo(1);
        SessionFixture.end(session, store);
    }

    @Test
    void folderNamesAreSentInModifiedUtf7() {
        assertThat(ImapClient.mutf7("INBOX")).isEqualTo("INBOX");
        assertThat(ImapClient.mutf7("Tom & Jerry")).isEqualTo("Tom &- Jerry");
        assertThat(ImapClient.mutf7("B\u00fcro")).isEqualTo("B&APw-ro");
        // RFC 3501 section 5.1.3's example
        assertThat(ImapClient.mutf7("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e"))
                .isEqualTo("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        assertThat(ImapClient.astring("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    @Override
    protected int trustStoreTag() {
        return ImapService.PR_IMAP_TRUST_STORE;
    }

    @Override
    protected int trustStorePasswordTag() {
        return ImapService.PR_IMAP_TRUST_STORE_PASSWORD;
    }

    @Override
    protected int certFingerprintTag() {
        return ImapService.PR_IMAP_CERT_FINGERPRINT;
    }
}
