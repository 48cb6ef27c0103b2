package org.jmapi.store.sqlite;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.store.Storage;
import org.jmapi.store.engine.GroupCommit;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The connections to one store file and the transaction discipline every SQLite storage call goes through.
 *
 * <p>One writer connection, used under a lock, runs every write as {@code BEGIN IMMEDIATE ... COMMIT} (so a writer
 * waits for the file's write lock up to the busy timeout up front, instead of failing at its first write); a small
 * pool of read-only connections runs reads as {@code BEGIN ... COMMIT}, each a consistent snapshot that never
 * blocks or is blocked by the writer (WAL). Every connection keeps its prepared statements ({@link StatementCache}):
 * the writer's while the write lock is held, a reader's while a thread has it borrowed. Every connection has
 * {@code foreign_keys=ON}, {@code synchronous=FULL} and the busy timeout; read connections have a 16 MiB page cache
 * ({@link SqliteStorage#READ_CACHE_KIB}). The writer switches to {@code synchronous=NORMAL} for a write that skips
 * the fsync and stays there until the next durable write switches it back, before that write begins.
 *
 * <p>{@code synchronous=FULL} in WAL mode fsyncs the write-ahead log at every commit: a transaction that returned
 * survives {@code kill -9} of the process and power loss on a disk that honours fsync. (NORMAL would survive
 * {@code kill -9} but could lose the last commits on power loss.)
 *
 * <p><b>Deferred durability.</b> A durable write of a thread inside {@link GroupCommit#defer} (the spooler's outcome
 * writes, {@link SqliteStorage#deferDurability}) commits with {@code synchronous=NORMAL} as long as the group commit's
 * window allows; it becomes durable with the next durable commit that writes a page (the log is one file appended in
 * order, so its fsync takes every earlier frame with it): any write that bumps the change counter, or the group
 * commit's own flush ({@code store_counter} row {@code durable_flushes}).
 *
 * <p>Thread-safe. {@link #close()} waits for calls in progress, then closes every connection.
 */
final class Db implements AutoCloseable {
    /** A unit of work on a connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    /**
     * Carries an SQLException out of code that cannot throw checked exceptions (a
     * {@link org.jmapi.table.RowSource} evaluated by {@link org.jmapi.table.Restrictions}); {@link #read} and
     * {@link #write} translate its cause like any other SQL failure.
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

    private final Path path;
    private final String url;
    private final SqliteStorage.Options options;
    private final Connection writer;
    /** The writer's prepared statements; used only under {@link #writeLock}. */
    private final StatementCache writerStatements;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> idleReaders;
    private final List<Connection> allReaders = new ArrayList<>();
    /**
     * Each read connection's prepared statements; a connection's cache is used only by the thread that borrowed it
     * ({@link #read}). Guarded by {@link #allReaders} for adding and closing.
     */
    private final java.util.Map<Connection, StatementCache> readerStatements = new java.util.IdentityHashMap<>();
    private final ReentrantReadWriteLock life = new ReentrantReadWriteLock();
    private volatile boolean closed;
    /** Set when the writer could not be put back to foreign_keys=ON: every later call fails. */
    private volatile boolean broken;
    /** Whether the writer is at synchronous=FULL (else NORMAL); guarded by {@link #writeLock}. */
    private boolean writerFull = true;
    /** The deferred durability of the writes of threads inside {@link GroupCommit#defer} (the spooler's outcomes). */
    private final GroupCommit groupCommit = new GroupCommit(this::commitDurably);
    /** Per thread: the change counter after its last committed change, and how many of its commits changed it. */
    private final ThreadLocal<long[]> ownChanges = ThreadLocal.withInitial(() -> new long[2]);

    Db(Path path, SqliteStorage.Options options) {
        this(path, options, null);
    }

    /**
     * @param firstReader a read connection from {@link #openReader} that becomes the first of the read pool (owned by
     *                    this object from now on, closed with it even when this constructor fails), or null: opening
     *                    a connection costs SQLite a parse of the whole schema, so the one {@code open} checked the
     *                    file with is kept
     */
    Db(Path path, SqliteStorage.Options options, Connection firstReader) {
        this.path = path;
        this.url = url(path);
        this.options = options;
        this.idleReaders = new ArrayBlockingQueue<>(options.readConnections());
        Connection w = null;
        try {
            w = connect(url, options, false);
            try (Statement s = w.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
            }
        } catch (SQLException e) {
            closeQuietly(w);
            closeQuietly(firstReader);
            throw translate(e, "opening");
        }
        this.writer = w;
        this.writerStatements = new StatementCache(writer);
        if (firstReader != null) {
            allReaders.add(firstReader);
            readerStatements.put(firstReader, new StatementCache(firstReader));
            idleReaders.add(firstReader);
        }
    }

    /**
     * Opens a read connection configured like the pool's.
     *
     * @param path    the store file
     * @param options its options
     * @return the connection, owned by the caller (or by the {@link Db} it is handed to)
     * @throws SQLException when SQLite cannot open the file
     */
    static Connection openReader(Path path, SqliteStorage.Options options) throws SQLException {
        return connect(url(path), options, true);
    }

    private static String url(Path path) {
        return "jdbc:sqlite:" + path.toAbsolutePath();
    }

    /** @return the store file */
    Path path() {
        return path;
    }

    private static Connection connect(String url, SqliteStorage.Options options, boolean readOnly)
            throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        config.enforceForeignKeys(true);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, options.busyTimeout().toMillis()));
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        if (readOnly) {
            config.setCacheSize(-SqliteStorage.READ_CACHE_KIB);
        }
        // Sql.insert reads last_insert_rowid() itself: without this, sqlite-jdbc prepares and runs that query
        // after every INSERT on its own
        config.setGetGeneratedKeys(false);
        return config.createConnection(url);
    }

    /**
     * Runs {@code work} in a write transaction.
     *
     * @param what    what the call does, for error messages ("saving message 12")
     * @param changes whether the work changes what other processes should notice: bumps the change counter
     * @param work    the work
     * @return its result
     */
    <T> T write(String what, boolean changes, Work<T> work) {
        return write(what, changes, true, work);
    }

    /**
     * Runs {@code work} in a write transaction, optionally without the commit's fsync.
     *
     * @param what    what the call does, for error messages
     * @param changes whether the work changes what other processes should notice: bumps the change counter
     * @param durable false for data that need not survive power loss (the event log): the commit runs with
     *                {@code synchronous=NORMAL}, which in WAL mode skips the fsync but keeps the file consistent and
     *                the commit safe from a process crash (the next durable write puts the connection back at FULL)
     * @param work    the work
     * @return its result
     */
    <T> T write(String what, boolean changes, boolean durable, Work<T> work) {
        return write(what, changes, durable, true, work);
    }

    /**
     * The write of {@link #write(String, boolean, boolean, Work)}; {@code mayDefer} false for the group commit's own
     * flush, which must be durable whatever thread runs it.
     */
    private <T> T write(String what, boolean changes, boolean durable, boolean mayDefer, Work<T> work) {
        life.readLock().lock();
        try {
            checkOpen();
            writeLock.lock();
            StatementCache outer = writerStatements.enter();
            try {
                // A durable write of a thread inside GroupCommit.defer (the spooler's outcome writes) commits without
                // the fsync too, within the group commit's window; the write that would exceed it stays durable.
                boolean deferred = durable && mayDefer && groupCommit.mayDefer();
                syncFull(durable && !deferred);
                long mark = groupCommit.mark(); // writes are serialised here: every deferred commit so far
                Sql.update(writer, "BEGIN IMMEDIATE");
                try {
                    T result = work.run(writer);
                    long counter = changes ? Sql.longValue(writer,
                            "UPDATE store_counter SET value = value + 1 WHERE name = 'changes' RETURNING value") : 0;
                    Sql.update(writer, "COMMIT");
                    if (changes) {
                        long[] own = ownChanges.get();
                        own[0] = counter;
                        own[1]++;
                    }
                    if (deferred) {
                        groupCommit.deferredCommitted();
                    } else if (durable && changes) {
                        // synchronous=FULL and at least one page written (the counter): the commit fsynced the log,
                        // with every earlier frame in it
                        groupCommit.durableCommitted(mark);
                    }
                    return result;
                } catch (Throwable t) {
                    rollback(writer);
                    throw t;
                }
            } finally {
                StatementCache.exit(outer);
                writeLock.unlock();
            }
        } catch (SQLException | IOException e) {
            throw translate(e, what);
        } catch (SqlFailure e) {
            throw translate(e.sql(), what);
        } finally {
            life.readLock().unlock();
        }
    }

    /** @return the calling thread's committed changes through this instance ({@link Storage#ownChanges()}) */
    Storage.OwnChanges ownChanges() {
        long[] own = ownChanges.get();
        return new Storage.OwnChanges(own[0], own[1]);
    }

    /** @return the group commit of this store file's writes */
    GroupCommit groupCommit() {
        return groupCommit;
    }

    /**
     * The group commit's flush: one durable commit that writes a page (a no-op transaction writes nothing to the log
     * and so syncs nothing), so its fsync of the write-ahead log takes every earlier frame with it. It counts the
     * flushes in {@code store_counter} under its own name, which nothing polls (the change counter stays as it is).
     */
    private void commitDurably() {
        write("flushing deferred commits", false, true, false, c -> Sql.update(c, "INSERT INTO store_counter "
                + "(name, value) VALUES ('durable_flushes', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1"));
    }

    /**
     * Runs {@code work} (schema migrations) in a durable write transaction with foreign keys off, as SQLite documents
     * for changes that rebuild a table: with them on, dropping the old copy of a parent table would cascade to its
     * children. Before the commit {@code PRAGMA foreign_key_check} must come back empty, else nothing is committed.
     * The writer is back at {@code foreign_keys=ON} before this returns (if even that fails, every later call fails).
     *
     * @param what what the call does, for error messages
     * @param work the work
     * @return its result
     */
    <T> T writeSchema(String what, Work<T> work) {
        life.readLock().lock();
        try {
            checkOpen();
            writeLock.lock();
            try {
                exec(writer, "PRAGMA foreign_keys=OFF");
                try {
                    return write(what, true, c -> {
                        T result = work.run(c);
                        List<String> violations = Sql.list(c, "PRAGMA foreign_key_check",
                                rs -> rs.getString(1) + " row " + rs.getLong(2) + " -> " + rs.getString(3));
                        if (!violations.isEmpty()) {
                            throw new SQLException("foreign key check failed: " + violations.subList(0,
                                    Math.min(5, violations.size())) + (violations.size() > 5 ? " and " + (violations.size() - 5)
                                    + " more" : ""));
                        }
                        return result;
                    });
                } finally {
                    restoreForeignKeys();
                }
            } finally {
                writeLock.unlock();
            }
        } catch (SQLException e) {
            throw translate(e, what);
        } finally {
            life.readLock().unlock();
        }
    }

    private void restoreForeignKeys() {
        try {
            exec(writer, "PRAGMA foreign_keys=ON");
        } catch (SQLException e) {
            broken = true;
            throw translate(e, "restoring foreign_keys=ON (every later call fails)");
        }
    }

    /**
     * Runs {@code work} in a read transaction: one consistent snapshot of the store.
     *
     * @param what what the call does, for error messages
     * @param work the work
     * @return its result
     */
    <T> T read(String what, Work<T> work) {
        life.readLock().lock();
        try {
            checkOpen();
            Connection c = borrow();
            StatementCache cache;
            synchronized (allReaders) {
                cache = readerStatements.get(c);
            }
            StatementCache outer = cache.enter();
            try {
                Sql.update(c, "BEGIN");
                try {
                    return work.run(c);
                } finally {
                    rollbackCached(c);
                }
            } finally {
                StatementCache.exit(outer);
                idleReaders.offer(c);
            }
        } catch (SQLException | IOException e) {
            throw translate(e, what);
        } catch (SqlFailure e) {
            throw translate(e.sql(), what);
        } finally {
            life.readLock().unlock();
        }
    }

    private Connection borrow() throws SQLException {
        Connection c = idleReaders.poll();
        if (c != null) {
            return c;
        }
        synchronized (allReaders) {
            if (allReaders.size() < options.readConnections()) {
                Connection fresh = connect(url, options, true);
                allReaders.add(fresh);
                readerStatements.put(fresh, new StatementCache(fresh));
                return fresh;
            }
        }
        try {
            c = idleReaders.poll(options.busyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "interrupted while waiting for a connection to "
                    + path);
        }
        if (c == null) {
            throw new MapiException(HResult.MAPI_E_BUSY, "all " + options.readConnections()
                    + " read connections to " + path + " stayed busy for " + options.busyTimeout());
        }
        return c;
    }

    /**
     * Puts the writer at {@code synchronous=FULL} (a durable write) or {@code NORMAL} (a write that skips the fsync)
     * unless it is there already; under the write lock. A run of writes of one kind (the spooler's deferred outcomes)
     * sets it once, not twice per write. A durable write whose switch to FULL fails fails with it: it never commits
     * at NORMAL.
     */
    private void syncFull(boolean full) throws SQLException {
        if (full != writerFull) {
            exec(writer, full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
            writerFull = full;
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** {@link #rollback} through the connection's current statement cache. */
    private static void rollbackCached(Connection c) {
        try {
            Sql.update(c, "ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction open (BEGIN failed): nothing to undo
        }
    }

    private static void rollback(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction open (COMMIT already ran or BEGIN failed): nothing to undo
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new MapiException(HResult.MAPI_E_INVALID_OBJECT, "the storage of " + path + " is closed");
        }
        if (broken) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "the storage of " + path + " can no longer enforce"
                    + " its foreign keys (foreign_keys=ON could not be restored); close and reopen it");
        }
    }

    /**
     * @return the settings of the writer connection that the durability promise rests on: journal_mode,
     *         synchronous, foreign_keys, busy_timeout (for tests and diagnostics)
     */
    java.util.Map<String, String> pragmas() {
        return write("reading connection settings", false, c -> {
            java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
            for (String p : new String[] {"journal_mode", "synchronous", "foreign_keys", "busy_timeout"}) {
                m.put(p, Sql.one(c, "PRAGMA " + p, rs -> rs.getString(1)).orElse(""));
            }
            return m;
        });
    }

    /**
     * Copies the write-ahead log into the database file ({@code PRAGMA wal_checkpoint(TRUNCATE)}), so the file
     * header on disk is current (a new store's application id, read by {@code open} before SQLite is involved).
     */
    void checkpoint() {
        life.readLock().lock();
        try {
            checkOpen();
            writeLock.lock();
            try {
                exec(writer, "PRAGMA wal_checkpoint(TRUNCATE)");
            } finally {
                writeLock.unlock();
            }
        } catch (SQLException e) {
            throw translate(e, "checkpointing");
        } finally {
            life.readLock().unlock();
        }
    }

    /** @return whether {@link #close()} ran */
    boolean isClosed() {
        return closed;
    }

    /**
     * Maps an SQLite failure to the MAPI code a caller can act on, naming the file and the operation.
     *
     * @param e    the failure
     * @param what the operation
     * @return the exception to throw
     */
    MapiException translate(Exception e, String what) {
        return translate(e, what, path);
    }

    static MapiException translate(Exception e, String what, Path path) {
        if (e instanceof MapiException m) {
            return m;
        }
        String where = what + " in store " + path + " failed: ";
        if (e instanceof IOException) {
            return new MapiException(HResult.MAPI_E_CALL_FAILED, where + "reading a value stream failed: "
                    + e.getMessage(), e);
        }
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            int primary = code == null ? -1 : code.code & 0xFF;
            int hr = switch (primary) {
                case 5, 6 -> HResult.MAPI_E_BUSY;                 // SQLITE_BUSY, SQLITE_LOCKED
                case 13 -> HResult.MAPI_E_NOT_ENOUGH_DISK;       // SQLITE_FULL
                case 10 -> HResult.MAPI_E_DISK_ERROR;            // SQLITE_IOERR
                case 11, 26 -> HResult.MAPI_E_CORRUPT_STORE;     // SQLITE_CORRUPT, SQLITE_NOTADB
                case 8, 23 -> HResult.MAPI_E_NO_ACCESS;          // SQLITE_READONLY, SQLITE_AUTH
                case 14 -> HResult.MAPI_E_NO_ACCESS;             // SQLITE_CANTOPEN (the file exists: rights)
                default -> HResult.MAPI_E_CALL_FAILED;
            };
            String hint = switch (hr) {
                case HResult.MAPI_E_BUSY -> " (another connection held the store's lock longer than the busy timeout;"
                        + " retry, or raise Options.busyTimeout)";
                case HResult.MAPI_E_NOT_ENOUGH_DISK -> " (free disk space)";
                case HResult.MAPI_E_CORRUPT_STORE -> " (the file is damaged; restore it from a backup)";
                case HResult.MAPI_E_NO_ACCESS -> " (check that the file and its directory are readable and writable)";
                default -> "";
            };
            return new MapiException(hr, where + se.getMessage() + hint, e);
        }
        return new MapiException(HResult.MAPI_E_CALL_FAILED, where + e.getMessage(), e);
    }

    /** Closes every connection after the calls in progress have finished. Safe to call more than once. */
    @Override
    public void close() {
        if (!closed && !broken) {
            try {
                groupCommit.close(true); // deferred commits are durable before the connections go
            } catch (MapiException e) {
                groupCommit.close(false); // closing the connection checkpoints the log anyway, as far as it can
            }
        } else {
            groupCommit.close(false);
        }
        life.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            synchronized (allReaders) {
                for (StatementCache cache : readerStatements.values()) {
                    cache.close();
                }
                readerStatements.clear();
                for (Connection c : allReaders) {
                    closeQuietly(c);
                }
                allReaders.clear();
            }
            idleReaders.clear();
            writerStatements.close();
            closeQuietly(writer);
        } finally {
            life.writeLock().unlock();
        }
    }

    /** Closes {@code c} (nothing when null), ignoring a failure. */
    static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a connection that failed: nothing more can be done with it
        }
    }
}
