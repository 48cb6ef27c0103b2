package org.jmapi.transport.pop3;

import org.jmapi.client.Message;
import org.jmapi.spi.MapiSupport;
import org.jmapi.transport.inbound.BaseInboundLogon;
import org.jmapi.transport.inbound.InboundSettings;
import org.jmapi.transport.inbound.MailServerException;
import org.jmapi.transport.inbound.MessageStream;

import java.io.IOException;
import java.util.List;

/**
 * One logon of the POP3 transport: receives the maildrop's messages, oldest first, and deletes each at the server
 * after the store saved it. What is common to POP3 and IMAP (polling interval, status row, cancel, duplicate check,
 * the save-then-delete order) is {@link BaseInboundLogon}; this class is the POP3 session around it.
 *
 * <p><b>Sessions.</b> A check (Poll, at most every PR_POLL_SECONDS) ends the previous session with QUIT, opens a new
 * one (greeting, STLS for starttls, USER/PASS) and lists the maildrop with UIDL; Poll answers the number of
 * unique-ids listed. With nothing waiting the session ends with QUIT at once (the server locks the maildrop while a
 * session is open). Otherwise it stays open for the StartMessage calls that follow: each RETRs the lowest-numbered
 * message left, converts it, lets the store save it, and only then sends DELE; the DELE of the last message listed is
 * followed by QUIT. A StartMessage that finds the session gone (a cut connection, a cancel) opens a new one and lists
 * again.
 *
 * <p><b>When deletions happen, and what a crash means.</b> POP3 removes messages marked with DELE only when the
 * session ends with QUIT (RFC 1939 UPDATE state); a session that ends any other way removes nothing. So a message
 * whose save returned but whose session did not reach QUIT &mdash; the process was killed, the connection dropped,
 * the transport was logged off in the middle of the next message (which closes the connection) &mdash; is still in
 * the maildrop and is fetched again by the next session: at least once, never lost (R-MAIL-3). The second copy is an
 * exact duplicate (same Message-ID and header block) of the one in the receive folder, so it is not saved again;
 * its server copy is deleted ({@link org.jmapi.transport.inbound.DuplicateCheck}). A message interrupted before its
 * save is simply not in the store and is fetched again.
 *
 * <p><b>Threads:</b> see {@link BaseInboundLogon}: the session is used under the logon's connection lock.
 */
final class Pop3Logon extends BaseInboundLogon<Pop3Client.Entry> {
    private Pop3Client client;
    /** The messages of the current (or last) listing not yet fetched, lowest number first; replaced, never changed. */
    private volatile List<Pop3Client.Entry> waiting = List.of();

    Pop3Logon(MapiSupport support, int flags, InboundSettings settings) {
        super(support, Pop3Service.DISPLAY_NAME, flags, settings);
    }

    @Override
    protected int check(InboundSettings s) throws IOException {
        if (client != null) {
            hangUp(true); // commits the last session's deletions and lets the next listing see new mail
        }
        openSession(s);
        if (waiting.isEmpty()) {
            hangUp(true);
        }
        return waiting.size();
    }

    private void openSession(InboundSettings s) throws IOException {
        Pop3Client c = new Pop3Client(connect(s), s);
        client = c;
        c.open();
        waiting = List.copyOf(c.uidl());
    }

    @Override
    protected int known() {
        return waiting.size();
    }

    @Override
    protected Pop3Client.Entry fetch(InboundSettings s, Message target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            boolean fresh = client == null;
            if (fresh) {
                openSession(s);
            }
            List<Pop3Client.Entry> now = waiting;
            if (now.isEmpty()) {
                hangUp(true);
                return null;
            }
            Pop3Client.Entry next = now.get(0);
            MessageStream data;
            try {
                data = client.retr(next.number());
            } catch (IOException e) {
                if (fresh || attempt > 0 || e instanceof MailServerException) {
                    throw e;
                }
                hangUp(false); // a session that went stale between polls: one new session, nothing was written yet
                continue;
            }
            convert(data, target);
            return next;
        }
    }

    @Override
    protected void delete(Pop3Client.Entry fetched) throws IOException {
        client.dele(fetched.number());
        waiting = waiting.stream().filter(e -> e.number() != fetched.number()).toList();
        if (waiting.isEmpty()) {
            Pop3Client c = client;
            client = null;
            try {
                c.quit(); // the deletions happen now
            } finally {
                detach();
            }
        }
    }

    @Override
    protected void hangUp(boolean graceful) {
        Pop3Client c = client;
        client = null;
        if (c != null && graceful && connection() != null && !connection().isClosed()) {
            try {
                c.quit();
            } catch (IOException e) {
                // The deletions of this session may not have happened: those messages come again (duplicates).
            }
        }
        detach();
        if (!graceful) {
            waiting = List.of(); // something went wrong: the next check lists again, at its time
        }
    }

    @Override
    protected String describe() {
        return "POP3 transport logon (" + settings().user() + "@" + settings().where() + ")";
    }
}
