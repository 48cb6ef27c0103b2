package org.jmapi.store.sqlite;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropValue;
import org.jmapi.store.FolderRecord;
import org.jmapi.store.engine.ImageRules;
import org.jmapi.store.engine.PropCodec;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The folder tree of a SQLite store: folder rows, sibling-name uniqueness, the maintained counts, delete and move
 * with their MAPI error codes (R-FM-2). Package-private part of {@link SqliteStorage}; thread-safe through
 * {@link Db}'s transactions.
 */
final class SqliteFolders {
    private static final String COLUMNS = "id, parent_id, display_name, folder_type, comment, props, content_count, "
            + "unread_count, assoc_count, child_count, created_at, modified_at";
    private static final String SUBTREE = "WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL "
            + "SELECT f.id FROM folder f JOIN sub ON f.parent_id = sub.id) ";

    private final SqliteStorage storage;

    SqliteFolders(SqliteStorage storage) {
        this.storage = storage;
    }

    private Db db() {
        return storage.db();
    }

    private static FolderRecord map(ResultSet rs) throws SQLException {
        return new FolderRecord(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                PropCodec.decode(rs.getBytes(6)), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10),
                Instant.ofEpochMilli(rs.getLong(11)), Instant.ofEpochMilli(rs.getLong(12)));
    }

    /** @return the folder, read on {@code c} @throws MapiException MAPI_E_NOT_FOUND */
    FolderRecord get(Connection c, long id) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM folder WHERE id = ?", SqliteFolders::map, id)
                .orElseThrow(() -> notFound(id));
    }

    /** @throws MapiException MAPI_E_NOT_FOUND when there is no folder {@code id} */
    void requireFolder(Connection c, long id) throws SQLException {
        if (Sql.longValue(c, "SELECT count(*) FROM folder WHERE id = ?", id) == 0) {
            throw notFound(id);
        }
    }

    private MapiException notFound(long id) {
        return new MapiException(HResult.MAPI_E_NOT_FOUND, "there is no folder " + id + " in store "
                + db().path());
    }

    FolderRecord load(long id) {
        return db().read("reading folder " + id, c -> get(c, id));
    }

    List<FolderRecord> list(long parentId) {
        return db().read("listing the subfolders of folder " + parentId, c -> {
            requireFolder(c, parentId);
            return Sql.list(c, "SELECT " + COLUMNS + " FROM folder WHERE parent_id = ? ORDER BY id",
                    SqliteFolders::map, parentId);
        });
    }

    FolderRecord create(long parentId, String displayName, int folderType, String comment,
                        List<PropValue> properties) {
        String name = ImageRules.checkFolderName(displayName);
        if (folderType != FolderRecord.FOLDER_GENERIC && folderType != FolderRecord.FOLDER_SEARCH) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "folder type " + folderType
                    + " is neither FOLDER_GENERIC (1) nor FOLDER_SEARCH (2)");
        }
        Objects.requireNonNull(properties, "properties");
        List<PropValue> props = checkedProperties(List.of(), properties, List.of(), "new folder '" + name + "'");
        return db().write("creating folder '" + name + "' in folder " + parentId, true, c -> {
            requireFolder(c, parentId);
            checkCollision(c, parentId, name, 0);
            long now = storage.now();
            long id = Sql.insert(c, "INSERT INTO folder (parent_id, display_name, name_key, folder_type, comment, "
                            + "props, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", parentId, name,
                    ImageRules.folderNameKey(name), folderType, comment, PropCodec.encode(props), now, now);
            Sql.update(c, "UPDATE folder SET child_count = child_count + 1 WHERE id = ?", parentId);
            return get(c, id);
        });
    }

    private static List<PropValue> checkedProperties(List<PropValue> current, List<PropValue> set,
                                                     List<Integer> deleteTags, String where) {
        for (PropValue v : set) {
            ImageRules.checkStorable(v, where);
            ImageRules.checkFolderProperty(v.tag());
        }
        return ImageRules.apply(current, set, deleteTags, where);
    }

    private void checkCollision(Connection c, long parentId, String name, long self) throws SQLException {
        if (Sql.longValue(c, "SELECT count(*) FROM folder WHERE parent_id = ? AND name_key = ? AND id <> ?",
                parentId, ImageRules.folderNameKey(name), self) > 0) {
            throw new MapiException(HResult.MAPI_E_COLLISION, "folder " + parentId + " already has a subfolder named '"
                    + name + "' (names are compared ignoring case)");
        }
    }

    private static void refuseRoot(FolderRecord f, String what) {
        if (f.parentId() == 0) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, "the root folder cannot be " + what);
        }
    }

    FolderRecord rename(long id, String newName) {
        String name = ImageRules.checkFolderName(newName);
        return db().write("renaming folder " + id, true, c -> {
            FolderRecord f = get(c, id);
            refuseRoot(f, "renamed");
            checkCollision(c, f.parentId(), name, id);
            Sql.update(c, "UPDATE folder SET display_name = ?, name_key = ?, modified_at = ? WHERE id = ?", name,
                    ImageRules.folderNameKey(name), storage.now(), id);
            return get(c, id);
        });
    }

    FolderRecord setComment(long id, String comment) {
        return db().write("setting the comment of folder " + id, true, c -> {
            get(c, id);
            Sql.update(c, "UPDATE folder SET comment = ?, modified_at = ? WHERE id = ?", comment, storage.now(), id);
            return get(c, id);
        });
    }

    FolderRecord setProperties(long id, List<PropValue> set, List<Integer> deleteTags) {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(deleteTags, "deleteTags");
        return db().write("setting properties of folder " + id, true, c -> {
            FolderRecord f = get(c, id);
            List<PropValue> next = checkedProperties(f.properties(), set, deleteTags, "folder " + id);
            Sql.update(c, "UPDATE folder SET props = ?, modified_at = ? WHERE id = ?", PropCodec.encode(next),
                    storage.now(), id);
            return get(c, id);
        });
    }

    void delete(long id, boolean deleteSubfolders, boolean deleteMessages) {
        db().write("deleting folder " + id, true, c -> {
            FolderRecord f = get(c, id);
            refuseRoot(f, "deleted");
            if (!deleteSubfolders && f.subfolderCount() > 0) {
                throw new MapiException(HResult.MAPI_E_HAS_FOLDERS, "folder '" + f.displayName() + "' (" + id
                        + ") has " + f.subfolderCount() + " subfolders; delete them first or allow DEL_FOLDERS");
            }
            long messages = Sql.longValue(c, SUBTREE + "SELECT coalesce(sum(content_count + assoc_count), 0) "
                    + "FROM folder WHERE id IN (SELECT id FROM sub)", id);
            if (!deleteMessages && messages > 0) {
                throw new MapiException(HResult.MAPI_E_HAS_MESSAGES, "folder '" + f.displayName() + "' (" + id
                        + ") and its subfolders hold " + messages + " messages; delete them first or allow"
                        + " DEL_MESSAGES");
            }
            long queued = Sql.longValue(c, SUBTREE + "SELECT count(*) FROM message WHERE queued = 1 AND folder_id "
                    + "IN (SELECT id FROM sub)", id);
            if (queued > 0) {
                throw new MapiException(HResult.MAPI_E_SUBMITTED, "folder '" + f.displayName() + "' (" + id
                        + ") holds " + queued + " messages in the outgoing queue; abort their submission first");
            }
            Sql.update(c, "DELETE FROM folder WHERE id = ?", id);
            Sql.update(c, "UPDATE folder SET child_count = child_count - 1 WHERE id = ?", f.parentId());
            return null;
        });
    }

    FolderRecord move(long id, long newParentId, String newName) {
        String name = newName == null ? null : ImageRules.checkFolderName(newName);
        return db().write("moving folder " + id + " to folder " + newParentId, true, c -> {
            FolderRecord f = get(c, id);
            refuseRoot(f, "moved");
            requireFolder(c, newParentId);
            boolean cycle = Sql.longValue(c, "WITH RECURSIVE up(id) AS (SELECT ? UNION ALL SELECT f.parent_id "
                    + "FROM folder f JOIN up ON f.id = up.id WHERE f.parent_id IS NOT NULL) "
                    + "SELECT count(*) FROM up WHERE id = ?", newParentId, id) > 0;
            if (cycle) {
                throw new MapiException(HResult.MAPI_E_FOLDER_CYCLE, "folder " + id + " cannot be moved into "
                        + (newParentId == id ? "itself" : "its own subfolder " + newParentId));
            }
            String target = name != null ? name : f.displayName();
            checkCollision(c, newParentId, target, id);
            Sql.update(c, "UPDATE folder SET parent_id = ?, display_name = ?, name_key = ?, modified_at = ? "
                    + "WHERE id = ?", newParentId, target, ImageRules.folderNameKey(target), storage.now(), id);
            if (newParentId != f.parentId()) {
                Sql.update(c, "UPDATE folder SET child_count = child_count - 1 WHERE id = ?", f.parentId());
                Sql.update(c, "UPDATE folder SET child_count = child_count + 1 WHERE id = ?", newParentId);
            }
            return get(c, id);
        });
    }

    /**
     * Copies a folder in one transaction: its row (new id, same type, comment and properties), copies of its messages
     * and associated messages and, with {@code subfolders}, of its subtree as it is now.
     */
    FolderRecord copy(long id, long newParentId, String newName, boolean subfolders) {
        String name = newName == null ? null : ImageRules.checkFolderName(newName);
        return db().write("copying folder " + id + " to folder " + newParentId, true, c -> {
            FolderRecord f = get(c, id);
            refuseRoot(f, "copied");
            requireFolder(c, newParentId);
            if (subfolders && Sql.longValue(c, "WITH RECURSIVE up(id) AS (SELECT ? UNION ALL SELECT f.parent_id "
                    + "FROM folder f JOIN up ON f.id = up.id WHERE f.parent_id IS NOT NULL) "
                    + "SELECT count(*) FROM up WHERE id = ?", newParentId, id) > 0) {
                throw new MapiException(HResult.MAPI_E_FOLDER_CYCLE, "folder " + id + " cannot be copied with its"
                        + " subfolders into " + (newParentId == id ? "itself" : "its own subfolder " + newParentId));
            }
            String target = name != null ? name : f.displayName();
            checkCollision(c, newParentId, target, 0);
            return get(c, copyTree(c, f, newParentId, target, subfolders));
        });
    }

    private long copyTree(Connection c, FolderRecord f, long newParentId, String name, boolean subfolders)
            throws SQLException {
        List<FolderRecord> children = subfolders ? Sql.list(c, "SELECT " + COLUMNS
                + " FROM folder WHERE parent_id = ? ORDER BY id", SqliteFolders::map, f.id()) : List.of();
        List<Long> messages = Sql.list(c, "SELECT id FROM message WHERE folder_id = ? ORDER BY id",
                rs -> rs.getLong(1), f.id());
        long now = storage.now();
        long copy = Sql.insert(c, "INSERT INTO folder (parent_id, display_name, name_key, folder_type, comment, "
                        + "props, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", newParentId, name,
                ImageRules.folderNameKey(name), f.folderType(), f.comment(), PropCodec.encode(f.properties()), now, now);
        Sql.update(c, "UPDATE folder SET child_count = child_count + 1 WHERE id = ?", newParentId);
        SqliteMessages m = storage.messagesComponent();
        for (long mid : messages) {
            m.copyInTx(c, m.requireHead(c, mid), copy);
        }
        for (FolderRecord child : children) {
            copyTree(c, child, copy, child.displayName(), true);
        }
        return copy;
    }

    /** Adjusts a folder's maintained message counts inside the caller's transaction. */
    static void adjustCounts(Connection c, long folderId, int content, int unread, int associated)
            throws SQLException {
        if (content != 0 || unread != 0 || associated != 0) {
            Sql.update(c, "UPDATE folder SET content_count = content_count + ?, unread_count = unread_count + ?, "
                    + "assoc_count = assoc_count + ? WHERE id = ?", content, unread, associated, folderId);
        }
    }
}
