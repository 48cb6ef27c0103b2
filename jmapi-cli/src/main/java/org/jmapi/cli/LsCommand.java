package org.jmapi.cli;

import org.jmapi.Flags;
import org.jmapi.client.MapiFolder;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Restriction;
import org.jmapi.table.Row;
import org.jmapi.table.SortOrder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jmapi ls}: the folder tree of a store, or the messages of one folder as a contents table (SetColumns,
 * Restrict, SortTable, SeekRow, QueryRows). Logs on with MAPI_NO_MAIL (a listing moves no mail) and ends the store
 * with LOGOFF_ORDERLY.
 */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = "List the folders of a store, or the messages of FOLDER (e.g. Inbox, \"Sent Items\", Inbox/Sub).")
final class LsCommand extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FOLDER", description = "The folder; none lists the folders.")
    String folder;

    @Option(names = {"-c", "--columns"}, paramLabel = "LIST",
            description = "Columns: date, sent, from, from-address, to, cc, subject, size, flags, class, attach, "
                    + "message-id, id, or PR_ names / tags. Default: " + MessageColumns.DEFAULT
                    + MessageColumns.OUTGOING_NOTE + MessageColumns.OUTGOING + ").")
    String columns;

    @Option(names = "--sort", paramLabel = "KEYS", description = "Sort keys, - for descending. Default: "
            + MessageColumns.DEFAULT_SORT + ", newest first" + MessageColumns.OUTGOING_NOTE
            + MessageColumns.OUTGOING_SORT + ").")
    String sort;

    @Option(names = {"-f", "--filter"}, paramLabel = "EXPR",
            description = "COLUMN~TEXT (contains), COLUMN=VALUE or COLUMN!=VALUE; repeat to combine (and).")
    List<String> filters = new ArrayList<>();

    @Option(names = "--unread", description = "Only unread messages.")
    boolean unread;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Show at most N messages (0: all). Default: 50.")
    int limit = 50;

    @Option(names = "--offset", paramLabel = "N", description = "Skip the first N messages.")
    int offset;

    @Option(names = "--store", paramLabel = "NAME", description = "The store (default: the profile's default store).")
    String store;

    @Override
    int run() {
        Output o = output();
        try (MapiClient client = start()) {
            client.logon(false);
            MapiClient.OpenStore s = client.openStore(store, false, Flags.LOGOFF_ORDERLY);
            if (folder == null) {
                printTree(o, Folders.tree(s.store));
                return 0;
            }
            List<String> names;
            int[] tags;
            Page page;
            try (MapiFolder f = Folders.open(s.store, folder, false)) {
                boolean outgoing = Folders.outgoing(s.store, f);
                names = MessageColumns.list(MessageColumns.columnsFor(columns, outgoing));
                tags = names.stream().mapToInt(MessageColumns::tag).toArray();
                page = page(f, tags, MessageColumns.sort(MessageColumns.sortFor(sort, outgoing)),
                        restriction(filters, unread), offset, limit);
            }
            print(o, names, tags, page);
        }
        return 0;
    }

    /** One page of a contents table: the rows and the number passing the restriction. */
    record Page(List<Row> rows, int total, int offset) {}

    /**
     * @return the restriction for the filters (and-ed), or null for none
     */
    static Restriction restriction(List<String> filters, boolean unread) {
        List<Restriction> all = new ArrayList<>();
        for (String f : filters) {
            all.add(MessageColumns.filter(f));
        }
        if (unread) {
            all.add(MessageColumns.unread());
        }
        return all.isEmpty() ? null : all.size() == 1 ? all.get(0) : new Restriction.And(all);
    }

    /**
     * Reads one page of a folder's contents table.
     *
     * @param f           the folder
     * @param tags        the columns
     * @param order       the sort
     * @param restriction the filter, or null
     * @param offset      rows to skip
     * @param limit       rows to read at most (0: all)
     * @return the page
     */
    static Page page(MapiFolder f, int[] tags, List<SortOrder> order, Restriction restriction, int offset, int limit) {
        try (MapiTable t = f.getContentsTable(0)) {
            t.setColumns(tags, 0);
            if (restriction != null) {
                t.restrict(restriction, 0);
            }
            t.sortTable(order, 0);
            int total = t.getRowCount(0);
            return new Page(Tables.page(t, Math.max(0, offset), limit), total, Math.max(0, offset));
        }
    }

    private void print(Output o, List<String> names, int[] tags, Page page) {
        if (o.json) {
            List<Map<String, Object>> messages = new ArrayList<>();
            for (int i = 0; i < page.rows().size(); i++) {
                Row r = page.rows().get(i);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("n", page.offset() + i + 1);
                for (int c = 0; c < tags.length; c++) {
                    m.put(names.get(c), PropText.json(r.find(tags[c]).orElse(null)));
                }
                messages.add(m);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("folder", folder);
            doc.put("total", page.total());
            doc.put("offset", page.offset());
            doc.put("messages", messages);
            o.json(doc);
            return;
        }
        if (page.rows().isEmpty()) {
            o.line(page.total() == 0 ? "(no messages in " + folder + ")"
                    : "(no messages past " + page.offset() + "; " + folder + " has " + page.total() + ")");
            return;
        }
        List<String> headers = new ArrayList<>();
        headers.add("#");
        headers.addAll(names);
        List<List<String>> cells = new ArrayList<>();
        for (int i = 0; i < page.rows().size(); i++) {
            Row r = page.rows().get(i);
            List<String> line = new ArrayList<>();
            line.add(String.valueOf(page.offset() + i + 1));
            for (int tag : tags) {
                line.add(MessageColumns.cell(tag, r.find(tag).orElse(null)));
            }
            cells.add(line);
        }
        o.table(headers, cells);
        int last = page.offset() + page.rows().size();
        if (last < page.total() || page.offset() > 0) {
            o.line("(" + (page.offset() + 1) + "-" + last + " of " + page.total()
                    + (last < page.total() ? "; --offset " + last + " for more" : "") + ")");
        }
    }

    private static void printTree(Output o, List<Folders.FolderRow> tree) {
        if (o.json) {
            List<Map<String, Object>> folders = new ArrayList<>();
            for (Folders.FolderRow r : tree) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("path", r.path());
                m.put("messages", r.count());
                m.put("unread", r.unread());
                folders.add(m);
            }
            o.json(Map.of("folders", folders));
            return;
        }
        List<List<String>> cells = new ArrayList<>();
        for (Folders.FolderRow r : tree) {
            cells.add(List.of("  ".repeat(r.depth()) + r.path().substring(r.path().lastIndexOf('/') + 1),
                    String.valueOf(r.count()), String.valueOf(r.unread())));
        }
        o.table(List.of("folder", "messages", "unread"), cells);
    }
}
