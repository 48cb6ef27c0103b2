package org.jmapi.runtime.profile;

import org.jmapi.MapiUid;
import org.jmapi.prop.PropValue;

import java.util.List;
import java.util.function.Function;

/**
 * Where the values of open {@link LocalProfileSection}s live: the persistent profile (every edit written through
 * to disk under the home lock) or the staging area of a service being created (committed only when
 * MSG_SERVICE_CREATE succeeded). Implementations are thread-safe.
 */
interface SectionHost {

    /**
     * @param uid a section
     * @return its current values, owner's view (secure ones included)
     * @throws org.jmapi.MapiException MAPI_E_OBJECT_DELETED when the section no longer exists
     */
    List<PropValue> read(MapiUid uid);

    /**
     * Applies an edit atomically to the section's current values and stores the values it returns.
     *
     * @param uid  a section
     * @param edit maps the current values to a result and the new values; if it throws nothing is stored
     * @param <T>  the result type
     * @return the edit's result
     * @throws org.jmapi.MapiException MAPI_E_OBJECT_DELETED when the section no longer exists
     */
    <T> T edit(MapiUid uid, Function<List<PropValue>, Edited<T>> edit);

    /**
     * The outcome of an edit.
     *
     * @param result what the edit returns to its caller
     * @param values the section's new values
     * @param <T>    the result type
     */
    record Edited<T>(T result, List<PropValue> values) {}
}
