package org.jmapi.table;

import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a restriction is evaluated against: one row (or one object's properties), looked up by property id, and
 * optionally the rows of its subobject tables for RES_SUBRESTRICTION (spec &sect;9.3, R-TBL-3, R-TBL-6).
 *
 * <p>Implementations are read-only views owned by whoever built them; {@link Restrictions#matches} only reads
 * them, on the calling thread. {@link #of(List)} builds an immutable, thread-safe one.
 */
public interface RowSource {

    /**
     * Looks a property up by id; the type in {@code propTag} is ignored, so a PT_UNSPECIFIED tag works.
     *
     * @param propTag the property tag (only PROP_ID matters)
     * @return the row's value with that id, or null when the row does not have it (PT_ERROR entries count as
     *         absent)
     */
    PropValue get(int propTag);

    /**
     * The rows of a subobject table, for RES_SUBRESTRICTION.
     *
     * @param subObjectTag PR_MESSAGE_RECIPIENTS (0x0E12000D) or PR_MESSAGE_ATTACHMENTS (0x0E13000D)
     * @return the recipient or attachment rows; the default has none (an object without subobjects)
     */
    default List<RowSource> subObjects(int subObjectTag) {
        return List.of();
    }

    /**
     * Builds an immutable row source over a list of values. PR_NULL and PT_ERROR entries are treated as absent;
     * when two values share an id the later one wins (as with SetProps, R-PROP-2). The source has no subobjects.
     *
     * @param values the row's values; the list is copied, the values are immutable
     * @return a thread-safe row source
     * @throws NullPointerException when {@code values} or one of its entries is null
     */
    static RowSource of(List<PropValue> values) {
        Map<Integer, PropValue> byId = new HashMap<>();
        for (PropValue v : values) {
            if (v.tag() != PropTag.PR_NULL && v.type() != PropType.PT_ERROR) {
                byId.put(v.id(), v);
            }
        }
        Map<Integer, PropValue> frozen = Map.copyOf(byId);
        return tag -> frozen.get(PropTag.id(tag));
    }
}
