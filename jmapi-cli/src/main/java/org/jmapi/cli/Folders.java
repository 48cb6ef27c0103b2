package org.jmapi.cli;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.MapiObject;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Folder paths: {@code Inbox}, {@code Inbox/Projects}, names compared ignoring case, starting below the IPM subtree
 * ("Top of Information Store", PR_IPM_SUBTREE_ENTRYID); {@code /} or an empty path is the IPM subtree itself.
 * Walks hierarchy tables, as a client does. Stateless.
 */
final class Folders {
    /** CONVENIENT_DEPTH for GetHierarchyTable. */
    static final int CONVENIENT_DEPTH = 0x1;

    private Folders() {}

    /**
     * @param store a store
     * @param tag   a PT_BINARY entry-id property of the store (PR_IPM_SUBTREE_ENTRYID, PR_IPM_OUTBOX_ENTRYID, ...)
     * @return the folder, owned by the caller
     * @throws CommandFailure when the store does not have it
     */
    static MapiFolder special(MsgStore store, int tag, int flags) {
        PropValue v = store.getProp(tag).orElseThrow(() ->
                new CommandFailure("the store has no " + PropTags.name(tag) + " folder"));
        return folder(store.openEntry(EntryId.of(v.asBinary()), flags));
    }

    /**
     * @param store  a store
     * @param folder one of its folders
     * @return whether it is the store's Outbox or Sent Items (PR_IPM_OUTBOX_ENTRYID, PR_IPM_SENTMAIL_ENTRYID), whose
     *         messages have a submit time and no delivery time
     */
    static boolean outgoing(MsgStore store, MapiFolder folder) {
        Optional<PropValue> id = folder.getProp(PropTags.PR_ENTRYID);
        if (id.isEmpty()) {
            return false;
        }
        for (int tag : new int[] {PropTags.PR_IPM_OUTBOX_ENTRYID, PropTags.PR_IPM_SENTMAIL_ENTRYID}) {
            Optional<PropValue> special = store.getProp(tag);
            if (special.isPresent() && store.compareEntryIds(EntryId.of(special.get().asBinary()),
                    EntryId.of(id.get().asBinary()), 0)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Opens a folder by path.
     *
     * @param store the store
     * @param path  the path
     * @param write whether to open it with MAPI_MODIFY
     * @return the folder, owned by the caller
     * @throws CommandFailure naming the missing step and the folders there are
     */
    static MapiFolder open(MsgStore store, String path, boolean write) {
        int flags = write ? Flags.MAPI_MODIFY : 0;
        MapiFolder current = special(store, PropTags.PR_IPM_SUBTREE_ENTRYID, flags);
        String walked = "";
        for (String step : path.split("/")) {
            if (step.isBlank()) {
                continue;
            }
            List<Row> children;
            try (MapiTable t = current.getHierarchyTable(0)) {
                t.setColumns(new int[] {PropTags.PR_DISPLAY_NAME, PropTags.PR_ENTRYID}, 0);
                children = Tables.all(t);
            }
            Optional<Row> match = children.stream().filter(r -> r.find(PropTags.PR_DISPLAY_NAME)
                    .map(v -> v.asString().equalsIgnoreCase(step.strip())).orElse(false)).findFirst();
            if (match.isEmpty()) {
                current.release();
                List<String> names = children.stream().map(r -> r.find(PropTags.PR_DISPLAY_NAME)
                        .map(PropValue::asString).orElse("?")).toList();
                throw new CommandFailure("no folder '" + step + "' in " + (walked.isEmpty() ? "the store" : walked)
                        + " (there: " + (names.isEmpty() ? "no folders" : String.join(", ", names)) + ")");
            }
            MapiFolder next = folder(current.openEntry(EntryId.of(match.get().get(PropTags.PR_ENTRYID).asBinary()),
                    flags));
            current.release();
            current = next;
            walked = walked.isEmpty() ? step : walked + "/" + step;
        }
        return current;
    }

    /**
     * @param o an object that should be a folder
     * @return it as a folder (the reference moves to the caller)
     */
    static MapiFolder folder(MapiObject o) {
        if (o instanceof MapiFolder f) {
            return f;
        }
        o.release();
        throw new CommandFailure("that entry is not a folder");
    }

    /**
     * One folder of the tree.
     *
     * @param path        its path from the IPM subtree
     * @param depth       PR_DEPTH, 0 for the subtree's children
     * @param count       PR_CONTENT_COUNT
     * @param unread      PR_CONTENT_UNREAD
     * @param entryId     PR_ENTRYID
     */
    record FolderRow(String path, int depth, int count, int unread, EntryId entryId) {}

    /**
     * @param store a store
     * @return every folder below the IPM subtree, depth first (GetHierarchyTable with CONVENIENT_DEPTH)
     */
    static List<FolderRow> tree(MsgStore store) {
        List<FolderRow> out = new ArrayList<>();
        try (MapiFolder top = special(store, PropTags.PR_IPM_SUBTREE_ENTRYID, 0);
             MapiTable t = top.getHierarchyTable(CONVENIENT_DEPTH)) {
            t.setColumns(new int[] {PropTags.PR_DISPLAY_NAME, PropTags.PR_DEPTH, PropTags.PR_CONTENT_COUNT,
                    PropTags.PR_CONTENT_UNREAD, PropTags.PR_ENTRYID}, 0);
            List<String> stack = new ArrayList<>();
            for (Row r : Tables.all(t)) {
                int depth = r.find(PropTags.PR_DEPTH).map(PropValue::asInt).orElse(0);
                String name = r.find(PropTags.PR_DISPLAY_NAME).map(PropValue::asString).orElse("?");
                while (stack.size() > depth) {
                    stack.remove(stack.size() - 1);
                }
                stack.add(name);
                out.add(new FolderRow(String.join("/", stack), depth,
                        r.find(PropTags.PR_CONTENT_COUNT).map(PropValue::asInt).orElse(0),
                        r.find(PropTags.PR_CONTENT_UNREAD).map(PropValue::asInt).orElse(0),
                        EntryId.of(r.get(PropTags.PR_ENTRYID).asBinary())));
            }
        }
        return out;
    }
}
