package org.jmapi.cli;

import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jmapi stores}: the session's message-store table (IMAPISession::GetMsgStoresTable): one row per store of
 * the profile, whether it is the default, its provider and entry id. MAPI_NO_MAIL session; no store is opened.
 */
@Command(name = "stores", mixinStandardHelpOptions = true, description = "Show the message-store table of a profile.")
final class StoresCommand extends BaseCommand {
    @Override
    int run() {
        Output o = output();
        List<MapiClient.StoreRow> rows;
        try (MapiClient client = start()) {
            client.logon(false);
            rows = client.storeRows();
        }
        if (o.json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (MapiClient.StoreRow r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.name());
                m.put("default", r.isDefault());
                m.put("provider", r.row().find(PropTags.PR_PROVIDER_DISPLAY).map(PropValue::asString).orElse(null));
                m.put("entryId", r.entryId().toHex());
                out.add(m);
            }
            o.json(Map.of("stores", out));
            return 0;
        }
        List<List<String>> cells = new ArrayList<>();
        for (MapiClient.StoreRow r : rows) {
            cells.add(List.of(r.name(), r.isDefault() ? "yes" : "",
                    r.row().find(PropTags.PR_PROVIDER_DISPLAY).map(PropValue::asString).orElse(""),
                    r.entryId().toHex()));
        }
        o.table(List.of("store", "default", "provider", "entry id"), cells);
        return 0;
    }
}
