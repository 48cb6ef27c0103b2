package org.jmapi.bench;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.MapiUid;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.MapiInit;
import org.jmapi.store.provider.SqliteStoreService;
import org.jmapi.table.MapiTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One initialised MAPI subsystem (through the real runtime, {@code Mapi.initialize}) with a home in the run's work
 * directory and one profile holding one {@code jmapi.sqlite-store} service configured to one store file (created
 * once, by the configuration). Closing it uninitialises MAPI completely. Used by the end-to-end rows
 * ({@code session.cycle}, {@code shutdown.objects}).
 */
public final class MapiProfile implements AutoCloseable {
    /** The profile's name. */
    public static final String PROFILE = "bench";
    private final Path storeFile;

    /**
     * @param home the jmapi home (created)
     * @throws java.io.IOException when the home cannot be created
     */
    public MapiProfile(Path home) throws java.io.IOException {
        Files.createDirectories(home);
        storeFile = home.resolve("mailbox.jmapi");
        Mapi.initialize(MapiInit.home(home));
        try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
            admin.createProfile(PROFILE, null, 0, 0);
            try (MsgServiceAdmin services = admin.adminServices(PROFILE, 0)) {
                MapiUid svc = services.createMsgService("jmapi.sqlite-store", "Mailbox", 0, 0);
                services.configureMsgService(svc, 0, 0,
                        List.of(PropValue.ofString(SqliteStoreService.PR_STORE_PATH, storeFile.toString())));
            }
        }
    }

    /** @return the store file */
    public Path storeFile() {
        return storeFile;
    }

    /** @return a new session on the profile (MAPI_EXTENDED | MAPI_NEW_SESSION) */
    public MapiSession logon() {
        return Mapi.logonEx(0, PROFILE, null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION);
    }

    /**
     * @param session a session
     * @return the profile's store entry id, from the session's message-store table
     */
    public static EntryId storeId(MapiSession session) {
        try (MapiTable stores = session.getMsgStoresTable(0)) {
            stores.setColumns(new int[] {PropTags.PR_ENTRYID}, 0);
            return EntryId.of(stores.queryRows(1, 0).get(0).get(PropTags.PR_ENTRYID).asBinary());
        }
    }

    /**
     * @param session a session
     * @param storeId the store's entry id
     * @return the store, opened with MDB_WRITE | MDB_NO_DIALOG
     */
    public static MsgStore open(MapiSession session, EntryId storeId) {
        return session.openMsgStore(0, storeId, Flags.MDB_WRITE | Flags.MDB_NO_DIALOG);
    }

    /** @return live threads whose names start with "jmapi-", by name with the trailing digits dropped */
    public static Map<String, Integer> jmapiThreads() {
        Map<String, Integer> out = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("jmapi-")) {
                out.merge(t.getName().replaceAll("[-#]?\\d+$", ""), 1, Integer::sum);
            }
        }
        return out;
    }

    /** @return the number of live threads whose names start with "jmapi-" */
    public static int jmapiThreadCount() {
        return jmapiThreads().values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public void close() {
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
    }
}
