package org.jmapi.store;

import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Restriction;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Storage} that forwards every abstract method (and the event log) to an engine, but leaves
 * {@link Storage#copyFolder} and {@link Storage#openValueStream(LargeValue, long)} to the interface's default
 * implementations: what an engine that does not override them (the PostgreSQL engine written against the earlier
 * interface) gets. Run through the contract by {@code StorageDefaultsTest}.
 */
public final class DefaultsOnlyStorage implements Storage {
    private final Storage engine;

    /** @param engine the engine to forward to; closed with this object */
    public DefaultsOnlyStorage(Storage engine) {
        this.engine = engine;
    }

    /** @return the engine underneath */
    public Storage engine() {
        return engine;
    }

    @Override public StoreIdentity identity() { return engine.identity(); }
    @Override public String ownerId() { return engine.ownerId(); }
    @Override public long changeCounter() { return engine.changeCounter(); }
    @Override public List<PropValue> storeProperties() { return engine.storeProperties(); }
    @Override public void setStoreProperties(List<PropValue> set, List<Integer> deleteTags) {
        engine.setStoreProperties(set, deleteTags);
    }
    @Override public FolderRecord loadFolder(long folderId) { return engine.loadFolder(folderId); }
    @Override public List<FolderRecord> listFolders(long parentId) { return engine.listFolders(parentId); }
    @Override public FolderRecord createFolder(long parentId, String displayName, int folderType, String comment,
                                               List<PropValue> properties) {
        return engine.createFolder(parentId, displayName, folderType, comment, properties);
    }
    @Override public FolderRecord renameFolder(long folderId, String newName) {
        return engine.renameFolder(folderId, newName);
    }
    @Override public FolderRecord setFolderComment(long folderId, String comment) {
        return engine.setFolderComment(folderId, comment);
    }
    @Override public FolderRecord setFolderProperties(long folderId, List<PropValue> set, List<Integer> deleteTags) {
        return engine.setFolderProperties(folderId, set, deleteTags);
    }
    @Override public void deleteFolder(long folderId, boolean deleteSubfolders, boolean deleteMessages) {
        engine.deleteFolder(folderId, deleteSubfolders, deleteMessages);
    }
    @Override public FolderRecord moveFolder(long folderId, long newParentId, String newName) {
        return engine.moveFolder(folderId, newParentId, newName);
    }
    @Override public MessageInfo saveMessage(SaveRequest request) { return engine.saveMessage(request); }
    @Override public List<MessageInfo> saveMessages(List<SaveRequest> requests) {
        return engine.saveMessages(requests);
    }
    @Override public StoredMessage loadMessage(long messageId) { return engine.loadMessage(messageId); }
    @Override public MessageInfo messageInfo(long messageId) { return engine.messageInfo(messageId); }
    @Override public InputStream openValueStream(long messageId, int tag) {
        return engine.openValueStream(messageId, tag);
    }
    @Override public InputStream openAttachmentValueStream(long messageId, int attachNum, int tag) {
        return engine.openAttachmentValueStream(messageId, attachNum, tag);
    }
    @Override public InputStream openValueStream(LargeValue value) { return engine.openValueStream(value); }
    @Override public MessageInfo updateMessageFlags(long messageId, int setBits, int clearBits) {
        return engine.updateMessageFlags(messageId, setBits, clearBits);
    }
    @Override public void deleteMessage(long messageId) { engine.deleteMessage(messageId); }
    @Override public Map<Long, Integer> deleteMessages(List<Long> messageIds) {
        return engine.deleteMessages(messageIds);
    }
    @Override public MessageInfo moveMessage(long messageId, long targetFolderId) {
        return engine.moveMessage(messageId, targetFolderId);
    }
    @Override public MessageInfo copyMessage(long messageId, long targetFolderId) {
        return engine.copyMessage(messageId, targetFolderId);
    }
    @Override public List<MessageRow> query(ContentsQuery query) { return engine.query(query); }
    @Override public int count(long folderId, boolean associated, Restriction restriction) {
        return engine.count(folderId, associated, restriction);
    }
    @Override public int[] getIdsFromNames(List<NamedProperty> names, boolean create) {
        return engine.getIdsFromNames(names, create);
    }
    @Override public List<NamedProperty> getNamesFromIds(int[] propIds) { return engine.getNamesFromIds(propIds); }
    @Override public Map<Integer, NamedProperty> namedProperties() { return engine.namedProperties(); }
    @Override public void setReceiveFolder(String messageClass, long folderId) {
        engine.setReceiveFolder(messageClass, folderId);
    }
    @Override public void clearReceiveFolder(String messageClass) { engine.clearReceiveFolder(messageClass); }
    @Override public Optional<ReceiveFolder> getReceiveFolder(String messageClass) {
        return engine.getReceiveFolder(messageClass);
    }
    @Override public List<ReceiveFolder> receiveFolders() { return engine.receiveFolders(); }
    @Override public MessageInfo submitMessage(long messageId, Instant submitTime, int submitFlags) {
        return engine.submitMessage(messageId, submitTime, submitFlags);
    }
    @Override public List<MessageRow> queue() { return engine.queue(); }
    @Override public MessageInfo lockMessage(long messageId) { return engine.lockMessage(messageId); }
    @Override public Optional<MessageRow> lockNextQueued() { return engine.lockNextQueued(); }
    @Override public void unlockMessage(long messageId) { engine.unlockMessage(messageId); }
    @Override public void finishMessage(long messageId, Disposal disposal) {
        engine.finishMessage(messageId, disposal);
    }
    @Override public void abortSubmit(long messageId) { engine.abortSubmit(messageId); }
    @Override public Activity beginActivity(ActivityKind kind, String spoolerId, long messageId) {
        return engine.beginActivity(kind, spoolerId, messageId);
    }
    @Override public List<ActivityRecord> activities() { return engine.activities(); }
    @Override public ActivitySummary activitySummary() { return engine.activitySummary(); }
    @Override public void publishEvents(List<byte[]> payloads) { engine.publishEvents(payloads); }
    @Override public long lastEventSeq() { return engine.lastEventSeq(); }
    @Override public List<StoreEvent> eventsAfter(long afterSeq, int limit) {
        return engine.eventsAfter(afterSeq, limit);
    }
    @Override public void close() { engine.close(); }
}
