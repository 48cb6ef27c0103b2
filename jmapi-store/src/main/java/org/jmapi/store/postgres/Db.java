package org.jmapi.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.store.engine.GroupCommit;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The connection pool of one open {@link PostgresStorage} and the transaction discipline every call goes through.
 *
 * <p><b>Writes</b> run in a READ COMMITTED transaction whose first statement locks the store's row in
 * {@code jmapi.store} ({@code FOR NO KEY UPDATE}; for changes other instances should notice, the update that bumps
 * its change counter takes the same lock). So the writes of one store are serialised across every process and host —
 * each sees everything the previous one committed, exactly like SQLite's single writer — while different stores in
 * the same database write in parallel. A writer waits for that lock at most {@code lock_timeout} (the busy timeout),
 * then gets MAPI_E_BUSY. The lock is the weaker {@code NO KEY UPDATE} so that foreign-key checks of other
 * transactions (which share-lock the {@code store} row) never wait for it. The outgoing queue's claims
 * ({@link #claim}) do not take it at all.
 *
 * <p><b>Reads</b> run in a {@code REPEATABLE READ, READ ONLY} transaction: one consistent snapshot that never
 * blocks and is never blocked by writers.
 *
 * <p><b>Notifications.</b> When the instance notifies ({@code channel} not null), every write that raises a change
 * counter ({@link #bump}) or appends to the event log ({@link #signal}) also runs {@code pg_notify(channel, origin)}
 * in the same transaction, so that other instances' {@link PostgresChangeSignal}s wake once it committed (and never
 * for a rollback). The change counter's update and the notification are one statement: no extra round trip.
 *
 * <p><b>Durability.</b> Every pooled connection runs with {@code synchronous_commit} at least {@code on} (set per
 * connection when the server's default is {@code off}): a commit that returned is in the server's flushed WAL (and
 * in a synchronous standby's, where one is configured). That holds as long as the server itself runs with
 * {@code fsync=on}; {@link #settings()} shows both. The exception: a {@link #write} of a thread inside
 * {@link GroupCommit#defer} (the spooler's outcome writes, {@link PostgresStorage#deferDurability}) runs
 * {@code SET LOCAL synchronous_commit = off} within the group commit's window; it is durable after the next durable
 * commit of this instance (any write, or the group commit's flush), or when the server's WAL writer flushed it
 * (within {@code 3 * wal_writer_delay}), whichever comes first.
 *
 * <p>Thread-safe. {@link #close()} waits for calls in progress, then closes the pool.
 */
final class Db implements AutoCloseable {
    /** A unit of work on a connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    /**
     * Carries an SQLException out of code that cannot throw checked exceptions (a {@link org.jmapi.table.RowSource}
     * evaluated by {@link org.jmapi.table.Restrictions}); {@link #read} and {@link #write} translate its cause.
     */
    static final class SqlFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SqlFailure(SQLException cause) {
            super(cause);
        }

        SQLException sql() {
            return (SQLException) getCause();
        }
    }

    private final String where;
    private final long storeId;
    private final HikariDataSource pool;
    /** The store's notification channel, or null when this instance does not notify. */
    private final String channel;
    /** The payload of this instance's notifications: its owner id. */
    private final String origin;
    private final ReentrantReadWriteLock life = new ReentrantReadWriteLock();
    private volatile boolean closed;
    /** The deferred durability of the writes of threads inside {@link GroupCommit#defer} (the spooler's outcomes). */
    private final GroupCommit groupCommit = new GroupCommit(this::commitDurably);

    /**
     * @param where          "store 'name' in jdbc:postgresql://...", for messages
     * @param storeId        the store's key in every table
     * @param url            the database
     * @param user           the role
     * @param password       its password
     * @param options        pool size and timeouts
     * @param raiseDurability whether the server's synchronous_commit is off and must be set on per connection
     * @param channel        the store's notification channel, or null when this instance does not notify
     * @param origin         this instance's owner id, the payload of its notifications
     */
    Db(String where, long storeId, String url, String user, String password, PostgresStorage.Options options,
       boolean raiseDurability, String channel, String origin) {
        this.where = where;
        this.storeId = storeId;
        this.channel = channel;
        this.origin = origin;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setMaximumPoolSize(options.poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(Math.max(250, options.busyTimeout().toMillis()));
        config.setPoolName("jmapi-store " + where);
        // session settings travel in the connection's startup packet, so no statement and no transaction sets them
        String settings = "-c lock_timeout=" + Math.max(1, options.busyTimeout().toMillis());
        if (raiseDurability) {
            settings += " -c synchronous_commit=on";
        }
        config.addDataSourceProperty("options", settings);
        try {
            this.pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw translate(e.getCause() instanceof SQLException s ? s : new SQLException(e), "opening");
        }
    }

    /** @return "store 'name' in jdbc:postgresql://...", for messages */
    String where() {
        return where;
    }

    /** @return the store's key */
    long storeId() {
        return storeId;
    }

    /**
     * Runs {@code work} in a write transaction, holding the store's write lock.
     *
     * @param what    what the call does, for error messages ("saving message 12")
     * @param changes whether the work changes what other instances should notice: bumps the change counter
     * @param work    the work
     * @return its result
     */
    <T> T write(String what, boolean changes, Work<T> work) {
        return write(what, changes, true, work);
    }

    /**
     * The write of {@link #write(String, boolean, Work)}; {@code mayDefer} false for the group commit's own flush,
     * which must be durable whatever thread runs it.
     */
    private <T> T write(String what, boolean changes, boolean mayDefer, Work<T> work) {
        life.readLock().lock();
        try {
            checkOpen();
            try (Connection c = pool.getConnection()) {
                // A write of a thread inside GroupCommit.defer (the spooler's outcome writes) commits without
                // waiting for the WAL flush, within the group commit's window; the one that would exceed it waits.
                boolean deferred = mayDefer && groupCommit.mayDefer();
                long mark = groupCommit.mark();
                try {
                    if (deferred) {
                        Sql.update(c, "SET LOCAL synchronous_commit = off");
                    }
                    int locked = changes
                            ? bump(c, "UPDATE jmapi.store SET changes = changes + 1 WHERE id = ?", storeId)
                            : Sql.list(c, "SELECT id FROM jmapi.store WHERE id = ? FOR NO KEY UPDATE",
                            rs -> rs.getLong(1),
                            storeId).size();
                    if (locked != 1) {
                        throw storeGone();
                    }
                    T result = work.run(c);
                    c.commit();
                    if (deferred) {
                        groupCommit.deferredCommitted();
                    } else if (changes) {
                        // It changed the store row, so it has a transaction id and (no write that bumps the counter
                        // turns synchronous_commit off itself) its commit waited for the WAL flush up to its commit
                        // record, past every commit that returned before. Writes without changes may be activity
                        // records, which turn it off: they count for nothing.
                        groupCommit.durableCommitted(mark);
                    }
                    return result;
                } catch (Throwable t) {
                    rollback(c);
                    throw t;
                }
            }
        } catch (SQLException | IOException e) {
            throw translate(e, what);
        } catch (SqlFailure e) {
            throw translate(e.sql(), what);
        } finally {
            life.readLock().unlock();
        }
    }

    /** @return the group commit of this instance's writes */
    GroupCommit groupCommit() {
        return groupCommit;
    }

    /**
     * The group commit's flush: a write transaction (it locks the store row, so it has a transaction id and a commit
     * record) committed with {@code synchronous_commit} on, which waits until the WAL is flushed past it and so past
     * every commit before it. A transaction that writes nothing would not wait for anything.
     */
    private void commitDurably() {
        write("flushing deferred commits", false, false, c -> Sql.one(c, "SELECT txid_current()",
                rs -> rs.getLong(1)));
    }

    /**
     * Runs {@code work} in a READ COMMITTED write transaction <em>without</em> the store's write lock: for the
     * outgoing queue's claims (lock, unlock), which lock only the rows they change — the message row with
     * {@code SELECT ... FOR UPDATE SKIP LOCKED} (or {@code FOR UPDATE}), the instance's own owner row, and last the
     * store's {@code queue_state} row — so that several spoolers claim messages in parallel. To stay free of
     * deadlocks with the writers that hold the store lock, such work takes row locks in that order (owner row,
     * message row, queue_state last) and never waits for the store row.
     *
     * @param what what the call does, for error messages
     * @param work the work
     * @return its result
     */
    <T> T claim(String what, Work<T> work) {
        life.readLock().lock();
        try {
            checkOpen();
            try (Connection c = pool.getConnection()) {
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (Throwable t) {
                    rollback(c);
                    throw t;
                }
            }
        } catch (SQLException | IOException e) {
            throw translate(e, what);
        } catch (SqlFailure e) {
            throw translate(e.sql(), what);
        } finally {
            life.readLock().unlock();
        }
    }

    /**
     * Runs {@code work} in a read transaction: one consistent snapshot of the database.
     *
     * @param what what the call does, for error messages
     * @param work the work
     * @return its result
     */
    <T> T read(String what, Work<T> work) {
        life.readLock().lock();
        try {
            checkOpen();
            try (Connection c = pool.getConnection()) {
                try {
                    Sql.exec(c, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                    return work.run(c);
                } finally {
                    rollback(c);
                }
            }
        } catch (SQLException | IOException e) {
            throw translate(e, what);
        } catch (SqlFailure e) {
            throw translate(e.sql(), what);
        } finally {
            life.readLock().unlock();
        }
    }

    /**
     * Runs a read of <em>one</em> statement outside an explicit transaction (autocommit): a single statement sees one
     * consistent snapshot anyway, and this costs one round trip to the server instead of three (the transaction's
     * settings, the statement, the rollback). For the cheap reads other instances poll: the change counter, the
     * event log, a value chunk.
     *
     * @param what what the call does, for error messages
     * @param work the work; runs exactly one statement
     * @return its result
     */
    <T> T readOne(String what, Work<T> work) {
        return autocommit(what, work);
    }

    /**
     * Runs {@code work} on a pooled connection in autocommit mode: each statement is its own transaction. For
     * {@link #readOne} and for statements PostgreSQL refuses inside a transaction block ({@code CREATE INDEX
     * CONCURRENTLY}).
     *
     * @param what what the call does, for error messages
     * @param work the work
     * @return its result
     */
    <T> T autocommit(String what, Work<T> work) {
        life.readLock().lock();
        try {
            checkOpen();
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(true);
                try {
                    return work.run(c);
                } finally {
                    c.setAutoCommit(false);
                }
            }
        } catch (SQLException | IOException e) {
            throw translate(e, what);
        } catch (SqlFailure e) {
            throw translate(e.sql(), what);
        } finally {
            life.readLock().unlock();
        }
    }

    /**
     * Runs an {@code UPDATE} that raises a change counter and, when this instance notifies, queues the store's
     * notification in the same statement (delivered when the transaction commits).
     *
     * @param c      the transaction's connection
     * @param update an {@code UPDATE} without {@code RETURNING}
     * @param params its parameters
     * @return how many rows it updated
     */
    int bump(Connection c, String update, Object... params) throws SQLException {
        if (channel == null) {
            return Sql.update(c, update, params);
        }
        Object[] all = java.util.Arrays.copyOf(params, params.length + 2);
        all[params.length] = channel;
        all[params.length + 1] = origin;
        return (int) Sql.longValue(c, "WITH u AS (" + update + " RETURNING 1), n AS (SELECT pg_notify(?, ?)) "
                + "SELECT (SELECT count(*) FROM u) FROM n", all);
    }

    /** @return the error of a write to a store whose row was deleted while this instance had it open */
    MapiException storeGone() {
        return new MapiException(HResult.MAPI_E_NOT_FOUND, where + " no longer exists (it was deleted from the"
                + " database while open)");
    }

    /**
     * The {@code WITH} clauses by which one autocommit statement does what {@link #write} does around its work: raise
     * the store's change counter (which also locks the store row) and, when this instance notifies, queue the
     * notification. Clause {@code s} returns the store row's id (no row: the store was deleted), {@code n} is a plain
     * {@code SELECT} over {@code s}: the statement's main query must read it, or PostgreSQL does not run it. Other
     * clauses that select from {@code s} run after the store row is locked.
     *
     * @param params the statement's parameters so far; the clauses' parameters are appended
     * @return the clauses, without the leading {@code WITH}
     */
    String bumpClauses(List<Object> params) {
        params.add(storeId);
        if (channel == null) {
            return "s AS (UPDATE jmapi.store SET changes = changes + 1 WHERE id = ? RETURNING id), n AS (SELECT id FROM s)";
        }
        params.add(channel);
        params.add(origin);
        return "s AS (UPDATE jmapi.store SET changes = changes + 1 WHERE id = ? RETURNING id),"
                + " n AS (SELECT pg_notify(?, ?) FROM s)";
    }

    /**
     * Queues the store's notification in the transaction of {@code c} (delivered when it commits), when this
     * instance notifies.
     *
     * @param c the transaction's connection
     */
    void signal(Connection c) throws SQLException {
        if (channel != null) {
            Sql.one(c, "SELECT pg_notify(?, ?)", rs -> null, channel, origin);
        }
    }

    /** @return whether this instance's writes notify */
    boolean notifies() {
        return channel != null;
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection broke: the pool discards it, and the server rolled back already
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new MapiException(HResult.MAPI_E_INVALID_OBJECT, "the storage of " + where + " is closed");
        }
    }

    /**
     * @return the settings of a pooled connection that the durability promise rests on: synchronous_commit, fsync,
     *         lock_timeout, transaction_isolation, server_encoding (for tests and diagnostics)
     */
    Map<String, String> settings() {
        return write("reading connection settings", false, c -> {
            Map<String, String> m = new LinkedHashMap<>();
            for (String p : new String[] {"synchronous_commit", "fsync", "lock_timeout", "transaction_isolation",
                    "server_encoding"}) {
                m.put(p, Sql.one(c, "SELECT current_setting(?)", rs -> rs.getString(1), p).orElse(""));
            }
            return m;
        });
    }

    /** @return whether {@link #close()} ran */
    boolean isClosed() {
        return closed;
    }

    /**
     * Maps a failure to the MAPI code a caller can act on, naming the store and the operation.
     *
     * @param e    the failure
     * @param what the operation
     * @return the exception to throw
     */
    MapiException translate(Exception e, String what) {
        return translate(e, what, where);
    }

    static MapiException translate(Exception e, String what, String where) {
        if (e instanceof MapiException m) {
            return m;
        }
        String prefix = what + " in " + where + " failed: ";
        if (e instanceof IOException) {
            return new MapiException(HResult.MAPI_E_CALL_FAILED, prefix + "reading a value stream failed: "
                    + e.getMessage(), e);
        }
        if (e instanceof SQLException se) {
            int hr = hresult(se);
            String hint = switch (hr) {
                case HResult.MAPI_E_BUSY -> " (another writer held the store longer than the busy timeout, or the"
                        + " connection pool stayed exhausted; retry, or raise Options.busyTimeout)";
                case HResult.MAPI_E_NETWORK_ERROR -> " (check that the database server is running and reachable)";
                case HResult.MAPI_E_LOGON_FAILED -> " (check the user name and password)";
                case HResult.MAPI_E_NO_ACCESS -> " (the role lacks a privilege on the jmapi schema)";
                case HResult.MAPI_E_NOT_ENOUGH_DISK -> " (the database server's disk is full)";
                case HResult.MAPI_E_CORRUPT_STORE -> " (the server reports damaged data; restore from a backup)";
                default -> "";
            };
            return new MapiException(hr, prefix + se.getMessage() + hint, e);
        }
        return new MapiException(HResult.MAPI_E_CALL_FAILED, prefix + e, e);
    }

    /** @return the MAPI code for a PostgreSQL failure, from its SQLSTATE */
    static int hresult(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return e instanceof SQLTransientConnectionException ? HResult.MAPI_E_BUSY : HResult.MAPI_E_CALL_FAILED;
        }
        if (state.startsWith("08")) {
            return HResult.MAPI_E_NETWORK_ERROR;                  // connection exceptions
        }
        if (state.startsWith("28")) {
            return HResult.MAPI_E_LOGON_FAILED;                   // invalid authorization / password
        }
        return switch (state) {
            case "40001", "40P01", "55P03", "57014" -> HResult.MAPI_E_BUSY; // serialization, deadlock, lock timeout
            case "3D000" -> HResult.MAPI_E_NOT_FOUND;             // the database does not exist
            case "42501" -> HResult.MAPI_E_NO_ACCESS;             // insufficient privilege
            case "53100" -> HResult.MAPI_E_NOT_ENOUGH_DISK;       // disk full
            case "53000", "53200", "53300", "53400" -> HResult.MAPI_E_NOT_ENOUGH_RESOURCES;
            case "58030" -> HResult.MAPI_E_DISK_ERROR;            // I/O error
            case "XX001", "XX002" -> HResult.MAPI_E_CORRUPT_STORE; // data or index corrupted
            case "22021", "22P05" -> HResult.MAPI_E_BAD_VALUE;    // text PostgreSQL cannot hold (U+0000)
            case "57P01", "57P02", "57P03" -> HResult.MAPI_E_NETWORK_ERROR; // server shutting down / starting
            default -> HResult.MAPI_E_CALL_FAILED;
        };
    }

    /** Closes the pool after the calls in progress have finished. Safe to call more than once. */
    @Override
    public void close() {
        if (!closed) {
            try {
                groupCommit.close(true); // deferred commits are durable before the pool goes
            } catch (MapiException e) {
                groupCommit.close(false); // the server flushes its WAL on its own within wal_writer_delay
            }
        }
        life.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            pool.close();
        } finally {
            life.writeLock().unlock();
        }
    }
}
