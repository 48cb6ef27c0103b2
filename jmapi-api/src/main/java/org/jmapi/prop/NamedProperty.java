package org.jmapi.prop;

import org.jmapi.MapiUid;

/**
 * A MAPINAMEID: a property set GUID and either a string name or a numeric id (LID). Named properties live at ids
 * 0x8000 and above, assigned per store by {@link MapiProp#getIdsFromNames}. Immutable.
 *
 * @param propertySet the property set GUID
 * @param name        the string name, or null for a numeric one
 * @param lid         the numeric id, used when {@code name} is null
 */
public record NamedProperty(MapiUid propertySet, String name, int lid) {
    /**
     * @param set  the property set
     * @param name the name
     * @return a string-named property (MNID_STRING)
     */
    public static NamedProperty ofName(MapiUid set, String name) {
        return new NamedProperty(set, name, 0);
    }

    /**
     * @param set the property set
     * @param lid the numeric id
     * @return a numerically named property (MNID_ID)
     */
    public static NamedProperty ofId(MapiUid set, int lid) {
        return new NamedProperty(set, null, lid);
    }
}
