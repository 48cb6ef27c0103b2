package org.jmapi.transport.imap;

import org.jmapi.client.Message;
import org.jmapi.spi.MapiSupport;
import org.jmapi.transport.inbound.BaseInboundLogon;
import org.jmapi.transport.inbound.InboundSettings;
import org.jmapi.transport.inbound.MailServerException;

import java.io.IOException;
import java.util.List;

/**
 * One logon of the IMAP transport: receives the messages of one folder (PR_IMAP_FOLDER, default INBOX), oldest UID
 * first, and removes each at the server after the store saved it. What is common to POP3 and IMAP (polling
 * interval, status row, cancel, duplicate check, the save-then-delete order) is {@link BaseInboundLogon}; this class
 * is the IMAP connection around it.
 *
 * <p><b>The connection is kept</b> between polls: the first check connects (greeting, STARTTLS for starttls,
 * LOGIN, SELECT); every check (at most every PR_IMAP_POLL_SECONDS, else PR_POLL_SECONDS, default 60) runs
 * {@code NOOP} (so the server announces new mail) and {@code UID SEARCH UNDELETED} on it, and Poll answers the number
 * of UIDs found. A connection the server dropped
 * meanwhile is noticed by the next command and replaced by a new one, once, before anything of a message was read.
 *
 * <p><b>Receiving</b>: StartMessage fetches the lowest UID left with {@code UID FETCH uid (UID BODY.PEEK[])} (PEEK:
 * the \Seen flag stays as it was, so a message that is not saved looks untouched), converts the literal as it
 * arrives, lets the store save the message, and only then sends {@code UID STORE uid +FLAGS.SILENT (\Deleted)} and
 * {@code UID EXPUNGE uid} (UIDPLUS) or {@code EXPUNGE}. A message that vanished between the search and the fetch
 * (another client expunged it) is skipped. A crash or a cut connection after the save but before the STORE leaves the
 * message at the server, where the next check finds it again; it is then an exact duplicate of the saved one and is
 * only deleted ({@link org.jmapi.transport.inbound.DuplicateCheck}). After the STORE but before the expunge, the
 * message is flagged \Deleted and the search no longer finds it.
 *
 * <p><b>Threads:</b> see {@link BaseInboundLogon}: the connection is used under the logon's connection lock.
 */
final class ImapLogon extends BaseInboundLogon<Long> {
    private ImapClient client;
    /** UIDs the last search found and not yet fetched, ascending; replaced, never changed. */
    private volatile List<Long> waiting = List.of();

    ImapLogon(MapiSupport support, int flags, InboundSettings settings) {
        super(support, ImapService.DISPLAY_NAME, flags, settings);
    }

    private void openSession(InboundSettings s) throws IOException {
        ImapClient c = new ImapClient(connect(s), s);
        client = c;
        c.open();
    }

    @Override
    protected int check(InboundSettings s) throws IOException {
        boolean fresh = client == null;
        if (fresh) {
            openSession(s);
        }
        try {
            if (!fresh) {
                client.noop(); // new mail is announced, a dropped connection noticed
            }
            waiting = List.copyOf(client.searchUndeleted());
        } catch (IOException e) {
            if (fresh || e instanceof MailServerException) {
                throw e;
            }
            hangUp(false); // dropped while idle: one new connection
            openSession(s);
            waiting = List.copyOf(client.searchUndeleted());
        }
        return waiting.size();
    }

    @Override
    protected int known() {
        return waiting.size();
    }

    @Override
    protected Long fetch(InboundSettings s, Message target) throws IOException {
        boolean retried = false;
        while (true) {
            boolean fresh = client == null;
            if (fresh) {
                openSession(s);
                waiting = List.copyOf(client.searchUndeleted());
            }
            List<Long> now = waiting;
            if (now.isEmpty()) {
                return null;
            }
            long uid = now.get(0);
            boolean[] started = {false};
            boolean found;
            try {
                found = client.fetch(uid, data -> {
                    started[0] = true;
                    convert(data, target);
                });
            } catch (IOException e) {
                if (started[0] || fresh || retried || e instanceof MailServerException) {
                    throw e;
                }
                retried = true;
                hangUp(false); // dropped while idle: one new connection, nothing was written yet
                continue;
            }
            if (found) {
                return uid;
            }
            waiting = now.subList(1, now.size()); // gone meanwhile: the next one
        }
    }

    @Override
    protected void delete(Long fetched) throws IOException {
        client.delete(fetched);
        waiting = waiting.stream().filter(u -> !u.equals(fetched)).toList();
    }

    @Override
    protected void hangUp(boolean graceful) {
        ImapClient c = client;
        client = null;
        if (c != null && graceful && connection() != null && !connection().isClosed()) {
            try {
                c.logout();
            } catch (IOException e) {
                // Leaving anyway.
            }
        }
        detach();
        if (!graceful) {
            waiting = List.of(); // something went wrong: the next check searches again, at its time
        }
    }

    @Override
    protected String describe() {
        return "IMAP transport logon (" + settings().user() + "@" + settings().where() + " " + settings().folder()
                + ")";
    }
}
