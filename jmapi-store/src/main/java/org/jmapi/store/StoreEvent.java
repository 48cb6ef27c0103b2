package org.jmapi.store;

/**
 * One entry of a store's event log ({@link Storage#publishEvents}): a notification one instance raised, kept in the
 * store so that other instances (other processes, other sessions) can deliver it to their own sinks. Immutable; the
 * payload array is not copied again by readers, treat it as read-only.
 *
 * @param seq     the entry's sequence number, increasing in publication order
 * @param origin  the {@link Storage#ownerId()} of the instance that published it
 * @param payload the encoded notification, opaque to the storage
 */
public record StoreEvent(long seq, String origin, byte[] payload) {
}
