package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MsLogonResult;

import java.nio.file.Path;
import java.util.List;

/**
 * One {@link SqliteStoreProvider} driven directly with {@link FakeSupport}s: a client logon and, on demand, the
 * spooler's logon over the same store file. Closing it ends both logons the way MAPI would (store release, logon
 * release, support release), then shuts the provider down.
 */
final class Direct implements AutoCloseable {
    final Path path;
    final FakeSupport.Hub hub = new FakeSupport.Hub();
    final SqliteStoreProvider provider;
    final FakeSupport clientSupport;
    final MsLogonResult client;
    FakeSupport spoolerSupport;
    MsLogonResult spooler;
    private boolean clientStoreReleased;

    private Direct(Path path, int flags) {
        this.path = path;
        FakeSupport.FakeSection config = new FakeSupport.FakeSection();
        FakeSupport configSupport = new FakeSupport(config, hub);
        new SqliteStoreService().serviceEntry(Flags.MSG_SERVICE_CONFIGURE, configSupport, 0,
                List.of(PropValue.ofString(SqliteStoreService.PR_STORE_PATH, path.toString())));
        configSupport.release();
        this.provider = (SqliteStoreProvider) new SqliteStoreService().msProviderInit(Flags.CURRENT_SPI_VERSION);
        this.clientSupport = new FakeSupport(new FakeSupport.FakeSection(
                PropValue.ofString(SqliteStoreService.PR_STORE_PATH, path.toString())), hub);
        this.client = provider.logon(clientSupport, 0, "test", null, flags, null);
    }

    /** @return a provider with a writable client logon on {@code dir/store.jmapi} (created if missing) */
    static Direct open(Path dir) {
        return new Direct(dir.resolve("store.jmapi"), Flags.MDB_WRITE);
    }

    /** @return a provider with a client logon of the given flags on {@code dir/store.jmapi} */
    static Direct open(Path dir, int flags) {
        return new Direct(dir.resolve("store.jmapi"), flags);
    }

    /** @return the client's store */
    MsgStore store() {
        return client.store();
    }

    /** @return the store's unwrapped entry id, as published in the provider's section */
    EntryId storeId() {
        return EntryId.of(clientSupport.section.getProp(PropTags.PR_ENTRYID).orElseThrow().asBinary());
    }

    /** @return the spooler's store object (SpoolerLogon on first use, R-MS-7) */
    MsgStore spoolerStore() {
        if (spooler == null) {
            spoolerSupport = new FakeSupport(new FakeSupport.FakeSection(
                    PropValue.ofString(SqliteStoreService.PR_STORE_PATH, path.toString())), hub);
            spooler = provider.spoolerLogon(spoolerSupport, 0, "test", storeId(), Flags.MDB_WRITE,
                    client.spoolSecurity());
        }
        return spooler.store();
    }

    /** Ends the spooler's logon as MAPI does: its store released, then its logon. */
    void logoffSpooler() {
        if (spooler != null) {
            spooler.store().release();
            spooler.logon().release();
            spoolerSupport.release();
            spooler = null;
        }
    }

    /** Releases the client's store (P2: SLT(LOGOFF_ABORT) and the support release happen inside). */
    void releaseClientStore() {
        if (!clientStoreReleased) {
            clientStoreReleased = true;
            client.store().release();
        }
    }

    @Override
    public void close() {
        logoffSpooler();
        releaseClientStore();
        client.logon().release();
        clientSupport.release();
        provider.shutdown(0);
        provider.release();
        hub.close();
    }
}
