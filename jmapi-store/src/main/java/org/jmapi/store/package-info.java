/**
 * The storage layer of jmapi's message store provider: the engine-neutral {@link org.jmapi.store.Storage} interface
 * below the MAPI store objects (MsgStore, MapiFolder, Message, contents tables, outgoing queue), and the immutable
 * value types it speaks in. Engines live in sub-packages ({@code org.jmapi.store.sqlite}); the contract suite every
 * engine passes lives in the tests ({@code StorageContract}).
 */
package org.jmapi.store;
