package org.jmapi.store.sqlite;

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
import org.jmapi.store.StoreEvent;
import org.jmapi.store.StoreIdentity;
import org.jmapi.store.StoredMessage;
import org.jmapi.store.engine.ImageRules;
import org.jmapi.store.engine.IndexedColumn;
import org.jmapi.store.engine.PropCodec;
import org.jmapi.store.engine.ReceiveClasses;
import org.jmapi.store.engine.SortIndexes;
import org.jmapi.table.Restriction;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQLite storage engine: one store per file, through {@code org.xerial:sqlite-jdbc}.
 *
 * <p><b>Files.</b> A store is a SQLite database in WAL mode (the file plus its {@code -wal} and {@code -shm}
 * companions while open) whose header carries application id "JMAP" and whose {@code schema_version} table names
 * its schema version ({@link Schema}). {@link #create} makes a new file (never overwriting one);
 * {@link #open} opens an existing one and first checks, without writing a byte, that it is a jmapi store this
 * version understands: a missing file is MAPI_E_NOT_FOUND; a file that is not a SQLite database, or a SQLite
 * database that is not a jmapi store, is MAPI_E_CORRUPT_STORE; a store written by a newer jmapi (a higher schema
 * version) is MAPI_E_VERSION. In all those cases the file is left byte for byte as it was. A store with an older
 * schema is upgraded on open, all pending migrations in one transaction.
 *
 * <p><b>Durability.</b> {@code synchronous=FULL}: every committed transaction survives {@code kill -9} of the
 * process, and power loss on a disk that honours fsync (writes under {@link #deferDurability} once they are flushed,
 * within the window of {@link org.jmapi.store.engine.GroupCommit}). Several processes may open the same file on one machine
 * (WAL needs shared memory, so not over a network file system); writes are serialised by SQLite's lock, waiting up
 * to {@link Options#busyTimeout()}.
 *
 * <p><b>Spooler locks and activities</b> are owned by the instance ({@link #ownerId()}); the instance records its
 * process (pid, start time, host) and renews a lease every {@link Options#heartbeat()}. Another instance treats
 * them as gone as soon as it sees the owning process is dead (same host), or when the lease ran out.
 *
 * <p>Thread-safe; see {@link Storage} for the contract.
 */
public final class SqliteStorage implements Storage {
    /**
     * The page cache of each read connection, in KiB ({@code PRAGMA cache_size = -16384}: 16 MiB; SQLite's default is
     * 2 MiB). A message row carries its properties blob and the copies of the indexed columns, so a folder scan (a
     * restriction the indexes cannot answer) touches more pages than a plain table of the same messages; with the
     * default cache the pages of one scan of a large folder no longer fit, and every scan reads them all again from
     * the file. The cache fills only as pages are read, up to this size per read connection.
     */
    public static final int READ_CACHE_KIB = 16 * 1024;

    /**
     * How an instance behaves. Immutable.
     *
     * @param busyTimeout     how long a call waits for another connection's lock before MAPI_E_BUSY
     * @param lease           how long spooler locks and activities count without renewal
     * @param heartbeat       how often the instance renews its lease (zero: never, for tests that drive time)
     * @param inlineLimit     binaries and PT_STRING8 strings whose stream form is longer than this many bytes are
     *                        stored out of line (and loaded as {@link LargeValue}s); a PT_UNICODE string only when
     *                        both its stream form (UTF-16LE) and its form in the properties blob (one byte per ASCII
     *                        char) are longer, so a body of up to this many ASCII characters stays in the message row
     * @param chunkSize       the size of the chunks out-of-line values are written and read in
     * @param readConnections how many read connections the instance may open
     * @param clock           the clock for timestamps and leases
     */
    public record Options(Duration busyTimeout, Duration lease, Duration heartbeat, int inlineLimit, int chunkSize,
                          int readConnections, Clock clock) {
        /**
         * @param busyTimeout how long a call waits for another connection's lock before MAPI_E_BUSY
         * @param lease how long spooler locks and activities count without renewal
         * @param heartbeat how often the instance renews its lease (zero: never, for tests that drive time)
         * @param inlineLimit binaries and PT_STRING8 strings whose stream form is longer than this many bytes are
         *     stored out of line (and loaded as {@link LargeValue}s); a PT_UNICODE string only when both its stream
         *     form (UTF-16LE) and its form in the properties blob (one byte per ASCII char) are longer
         * @param chunkSize the size of the chunks out-of-line values are written and read in
         * @param readConnections how many read connections the instance may open
         * @param clock the clock for timestamps and leases
         * @throws IllegalArgumentException for non-positive sizes or durations
         */
        public Options {
            Objects.requireNonNull(clock, "clock");
            if (busyTimeout.isNegative() || lease.isNegative() || lease.isZero() || heartbeat.isNegative()
                    || inlineLimit < 0 || chunkSize < 1024 || readConnections < 1) {
                throw new IllegalArgumentException("invalid storage options: " + busyTimeout + ", " + lease + ", "
                        + heartbeat + ", " + inlineLimit + ", " + chunkSize + ", " + readConnections);
            }
        }

        /**
         * @return busy timeout 10 s, lease 30 s renewed every 10 s, inline limit 4096 bytes, 64 KiB chunks, 4 read
         *         connections, the system clock
         */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10), 4096,
                    64 * 1024, 4, Clock.systemUTC());
        }

        /**
         * @param c the clock
         * @return a copy using it
         */
        public Options withClock(Clock c) {
            return new Options(busyTimeout, lease, heartbeat, inlineLimit, chunkSize, readConnections, c);
        }

        /**
         * @param l the lease
         * @param h the renewal interval
         * @return a copy with them
         */
        public Options withLease(Duration l, Duration h) {
            return new Options(busyTimeout, l, h, inlineLimit, chunkSize, readConnections, clock);
        }

        /**
         * @param limit the inline limit in bytes
         * @param chunk the chunk size
         * @return a copy with them
         */
        public Options withValueSizes(int limit, int chunk) {
            return new Options(busyTimeout, lease, heartbeat, limit, chunk, readConnections, clock);
        }

        /**
         * @param t the busy timeout
         * @return a copy with it
         */
        public Options withBusyTimeout(Duration t) {
            return new Options(t, lease, heartbeat, inlineLimit, chunkSize, readConnections, clock);
        }
    }

    private static final System.Logger LOG = System.getLogger(SqliteStorage.class.getName());

    private final Db db;
    private final Options options;
    private final String ownerId = UUID.randomUUID().toString();
    private final StoreIdentity identity;
    private final SqliteFolders folders;
    private final SqliteMessages messages;
    private final SqliteQueue queue;
    private final SortIndexes sortIndexes;

    private SqliteStorage(Db db, Options options) {
        this.db = db;
        this.options = options;
        this.queue = new SqliteQueue(this);
        this.folders = new SqliteFolders(this);
        this.messages = new SqliteMessages(this);
        this.sortIndexes = new SortIndexes(this::indexExists, this::buildIndex);
        this.identity = db.read("reading the store identity", this::readIdentity);
    }

    // ---- factories -------------------------------------------------------------------------------------------

    /**
     * Creates a new store file with default options.
     *
     * @param path        where; the file must not exist, its directory must
     * @param displayName the store's display name
     * @param storeUid    the store's MAPIUID, or null for a fresh random one
     * @return the open store, owned by the caller
     * @throws MapiException MAPI_E_COLLISION when a file exists at {@code path}; MAPI_E_NOT_FOUND when the directory
     *                       does not exist; MAPI_E_NO_ACCESS when it is not writable
     */
    public static SqliteStorage create(Path path, String displayName, MapiUid storeUid) {
        return create(path, displayName, storeUid, Options.defaults());
    }

    /**
     * Creates a new store file.
     *
     * @param path        where; the file must not exist, its directory must
     * @param displayName the store's display name
     * @param storeUid    the store's MAPIUID, or null for a fresh random one
     * @param options     how the instance behaves
     * @return the open store, owned by the caller
     * @throws MapiException as {@link #create(Path, String, MapiUid)}
     */
    public static SqliteStorage create(Path path, String displayName, MapiUid storeUid, Options options) {
        return create(path, displayName, storeUid, options, Schema.MIGRATIONS);
    }

    static SqliteStorage create(Path path, String displayName, MapiUid storeUid, Options options,
                                List<Migration> migrations) {
        if (displayName == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "a store needs a display name (may be empty)");
        }
        Path dir = path.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "cannot create store " + path
                    + ": directory " + dir + " does not exist");
        }
        try {
            Files.createFile(path);
        } catch (FileAlreadyExistsException e) {
            throw new MapiException(HResult.MAPI_E_COLLISION, "cannot create store " + path
                    + ": a file already exists there; open it, or choose another path");
        } catch (IOException e) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, "cannot create store " + path + ": " + e, e);
        }
        Db db = null;
        try {
            db = new Db(path, options);
            MapiUid uid = storeUid != null ? storeUid : MapiUid.random();
            long now = options.clock().millis();
            db.writeSchema("creating the store", c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
                }
                migrate(c, 0, migrations, now);
                long root = Sql.insert(c, "INSERT INTO folder (parent_id, display_name, name_key, folder_type, "
                                + "props, created_at, modified_at) VALUES (NULL, '', '', ?, ?, ?, ?)",
                        FolderRecord.FOLDER_ROOT, PropCodec.encode(List.of()), now, now);
                Sql.update(c, "INSERT INTO store_identity (id, store_uid, display_name, created_at, root_folder_id, "
                        + "props) VALUES (1, ?, ?, ?, ?, ?)", uid.toBytes(), displayName, now, root,
                        PropCodec.encode(List.of()));
                return null;
            });
            db.checkpoint();
            return new SqliteStorage(db, options);
        } catch (RuntimeException e) {
            if (db != null) {
                db.close();
            }
            deleteQuietly(path);
            throw e;
        }
    }

    /**
     * Opens an existing store file with default options.
     *
     * @param path the store file
     * @return the open store, owned by the caller
     * @throws MapiException MAPI_E_NOT_FOUND when there is no file; MAPI_E_CORRUPT_STORE when it is not a SQLite
     *                       database, not a jmapi store, or damaged; MAPI_E_VERSION when a newer jmapi wrote it. The
     *                       file is not changed in any of these cases.
     */
    public static SqliteStorage open(Path path) {
        return open(path, Options.defaults());
    }

    /**
     * Opens an existing store file.
     *
     * @param path    the store file
     * @param options how the instance behaves
     * @return the open store, owned by the caller
     * @throws MapiException as {@link #open(Path)}
     */
    public static SqliteStorage open(Path path, Options options) {
        return open(path, options, Schema.MIGRATIONS);
    }

    static SqliteStorage open(Path path, Options options, List<Migration> migrations) {
        Inspected checked = inspect(path, migrations, options);
        int version = checked.version();
        Db db = new Db(path, options, checked.connection());
        try {
            if (version < Schema.latest(migrations)) {
                long now = options.clock().millis();
                db.writeSchema("upgrading the store schema", c -> {
                    int current = (int) Sql.longValue(c, "SELECT max(version) FROM schema_version");
                    try {
                        migrate(c, current, migrations, now);
                    } catch (SQLException e) {
                        throw new MapiException(HResult.MAPI_E_CALL_FAILED, "upgrading store " + path
                                + " from schema version " + current + " to " + Schema.latest(migrations)
                                + " failed, nothing was changed: " + e.getMessage(), e);
                    }
                    return null;
                });
            }
            return new SqliteStorage(db, options);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * A store file that passed {@link #inspect}.
     *
     * @param connection the read-only connection the checks ran on, open, owned by the caller
     * @param version    the file's schema version
     */
    private record Inspected(Connection connection, int version) {}

    /**
     * Checks, without writing anything, that {@code path} is a jmapi store this version can open.
     *
     * @return the connection the checks ran on (read-only, configured like {@link Db}'s read pool) and the schema
     *         version
     */
    private static Inspected inspect(Path path, List<Migration> migrations, Options options) {
        if (!Files.exists(path)) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no store file at " + path
                    + "; create one with SqliteStorage.create");
        }
        if (!Files.isRegularFile(path)) {
            throw new MapiException(HResult.MAPI_E_CORRUPT_STORE, path + " is not a regular file, so not a jmapi store");
        }
        byte[] header = new byte[100];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(header, 0, header.length);
        } catch (NoSuchFileException e) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no store file at " + path);
        } catch (IOException e) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, "cannot read store file " + path + ": " + e, e);
        }
        byte[] magic = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (n < header.length || !Arrays.equals(header, 0, magic.length, magic, 0, magic.length)) {
            throw new MapiException(HResult.MAPI_E_CORRUPT_STORE, path + " is not a SQLite database, so not a jmapi"
                    + " store (" + (n == 0 ? "the file is empty" : "wrong file header") + "); the file was not changed");
        }
        int appId = ByteBuffer.wrap(header, 68, 4).getInt();
        boolean walMode = header[18] == 2 && header[19] == 2;
        if (appId != Schema.APPLICATION_ID && walMode && walHasFrames(path)) {
            appId = applicationIdThroughWal(path, options);
        }
        if (appId != Schema.APPLICATION_ID) {
            throw new MapiException(HResult.MAPI_E_CORRUPT_STORE, path + " is a SQLite database but not a jmapi store"
                    + " (application id " + HResult.hex(appId) + ", expected " + HResult.hex(Schema.APPLICATION_ID)
                    + "); the file was not changed");
        }
        Connection c = null;
        try {
            c = Db.openReader(path, options);
            boolean hasVersions = Sql.longValue(c,
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'") == 1;
            if (!hasVersions) {
                throw new MapiException(HResult.MAPI_E_CORRUPT_STORE, path + " carries the jmapi application id but"
                        + " has no schema_version table (its creation was interrupted?); the file was not changed");
            }
            int version = (int) Sql.longValue(c, "SELECT coalesce(max(version), 0) FROM schema_version");
            int latest = Schema.latest(migrations);
            if (version > latest) {
                throw new MapiException(HResult.MAPI_E_VERSION, path + " has store schema version " + version
                        + ", newer than the " + latest + " this jmapi understands; open it with a newer jmapi"
                        + " (the file was not changed)");
            }
            if (version < 1 || Sql.longValue(c, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                    + "AND name = 'store_identity'") != 1
                    || Sql.longValue(c, "SELECT count(*) FROM store_identity") != 1) {
                throw new MapiException(HResult.MAPI_E_CORRUPT_STORE, path + " is a damaged jmapi store: "
                        + "its identity row is missing; the file was not changed");
            }
            return new Inspected(c, version);
        } catch (RuntimeException e) {
            Db.closeQuietly(c);
            throw e;
        } catch (SQLException e) {
            Db.closeQuietly(c);
            MapiException m = Db.translate(e, "checking", path);
            throw new MapiException(m.hresult() == HResult.MAPI_E_CALL_FAILED ? HResult.MAPI_E_CORRUPT_STORE
                    : m.hresult(), path + " cannot be read as a jmapi store: " + e.getMessage()
                    + "; the file was not changed", e);
        }
    }

    private static boolean walHasFrames(Path path) {
        try {
            Path wal = Path.of(path + "-wal");
            return Files.exists(wal) && Files.size(wal) > 32;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The application id as SQLite sees it through the write-ahead log (the file header may not have been
     * checkpointed yet). Only used when a non-empty {@code -wal} file already exists, so opening read-only creates
     * nothing and changes nothing.
     */
    private static int applicationIdThroughWal(Path path, Options options) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, options.busyTimeout().toMillis()));
        try (Connection c = config.createConnection("jdbc:sqlite:" + path.toAbsolutePath())) {
            return (int) Sql.longValue(c, "PRAGMA application_id");
        } catch (SQLException e) {
            return 0;
        }
    }

    /**
     * Applies the migrations after {@code from}, in order, on a connection inside a transaction.
     */
    static void migrate(Connection c, int from, List<Migration> migrations, long now) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                    + "description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        }
        int expected = 1;
        for (Migration m : migrations) {
            if (m.version() != expected++) {
                throw new IllegalStateException("migrations must be numbered 1, 2, 3, ... without gaps; found "
                        + m.version() + " where " + (expected - 1) + " was expected");
            }
            if (m.version() <= from) {
                continue;
            }
            try (Statement s = c.createStatement()) {
                for (String sql : m.statements()) {
                    s.execute(sql);
                }
            }
            Sql.update(c, "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                    m.version(), m.description(), now);
        }
    }

    private static void deleteQuietly(Path path) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            try {
                Files.deleteIfExists(Path.of(path + suffix));
            } catch (IOException ignored) {
                // best effort: a half-created store without its companions cannot be opened anyway
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

    long now() {
        return options.clock().millis();
    }

    String ownerIdUnchecked() {
        return ownerId;
    }

    SqliteQueue queueComponent() {
        return queue;
    }

    SqliteFolders foldersComponent() {
        return folders;
    }

    SqliteMessages messagesComponent() {
        return messages;
    }

    // ---- store -----------------------------------------------------------------------------------------------

    private StoreIdentity readIdentity(Connection c) throws SQLException {
        int version = (int) Sql.longValue(c, "SELECT max(version) FROM schema_version");
        return Sql.one(c, "SELECT store_uid, display_name, created_at, root_folder_id FROM store_identity WHERE id = 1",
                rs -> new StoreIdentity(MapiUid.of(rs.getBytes(1)), rs.getString(2),
                        Instant.ofEpochMilli(rs.getLong(3)), rs.getLong(4), version))
                .orElseThrow(() -> new MapiException(HResult.MAPI_E_CORRUPT_STORE, db.path()
                        + " has no identity row"));
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

    @Override
    public long changeCounter() {
        return db.read("reading the change counter",
                c -> Sql.longValue(c, "SELECT value FROM store_counter WHERE name = 'changes'"));
    }

    /** Kept by every write transaction: the counter comes back from its own update ({@code RETURNING}). */
    @Override
    public OwnChanges ownChanges() {
        return db.ownChanges();
    }

    @Override
    public List<PropValue> storeProperties() {
        return db.read("reading the store properties", c -> PropCodec.decode(
                Sql.one(c, "SELECT props FROM store_identity WHERE id = 1", rs -> rs.getBytes(1)).orElseThrow()));
    }

    @Override
    public void setStoreProperties(List<PropValue> set, List<Integer> deleteTags) {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(deleteTags, "deleteTags");
        db.write("setting the store properties", true, c -> {
            List<PropValue> current = PropCodec.decode(
                    Sql.one(c, "SELECT props FROM store_identity WHERE id = 1", rs -> rs.getBytes(1)).orElseThrow());
            List<PropValue> next = ImageRules.apply(current, set, deleteTags, "store properties");
            Sql.update(c, "UPDATE store_identity SET props = ? WHERE id = 1", PropCodec.encode(next));
            return null;
        });
    }

    /**
     * Runs SQLite's {@code PRAGMA integrity_check} over the whole file (reads every page: slow on big stores).
     *
     * @return the problems found; empty when the file is intact
     */
    public List<String> checkIntegrity() {
        return db.read("checking integrity", c -> {
            List<String> rows = Sql.list(c, "PRAGMA integrity_check", rs -> rs.getString(1));
            return rows.equals(List.of("ok")) ? List.of() : rows;
        });
    }

    /**
     * Shows how SQLite would run a contents query: the lines of {@code EXPLAIN QUERY PLAN} for the statement
     * {@link #query} issues (for tests and diagnostics: an index walk shows {@code USING INDEX message_by_...} and no
     * {@code USE TEMP B-TREE}).
     *
     * @param query the query
     * @return the plan's detail lines, in order
     */
    public List<String> explainQuery(ContentsQuery query) {
        sortIndexes.require(query.sortOrder());
        return db.read("explaining a contents query", c -> messages.explain(c, query));
    }

    /** @return the store file */
    public Path path() {
        return db.path();
    }

    private void checkOpen() {
        if (db.isClosed()) {
            throw new MapiException(HResult.MAPI_E_INVALID_OBJECT, "the storage of " + db.path() + " is closed");
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

    @Override
    public FolderRecord copyFolder(long folderId, long newParentId, String newName, boolean subfolders) {
        return folders.copy(folderId, newParentId, newName, subfolders);
    }

    // ---- messages --------------------------------------------------------------------------------------------

    @Override
    public MessageInfo saveMessage(SaveRequest request) {
        return messages.save(List.of(request)).get(0);
    }

    @Override
    public List<MessageInfo> saveMessages(List<SaveRequest> requests) {
        return messages.save(requests);
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
    public InputStream openValueStream(LargeValue value, long offset) {
        return messages.openStream(value, offset);
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
                    : "there is no message " + messageId + " in store " + db.path());
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

    private boolean indexExists(IndexedColumn c) {
        return db.read("looking for index " + c.indexName(), conn -> !Sql.list(conn,
                "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", rs -> 1, c.indexName()).isEmpty());
    }

    private void buildIndex(IndexedColumn c) {
        long start = System.nanoTime();
        try {
            db.write("building index " + c.indexName() + " for the first sort by " + c.column(), false,
                    conn -> Sql.update(conn, Schema.createIndex(c)));
        } catch (MapiException e) {
            LOG.log(System.Logger.Level.WARNING, "could not build index " + c.indexName() + " in " + db.path()
                    + "; sorts by " + c.column() + " read the whole folder: " + e.getMessage());
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "built index " + c.indexName() + " in " + db.path() + " for the first sort by "
                + c.column() + " (" + (System.nanoTime() - start) / 1_000_000 + " ms)");
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
        }
        int[] found = db.read("looking up named properties", c -> lookupNames(c, names));
        if (!create || Arrays.stream(found).allMatch(id -> id != 0)) {
            return found;
        }
        return db.write("creating named properties", false, c -> {
            int[] ids = lookupNames(c, names);
            int next = (int) Sql.longValue(c, "SELECT coalesce(max(prop_id), 32767) FROM named_property") + 1;
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
                    throw new MapiException(HResult.MAPI_E_NOT_ENOUGH_RESOURCES, "store " + db.path()
                            + " has used all 32,767 named-property ids (0x8000..0xFFFE)");
                }
                Sql.update(c, "INSERT INTO named_property (prop_id, property_set, kind, lid, name) "
                                + "VALUES (?, ?, ?, ?, ?)", next, n.propertySet().toBytes(), n.name() == null ? 0 : 1,
                        n.name() == null ? n.lid() : 0, n.name() == null ? "" : n.name());
                ids[i] = next++;
            }
            return ids;
        });
    }

    private static int[] lookupNames(Connection c, List<NamedProperty> names) throws SQLException {
        int[] ids = new int[names.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = lookupName(c, names.get(i));
        }
        return ids;
    }

    private static int lookupName(Connection c, NamedProperty n) throws SQLException {
        return (int) Sql.longValue(c, "SELECT prop_id FROM named_property WHERE property_set = ? AND kind = ? "
                        + "AND lid = ? AND name = ?", n.propertySet().toBytes(), n.name() == null ? 0 : 1,
                n.name() == null ? n.lid() : 0, n.name() == null ? "" : n.name());
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
            Map<Integer, NamedProperty> map = new java.util.TreeMap<>();
            for (Object[] row : Sql.list(c, "SELECT prop_id, property_set, kind, lid, name FROM named_property",
                    rs -> new Object[] {rs.getInt(1), rs.getBytes(2), rs.getInt(3), rs.getInt(4), rs.getString(5)})) {
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
            Sql.update(c, "INSERT INTO receive_folder (class_key, message_class, folder_id) VALUES (?, ?, ?) "
                    + "ON CONFLICT (class_key) DO UPDATE SET message_class = excluded.message_class, "
                    + "folder_id = excluded.folder_id", ReceiveClasses.key(cls), cls, folderId);
            return null;
        });
    }

    @Override
    public void clearReceiveFolder(String messageClass) {
        String cls = ReceiveClasses.check(messageClass);
        db.write("clearing the receive folder of class '" + cls + "'", true, c ->
                Sql.update(c, "DELETE FROM receive_folder WHERE class_key = ?", ReceiveClasses.key(cls)));
    }

    @Override
    public Optional<ReceiveFolder> getReceiveFolder(String messageClass) {
        String cls = messageClass == null ? "" : messageClass;
        return db.read("finding the receive folder of class '" + cls + "'", c -> {
            for (String candidate : ReceiveClasses.candidates(cls)) {
                Optional<ReceiveFolder> r = Sql.one(c, "SELECT message_class, folder_id FROM receive_folder "
                        + "WHERE class_key = ?", rs -> new ReceiveFolder(rs.getString(1), rs.getLong(2)),
                        ReceiveClasses.key(candidate));
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
                + "receive_folder ORDER BY class_key", rs -> new ReceiveFolder(rs.getString(1), rs.getLong(2))));
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

    /** Clears the flags and finishes the message in one transaction (one commit). */
    @Override
    public void finishMessage(long messageId, Disposal disposal, int clearFlags) {
        queue.finish(messageId, disposal, clearFlags);
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

    // ---- event log -------------------------------------------------------------------------------------------

    /** How many entries the event log keeps; older ones are deleted as new ones are published. */
    static final int EVENTS_KEPT = 10_000;
    /** The log is trimmed each time its sequence crosses a multiple of this (so it holds at most this many more). */
    static final int TRIM_EVERY = 256;

    /**
     * Appends the payloads in one transaction committed without fsync ({@code synchronous=NORMAL}: safe from a
     * process crash, may lose the last events on power loss; the event log is not part of the durability promise),
     * and trims the log to the newest {@value #EVENTS_KEPT} entries every {@value #TRIM_EVERY} entries. Does not move
     * the change counter.
     */
    @Override
    public void publishEvents(List<byte[]> payloads) {
        Objects.requireNonNull(payloads, "payloads");
        if (payloads.isEmpty()) {
            return;
        }
        for (byte[] p : payloads) {
            Objects.requireNonNull(p, "null event payload");
        }
        db.write("publishing " + payloads.size() + " events", false, false, c -> {
            long now = now();
            long last = 0;
            try (java.sql.PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO store_event (origin, created_at, payload) VALUES (?, ?, ?)")) {
                for (byte[] p : payloads) {
                    ps.setString(1, ownerId);
                    ps.setLong(2, now);
                    ps.setBytes(3, p);
                    ps.executeUpdate();
                }
            }
            last = Sql.longValue(c, "SELECT last_insert_rowid()");
            if (last / TRIM_EVERY != (last - payloads.size()) / TRIM_EVERY) {
                Sql.update(c, "DELETE FROM store_event WHERE seq <= ?", last - EVENTS_KEPT);
            }
            return null;
        });
    }

    @Override
    public long lastEventSeq() {
        return db.read("reading the event log", c -> Sql.longValue(c, "SELECT coalesce(max(seq), 0) FROM store_event"));
    }

    @Override
    public List<StoreEvent> eventsAfter(long afterSeq, int limit) {
        if (limit <= 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "eventsAfter: the limit must be positive");
        }
        return db.read("reading the event log", c -> Sql.list(c, "SELECT seq, origin, payload FROM store_event "
                + "WHERE seq > ? ORDER BY seq LIMIT ?", rs -> new StoreEvent(rs.getLong(1), rs.getString(2),
                rs.getBytes(3)), afterSeq, limit));
    }

    // ---- deferred durability ---------------------------------------------------------------------------------

    /**
     * Writes of the calling thread commit with {@code synchronous=NORMAL} (no fsync of the write-ahead log) within
     * the window of {@link org.jmapi.store.engine.GroupCommit}; see {@link Storage#deferDurability}.
     */
    @Override
    public <T> T deferDurability(java.util.function.Supplier<T> writes) {
        return db.groupCommit().defer(writes);
    }

    /** One durable commit that writes a page, so its fsync of the write-ahead log covers every earlier commit. */
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
        try {
            queue.release();
        } finally {
            db.close();
        }
    }

    @Override
    public String toString() {
        return "SqliteStorage[" + db.path() + (db.isClosed() ? ", closed" : "") + "]";
    }
}
