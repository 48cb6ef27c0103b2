package org.jmapi.store.provider;

import org.jmapi.store.postgres.PostgresServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ShutdownPathsTest}, every test unchanged, with the profile's store in PostgreSQL ({@value
 * PostgresStoreService#NAME} on a real server, {@link PostgresServer}): one database for the class, a fresh store in it
 * per test. The shutdown protocol is the provider's, above the storage, so the traces must be the same.
 */
@ExtendWith(PostgresServer.class)
class PostgresShutdownPathsTest extends ShutdownPathsTest {
    private static final AtomicInteger STORES = new AtomicInteger();
    private static String url;

    @BeforeAll
    static void database(PostgresServer pg) {
        url = pg.newDatabase("shutdown");
    }

    @Override
    StoreFixture fixture(Path home) {
        return StoreFixture.startPostgres(home, url, "mailbox" + STORES.incrementAndGet());
    }
}
