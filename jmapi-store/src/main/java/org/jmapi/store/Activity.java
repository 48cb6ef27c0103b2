package org.jmapi.store;

/**
 * One piece of spooler work in progress, recorded in the store so that every process that has the store open sees
 * it (ARCHITECTURE.md &sect;5). Returned by {@link Storage#beginActivity}; {@link #close()} ends it. Should the
 * process die instead, the record stops counting as soon as its owner is known to be gone (same machine) or its
 * lease ends (renewed by the owning storage while it is open).
 *
 * <p>Thread-safe. It is safe to close more than once; closing after the storage was closed does nothing (closing
 * the storage ends all of its activities).
 */
public interface Activity extends AutoCloseable {
    /** @return the activity's id, as {@link ActivityRecord#id()} shows it */
    long id();

    /** Ends the activity: removes its record from the store. */
    @Override
    void close();
}
