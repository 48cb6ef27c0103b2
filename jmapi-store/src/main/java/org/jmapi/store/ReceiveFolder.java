package org.jmapi.store;

/**
 * One receive-folder registration (IMsgStore::GetReceiveFolder / SetReceiveFolder, R-RF-1). Immutable.
 *
 * @param messageClass the message class as registered; the empty string for the default receive folder
 * @param folderId     the folder messages of that class are delivered to
 */
public record ReceiveFolder(String messageClass, long folderId) {}
