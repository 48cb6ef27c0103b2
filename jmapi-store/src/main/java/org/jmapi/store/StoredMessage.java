package org.jmapi.store;

/**
 * A message as {@link Storage#loadMessage} returns it: its metadata and its image, both taken in one consistent
 * read. Large values are {@link LargeValue} references, never loaded. Immutable; owned by the caller.
 *
 * @param info  identity, place, version, queue state
 * @param image properties, recipients, attachments
 */
public record StoredMessage(MessageInfo info, MessageImage image) {}
