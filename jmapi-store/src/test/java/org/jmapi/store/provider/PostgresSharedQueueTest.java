package org.jmapi.store.provider;

import org.jmapi.Flags;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.Disposal;
import org.jmapi.store.MessageRow;
import org.jmapi.store.postgres.PostgresServer;
import org.jmapi.store.postgres.PostgresStorage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * One PostgreSQL store served by several hosts: what a client on this host learns from StoreLogoffTransports
 * (R-SLT-4..6) about the outgoing work of a spooler on another host. The other host's spooler is an instance of the
 * storage engine of its own (its own lock owner, as a spooler in another JVM on another machine is), holding,
 * finishing or dropping a lock on a message this client submitted; this session's own spooler has no transport, so
 * everything it reports about outbound work comes from the database.
 */
@ExtendWith(PostgresServer.class)
class PostgresSharedQueueTest {
    private static final AtomicInteger STORES = new AtomicInteger();
    private static String url;

    @BeforeAll
    static void database(PostgresServer pg) {
        url = pg.newDatabase("shared");
    }

    @Test
    void R_SLT_4_R_SLT_5_outboundOfASpoolerOnAnotherHost_refusesQuietAndAbort_untilItFinished(@TempDir Path home) {
        String name = "mailbox" + STORES.incrementAndGet();
        try (StoreFixture f = StoreFixture.startPostgres(home, url, name)) {
            MapiSession s = f.logon();
            StoreFixture.Opened o = f.openAndAwaitSpooler(s);
            try (MapiFolder outbox = folder(o.store(), PropTags.PR_IPM_OUTBOX_ENTRYID);
                 Message m = outbox.createMessage(0)) {
                m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "sent elsewhere")));
                m.modifyRecipients(0, List.of(recipient("Alice", Flags.MAPI_TO)));
                m.submitMessage(0);
            }
            PostgresStorage otherHost = PostgresStorage.open(url, PostgresServer.USER, PostgresServer.PASSWORD, name);
            long id = otherHost.queue().get(0).id();
            MessageRow locked = otherHost.lockNextQueued().orElseThrow();
            assertThat(locked.id()).isEqualTo(id);

            // the other host is sending it: refused, with LOGOFF_OUTBOUND (and nothing else: it is not unlocked)
            assertThat(o.store().storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(Flags.LOGOFF_OUTBOUND);
            assertThat(o.store().storeLogoff(Flags.LOGOFF_ABORT)).isEqualTo(Flags.LOGOFF_OUTBOUND);
            assertThat(string(o.store(), PropTags.PR_DISPLAY_NAME)).as("a refused logoff changes nothing")
                    .isEqualTo("personal");

            // the other host went away before finishing: the message is queued and unlocked again
            otherHost.close();
            assertThat(o.store().storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(Flags.LOGOFF_OUTBOUND_QUEUE);

            // another host takes it and finishes it: nothing left, the logoff goes ahead
            try (PostgresStorage third = PostgresStorage.open(url, PostgresServer.USER, PostgresServer.PASSWORD,
                    name)) {
                third.lockMessage(id);
                assertThat(o.store().storeLogoff(Flags.LOGOFF_ABORT)).isEqualTo(Flags.LOGOFF_OUTBOUND);
                third.finishMessage(id, Disposal.KEEP);
            }
            assertThat(o.store().storeLogoff(Flags.LOGOFF_QUIET)).isEqualTo(Flags.LOGOFF_COMPLETE);
            o.store().release();
            s.logoff(0, 0, 0);
            s.release();
        }
    }
}
