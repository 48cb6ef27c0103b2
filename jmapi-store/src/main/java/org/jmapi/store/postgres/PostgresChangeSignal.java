package org.jmapi.store.postgres;

import org.jmapi.store.ChangeSignal;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The PostgreSQL engine's {@link ChangeSignal}: {@code LISTEN} on the store's channel ({@link #channel}) over one
 * connection of its own, and a wake-up for every notification another instance's commit sent there.
 *
 * <p><b>Who notifies.</b> Every write transaction of an instance with notifications on that raises the change
 * counter (the store row, the queue's {@code queue_state} row) or appends to the event log also runs
 * {@code pg_notify(channel, ownerId)} ({@link Db#bump}, {@link Db#signal}); PostgreSQL delivers it when, and only
 * if, the transaction commits. A notification whose payload is this instance's own owner id is skipped: the instance
 * told its own readers at once.
 *
 * <p><b>Why a connection of its own</b>, opened with {@link DriverManager} and not taken from the instance's Hikari
 * pool: a listening session must stay the same session for as long as it listens (a pooled connection would be held
 * forever, shrinking the pool the writers and readers share, and Hikari may retire it at its maximum lifetime, which
 * silently ends the LISTEN); it runs in autocommit (a pooled connection's open transaction would delay the LISTEN
 * until commit and hold back the server's notification queue for every listener of the cluster); and its
 * reconnection is this class's business, with the poll covering the gap. It is opened only when the first
 * subscriber arrives, so an instance nobody listens through (a spooler host's storage used directly, a benchmark)
 * costs no extra connection.
 *
 * <p><b>Losing it.</b> The connection's thread waits for notifications {@value #WAIT_MILLIS} ms at a time and checks
 * that the session is alive with a {@code SELECT 1} every {@value #CHECK_SECONDS} s (a half-open TCP connection
 * fails it within the socket timeout of {@value #SOCKET_TIMEOUT_SECONDS} s). When the connection fails (the server
 * restarted, the backend was terminated, the network broke) the signal stops being {@link #live()}, wakes its
 * subscribers (they read at once and poll fast meanwhile), and reconnects with a back-off from
 * {@value #MIN_BACKOFF_MILLIS} ms to {@value #MAX_BACKOFF_MILLIS} ms; once {@code LISTEN} works again it is live
 * again and wakes its subscribers once more, which then read what was committed while nobody listened. A server
 * that refuses {@code LISTEN} as unsupported (SQLSTATE class 0A; CockroachDB) or not understood (class 42) ends the
 * signal for good: it stays not live and readers keep polling.
 *
 * <p>Thread-safe. {@link #close()} ends the thread and its connection (within {@value #WAIT_MILLIS} ms).
 */
final class PostgresChangeSignal implements ChangeSignal {
    /** How long one wait for notifications lasts before the thread looks at its state again. */
    static final int WAIT_MILLIS = 250;
    /** How often the listening session's liveness is checked while no notification arrives. */
    static final int CHECK_SECONDS = 10;
    /** The socket timeout of the listening connection's statements (its liveness check). */
    static final int SOCKET_TIMEOUT_SECONDS = 20;
    /** The first delay before reconnecting after a loss. */
    static final long MIN_BACKOFF_MILLIS = 100;
    /** The longest delay between reconnection attempts. */
    static final long MAX_BACKOFF_MILLIS = 5_000;

    private static final System.Logger LOG = System.getLogger(PostgresChangeSignal.class.getName());

    private final String url;
    private final String user;
    private final String password;
    private final String channel;
    private final String self;
    private final String where;
    private final Set<Runnable> subscribers = new CopyOnWriteArraySet<>();
    private volatile boolean live;
    private volatile boolean closed;
    private volatile int backendPid;
    /** The listening thread, once started; guarded by {@code this}. */
    private Thread thread;

    /**
     * @param url      the database
     * @param user     the role, or null
     * @param password its password, or null
     * @param storeId  the store's key (names the channel)
     * @param self     this instance's owner id (its own notifications are skipped)
     * @param where    "store 'name' in url", for messages
     */
    PostgresChangeSignal(String url, String user, String password, long storeId, String self, String where) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.channel = channel(storeId);
        this.self = self;
        this.where = where;
    }

    /**
     * @param storeId a store's key
     * @return the channel its writers notify and its readers listen on (a lower-case identifier: LISTEN takes it
     *         unquoted, pg_notify as text)
     */
    static String channel(long storeId) {
        return "jmapi_store_" + storeId;
    }

    @Override
    public Subscription subscribe(Runnable wake) {
        Objects.requireNonNull(wake, "wake");
        synchronized (this) {
            if (closed) {
                return () -> { };
            }
            subscribers.add(wake);
            if (thread == null) {
                thread = new Thread(this::run, "jmapi-store listen " + channel);
                thread.setDaemon(true);
                thread.start();
            }
        }
        return () -> subscribers.remove(wake);
    }

    @Override
    public boolean live() {
        return live && !closed;
    }

    /** @return the listening session's backend process id, 0 while there is none (tests, diagnostics) */
    int backendPid() {
        return live() ? backendPid : 0;
    }

    /** Stops listening: the thread ends and closes its connection. Safe to call more than once. */
    void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            live = false;
            subscribers.clear();
            t = thread;
        }
        if (t != null) {
            t.interrupt(); // ends a back-off sleep; a wait for notifications ends by itself
        }
    }

    private void run() {
        long backoff = MIN_BACKOFF_MILLIS;
        boolean lost = false;
        while (!closed) {
            try (Connection c = connect()) {
                PGConnection pg = c.unwrap(PGConnection.class);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                backendPid = pg.getBackendPID();
                live = true;
                if (lost) {
                    LOG.log(System.Logger.Level.INFO, "listening for changes of " + where + " again");
                    lost = false;
                }
                backoff = MIN_BACKOFF_MILLIS;
                wakeAll(); // read what was committed before the LISTEN took effect
                listen(c, pg);
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                boolean was = live;
                live = false;
                if (was) {
                    wakeAll(); // read now, and poll fast until the signal is back
                }
                if (e instanceof SQLException se && unsupported(se)) {
                    LOG.log(System.Logger.Level.WARNING, "the server of " + where + " refuses LISTEN ("
                            + se.getMessage() + "); changes made elsewhere are noticed by polling");
                    break;
                }
                if (!lost) {
                    LOG.log(System.Logger.Level.WARNING, "listening for changes of " + where + " failed ("
                            + e.getMessage() + "); polling until the listening connection is back");
                    lost = true;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    break; // closed
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
        live = false;
    }

    /** Waits for notifications until closed or the connection fails. */
    private void listen(Connection c, PGConnection pg) throws SQLException {
        long checked = System.nanoTime();
        while (!closed) {
            PGNotification[] got = pg.getNotifications(WAIT_MILLIS);
            if (got != null) {
                for (PGNotification n : got) {
                    if (channel.equals(n.getName()) && !self.equals(n.getParameter())) {
                        wakeAll();
                        break;
                    }
                }
            }
            if (System.nanoTime() - checked >= CHECK_SECONDS * 1_000_000_000L) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1"); // notifications arriving meanwhile wait for the next getNotifications
                }
                checked = System.nanoTime();
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "jmapi-store listener");
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
        p.setProperty("tcpKeepAlive", "true");
        Connection c = DriverManager.getConnection(url, p);
        if (c == null) {
            throw new SQLException("no JDBC driver accepts " + url);
        }
        return c;
    }

    /** @return whether the server refuses LISTEN for good (not supported, not understood) */
    private static boolean unsupported(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("0A") || state.equals("42601") || state.equals("42883"));
    }

    private void wakeAll() {
        for (Runnable r : subscribers) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a change subscriber of " + where + " failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "PostgresChangeSignal[" + where + (live() ? ", live" : "") + "]";
    }
}
