package org.jmapi.store.provider;

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
import org.jmapi.table.MapiTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The "Use it from Java" example of the README, run as written (with a temporary home). */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleRunsAsWritten(@TempDir Path home) {
        Path file = home.resolve("mailbox.jmapi");
        Mapi.initialize(MapiInit.home(home));
        try {
            try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
                admin.createProfile("work", null, 0, 0);
                try (MsgServiceAdmin services = admin.adminServices("work", 0)) {
                    MapiUid svc = services.createMsgService("jmapi.sqlite-store", "Mailbox", 0, 0);
                    services.configureMsgService(svc, 0, 0, List.of(
                            PropValue.ofString(SqliteStoreService.PR_STORE_PATH, file.toString())));
                }
            }
            MapiSession session = Mapi.logonEx(0, "work", null, Flags.MAPI_EXTENDED);
            EntryId storeId;
            try (MapiTable stores = session.getMsgStoresTable(0)) {
                stores.setColumns(new int[] {PropTags.PR_ENTRYID}, 0);
                storeId = EntryId.of(stores.queryRows(1, 0).get(0).get(PropTags.PR_ENTRYID).asBinary());
            }
            MsgStore store = session.openMsgStore(0, storeId, Flags.MDB_WRITE);
            int out = store.storeLogoff(Flags.LOGOFF_ORDERLY);
            assertThat(out & Flags.LOGOFF_COMPLETE).isNotZero();
            store.release();
            session.logoff(0, 0, 0);
            session.release();
        } finally {
            Mapi.uninitialize();
        }
        assertThat(Files.exists(file)).isTrue();
        assertThat(Mapi.initCount()).isZero();
    }
}
