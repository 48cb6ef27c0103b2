package org.jmapi.store.provider;

import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.Message;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.prop.PropertyBag;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.MessageInfo;
import org.jmapi.table.MapiTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.jmapi.prop.PropTags.*;

/**
 * A folder of an SQLite store (IMAPIFolder, R-FM-1, R-FM-2). Not transacted: SetProps / DeleteProps reach the file
 * at once and SaveChanges is a successful no-op (R-PROP-5). Every call reads the folder afresh, so it shows what
 * any process last committed; a folder deleted while open answers MAPI_E_OBJECT_DELETED.
 *
 * <p>PR_DISPLAY_NAME (renames; MAPI_E_COLLISION when a sibling has the name) and PR_COMMENT may be set; the
 * counts, ids, PR_FOLDER_TYPE and times are computed (MAPI_E_COMPUTED); other properties are stored. Changes need
 * a writable logon (R-MS-9), not MAPI_MODIFY on the folder itself. The IPM subtree and the default folders cannot
 * be deleted (MAPI_E_NO_ACCESS).
 *
 * <p><b>Copies.</b> CopyMessages (MESSAGE_MOVE) and CopyFolder (FOLDER_MOVE, COPY_SUBFOLDERS) within the store file
 * are storage operations (moved objects keep their ids; fnevObjectMoved / fnevObjectCopied with the old ids); into
 * another store or provider each message is created there and filled by {@link PropCopy}. Submitted messages and
 * messages open for writing are not moved (MAPI_W_PARTIAL_COMPLETION, R-FM-2); default folders are not moved.
 * CopyTo / CopyProps copy the folder's properties and, when selected, its contents and subfolders. PR_CONTAINER_CONTENTS,
 * PR_FOLDER_ASSOCIATED_CONTENTS and PR_CONTAINER_HIERARCHY open as tables through OpenProperty.
 *
 * <p><b>Ownership:</b> the caller owns one reference; the folder is registered with its logon and invalid after
 * the logon's logoff (R-INV-2). <b>Threads:</b> thread-safe.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
final class SqliteFolder extends StoreObject implements MapiFolder, SqliteStream.Owner {
    /** MAPI_ASSOCIATED = 0x40: the folder-associated contents (GetContentsTable, CreateMessage). */
    static final int MAPI_ASSOCIATED = 0x40;
    /** CONVENIENT_DEPTH = 0x1 (GetHierarchyTable). */
    static final int CONVENIENT_DEPTH = 0x1;
    /** MESSAGE_DIALOG / FOLDER_DIALOG = 0x2: progress UI, meaningless without UI and accepted. */
    static final int DIALOG = 0x2;

    private final long id;

    /**
     * @param store the logon
     * @param id    the folder id
     */
    SqliteFolder(SqliteMsgStore store, long id) {
        super(store);
        this.id = id;
    }

    /** @return the folder id */
    long id() {
        return id;
    }

    /** @return the folder as stored now */
    private FolderRecord record() {
        try {
            return store.storage().loadFolder(id);
        } catch (MapiException e) {
            if (e.hresult() == HResult.MAPI_E_NOT_FOUND) {
                throw new MapiException(HResult.MAPI_E_OBJECT_DELETED, "folder " + id + " was deleted", e);
            }
            throw e;
        }
    }

    /** @return the folder's properties now; PR_DISPLAY_NAME and PR_COMMENT settable, the rest computed */
    private PropertyBag bag() {
        FolderRecord f = record();
        PropertyBag b = new PropertyBag();
        b.putAll(f.properties());
        for (PropValue v : Rows.folderValues(store.ids(), store.wrappedId(), f, 0)) {
            if (v.id() == PropTag.id(PR_DISPLAY_NAME) || v.id() == PropTag.id(PR_COMMENT)) {
                b.put(v);
            } else if (v.id() != PropTag.id(PR_DEPTH) && v.id() != PropTag.id(PR_INSTANCE_KEY)) {
                b.putComputed(v);
            }
        }
        if (f.parentId() == 0) {
            b.protect(PR_DISPLAY_NAME);
        }
        b.setReadOnly(!store.writable());
        return b;
    }

    @Override
    public PropValues getProps(int[] tags, int flags) {
        try (var pass = enter()) {
            return bag().getProps(tags, flags);
        }
    }

    @Override
    public List<PropProblem> setProps(List<PropValue> values) {
        try (var pass = enter()) {
            List<PropProblem> problems = new ArrayList<>(bag().setProps(values));
            List<PropValue> others = new ArrayList<>();
            String newName = null;
            boolean commentGiven = false;
            String comment = null;
            for (int index = 0; index < values.size(); index++) {
                PropValue v = values.get(index);
                if (v.tag() == PropTag.PR_NULL || v.isError() || SqliteMsgStore.hasProblem(problems, index)) {
                    continue;
                }
                if (v.id() == PropTag.id(PR_DISPLAY_NAME) || v.id() == PropTag.id(PR_COMMENT)) {
                    if (!Rows.isString(v.type()) || PropType.isMultiValued(v.type())) {
                        problems.add(new PropProblem(index, v.tag(), HResult.MAPI_E_INVALID_TYPE));
                        continue;
                    }
                    if (v.id() == PropTag.id(PR_DISPLAY_NAME)) {
                        newName = v.asString();
                    } else {
                        commentGiven = true;
                        comment = v.asString();
                    }
                } else {
                    others.add(v);
                }
            }
            if (newName == null && !commentGiven && others.isEmpty()) {
                return problems;
            }
            StoreFile.Mutation m = store.file().mutation();
            try {
                if (newName != null) {
                    store.storage().renameFolder(id, newName);
                }
                if (commentGiven) {
                    store.storage().setFolderComment(id, comment);
                }
                if (!others.isEmpty()) {
                    store.storage().setFolderProperties(id, others, List.of());
                }
            } finally {
                m.done();
            }
            changed();
            return problems;
        }
    }

    @Override
    public List<PropProblem> deleteProps(int[] tags) {
        try (var pass = enter()) {
            PropertyBag b = bag();
            b.protect(PR_DISPLAY_NAME);
            List<PropProblem> problems = b.deleteProps(tags);
            boolean comment = false;
            List<Integer> others = new ArrayList<>();
            for (int i = 0; i < tags.length; i++) {
                if (SqliteMsgStore.hasProblem(problems, i)) {
                    continue;
                }
                if (PropTag.id(tags[i]) == PropTag.id(PR_COMMENT)) {
                    comment = true;
                } else {
                    others.add(tags[i]);
                }
            }
            if (comment || !others.isEmpty()) {
                StoreFile.Mutation m = store.file().mutation();
                try {
                    if (comment) {
                        store.storage().setFolderComment(id, null);
                    }
                    if (!others.isEmpty()) {
                        store.storage().setFolderProperties(id, List.of(), others);
                    }
                } finally {
                    m.done();
                }
                changed();
            }
            return problems;
        }
    }

    /** Raises fnevObjectModified for this folder. */
    private void changed() {
        FolderRecord f = record();
        store.raise(Flags.fnevObjectModified, store.ids().folder(id), Flags.MAPI_FOLDER,
                f.parentId() == 0 ? null : store.ids().folder(f.parentId()), null);
    }

    @Override
    public int[] getPropList(int flags) {
        try (var pass = enter()) {
            return bag().getPropList(flags);
        }
    }

    @Override
    public void saveChanges(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.KEEP_OPEN_READONLY | Flags.KEEP_OPEN_READWRITE | Flags.FORCE_SAVE,
                    "IMAPIFolder::SaveChanges");
            record();
        }
    }

    @Override
    public MapiTable getContentsTable(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, MAPI_ASSOCIATED | Flags.MAPI_DEFERRED_ERRORS | Flags.MAPI_UNICODE,
                    "IMAPIContainer::GetContentsTable");
            record();
            return store.contentsTable(id, (flags & MAPI_ASSOCIATED) != 0);
        }
    }

    @Override
    public MapiTable getHierarchyTable(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, CONVENIENT_DEPTH | Flags.MAPI_DEFERRED_ERRORS | Flags.MAPI_UNICODE,
                    "IMAPIContainer::GetHierarchyTable");
            record();
            return store.hierarchyTable(id, (flags & CONVENIENT_DEPTH) != 0);
        }
    }

    @Override
    public MapiObject openEntry(EntryId entryId, int flags) {
        try (var pass = enter()) {
            return store.openObject(entryId, flags);
        }
    }

    @Override
    public Message createMessage(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, MAPI_ASSOCIATED | Flags.MAPI_DEFERRED_ERRORS, "IMAPIFolder::CreateMessage");
            store.checkWritable();
            record();
            return store.track(SqliteMessage.create(store, id, (flags & MAPI_ASSOCIATED) != 0));
        }
    }

    @Override
    public MapiFolder createFolder(int folderType, String name, String comment, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, OPEN_IF_EXISTS | Flags.MAPI_UNICODE | Flags.MAPI_DEFERRED_ERRORS,
                    "IMAPIFolder::CreateFolder");
            store.checkWritable();
            if (folderType == FOLDER_SEARCH) {
                throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "CreateFolder: this store has no search folders");
            }
            if (folderType != FOLDER_GENERIC) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "CreateFolder: the folder type must be FOLDER_GENERIC (1), got " + folderType);
            }
            if (name == null || name.isBlank()) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "CreateFolder: a folder needs a name");
            }
            record();
            StoreFile.Mutation m = store.file().mutation();
            long child;
            try {
                child = store.storage().createFolder(id, name, FolderRecord.FOLDER_GENERIC, comment, List.of()).id();
            } catch (MapiException e) {
                if (e.hresult() == HResult.MAPI_E_COLLISION && (flags & OPEN_IF_EXISTS) != 0) {
                    long existing = StoreLayout.find(store.storage(), id, name).orElseThrow(() -> e);
                    return store.track(new SqliteFolder(store, existing));
                }
                throw e;
            }
            m.done();
            store.raise(Flags.fnevObjectCreated, store.ids().folder(child), Flags.MAPI_FOLDER,
                    store.ids().folder(id), null);
            return store.track(new SqliteFolder(store, child));
        }
    }

    @Override
    public int deleteMessages(List<EntryId> entryIds, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, DIALOG, "IMAPIFolder::DeleteMessages");
            store.checkWritable();
            if (entryIds == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "DeleteMessages: no entry ids");
            }
            record();
            boolean partial = false;
            List<Long> candidates = new ArrayList<>();
            for (EntryId e : entryIds) {
                long mid;
                try {
                    mid = store.ids().parse(e, StoreIds.KIND_MESSAGE);
                } catch (MapiException notOurs) {
                    partial = true;
                    continue;
                }
                MessageInfo info;
                try {
                    info = store.storage().messageInfo(mid);
                } catch (MapiException gone) {
                    partial = true;
                    continue;
                }
                if (info.folderId() != id || info.submitted() || store.file().isOpenForWriting(mid)) {
                    partial = true; // moved elsewhere, submitted, or open for writing (R-FM-2)
                    continue;
                }
                candidates.add(mid);
            }
            if (candidates.isEmpty()) {
                return partial ? HResult.MAPI_W_PARTIAL_COMPLETION : HResult.S_OK;
            }
            StoreFile.Mutation m = store.file().mutation();
            Map<Long, Integer> failed = store.storage().deleteMessages(candidates);
            m.done(id);
            List<org.jmapi.Notification> events = new ArrayList<>();
            for (long mid : candidates) {
                if (!failed.containsKey(mid)) {
                    events.add(new org.jmapi.Notification.ObjectEvent(Flags.fnevObjectDeleted,
                            store.ids().message(mid), Flags.MAPI_MESSAGE, store.ids().folder(id), null, null, null));
                }
            }
            store.raiseAll(events);
            return partial || !failed.isEmpty() ? HResult.MAPI_W_PARTIAL_COMPLETION : HResult.S_OK;
        }
    }

    @Override
    public void deleteFolder(EntryId entryId, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, DEL_MESSAGES | DEL_FOLDERS | DIALOG, "IMAPIFolder::DeleteFolder");
            store.checkWritable();
            long child = store.ids().parse(entryId, StoreIds.KIND_FOLDER);
            FolderRecord f;
            try {
                f = store.storage().loadFolder(child);
            } catch (MapiException e) {
                if (e.hresult() == HResult.MAPI_E_NOT_FOUND) {
                    throw new MapiException(HResult.MAPI_E_NOT_FOUND, "DeleteFolder: there is no folder " + child, e);
                }
                throw e;
            }
            if (f.parentId() != id) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "DeleteFolder: folder " + child
                        + " is not a subfolder of folder " + id);
            }
            if (store.file().layout().isSpecial(child)) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS, "DeleteFolder: '" + f.displayName()
                        + "' is one of the store's default folders and cannot be deleted");
            }
            StoreFile.Mutation m = store.file().mutation();
            store.storage().deleteFolder(child, (flags & DEL_FOLDERS) != 0, (flags & DEL_MESSAGES) != 0);
            m.done();
            store.raise(Flags.fnevObjectDeleted, store.ids().folder(child), Flags.MAPI_FOLDER,
                    store.ids().folder(id), null);
        }
    }

    // ---- copies (R-PROP-7, IMAPIFolder::CopyMessages / CopyFolder) ---------------------------------------------

    /** @return whether {@code other} is a folder of the same store file */
    private boolean sameFile(MapiObject other) {
        return other instanceof SqliteFolder f && f.store.file().key().equals(store.file().key());
    }

    @Override
    public int copyMessages(List<EntryId> entryIds, MapiFolder destination, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MESSAGE_MOVE | Flags.MESSAGE_DIALOG | Flags.MAPI_DECLINE_OK,
                    "IMAPIFolder::CopyMessages");
            if (entryIds == null || destination == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "CopyMessages needs the entry ids and a destination folder");
            }
            if ((flags & Flags.MAPI_DECLINE_OK) != 0 && !PropCopy.ours(destination)) {
                throw new MapiException(HResult.MAPI_E_DECLINE_COPY, "CopyMessages: the destination belongs to"
                        + " another provider and MAPI_DECLINE_OK was given");
            }
            boolean move = (flags & Flags.MESSAGE_MOVE) != 0;
            if (move) {
                store.checkWritable();
            }
            record();
            if (sameFile(destination)) {
                SqliteFolder target = (SqliteFolder) destination;
                target.store.checkWritable();
                target.record();
                return copyWithin(entryIds, target.id, move);
            }
            boolean partial = false;
            for (EntryId e : entryIds) {
                Long mid = ownMessage(e, move);
                if (mid == null || !copyAcross(store, mid, destination, move)) {
                    partial = true;
                }
            }
            return partial ? HResult.MAPI_W_PARTIAL_COMPLETION : HResult.S_OK;
        }
    }

    /**
     * @param e    an entry id
     * @param move whether it is to be moved (then submitted messages and messages open for writing are refused)
     * @return the message id when it names a message of this folder that may be copied or moved, else null
     */
    private Long ownMessage(EntryId e, boolean move) {
        long mid;
        MessageInfo info;
        try {
            mid = store.ids().parse(e, StoreIds.KIND_MESSAGE);
            info = store.storage().messageInfo(mid);
        } catch (MapiException notOurs) {
            return null;
        }
        if (info.folderId() != id) {
            return null;
        }
        if (move && (info.submitted() || store.file().isOpenForWriting(mid))) {
            return null; // R-FM-2: submitted messages and messages open for writing stay where they are
        }
        return mid;
    }

    /** CopyMessages inside one store file: the storage moves or copies; fnevObjectMoved / fnevObjectCopied. */
    private int copyWithin(List<EntryId> entryIds, long target, boolean move) {
        boolean partial = false;
        List<org.jmapi.Notification> events = new ArrayList<>();
        StoreFile.Mutation m = store.file().mutation();
        try {
            for (EntryId e : entryIds) {
                Long mid = ownMessage(e, move);
                if (mid == null) {
                    partial = true;
                    continue;
                }
                try {
                    if (move) {
                        if (target == id) {
                            continue;
                        }
                        store.storage().moveMessage(mid, target);
                        events.add(new org.jmapi.Notification.ObjectEvent(Flags.fnevObjectMoved,
                                store.ids().message(mid), Flags.MAPI_MESSAGE, store.ids().folder(target),
                                store.ids().message(mid), store.ids().folder(id), null));
                    } else {
                        long copy = store.storage().copyMessage(mid, target).id();
                        events.add(new org.jmapi.Notification.ObjectEvent(Flags.fnevObjectCopied,
                                store.ids().message(copy), Flags.MAPI_MESSAGE, store.ids().folder(target),
                                store.ids().message(mid), store.ids().folder(id), null));
                    }
                } catch (MapiException gone) {
                    partial = true; // deleted, moved or submitted meanwhile
                }
            }
        } finally {
            m.done(id, target);
        }
        store.raiseAll(events);
        return partial ? HResult.MAPI_W_PARTIAL_COMPLETION : HResult.S_OK;
    }

    /**
     * Copies (moves) one stored message into a folder of another store or provider: a new message there, filled
     * with a copy (R-PROP-7) and saved; for a move the original is then deleted.
     *
     * @return whether it worked
     * @throws MapiException MAPI_E_NO_ACCESS when the destination refuses new messages (read-only)
     */
    static boolean copyAcross(SqliteMsgStore store, long mid, MapiFolder destination, boolean move) {
        org.jmapi.store.StoredMessage sm;
        try {
            sm = store.storage().loadMessage(mid);
        } catch (MapiException gone) {
            return false;
        }
        Message target = destination.createMessage(sm.info().associated() ? MAPI_ASSOCIATED : 0);
        try (target) {
            PropCopy.copyMessage(sm.image(), PropCopy.Origin.of(store), target, PropCopy.Selection.ALL, 0);
            target.saveChanges(0);
        } catch (MapiException e) {
            if (e.hresult() == HResult.MAPI_E_NO_ACCESS) {
                throw e;
            }
            return false;
        }
        if (move) {
            StoreFile.Mutation m = store.file().mutation();
            if (!store.storage().deleteMessages(List.of(mid)).isEmpty()) {
                return false;
            }
            m.done(sm.info().folderId());
            store.raise(Flags.fnevObjectDeleted, store.ids().message(mid), Flags.MAPI_MESSAGE,
                    store.ids().folder(sm.info().folderId()), null);
        }
        return true;
    }

    @Override
    public int copyFolder(EntryId entryId, MapiFolder destination, String newName, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.FOLDER_MOVE | Flags.FOLDER_DIALOG | Flags.COPY_SUBFOLDERS
                    | Flags.MAPI_UNICODE | Flags.MAPI_DECLINE_OK, "IMAPIFolder::CopyFolder");
            if (entryId == null || destination == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "CopyFolder needs the folder's entry id and a destination folder");
            }
            if ((flags & Flags.MAPI_DECLINE_OK) != 0 && !PropCopy.ours(destination)) {
                throw new MapiException(HResult.MAPI_E_DECLINE_COPY, "CopyFolder: the destination belongs to"
                        + " another provider and MAPI_DECLINE_OK was given");
            }
            boolean move = (flags & Flags.FOLDER_MOVE) != 0;
            boolean deep = (flags & Flags.COPY_SUBFOLDERS) != 0;
            if (move) {
                store.checkWritable();
            }
            record();
            long child = store.ids().parse(entryId, StoreIds.KIND_FOLDER);
            FolderRecord f;
            try {
                f = store.storage().loadFolder(child);
            } catch (MapiException e) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "CopyFolder: there is no folder " + child, e);
            }
            if (f.parentId() != id) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, "CopyFolder: folder " + child
                        + " is not a subfolder of folder " + id);
            }
            if (move && store.file().layout().isSpecial(child)) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS, "CopyFolder: '" + f.displayName()
                        + "' is one of the store's default folders and cannot be moved");
            }
            if (sameFile(destination)) {
                SqliteFolder target = (SqliteFolder) destination;
                target.store.checkWritable();
                target.record();
                StoreFile.Mutation m = store.file().mutation();
                if (move) {
                    store.storage().moveFolder(child, target.id, newName);
                    m.done();
                    store.raiseAll(List.of(new org.jmapi.Notification.ObjectEvent(Flags.fnevObjectMoved,
                            store.ids().folder(child), Flags.MAPI_FOLDER, store.ids().folder(target.id),
                            store.ids().folder(child), store.ids().folder(id), null)));
                } else {
                    FolderRecord copy = store.storage().copyFolder(child, target.id, newName, deep);
                    m.done();
                    store.raiseAll(List.of(new org.jmapi.Notification.ObjectEvent(Flags.fnevObjectCopied,
                            store.ids().folder(copy.id()), Flags.MAPI_FOLDER, store.ids().folder(target.id),
                            store.ids().folder(child), store.ids().folder(id), null)));
                }
                return HResult.S_OK;
            }
            boolean complete = copyTreeAcross(store, f, destination, newName == null ? f.displayName() : newName,
                    deep || move);
            if (move && complete) {
                StoreFile.Mutation m = store.file().mutation();
                try {
                    store.storage().deleteFolder(child, true, true);
                } catch (MapiException e) {
                    return HResult.MAPI_W_PARTIAL_COMPLETION; // copied, but queued mail keeps the original
                }
                m.done();
                store.raise(Flags.fnevObjectDeleted, store.ids().folder(child), Flags.MAPI_FOLDER,
                        store.ids().folder(id), null);
            }
            return complete ? HResult.S_OK : HResult.MAPI_W_PARTIAL_COMPLETION;
        }
    }

    /**
     * Copies a folder into a folder of another store or provider: a new subfolder there with its properties, copies
     * of its messages and associated messages, and (when asked) its subtree.
     *
     * @return whether every message and subfolder was copied
     */
    private static boolean copyTreeAcross(SqliteMsgStore store, FolderRecord f, MapiFolder destination, String name,
                                          boolean deep) {
        boolean complete = true;
        try (MapiFolder copy = destination.createFolder(FOLDER_GENERIC, name, f.comment(), 0)) {
            PropCopy.putItems(PropCopy.items(f.properties(), List.of(), List.of(), java.util.Set.of()),
                    PropCopy.Origin.of(store), copy, PropCopy.Selection.ALL, 0, new ArrayList<>());
            for (boolean associated : new boolean[] {false, true}) {
                for (org.jmapi.store.MessageRow r : store.storage().query(
                        org.jmapi.store.ContentsQuery.of(f.id()).withAssociated(associated))) {
                    complete &= copyAcross(store, r.id(), copy, false);
                }
            }
            if (deep) {
                for (FolderRecord sub : store.storage().listFolders(f.id())) {
                    complete &= copyTreeAcross(store, sub, copy, sub.displayName(), true);
                }
            }
        }
        return complete;
    }

    /** @return the folder's settable properties as copy items: name, comment, the stored ones */
    private List<PropCopy.Item> copyItems(FolderRecord f) {
        List<PropValue> values = new ArrayList<>();
        values.add(PropValue.ofString(PR_DISPLAY_NAME, f.displayName()));
        if (f.comment() != null) {
            values.add(PropValue.ofString(PR_COMMENT, f.comment()));
        }
        values.addAll(f.properties());
        return PropCopy.items(values, List.of(), List.of(), java.util.Set.of());
    }

    @Override
    public List<PropProblem> copyTo(List<Class<? extends MapiObject>> excludeInterfaces, int[] excludeProps,
                                    Class<? extends MapiObject> iface, MapiObject destination, int flags) {
        try (var pass = enter()) {
            org.jmapi.prop.MapiProp dest = PropCopy.check(this, iface, destination, flags, "IMAPIFolder::CopyTo");
            return copy(PropCopy.Selection.exclude(excludeInterfaces, excludeProps), dest, flags);
        }
    }

    @Override
    public List<PropProblem> copyProps(int[] includeProps, Class<? extends MapiObject> iface, MapiObject destination,
                                       int flags) {
        try (var pass = enter()) {
            org.jmapi.prop.MapiProp dest = PropCopy.check(this, iface, destination, flags, "IMAPIFolder::CopyProps");
            return copy(PropCopy.Selection.include(includeProps), dest, flags);
        }
    }

    /**
     * CopyTo / CopyProps of a folder: its properties, then (when selected and the destination is a folder) its
     * messages, associated messages and subfolders through CopyMessages and CopyFolder; with MAPI_MOVE those are
     * moved and the copied properties deleted where they can be.
     */
    private List<PropProblem> copy(PropCopy.Selection sel, org.jmapi.prop.MapiProp dest, int flags) {
        boolean move = (flags & Flags.MAPI_MOVE) != 0;
        if (move) {
            store.checkWritable();
        }
        FolderRecord f = record();
        boolean hierarchy = sel.subobjects(PR_CONTAINER_HIERARCHY, MapiFolder.class);
        if (sameFile(dest)) {
            long target = ((SqliteFolder) dest).id;
            if (target == id) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS, "CopyTo: the destination is this folder");
            }
            if (hierarchy) {
                for (long p = target; p != 0; p = store.storage().loadFolder(p).parentId()) {
                    if (p == id) {
                        throw new MapiException(HResult.MAPI_E_FOLDER_CYCLE, "CopyTo: folder " + target
                                + " lies inside folder " + id + ", whose subfolders are being copied");
                    }
                }
            }
        }
        List<PropProblem> problems = new ArrayList<>();
        List<Integer> copied = PropCopy.putItems(copyItems(f), PropCopy.Origin.of(store), dest, sel, flags,
                problems);
        if (dest instanceof MapiFolder target) {
            for (boolean associated : new boolean[] {false, true}) {
                if (!sel.subobjects(associated ? PR_FOLDER_ASSOCIATED_CONTENTS : PR_CONTAINER_CONTENTS,
                        Message.class)) {
                    continue;
                }
                List<EntryId> ids = new ArrayList<>();
                for (org.jmapi.store.MessageRow r : store.storage().query(
                        org.jmapi.store.ContentsQuery.of(id).withAssociated(associated))) {
                    ids.add(store.ids().message(r.id()));
                }
                if (!ids.isEmpty()) {
                    copyMessages(ids, target, move ? Flags.MESSAGE_MOVE : 0);
                }
            }
            if (hierarchy) {
                for (FolderRecord sub : store.storage().listFolders(id)) {
                    copyFolder(store.ids().folder(sub.id()), target, null,
                            Flags.COPY_SUBFOLDERS | (move ? Flags.FOLDER_MOVE : 0));
                }
            }
        }
        if (move && !copied.isEmpty()) {
            List<Integer> deletable = new ArrayList<>();
            for (int t : copied) {
                if (PropTag.id(t) != PropTag.id(PR_DISPLAY_NAME)) {
                    deletable.add(t);
                }
            }
            if (!deletable.isEmpty()) {
                deleteProps(deletable.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        return problems;
    }

    @Override
    public <T extends MapiObject> T openProperty(int tag, Class<T> iface, int interfaceOptions, int flags) {
        try (var pass = enter()) {
            PropertyOpen.Request r = PropertyOpen.check(tag, iface, interfaceOptions, flags);
            int pid = PropTag.id(tag);
            if (pid == PropTag.id(PR_CONTAINER_CONTENTS) || pid == PropTag.id(PR_FOLDER_ASSOCIATED_CONTENTS)
                    || pid == PropTag.id(PR_CONTAINER_HIERARCHY)) {
                if (!iface.isAssignableFrom(MapiTable.class) || PropTag.type(tag) != org.jmapi.prop.PropType.PT_OBJECT) {
                    throw PropertyOpen.notOffered(r);
                }
                return iface.cast(pid == PropTag.id(PR_CONTAINER_HIERARCHY) ? getHierarchyTable(0)
                        : getContentsTable(pid == PropTag.id(PR_CONTAINER_CONTENTS) ? 0 : MAPI_ASSOCIATED));
            }
            return iface.cast(PropertyOpen.valueStream(store, this, bag(), r));
        }
    }

    @Override
    public void streamCommitted(int tag, ValueBuffer buffer) {
        PropertyOpen.commitBySetProps(this, tag, buffer);
    }

    @Override
    public void streamGone(SqliteStream stream) {
    }

    @Override
    public BaseMapiObject object() {
        return this;
    }

    @Override
    protected String describe() {
        return "SQLite folder " + id;
    }
}
