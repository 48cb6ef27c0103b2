package org.jmapi.table;

import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropValue;

import java.util.List;
import java.util.Optional;

/**
 * One SRow: the values of a table row in the table's column order. A column the row does not have is a PT_ERROR
 * / MAPI_E_NOT_FOUND entry (R-TBL-1); a PR_NULL column is a PR_NULL entry. Immutable; owned by the caller.
 *
 * @param values the values in column order
 */
public record Row(List<PropValue> values) {
    /**
     * Copies the list.
     *
     * @param values the values in column order; not null
     */
    public Row {
        values = List.copyOf(values);
    }

    /**
     * @param tag a tag; the type is ignored
     * @return the first non-error value with that id
     */
    public Optional<PropValue> find(int tag) {
        int id = PropTag.id(tag);
        return values.stream().filter(v -> v.id() == id && !v.isError()).findFirst();
    }

    /**
     * @param tag a tag
     * @return the value
     * @throws IllegalArgumentException when the row has no such non-error column
     */
    public PropValue get(int tag) {
        return find(tag).orElseThrow(() -> new IllegalArgumentException("row has no " + PropTag.toString(tag)));
    }
}
