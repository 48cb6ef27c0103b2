package org.jmapi.store;

import org.jmapi.MapiUid;

import java.time.Instant;

/**
 * A live activity as another process reads it ({@link Storage#activities()}). Immutable snapshot.
 *
 * @param id           the activity id
 * @param ownerId      the {@link Storage#ownerId()} of the storage that began it
 * @param spoolerId    who does the work (the spooler's or transport's name, for people reading it)
 * @param storeUid     the store the activity concerns
 * @param kind         inbound or outbound
 * @param messageId    the message concerned, or 0 when there is none yet (an inbound message before its first save)
 * @param started      when it began
 * @param leaseExpires when it stops counting unless its owner renews the lease
 */
public record ActivityRecord(long id, String ownerId, String spoolerId, MapiUid storeUid, ActivityKind kind,
                             long messageId, Instant started, Instant leaseExpires) {}
