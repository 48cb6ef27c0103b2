package org.jmapi.transport.inbound;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.Message;
import org.jmapi.mime.MimeReader;
import org.jmapi.spi.AddressTypes;
import org.jmapi.spi.BaseXpLogon;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MessageRef;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The part of a receive-only mail-server transport logon (POP3, IMAP) that does not depend on the protocol: the
 * inbound contract of spec &sect;10.4 around a protocol's connect / list / fetch / delete, written once.
 *
 * <p><b>Receive only</b> (R-XP-3): AddressTypes answers a single empty string (no address-type dispatch) and no
 * MAPIUID; SubmitMessage throws MAPI_E_NOT_ME. The provider returns LOGON_SP_POLL, so the spooler calls Poll.
 *
 * <p><b>Poll</b> (R-XP-2, R-RCV-1) talks to the server at most once every {@link InboundSettings#pollSeconds()}
 * seconds (PR_POLL_SECONDS, default 60; 0 = at every spooler poll): {@link #check} lists the messages waiting and
 * Poll answers how many there are. Between two checks it answers from that list without any network traffic
 * ({@link #known}). A failed check is retried after the same interval, never in a tight loop.
 *
 * <p><b>StartMessage</b> (R-RCV-2): {@link #fetch} writes the oldest waiting message into the spooler's message
 * with {@link org.jmapi.mime.MimeReader}; then the message is saved with {@code saveChanges}, and <em>only
 * then</em> {@link #delete} removes it at the server. Nothing after the save throws: the message is in the store,
 * and a delete that fails only means the message is fetched again later, where the duplicate check drops it.
 * When nothing is left StartMessage returns without saving ("no message").
 *
 * <p><b>Duplicates.</b> Before saving, {@link DuplicateCheck} looks for an exact duplicate (same Message-ID and same
 * header block) in the receive folder; if there is one the message is not saved, the server's copy is deleted, and,
 * when more mail is waiting, the spooler is told with SpoolerNotify(NOTIFY_NEWMAIL) so that it calls StartMessage
 * again at once (returning without a message ends the spooler's receive pass).
 *
 * <p><b>Cancel and logoff</b> (R-TN-1, R-LOFF-3, R-MAIL-3): NOTIFY_CANCEL_MESSAGE for the message being received
 * and TransportLogoff close the connection from the notifying thread, so a fetch blocked on the network fails at
 * once; StartMessage then throws MAPI_E_USER_CANCEL, nothing is saved, and the message is still at the server (it
 * is deleted only after a save) and is fetched by a later poll or session. A logoff while nothing is being received
 * says goodbye properly ({@link #hangUp}{@code (true)}: POP3 QUIT, which commits deletions; IMAP LOGOUT).
 *
 * <p><b>Status row</b> (R-XP-4): PR_STATUS_STRING says what the last server contact did ("3 message(s) waiting at
 * host:port"). A failure sets STATUS_FAILURE in PR_STATUS_CODE and writes the MAPI error's name and the reason into
 * PR_STATUS_STRING, e.g. {@code "MAPI_E_LOGON_FAILED: POP3 server mail.example.com:995 refused user bob: -ERR
 * invalid password"}; Poll / StartMessage throw a {@link MapiException} with that code and text. The next
 * successful contact clears STATUS_FAILURE. The password never appears: it is not put into any text, and server
 * replies are {@linkplain InboundSettings#scrub scrubbed}. Codes: MAPI_E_LOGON_FAILED (user or password refused),
 * MAPI_E_NETWORK_ERROR (no connection, TLS failure, broken connection, protocol error), MAPI_E_NO_SUPPORT (a needed
 * capability is missing: STARTTLS, UIDL), MAPI_E_NOT_FOUND (no such IMAP folder).
 *
 * <p><b>ValidateState</b> (R-VS-1) re-reads the configuration from the profile and makes the next Poll reconnect
 * with it.
 *
 * <p><b>Threads:</b> Poll and StartMessage come from the spooler's mail thread; every conversation with the server
 * holds one lock. TransportNotify (cancel), ValidateState and TransportLogoff may come from other threads; they never
 * wait for that lock longer than a logoff's goodbye allows.
 *
 * @param <F> the protocol's handle for a fetched message (a POP3 message number and UIDL, an IMAP UID)
 */
public abstract class BaseInboundLogon<F> extends BaseXpLogon {
    /** TCP connect timeout. */
    protected static final int CONNECT_TIMEOUT_MS = 30_000;
    /** The longest wait for one read from the server while working. */
    protected static final int READ_TIMEOUT_MS = 120_000;
    /** The longest wait for the server's answer to a goodbye at logoff. */
    protected static final int GOODBYE_TIMEOUT_MS = 5_000;

    private static final AtomicInteger REFS = new AtomicInteger();

    private final ReentrantLock io = new ReentrantLock();
    private final InboundSettings.Tags tags;
    private volatile InboundSettings settings;
    private volatile boolean reconfigure;
    private volatile boolean busy;
    private volatile int receiving;
    private volatile MailConnection connection;
    private boolean checked;
    private long nextCheck;

    /**
     * AddRefs {@code support} and adds the status row (through {@link BaseXpLogon}).
     *
     * @param support         the logon's support object
     * @param providerDisplay PR_PROVIDER_DISPLAY, e.g. "jmapi POP3 Transport"
     * @param logonFlags      the TransportLogon flags
     * @param settings        the configuration read by the provider
     */
    protected BaseInboundLogon(MapiSupport support, String providerDisplay, int logonFlags, InboundSettings settings) {
        super(support, settings.tags().protocol() + " (" + settings.user() + " on " + settings.host() + ")",
                providerDisplay, logonFlags);
        this.tags = settings.tags();
        this.settings = settings;
    }

    // ---- what a protocol implements; all but known() are called with the connection lock held -------------

    /**
     * Contacts the server (connecting and logging in when there is no live connection) and lists the messages
     * waiting.
     *
     * @param s the configuration
     * @return how many messages are waiting
     * @throws IOException the server could not be reached or refused (a {@link MailServerException})
     */
    protected abstract int check(InboundSettings s) throws IOException;

    /** @return how many messages the last {@link #check} found that were not yet fetched; no network traffic */
    protected abstract int known();

    /**
     * Writes the oldest waiting message into {@code target}, connecting first when needed.
     *
     * @param s      the configuration
     * @param target the spooler's new message; not saved here
     * @return the handle for {@link #delete}, or null when no message is waiting (target untouched)
     * @throws IOException the connection failed or was closed (cancel, logoff) before the message was complete
     */
    protected abstract F fetch(InboundSettings s, Message target) throws IOException;

    /**
     * Removes a fetched message at the server; called only after the store saved it (or holds an exact duplicate).
     *
     * @param fetched what {@link #fetch} returned
     * @throws IOException the server could not be told; the message stays there and is fetched again later
     */
    protected abstract void delete(F fetched) throws IOException;

    /**
     * Ends the conversation with the server: with {@code graceful} the protocol's goodbye (POP3 QUIT, which commits
     * the deletions of the session; IMAP LOGOUT), else only the TCP close. Never throws; afterwards
     * {@link #connection()} is null.
     *
     * @param graceful whether to say goodbye first
     */
    protected abstract void hangUp(boolean graceful);

    // ---- connection bookkeeping for subclasses -----------------------------------------------------------

    /**
     * Opens a connection to the configured server, trusting its certificate as {@link InboundSettings#trust()} says,
     * with its security mode's TLS at once ({@link Security#TLS}) and
     * makes it the current one, so that cancel and logoff can close it.
     *
     * @param s the configuration
     * @return the connection
     * @throws IOException the connection failed
     */
    protected final MailConnection connect(InboundSettings s) throws IOException {
        MailConnection c = MailConnection.open(s.host(), s.port(), s.security() == Security.TLS, s.trust(),
                CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
        connection = c;
        if (isCancelled(receiving)) {
            c.abort(); // a cancel or logoff came while connecting
        }
        return c;
    }

    /** @return the current connection, or null */
    protected final MailConnection connection() {
        return connection;
    }

    /** Forgets the current connection after closing it (subclasses' {@link #hangUp}). */
    protected final void detach() {
        MailConnection c = connection;
        connection = null;
        if (c != null) {
            c.abort();
        }
    }

    /**
     * Converts one message's data into the spooler's message ({@link MimeReader}) and checks that the data was
     * complete ({@link MessageStream#finish}).
     *
     * @param data   the message's bytes as the server sends them
     * @param target the spooler's message; not saved here
     * @throws IOException the connection failed or ended before the message did: the target must not be saved
     */
    protected static void convert(MessageStream data, Message target) throws IOException {
        new MimeReader().read(data, target);
        data.finish();
    }

    /** @return the configuration in force */
    protected final InboundSettings settings() {
        return settings;
    }

    // ---- BaseXpLogon -------------------------------------------------------------------------------------

    /** @return a single empty string: no address-type dispatch, nothing sent (R-XP-3) */
    @Override
    protected final AddressTypes doAddressTypes() {
        return new AddressTypes(List.of(""), List.of());
    }

    /** @throws MapiException always MAPI_E_NOT_ME: this transport only receives */
    @Override
    protected final void doSubmitMessage(int flags, Message message, MessageRef ref) {
        throw new MapiException(HResult.MAPI_E_NOT_ME, tags.protocol() + " transport only receives mail");
    }

    /** @return 0: nothing is ever sent */
    @Override
    protected final int doEndMessage(int ref) {
        return 0;
    }

    @Override
    protected final int doPoll() {
        long now = System.nanoTime();
        if (!reconfigure && checked && now - nextCheck < 0) {
            return known();
        }
        busy = true;
        io.lock();
        try {
            if (isCancelled(0)) {
                return 0; // logging off
            }
            InboundSettings s = current();
            checked = true;
            nextCheck = now + TimeUnit.SECONDS.toNanos(s.pollSeconds());
            try {
                int n = check(s);
                reached(s, n);
                return n;
            } catch (IOException e) {
                hangUp(false);
                if (isCancelled(0)) {
                    return 0;
                }
                throw failed(s, e);
            } catch (RuntimeException e) {
                hangUp(false);
                throw e;
            }
        } finally {
            io.unlock();
            busy = false;
        }
    }

    @Override
    protected final void doStartMessage(Message message, MessageRef ref) {
        int myRef = REFS.incrementAndGet();
        ref.set(myRef);
        receiving = myRef;
        busy = true;
        io.lock();
        try {
            checkCancelled(myRef);
            InboundSettings s = current();
            F fetched;
            try {
                fetched = fetch(s, message);
                if (fetched != null) {
                    checkCancelled(myRef); // a cancel that came after the last byte: still nothing saved
                }
            } catch (IOException e) {
                hangUp(false);
                checkCancelled(myRef);
                throw failed(s, e);
            } catch (RuntimeException e) {
                hangUp(false); // the reply may be half read: the connection is of no further use
                throw e;
            }
            reached(s, known());
            if (fetched == null) {
                return; // nothing waiting: no message (R-RCV-2)
            }
            if (DuplicateCheck.alreadyStored(support(), message)) {
                remove(s, fetched);
                if (known() > 0) {
                    support().spoolerNotify(Flags.NOTIFY_NEWMAIL, null); // come back at once for the rest
                }
                return; // not saved: the store already holds this message
            }
            message.saveChanges(0);
            remove(s, fetched); // only now (R-RCV-2, at-least-once)
        } finally {
            io.unlock();
            busy = false;
            receiving = 0;
        }
    }

    /** Deletes at the server after the save; never throws (the message is safe in the store). */
    private void remove(InboundSettings s, F fetched) {
        try {
            delete(fetched);
        } catch (IOException e) {
            hangUp(false);
            statusString("Received a message but could not delete it at " + s.where() + " ("
                    + s.scrub(describe(e)) + "); it will be fetched again and dropped as a duplicate");
        } catch (RuntimeException e) {
            hangUp(false);
        }
    }

    /** @return the settings, after applying a ValidateState's re-read (dropping the old connection) */
    private InboundSettings current() {
        if (reconfigure) {
            reconfigure = false;
            hangUp(true);
        }
        return settings;
    }

    /** A successful server contact: STATUS_FAILURE off, what was found in PR_STATUS_STRING. */
    private void reached(InboundSettings s, int waiting) {
        changeStatus(0, Flags.STATUS_FAILURE);
        statusString(waiting + " message(s) waiting at " + s.where());
    }

    /** A failed server contact: STATUS_FAILURE on, the MAPI code and reason in PR_STATUS_STRING and the exception. */
    private MapiException failed(InboundSettings s, IOException e) {
        int hr = e instanceof MailServerException m ? m.hresult() : HResult.MAPI_E_NETWORK_ERROR;
        String reason = e instanceof MailServerException ? e.getMessage()
                : "cannot talk to " + tags.protocol() + " server " + s.where() + ": " + describe(e);
        String text = HResult.name(hr) + ": " + s.scrub(reason);
        changeStatus(Flags.STATUS_FAILURE, 0);
        statusString(text);
        return new MapiException(hr, text);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** Re-reads the configuration (R-VS-1); the next Poll drops the old connection and checks at once. */
    @Override
    protected void doValidateState(int flags) {
        settings = InboundSettings.read(support(), tags);
        reconfigure = true;
        if ((flags & Flags.FORCE_XP_DISCONNECT) != 0 && io.tryLock()) {
            try {
                reconfigure = false;
                hangUp(true);
            } finally {
                io.unlock();
            }
        }
    }

    /** NOTIFY_CANCEL_MESSAGE for the message being received: close the connection so the fetch fails now. */
    @Override
    protected final void onCancel(int ref) {
        if (ref != 0 && ref == receiving) {
            abortConnection();
        }
    }

    /** TransportLogoff's first step: a poll or receive in progress is cut off (R-LOFF-3). */
    @Override
    protected final void onAbandon() {
        if (busy) {
            abortConnection();
        }
    }

    /** After the calls in progress returned: goodbye to the server (QUIT commits POP3 deletions), briefly. */
    @Override
    protected final void onLogoff() {
        boolean locked = false;
        try {
            locked = io.tryLock(GOODBYE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            abortConnection();
            return;
        }
        try {
            MailConnection c = connection;
            if (c != null) {
                try {
                    c.readTimeout(GOODBYE_TIMEOUT_MS);
                } catch (IOException e) {
                    // Already broken: hangUp only closes it.
                }
            }
            hangUp(true);
        } finally {
            io.unlock();
        }
    }

    private void abortConnection() {
        MailConnection c = connection;
        if (c != null) {
            c.abort();
        }
    }
}
