package org.jmapi.store.postgres;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropValue;
import org.jmapi.store.Activity;
import org.jmapi.store.ActivityKind;
import org.jmapi.store.ActivityRecord;
import org.jmapi.store.ActivitySummary;
import org.jmapi.store.ContentsQuery;
import org.jmapi.store.Disposal;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.LargeValue;
import org.jmapi.store.MessageInfo;
import org.jmapi.store.MessageRow;
import org.jmapi.store.ReceiveFolder;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.Storage;
import org.jmapi.store.StoreIdentity;
import org.jmapi.store.StoredMessage;
import org.jmapi.store.engine.ImageRules;
import org.jmapi.store.engine.IndexedColumn;
import org.jmapi.store.engine.PropCodec;
import org.jmapi.store.engine.ReceiveClasses;
import org.jmapi.store.engine.SortIndexes;
import org.jmapi.table.Restriction;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The PostgreSQL storage engine: many stores in one PostgreSQL database, through the PostgreSQL JDBC driver and a
 * HikariCP connection pool per open instance.
 *
 * <p><b>Many stores, one schema.</b> All stores of a database share one set of tables in the schema
 * {@code jmapi} ({@link Schema}); every row carries its store's key ({@code store_id}, leading every primary key and
 * index), and a store is a row of {@code jmapi.store} found by its unique name. This was chosen over one PostgreSQL
 * schema per store because: creating a store is then an insert in one short transaction instead of dozens of DDL
 * statements (slow and awkward on the distributed engines, where schema changes are online background jobs); the
 * catalog does not grow with the number of mailboxes (thousands of stores would otherwise mean hundreds of thousands
 * of tables and indexes); schema migrations run once per database, not once per store; work that spans stores (a
 * spooler host serving every mailbox's outgoing queue, later) is one query; and on YugabyteDB / CockroachDB a
 * {@code store_id}-prefixed key keeps each mailbox's rows together. The price — every statement says
 * {@code store_id = ?} — is paid once, here.
 *
 * <p><b>Opening.</b> {@link #create} adds a store to a database (creating or upgrading the jmapi schema first when
 * needed: all pending migrations in one transaction); {@link #open} opens one by name. Both first check, without
 * writing anything, that the database is one this version understands: a database that does not exist is
 * MAPI_E_NOT_FOUND, as is a store name it does not hold; a refused password (or role) is MAPI_E_LOGON_FAILED; an
 * unreachable server is MAPI_E_NETWORK_ERROR; a {@code jmapi} schema that is not jmapi's (no migration history, or
 * another history) or a store row without its root folder is MAPI_E_CORRUPT_STORE; a schema written by a newer
 * jmapi is MAPI_E_VERSION. In those cases the database is left as it was. The database must use UTF-8.
 *
 * <p><b>Transactions and durability.</b> Writes to one store are serialised by a row lock on its {@code store}
 * row, taken first in every write transaction (so they behave as SQLite's single writer does, across every process
 * and host), while different stores write in parallel; reads are REPEATABLE READ snapshots that never block. Every
 * connection runs with {@code synchronous_commit} on (raised per connection when the server's default is off), so
 * a call that returned is in the server's flushed write-ahead log and survives a crash of this process or of the
 * server, as long as the server runs with {@code fsync=on} ({@link #settings()} shows both).
 *
 * <p><b>Spooler locks and activities</b> are owned by the instance ({@link #ownerId()}); the instance records its
 * process (pid, start time, host) and renews a lease every {@link Options#heartbeat()}. Another instance treats
 * them as gone as soon as it sees the owning process is dead (same host), or when the lease ran out (any host).
 * Taking and giving back a spooler lock does not take the store's write lock: {@link #lockNextQueued()} and
 * {@link #lockMessage} claim the message's row with {@code SELECT ... FOR UPDATE SKIP LOCKED}, so spoolers on several
 * hosts share one outgoing queue, in parallel, each message going to exactly one of them (see {@code PostgresQueue}).
 *
 * <p><b>Portability.</b> The SQL is meant to stay within what PostgreSQL-compatible distributed engines
 * (YugabyteDB, CockroachDB) accept: it relies on row locks ({@code FOR UPDATE}), {@code ON CONFLICT},
 * {@code RETURNING}, {@code = ANY(array)}, recursive CTEs, identity columns, partial and expression indexes with
 * {@code NULLS FIRST}, {@code COLLATE "C"}, {@code left}/{@code strpos}, and session settings in the connection's
 * startup options, {@code FOR UPDATE SKIP LOCKED} and {@code FOR NO KEY UPDATE}; it uses no advisory locks,
 * large objects, triggers or deferred constraints. LISTEN/NOTIFY is used only behind {@link #changeSignal()}, with
 * polling as the fallback: turned off by {@link Options#listenNotify()}, and off by itself when the server refuses
 * {@code LISTEN} or {@code pg_notify} when the store is opened. It is tested against PostgreSQL only (embedded);
 * running it on a distributed engine has not been tried yet (docs/scaling.md).
 *
 * <p><b>Change notifications.</b> With {@link Options#listenNotify()} on (the default) and a server that accepts
 * them, every write that other instances should notice also sends a notification on the store's channel, inside its
 * transaction (so it is delivered only on commit); {@link #changeSignal()} listens for the other instances'
 * notifications over one connection of its own, opened when the first reader subscribes, and reconnects after a
 * loss (see {@code PostgresChangeSignal}). Every instance of a store should have the same setting: an instance with
 * it off sends no notifications, so the others see its changes only at their safety-net poll. A cost to know:
 * PostgreSQL serialises the commits of all notifying transactions of the whole server (a lock held until the commit
 * is flushed), so notifying writers of different stores no longer commit in parallel.
 *
 * <p>Thread-safe; see {@link Storage} for the contract.
 */
public final class PostgresStorage implements Storage {
    /**
     * How an instance behaves. Immutable.
     *
     * @param busyTimeout how long a call waits for the store's write lock or a pooled connection before MAPI_E_BUSY
     * @param lease       how long spooler locks and activities count without renewal
     * @param heartbeat   how often the instance renews its lease (zero: never, for tests that drive time)
     * @param inlineLimit strings and binaries whose stream form is longer than this many bytes are stored out of
     *                    line (and loaded as {@link LargeValue}s)
     * @param chunkSize   the size of the chunks out-of-line values are written and read in
     * @param poolSize    how many connections the instance's pool may open
     * @param clock       the clock for timestamps and leases
     * @param listenNotify whether the instance uses LISTEN/NOTIFY: its writes notify the store's channel and its
     *                    {@link #changeSignal()} listens there (off for engines without it — YugabyteDB,
     *                    CockroachDB — or to spare the server the notification queue; it also turns itself off when
     *                    the server refuses it at open)
     */
    public record Options(Duration busyTimeout, Duration lease, Duration heartbeat, int inlineLimit, int chunkSize,
                          int poolSize, Clock clock, boolean listenNotify) {
        /**
         * @param busyTimeout how long a call waits for the store's write lock or a pooled connection
         * @param lease how long spooler locks and activities count without renewal
         * @param heartbeat how often the instance renews its lease (zero: never)
         * @param inlineLimit the inline limit in bytes
         * @param chunkSize the chunk size of out-of-line values
         * @param poolSize the connection pool's size
         * @param clock the clock for timestamps and leases
         * @param listenNotify whether the instance uses LISTEN/NOTIFY
         * @throws IllegalArgumentException for non-positive sizes or durations
         */
        public Options {
            Objects.requireNonNull(clock, "clock");
            if (busyTimeout.isNegative() || lease.isNegative() || lease.isZero() || heartbeat.isNegative()
                    || inlineLimit < 0 || chunkSize < 1024 || poolSize < 2) {
                throw new IllegalArgumentException("invalid storage options: " + busyTimeout + ", " + lease + ", "
                        + heartbeat + ", " + inlineLimit + ", " + chunkSize + ", " + poolSize);
            }
        }

        /**
         * Options with LISTEN/NOTIFY on.
         *
         * @param busyTimeout how long a call waits for the store's write lock or a pooled connection
         * @param lease how long spooler locks and activities count without renewal
         * @param heartbeat how often the instance renews its lease (zero: never)
         * @param inlineLimit the inline limit in bytes
         * @param chunkSize the chunk size of out-of-line values
         * @param poolSize the connection pool's size
         * @param clock the clock for timestamps and leases
         * @throws IllegalArgumentException for non-positive sizes or durations
         */
        public Options(Duration busyTimeout, Duration lease, Duration heartbeat, int inlineLimit, int chunkSize,
                       int poolSize, Clock clock) {
            this(busyTimeout, lease, heartbeat, inlineLimit, chunkSize, poolSize, clock, true);
        }

        /**
         * @return busy timeout 10 s, lease 30 s renewed every 10 s, inline limit 4096 bytes, 64 KiB chunks, a pool
         *         of 6 connections, the system clock, LISTEN/NOTIFY on
         */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10), 4096,
                    64 * 1024, 6, Clock.systemUTC(), true);
        }

        /**
         * @param on whether to use LISTEN/NOTIFY
         * @return a copy with it
         */
        public Options withListenNotify(boolean on) {
            return new Options(busyTimeout, lease, heartbeat, inlineLimit, chunkSize, poolSize, clock, on);
        }

        /**
         * @param c the clock
         * @return a copy using it
         */
        public Options withClock(Clock c) {
            return new Options(busyTimeout, lease, heartbeat, inlineLimit, chunkSize, poolSize, c, listenNotify);
        }

        /**
         * @param l the lease
         * @param h the renewal interval
         * @return a copy with them
         */
        public Options withLease(Duration l, Duration h) {
            return new Options(busyTimeout, l, h, inlineLimit, chunkSize, poolSize, clock, listenNotify);
        }

        /**
         * @param limit the inline limit in bytes
         * @param chunk the chunk size
         * @return a copy with them
         */
        public Options withValueSizes(int limit, int chunk) {
            return new Options(busyTimeout, lease, heartbeat, limit, chunk, poolSize, clock, listenNotify);
        }

        /**
         * @param t the busy timeout
         * @return a copy with it
         */
        public Options withBusyTimeout(Duration t) {
            return new Options(t, lease, heartbeat, inlineLimit, chunkSize, poolSize, clock, listenNotify);
        }

        /**
         * @param n the pool size (at least 2)
         * @return a copy with it
         */
        public Options withPoolSize(int n) {
            return new Options(busyTimeout, lease, heartbeat, inlineLimit, chunkSize, n, clock, listenNotify);
        }
    }

    private static final System.Logger LOG = System.getLogger(PostgresStorage.class.getName());

    private final Db db;
    private final Options options;
    private final String ownerId;
    /** LISTEN on the store's channel, or null when this instance does not use notifications. */
    private final PostgresChangeSignal signal;
    private final String jdbcUrl;
    private final String storeName;
    private final StoreIdentity identity;
    private final PostgresFolders folders;
    private final PostgresMessages messages;
    private final PostgresQueue queue;
    private final SortIndexes sortIndexes = new SortIndexes(this::indexExists, this::buildIndex);
    /** Messages saved by this instance, until {@link #analyzeOnce} ran. */
    private final AtomicLong saves = new AtomicLong();
    private final AtomicBoolean analyzed = new AtomicBoolean();

    private PostgresStorage(Db db, Options options, String jdbcUrl, String storeName, String ownerId,
                            PostgresChangeSignal signal) {
        this.db = db;
        this.options = options;
        this.ownerId = ownerId;
        this.signal = signal;
        this.jdbcUrl = jdbcUrl;
        this.storeName = storeName;
        this.queue = new PostgresQueue(this);
        this.folders = new PostgresFolders(this);
        this.messages = new PostgresMessages(this);
        this.identity = db.read("reading the store identity", this::readIdentity);
    }

    // ---- factories -------------------------------------------------------------------------------------------

    /**
     * Creates a new store in a database, with default options.
     *
     * @param jdbcUrl     the database ({@code jdbc:postgresql://host:port/database}); it must exist
     * @param user        the role to connect as (needs CREATE on the database the first time, to create the jmapi
     *                    schema)
     * @param password    its password
     * @param storeName   the store's name in the database (a mailbox name, say); unique in the database
     * @param displayName the store's display name
     * @param storeUid    the store's MAPIUID, or null for a fresh random one
     * @return the open store, owned by the caller
     * @throws MapiException MAPI_E_COLLISION when the database already holds a store of that name; otherwise as
     *                       {@link #open(String, String, String, String)}
     */
    public static PostgresStorage create(String jdbcUrl, String user, String password, String storeName,
                                         String displayName, MapiUid storeUid) {
        return create(jdbcUrl, user, password, storeName, displayName, storeUid, Options.defaults());
    }

    /**
     * Creates a new store in a database.
     *
     * @param jdbcUrl     the database; it must exist
     * @param user        the role to connect as
     * @param password    its password
     * @param storeName   the store's name in the database; unique in the database
     * @param displayName the store's display name
     * @param storeUid    the store's MAPIUID, or null for a fresh random one
     * @param options     how the instance behaves
     * @return the open store, owned by the caller
     * @throws MapiException as {@link #create(String, String, String, String, String, MapiUid)}
     */
    public static PostgresStorage create(String jdbcUrl, String user, String password, String storeName,
                                         String displayName, MapiUid storeUid, Options options) {
        return create(jdbcUrl, user, password, storeName, displayName, storeUid, options, Schema.MIGRATIONS);
    }

    static PostgresStorage create(String jdbcUrl, String user, String password, String storeName,
                                  String displayName, MapiUid storeUid, Options options, List<Migration> migrations) {
        checkName(storeName);
        if (displayName == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "a store needs a display name (may be empty)");
        }
        noNul(displayName, "a store's display name");
        String where = where(storeName, jdbcUrl);
        MapiUid uid = storeUid != null ? storeUid : MapiUid.random();
        long now = options.clock().millis();
        long storeId;
        boolean raise;
        boolean notify;
        try (Connection c = connect(jdbcUrl, user, password, where)) {
            raise = checkServer(c, where);
            notify = options.listenNotify() && acceptsNotify(c, where);
            int version = inspect(c, where, migrations);
            if (version < Schema.latest(migrations)) {
                migrate(c, version, migrations, now, where);
            }
            storeId = createStoreRow(c, storeName, displayName, uid, now, where, Schema.latest(migrations) >= 3);
        } catch (SQLException e) {
            throw Db.translate(e, "creating", where);
        }
        return start(jdbcUrl, user, password, storeName, options, storeId, raise, notify);
    }

    private static long createStoreRow(Connection c, String storeName, String displayName, MapiUid uid, long now,
                                       String where, boolean queueState) throws SQLException {
        c.setAutoCommit(false);
        try {
            if (Sql.longValue(c, "SELECT count(*) FROM jmapi.store WHERE name = ?", storeName) > 0) {
                throw collision(storeName, where);
            }
            long id = Sql.insert(c, "INSERT INTO jmapi.store (name, store_uid, display_name, created_at, "
                    + "root_folder_id, props) VALUES (?, ?, ?, ?, 0, ?)", storeName, uid.toBytes(), displayName, now,
                    PropCodec.encode(List.of()));
            long root = Sql.insert(c, "INSERT INTO jmapi.folder (store_id, parent_id, display_name, name_key, "
                    + "folder_type, props, created_at, modified_at) VALUES (?, NULL, '', '', ?, ?, ?, ?)", id,
                    FolderRecord.FOLDER_ROOT, PropCodec.encode(List.of()), now, now);
            Sql.update(c, "UPDATE jmapi.store SET root_folder_id = ? WHERE id = ?", root, id);
            if (queueState) {
                Sql.update(c, "INSERT INTO jmapi.queue_state (store_id) VALUES (?)", id);
            }
            c.commit();
            return id;
        } catch (SQLException e) {
            c.rollback();
            if ("23505".equals(e.getSQLState())) {
                throw collision(storeName, where);
            }
            throw e;
        } catch (RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    private static MapiException collision(String storeName, String where) {
        return new MapiException(HResult.MAPI_E_COLLISION, "cannot create " + where + ": the database already holds"
                + " a store named '" + storeName + "'; open it, or choose another name");
    }

    /**
     * Opens a store of a database by name, with default options.
     *
     * @param jdbcUrl   the database ({@code jdbc:postgresql://host:port/database})
     * @param user      the role to connect as
     * @param password  its password
     * @param storeName the store's name in the database
     * @return the open store, owned by the caller
     * @throws MapiException MAPI_E_NOT_FOUND when the database does not exist or holds no store of that name;
     *                       MAPI_E_LOGON_FAILED when the server refuses the role or password;
     *                       MAPI_E_NETWORK_ERROR when the server cannot be reached; MAPI_E_CORRUPT_STORE when its
     *                       {@code jmapi} schema is not jmapi's or the store is damaged; MAPI_E_VERSION when a newer
     *                       jmapi wrote the schema; MAPI_E_NO_SUPPORT when the database does not use UTF-8. The
     *                       database is not changed in any of these cases.
     */
    public static PostgresStorage open(String jdbcUrl, String user, String password, String storeName) {
        return open(jdbcUrl, user, password, storeName, Options.defaults());
    }

    /**
     * Opens a store of a database by name.
     *
     * @param jdbcUrl   the database
     * @param user      the role to connect as
     * @param password  its password
     * @param storeName the store's name in the database
     * @param options   how the instance behaves
     * @return the open store, owned by the caller
     * @throws MapiException as {@link #open(String, String, String, String)}
     */
    public static PostgresStorage open(String jdbcUrl, String user, String password, String storeName,
                                       Options options) {
        return open(jdbcUrl, user, password, storeName, options, Schema.MIGRATIONS);
    }

    static PostgresStorage open(String jdbcUrl, String user, String password, String storeName, Options options,
                                List<Migration> migrations) {
        checkName(storeName);
        String where = where(storeName, jdbcUrl);
        long storeId;
        boolean raise;
        boolean notify;
        try (Connection c = connect(jdbcUrl, user, password, where)) {
            raise = checkServer(c, where);
            notify = options.listenNotify() && acceptsNotify(c, where);
            int version = inspect(c, where, migrations);
            if (version == 0) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "there is no " + where + ": the database holds no"
                        + " jmapi stores (no schema \"" + Schema.NAME + "\"); create one with PostgresStorage.create");
            }
            storeId = findStore(c, storeName, where);
            if (version < Schema.latest(migrations)) {
                migrate(c, version, migrations, options.clock().millis(), where);
            }
        } catch (SQLException e) {
            throw Db.translate(e, "opening", where);
        }
        return start(jdbcUrl, user, password, storeName, options, storeId, raise, notify);
    }

    private static PostgresStorage start(String jdbcUrl, String user, String password, String storeName,
                                         Options options, long storeId, boolean raiseDurability, boolean notify) {
        String where = where(storeName, jdbcUrl);
        String ownerId = UUID.randomUUID().toString();
        String channel = notify ? PostgresChangeSignal.channel(storeId) : null;
        Db db = new Db(where, storeId, jdbcUrl, user, password, options, raiseDurability, channel, ownerId);
        PostgresChangeSignal signal = notify
                ? new PostgresChangeSignal(jdbcUrl, user, password, storeId, ownerId, where) : null;
        try {
            return new PostgresStorage(db, options, jdbcUrl, storeName, ownerId, signal);
        } catch (RuntimeException e) {
            if (signal != null) {
                signal.close();
            }
            db.close();
            throw e;
        }
    }

    /**
     * Checks, on a connection in autocommit, that the server accepts what notifications need: {@code pg_notify} and
     * {@code LISTEN} (CockroachDB refuses LISTEN; YugabyteDB before its LISTEN/NOTIFY support refuses both). Writes
     * nothing: the probe's notification goes to a channel nobody listens on, and the LISTEN is undone.
     *
     * @return whether notifications can be used; false (with a log line) when the server refused
     */
    private static boolean acceptsNotify(Connection c, String where) {
        try {
            Sql.one(c, "SELECT pg_notify('jmapi_probe', '')", rs -> null);
            Sql.exec(c, "LISTEN jmapi_probe");
            Sql.exec(c, "UNLISTEN jmapi_probe");
            return true;
        } catch (SQLException e) {
            System.getLogger(PostgresStorage.class.getName()).log(System.Logger.Level.WARNING, "the server of "
                    + where + " refuses LISTEN/NOTIFY (" + e.getMessage() + "); changes made elsewhere are noticed"
                    + " by polling");
            return false;
        }
    }

    private static String where(String storeName, String jdbcUrl) {
        return "store '" + storeName + "' in " + jdbcUrl;
    }

    private static void checkName(String storeName) {
        if (storeName == null || storeName.isBlank()) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "a PostgreSQL store needs a non-blank name");
        }
        noNul(storeName, "a store name");
    }

    /** PostgreSQL text cannot hold U+0000: refuse it up front with the code ImageRules uses. */
    static void noNul(String s, String what) {
        if (s != null && s.indexOf('\0') >= 0) {
            throw new MapiException(HResult.MAPI_E_BAD_VALUE, what + " cannot contain U+0000 in a PostgreSQL store");
        }
    }

    private static Connection connect(String jdbcUrl, String user, String password, String where) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "'" + jdbcUrl + "' is not a PostgreSQL JDBC URL"
                    + " (jdbc:postgresql://host:port/database)");
        }
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        try {
            Connection c = DriverManager.getConnection(jdbcUrl, p);
            if (c == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "no JDBC driver accepts " + jdbcUrl);
            }
            return c;
        } catch (SQLException e) {
            int hr = Db.hresult(e);
            String why = switch (hr) {
                case HResult.MAPI_E_NOT_FOUND -> "the database does not exist; create it first (CREATE DATABASE ..."
                        + " ENCODING 'UTF8')";
                case HResult.MAPI_E_LOGON_FAILED -> "the server refused role '" + user + "' (wrong password, or no"
                        + " such role)";
                case HResult.MAPI_E_NETWORK_ERROR -> "the server cannot be reached";
                default -> "the connection failed";
            };
            throw new MapiException(hr, "cannot connect to " + where + ": " + why + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Checks the server's settings a store depends on.
     *
     * @return whether synchronous_commit must be raised to on for this engine's connections
     */
    private static boolean checkServer(Connection c, String where) throws SQLException {
        String encoding = Sql.one(c, "SELECT current_setting('server_encoding')", rs -> rs.getString(1)).orElse("");
        if (!encoding.equalsIgnoreCase("UTF8")) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "cannot use " + where + ": the database's encoding is "
                    + encoding + ", jmapi stores need UTF8 (CREATE DATABASE ... ENCODING 'UTF8')");
        }
        String sync = Sql.one(c, "SELECT current_setting('synchronous_commit')", rs -> rs.getString(1)).orElse("on");
        return sync.equalsIgnoreCase("off");
    }

    /**
     * Checks, without writing anything, that the database's {@code jmapi} schema is one this version can use.
     *
     * @return its schema version; 0 when the database has no {@code jmapi} schema
     */
    private static int inspect(Connection c, String where, List<Migration> migrations) throws SQLException {
        // the catalog, not information_schema: that one hides what the role has no privilege on
        boolean schema = Sql.longValue(c, "SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname = ?",
                Schema.NAME) > 0;
        if (!schema) {
            return 0;
        }
        boolean versions = Sql.longValue(c, "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = ? "
                + "AND tablename = 'schema_version'", Schema.NAME) > 0;
        if (!versions) {
            throw new MapiException(HResult.MAPI_E_CORRUPT_STORE, "cannot use " + where + ": the database has a schema"
                    + " \"" + Schema.NAME + "\" that is not jmapi's (it has no schema_version table); nothing was"
                    + " changed");
        }
        int version;
        String first;
        try {
            version = (int) Sql.longValue(c, "SELECT coalesce(max(version), 0) FROM jmapi.schema_version");
            first = Sql.one(c, "SELECT description FROM jmapi.schema_version WHERE version = 1",
                    rs -> rs.getString(1)).orElse(null);
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS, "cannot use " + where + ": the role may not read"
                        + " jmapi.schema_version (" + e.getMessage() + "); grant it the jmapi schema's privileges", e);
            }
            throw new MapiException(HResult.MAPI_E_CORRUPT_STORE, "cannot use " + where + ": the table"
                    + " jmapi.schema_version is not jmapi's (" + e.getMessage() + "); nothing was changed", e);
        }
        if (!Schema.FIRST.equals(first)) {
            throw new MapiException(HResult.MAPI_E_CORRUPT_STORE, "cannot use " + where + ": the schema \""
                    + Schema.NAME + "\" does not record jmapi's first migration (found "
                    + (first == null ? "none" : "'" + first + "'") + "), so it is not a jmapi schema; nothing was"
                    + " changed");
        }
        int latest = Schema.latest(migrations);
        if (version > latest) {
            throw new MapiException(HResult.MAPI_E_VERSION, "cannot use " + where + ": its jmapi schema has version "
                    + version + ", newer than the " + latest + " this jmapi understands; use a newer jmapi (nothing"
                    + " was changed)");
        }
        return version;
    }

    private static long findStore(Connection c, String storeName, String where) throws SQLException {
        long[] row = Sql.one(c, "SELECT s.id, s.root_folder_id, (SELECT count(*) FROM jmapi.folder f WHERE "
                        + "f.store_id = s.id AND f.id = s.root_folder_id AND f.parent_id IS NULL) FROM jmapi.store s "
                        + "WHERE s.name = ?", rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)},
                storeName).orElseThrow(() -> new MapiException(HResult.MAPI_E_NOT_FOUND, "there is no " + where
                + "; create it with PostgresStorage.create"));
        if (row[2] != 1) {
            throw new MapiException(HResult.MAPI_E_CORRUPT_STORE, where + " is damaged: its root folder " + row[1]
                    + " is missing; nothing was changed");
        }
        return row[0];
    }

    /**
     * Applies the migrations after {@code from}, in order, in one transaction on {@code c}. Two processes migrating
     * at once: the second fails on the first's rows (duplicate version or object), rolls back, and finds the schema
     * up to date when it looks again.
     */
    static void migrate(Connection c, int from, List<Migration> migrations, long now, String where)
            throws SQLException {
        checkNumbering(migrations);
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            Sql.exec(c, "CREATE SCHEMA IF NOT EXISTS " + Schema.NAME);
            Sql.exec(c, "CREATE TABLE IF NOT EXISTS jmapi.schema_version (version INTEGER PRIMARY KEY, "
                    + "description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            for (Migration m : migrations) {
                if (m.version() <= from) {
                    continue;
                }
                for (String sql : m.statements()) {
                    Sql.exec(c, sql);
                }
                Sql.update(c, "INSERT INTO jmapi.schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                        m.version(), m.description(), now);
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            String state = e.getSQLState();
            boolean raced = "23505".equals(state) || "42P07".equals(state) || "42P06".equals(state)
                    || "40001".equals(state);
            if (raced) {
                int now2 = inspect(c, where, migrations);
                c.commit();
                if (now2 >= Schema.latest(migrations)) {
                    return;
                }
            }
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "upgrading the jmapi schema for " + where
                    + " from version " + from + " to " + Schema.latest(migrations) + " failed, nothing was changed: "
                    + e.getMessage(), e);
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static void checkNumbering(List<Migration> migrations) {
        int expected = 1;
        for (Migration m : migrations) {
            if (m.version() != expected++) {
                throw new IllegalStateException("migrations must be numbered 1, 2, 3, ... without gaps; found "
                        + m.version() + " where " + (expected - 1) + " was expected");
            }
        }
    }

    // ---- shared with the components --------------------------------------------------------------------------

    Db db() {
        return db;
    }

    Options options() {
        return options;
    }

    long sid() {
        return db.storeId();
    }

    long now() {
        return options.clock().millis();
    }

    String ownerIdUnchecked() {
        return ownerId;
    }

    PostgresQueue queueComponent() {
        return queue;
    }

    PostgresFolders foldersComponent() {
        return folders;
    }

    PostgresMessages messagesComponent() {
        return messages;
    }

    // ---- store -----------------------------------------------------------------------------------------------

    private StoreIdentity readIdentity(Connection c) throws SQLException {
        int version = (int) Sql.longValue(c, "SELECT max(version) FROM jmapi.schema_version");
        return Sql.one(c, "SELECT store_uid, display_name, created_at, root_folder_id FROM jmapi.store WHERE id = ?",
                rs -> new StoreIdentity(MapiUid.of(rs.getBytes(1)), rs.getString(2),
                        Instant.ofEpochMilli(rs.getLong(3)), rs.getLong(4), version), sid())
                .orElseThrow(() -> new MapiException(HResult.MAPI_E_NOT_FOUND, db.where() + " no longer exists"));
    }

    @Override
    public StoreIdentity identity() {
        checkOpen();
        return identity;
    }

    @Override
    public String ownerId() {
        checkOpen();
        return ownerId;
    }

    /** @return the store's name in its database */
    public String storeName() {
        return storeName;
    }

    /** @return the database's JDBC URL */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * @return LISTEN/NOTIFY on the store's channel, when {@link Options#listenNotify()} is on and the server
     *         accepted it at open; empty otherwise (readers poll)
     */
    @Override
    public Optional<org.jmapi.store.ChangeSignal> changeSignal() {
        checkOpen();
        return Optional.ofNullable(signal);
    }

    /** @return the listening session's backend pid, 0 when there is none (tests: end it to see the reconnection) */
    int listenerPid() {
        return signal == null ? 0 : signal.backendPid();
    }

    @Override
    public long changeCounter() {
        return db.readOne("reading the change counter",
                c -> Sql.longValue(c, "SELECT s.changes + coalesce((SELECT q.lock_changes FROM jmapi.queue_state q "
                        + "WHERE q.store_id = s.id), 0) FROM jmapi.store s WHERE s.id = ?", sid()));
    }

    /** Events kept per store in the log; older ones are trimmed (a reader further behind misses them). */
    private static final long EVENTS_KEPT = 10_000;
    /** Trim the log once every this many events. */
    private static final long TRIM_EVERY = 256;

    @Override
    public void publishEvents(List<byte[]> payloads) {
        Objects.requireNonNull(payloads, "payloads");
        if (payloads.isEmpty()) {
            return;
        }
        for (byte[] p : payloads) {
            Objects.requireNonNull(p, "null event payload");
        }
        db.write("publishing " + payloads.size() + " events", false, c -> {
            long now = System.currentTimeMillis();
            long last = 0;
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO jmapi.store_event "
                    + "(store_id, origin, created_at, payload) VALUES (?, ?, ?, ?) RETURNING seq")) {
                for (byte[] p : payloads) {
                    ps.setLong(1, sid());
                    ps.setString(2, ownerId);
                    ps.setLong(3, now);
                    ps.setBytes(4, p);
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        last = rs.getLong(1);
                    }
                }
            }
            db.signal(c);
            if (last / TRIM_EVERY != (last - payloads.size()) / TRIM_EVERY) {
                Sql.update(c, "DELETE FROM jmapi.store_event WHERE store_id = ? AND seq <= ?", sid(), last - EVENTS_KEPT);
            }
            return null;
        });
    }

    @Override
    public long lastEventSeq() {
        return db.readOne("reading the event log", c -> Sql.longValue(c,
                "SELECT coalesce(max(seq), 0) FROM jmapi.store_event WHERE store_id = ?", sid()));
    }

    @Override
    public List<org.jmapi.store.StoreEvent> eventsAfter(long afterSeq, int limit) {
        if (limit <= 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "eventsAfter: the limit must be positive");
        }
        return db.readOne("reading the event log", c -> Sql.list(c, "SELECT seq, origin, payload FROM jmapi.store_event "
                + "WHERE store_id = ? AND seq > ? ORDER BY seq LIMIT ?", rs -> new org.jmapi.store.StoreEvent(
                rs.getLong(1), rs.getString(2), rs.getBytes(3)), sid(), afterSeq, limit));
    }

    @Override
    public List<PropValue> storeProperties() {
        return db.readOne("reading the store properties", c -> PropCodec.decode(
                Sql.one(c, "SELECT props FROM jmapi.store WHERE id = ?", rs -> rs.getBytes(1), sid()).orElseThrow()));
    }

    @Override
    public void setStoreProperties(List<PropValue> set, List<Integer> deleteTags) {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(deleteTags, "deleteTags");
        db.write("setting the store properties", true, c -> {
            List<PropValue> current = PropCodec.decode(
                    Sql.one(c, "SELECT props FROM jmapi.store WHERE id = ?", rs -> rs.getBytes(1), sid())
                            .orElseThrow());
            List<PropValue> next = ImageRules.apply(current, set, deleteTags, "store properties");
            Sql.update(c, "UPDATE jmapi.store SET props = ? WHERE id = ?", PropCodec.encode(next), sid());
            return null;
        });
    }

    /**
     * Shows how PostgreSQL would run a contents query: the lines of {@code EXPLAIN} for the statement
     * {@link #query} issues (for tests and diagnostics: an index walk shows {@code Index Scan ... using
     * message_by_...} under the {@code Limit}, and no {@code Sort} node).
     *
     * @param query the query
     * @return the plan's lines, in order
     */
    public List<String> explainQuery(ContentsQuery query) {
        sortIndexes.require(query.sortOrder());
        return db.read("explaining a contents query", c -> messages.explain(c, query));
    }

    /**
     * @return the settings of this instance's connections that its durability promise rests on
     *         ({@code synchronous_commit}, {@code fsync}, {@code lock_timeout}, {@code transaction_isolation},
     *         {@code server_encoding}), as the server reports them
     */
    public Map<String, String> settings() {
        return db.settings();
    }

    private void checkOpen() {
        if (db.isClosed()) {
            throw new MapiException(HResult.MAPI_E_INVALID_OBJECT, "the storage of " + db.where() + " is closed");
        }
    }

    // ---- folders ---------------------------------------------------------------------------------------------

    @Override
    public FolderRecord loadFolder(long folderId) {
        return folders.load(folderId);
    }

    @Override
    public List<FolderRecord> listFolders(long parentId) {
        return folders.list(parentId);
    }

    @Override
    public FolderRecord createFolder(long parentId, String displayName, int folderType, String comment,
                                     List<PropValue> properties) {
        return folders.create(parentId, displayName, folderType, comment, properties);
    }

    @Override
    public FolderRecord renameFolder(long folderId, String newName) {
        return folders.rename(folderId, newName);
    }

    @Override
    public FolderRecord setFolderComment(long folderId, String comment) {
        return folders.setComment(folderId, comment);
    }

    @Override
    public FolderRecord setFolderProperties(long folderId, List<PropValue> set, List<Integer> deleteTags) {
        return folders.setProperties(folderId, set, deleteTags);
    }

    @Override
    public void deleteFolder(long folderId, boolean deleteSubfolders, boolean deleteMessages) {
        folders.delete(folderId, deleteSubfolders, deleteMessages);
    }

    @Override
    public FolderRecord moveFolder(long folderId, long newParentId, String newName) {
        return folders.move(folderId, newParentId, newName);
    }

    // ---- messages --------------------------------------------------------------------------------------------

    @Override
    public MessageInfo saveMessage(SaveRequest request) {
        MessageInfo saved = messages.save(List.of(request)).get(0);
        afterSaves(1);
        return saved;
    }

    @Override
    public List<MessageInfo> saveMessages(List<SaveRequest> requests) {
        List<MessageInfo> saved = messages.save(requests);
        afterSaves(requests.size());
        return saved;
    }

    /**
     * How many saves of this instance make it analyze a never-analyzed {@code message} table
     * ({@link #analyzeOnce}).
     */
    static final int ANALYZE_AFTER_SAVES = 1_000;

    private void afterSaves(int n) {
        if (saves.addAndGet(n) >= ANALYZE_AFTER_SAVES && analyzed.compareAndSet(false, true)) {
            analyzeOnce();
        }
    }

    /**
     * Gives the server statistics for the message tables of a fresh database, once per instance, after
     * {@value #ANALYZE_AFTER_SAVES} saves, when the server has never analyzed {@code jmapi.message}. Without them
     * PostgreSQL keeps the plans it made while the tables were empty — most likely those of the foreign-key checks of
     * every recipient row against {@code message} — and those read the whole table, ever slower as it grows, until autovacuum
     * first analyzes it (its next nap, a minute or more away): saves into a new database slowed from 1,300 to 420 a
     * second over 65 s here, and ran at 1,600 a second from the first {@code ANALYZE} on. Analyzing invalidates those
     * plans. Only tables that already hold {@value #ANALYZE_AFTER_SAVES} rows are analyzed: statistics saying a table
     * is empty would fix plans that read it whole just the same. Best effort: a failure is logged, and autovacuum
     * does it later anyway.
     */
    private void analyzeOnce() {
        try {
            db.autocommit("analyzing the message tables", c -> {
                boolean never = Sql.one(c, "SELECT last_analyze IS NULL AND last_autoanalyze IS NULL"
                        + " FROM pg_catalog.pg_stat_user_tables WHERE schemaname = ? AND relname = 'message'",
                        rs -> rs.getBoolean(1), Schema.NAME).orElse(false);
                if (never) {
                    // only tables already big enough that an index beats reading them: statistics of an empty or
                    // tiny table would make the same stale plans, the other way round
                    for (String table : List.of("message", "subobject", "large_value", "large_chunk")) {
                        long rows = Sql.one(c, "SELECT count(*) FROM (SELECT 1 FROM " + Schema.NAME + "." + table
                                + " LIMIT " + ANALYZE_AFTER_SAVES + ") x", rs -> rs.getLong(1)).orElse(0L);
                        if (rows >= ANALYZE_AFTER_SAVES) {
                            Sql.exec(c, "ANALYZE " + Schema.NAME + "." + table);
                        }
                    }
                }
                return null;
            });
        } catch (MapiException e) {
            LOG.log(System.Logger.Level.WARNING, "could not analyze the message tables of " + db.where()
                    + " (autovacuum will): " + e.getMessage());
        }
    }

    @Override
    public StoredMessage loadMessage(long messageId) {
        return messages.load(messageId);
    }

    @Override
    public MessageInfo messageInfo(long messageId) {
        return messages.info(messageId);
    }

    /** The message row and its top-level large-value references: one read, no recipients or attachments. */
    @Override
    public MessageRow messageRow(long messageId) {
        return db.read("reading message " + messageId, c -> messages.row(c, messages.requireHead(c, messageId),
                queue.live(c)));
    }

    @Override
    public InputStream openValueStream(long messageId, int tag) {
        return messages.openStream(messageId, -1, tag);
    }

    @Override
    public InputStream openAttachmentValueStream(long messageId, int attachNum, int tag) {
        return messages.openStream(messageId, attachNum, tag);
    }

    @Override
    public InputStream openValueStream(LargeValue value) {
        return messages.openStream(value);
    }

    @Override
    public MessageInfo updateMessageFlags(long messageId, int setBits, int clearBits) {
        return messages.updateFlags(messageId, setBits, clearBits);
    }

    @Override
    public void deleteMessage(long messageId) {
        Map<Long, Integer> failed = messages.delete(List.of(messageId));
        Integer hr = failed.get(messageId);
        if (hr != null) {
            throw new MapiException(hr, hr == HResult.MAPI_E_SUBMITTED
                    ? "message " + messageId + " is in the outgoing queue; abort its submission before deleting it"
                    : "there is no message " + messageId + " in " + db.where());
        }
    }

    @Override
    public Map<Long, Integer> deleteMessages(List<Long> messageIds) {
        return messages.delete(messageIds);
    }

    @Override
    public MessageInfo moveMessage(long messageId, long targetFolderId) {
        return messages.move(messageId, targetFolderId);
    }

    @Override
    public MessageInfo copyMessage(long messageId, long targetFolderId) {
        return messages.copy(messageId, targetFolderId);
    }

    @Override
    public List<MessageRow> query(ContentsQuery query) {
        sortIndexes.require(query.sortOrder());
        return messages.query(query);
    }

    /** @return whether the column's index exists and is valid (a failed concurrent build leaves an invalid one) */
    private boolean indexExists(IndexedColumn c) {
        return Boolean.TRUE.equals(db.readOne("looking for index " + c.indexName(), conn -> indexValidity(conn, c)));
    }

    /** @return whether the column's index is valid; null when there is none */
    private static Boolean indexValidity(Connection conn, IndexedColumn c) throws SQLException {
        List<Boolean> valid = Sql.list(conn, "SELECT i.indisvalid FROM pg_catalog.pg_class x"
                + " JOIN pg_catalog.pg_index i ON i.indexrelid = x.oid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = x.relnamespace"
                + " WHERE n.nspname = ? AND x.relname = ?", rs -> rs.getBoolean(1), Schema.NAME, c.indexName());
        return valid.isEmpty() ? null : valid.get(0);
    }

    private void buildIndex(IndexedColumn c) {
        long start = System.nanoTime();
        try {
            db.autocommit("building index " + c.indexName() + " for the first sort by " + c.column(), conn -> {
                if (Boolean.FALSE.equals(indexValidity(conn, c))) {
                    // left by a build that failed (or is running elsewhere: then that build fails, and ours stands)
                    Sql.exec(conn, "DROP INDEX CONCURRENTLY IF EXISTS " + Schema.NAME + "." + c.indexName());
                }
                Sql.exec(conn, Schema.createIndex(c));
                return null;
            });
        } catch (MapiException e) {
            LOG.log(System.Logger.Level.WARNING, "could not build index " + c.indexName() + " in " + db.where()
                    + "; sorts by " + c.column() + " read the whole folder: " + e.getMessage());
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "built index " + c.indexName() + " in " + db.where()
                + " for the first sort by " + c.column() + " (" + (System.nanoTime() - start) / 1_000_000 + " ms)");
    }

    @Override
    public int count(long folderId, boolean associated, Restriction restriction) {
        return messages.count(folderId, associated, restriction);
    }

    // ---- named properties ------------------------------------------------------------------------------------

    @Override
    public int[] getIdsFromNames(List<NamedProperty> names, boolean create) {
        Objects.requireNonNull(names, "names");
        for (NamedProperty n : names) {
            if (n == null || n.propertySet() == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "a named property needs a property set GUID");
            }
            noNul(n.name(), "a property name");
        }
        int[] found = db.read("looking up named properties", c -> lookupNames(c, names));
        if (!create || Arrays.stream(found).allMatch(id -> id != 0)) {
            return found;
        }
        return db.write("creating named properties", false, c -> {
            int[] ids = lookupNames(c, names);
            int next = (int) Sql.longValue(c, "SELECT coalesce(max(prop_id), 32767) FROM jmapi.named_property "
                    + "WHERE store_id = ?", sid()) + 1;
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] != 0) {
                    continue;
                }
                NamedProperty n = names.get(i);
                int again = lookupName(c, n);
                if (again != 0) {
                    ids[i] = again;
                    continue;
                }
                if (next > 0xFFFE) {
                    throw new MapiException(HResult.MAPI_E_NOT_ENOUGH_RESOURCES, db.where()
                            + " has used all 32,767 named-property ids (0x8000..0xFFFE)");
                }
                Sql.update(c, "INSERT INTO jmapi.named_property (store_id, prop_id, property_set, kind, lid, name) "
                                + "VALUES (?, ?, ?, ?, ?, ?)", sid(), next, n.propertySet().toBytes(),
                        n.name() == null ? 0 : 1, n.name() == null ? n.lid() : 0, n.name() == null ? "" : n.name());
                ids[i] = next++;
            }
            return ids;
        });
    }

    private int[] lookupNames(Connection c, List<NamedProperty> names) throws SQLException {
        int[] ids = new int[names.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = lookupName(c, names.get(i));
        }
        return ids;
    }

    private int lookupName(Connection c, NamedProperty n) throws SQLException {
        return (int) Sql.longValue(c, "SELECT prop_id FROM jmapi.named_property WHERE store_id = ? AND "
                        + "property_set = ? AND kind = ? AND lid = ? AND name = ?", sid(), n.propertySet().toBytes(),
                n.name() == null ? 0 : 1, n.name() == null ? n.lid() : 0, n.name() == null ? "" : n.name());
    }

    @Override
    public List<NamedProperty> getNamesFromIds(int[] propIds) {
        Objects.requireNonNull(propIds, "propIds");
        Map<Integer, NamedProperty> all = namedProperties();
        List<NamedProperty> out = new ArrayList<>(propIds.length);
        for (int id : propIds) {
            int propId = (id & 0xFFFF0000) != 0 ? id >>> 16 : id;
            out.add(all.get(propId));
        }
        return out;
    }

    @Override
    public Map<Integer, NamedProperty> namedProperties() {
        return db.read("reading named properties", c -> {
            Map<Integer, NamedProperty> map = new TreeMap<>();
            for (Object[] row : Sql.list(c, "SELECT prop_id, property_set, kind, lid, name FROM jmapi.named_property "
                    + "WHERE store_id = ?", rs -> new Object[] {rs.getInt(1), rs.getBytes(2), rs.getInt(3),
                    rs.getInt(4), rs.getString(5)}, sid())) {
                MapiUid set = MapiUid.of((byte[]) row[1]);
                NamedProperty n = (int) row[2] == 0 ? NamedProperty.ofId(set, (int) row[3])
                        : NamedProperty.ofName(set, (String) row[4]);
                map.put((Integer) row[0], n);
            }
            return map;
        });
    }

    // ---- receive folders -------------------------------------------------------------------------------------

    @Override
    public void setReceiveFolder(String messageClass, long folderId) {
        String cls = ReceiveClasses.check(messageClass);
        db.write("setting the receive folder of class '" + cls + "'", true, c -> {
            folders.requireFolder(c, folderId);
            Sql.update(c, "INSERT INTO jmapi.receive_folder (store_id, class_key, message_class, folder_id) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (store_id, class_key) DO UPDATE SET "
                    + "message_class = excluded.message_class, folder_id = excluded.folder_id", sid(),
                    ReceiveClasses.key(cls), cls, folderId);
            return null;
        });
    }

    @Override
    public void clearReceiveFolder(String messageClass) {
        String cls = ReceiveClasses.check(messageClass);
        db.write("clearing the receive folder of class '" + cls + "'", true, c ->
                Sql.update(c, "DELETE FROM jmapi.receive_folder WHERE store_id = ? AND class_key = ?", sid(),
                        ReceiveClasses.key(cls)));
    }

    @Override
    public Optional<ReceiveFolder> getReceiveFolder(String messageClass) {
        String cls = messageClass == null ? "" : messageClass;
        if (cls.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        return db.read("finding the receive folder of class '" + cls + "'", c -> {
            for (String candidate : ReceiveClasses.candidates(cls)) {
                Optional<ReceiveFolder> r = Sql.one(c, "SELECT message_class, folder_id FROM jmapi.receive_folder "
                        + "WHERE store_id = ? AND class_key = ?", rs -> new ReceiveFolder(rs.getString(1),
                        rs.getLong(2)), sid(), ReceiveClasses.key(candidate));
                if (r.isPresent()) {
                    return r;
                }
            }
            return Optional.empty();
        });
    }

    @Override
    public List<ReceiveFolder> receiveFolders() {
        return db.read("listing receive folders", c -> Sql.list(c, "SELECT message_class, folder_id FROM "
                + "jmapi.receive_folder WHERE store_id = ? ORDER BY class_key", rs -> new ReceiveFolder(
                rs.getString(1), rs.getLong(2)), sid()));
    }

    // ---- outgoing queue and activity -------------------------------------------------------------------------

    @Override
    public MessageInfo submitMessage(long messageId, Instant submitTime, int submitFlags) {
        return queue.submit(messageId, submitTime, submitFlags);
    }

    @Override
    public List<MessageRow> queue() {
        return queue.list();
    }

    @Override
    public MessageInfo lockMessage(long messageId) {
        return queue.lock(messageId);
    }

    @Override
    public Optional<MessageRow> lockNextQueued() {
        return queue.lockNext();
    }

    @Override
    public void unlockMessage(long messageId) {
        queue.unlock(messageId);
    }

    @Override
    public void finishMessage(long messageId, Disposal disposal) {
        queue.finish(messageId, disposal);
    }

    @Override
    public void abortSubmit(long messageId) {
        queue.abort(messageId);
    }

    @Override
    public Activity beginActivity(ActivityKind kind, String spoolerId, long messageId) {
        return queue.beginActivity(kind, spoolerId, messageId);
    }

    @Override
    public List<ActivityRecord> activities() {
        return queue.activities(identity.storeUid());
    }

    @Override
    public ActivitySummary activitySummary() {
        return queue.summary();
    }

    // ---- deferred durability ---------------------------------------------------------------------------------

    /**
     * Writes of the calling thread commit with {@code SET LOCAL synchronous_commit = off} within the window of
     * {@link org.jmapi.store.engine.GroupCommit}; see {@link Storage#deferDurability}.
     */
    @Override
    public <T> T deferDurability(java.util.function.Supplier<T> writes) {
        return db.groupCommit().defer(writes);
    }

    /** One commit with {@code synchronous_commit} on that has a transaction id: it waits for the WAL flush. */
    @Override
    public void flushDeferred() {
        db.groupCommit().flush();
    }

    @Override
    public long undurableWrites() {
        return db.groupCommit().undurable();
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    @Override
    public void close() {
        if (db.isClosed()) {
            return;
        }
        if (signal != null) {
            signal.close();
        }
        try {
            queue.release();
        } finally {
            db.close();
        }
    }

    @Override
    public String toString() {
        return "PostgresStorage[" + db.where() + (db.isClosed() ? ", closed" : "") + "]";
    }
}
