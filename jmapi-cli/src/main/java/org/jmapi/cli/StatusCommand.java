package org.jmapi.cli;

import org.jmapi.client.MapiSession;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jmapi status}: the session's status table (IMAPISession::GetStatusTable): MAPI's subsystem, spooler and
 * address-book rows and one row per transport logon, with PR_STATUS_CODE in words. The session runs its spooler
 * (the transports are logged on, which is what the table reports); no store is opened.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the status table of a session.")
final class StatusCommand extends BaseCommand {
    static final int[] COLUMNS = {PropTags.PR_DISPLAY_NAME, PropTags.PR_PROVIDER_DISPLAY, PropTags.PR_RESOURCE_TYPE,
        PropTags.PR_STATUS_CODE, PropTags.PR_STATUS_STRING, PropTags.PR_RESOURCE_METHODS};

    @Override
    int run() {
        Output o = output();
        List<Row> rows;
        try (MapiClient client = start()) {
            MapiSession s = client.logon(true);
            try (MapiTable t = s.getStatusTable(0)) {
                t.setColumns(COLUMNS, 0);
                rows = Tables.all(t);
            }
        }
        if (o.json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", str(r, PropTags.PR_DISPLAY_NAME));
                m.put("provider", str(r, PropTags.PR_PROVIDER_DISPLAY));
                m.put("type", PropText.resourceType(num(r, PropTags.PR_RESOURCE_TYPE)));
                m.put("statusCode", num(r, PropTags.PR_STATUS_CODE));
                m.put("status", PropText.statusBits(num(r, PropTags.PR_STATUS_CODE)));
                m.put("statusString", str(r, PropTags.PR_STATUS_STRING));
                out.add(m);
            }
            o.json(Map.of("status", out));
            return 0;
        }
        List<List<String>> cells = new ArrayList<>();
        for (Row r : rows) {
            cells.add(List.of(str(r, PropTags.PR_DISPLAY_NAME), PropText.resourceType(num(r, PropTags.PR_RESOURCE_TYPE)),
                    PropText.statusBits(num(r, PropTags.PR_STATUS_CODE)), str(r, PropTags.PR_STATUS_STRING)));
        }
        o.table(List.of("name", "type", "status", "text"), cells);
        return 0;
    }

    static String str(Row r, int tag) {
        return r.find(tag).map(PropValue::asString).orElse("");
    }

    static int num(Row r, int tag) {
        return r.find(tag).map(PropValue::asInt).orElse(0);
    }
}
