package org.jmapi.prop;

import org.jmapi.HResult;

import java.util.List;
import java.util.Optional;

/**
 * The answer of {@link MapiProp#getProps}: the values in request order and the HRESULT, which is S_OK or
 * MAPI_W_ERRORS_RETURNED when at least one entry is a PT_ERROR value (R-PROP-1). Immutable.
 *
 * @param hresult S_OK or MAPI_W_ERRORS_RETURNED
 * @param values  one entry per requested tag, in request order (all properties for a null request)
 */
public record PropValues(int hresult, List<PropValue> values) {
    /**
     * Copies {@code values} into an unmodifiable list.
     *
     * @param hresult S_OK or MAPI_W_ERRORS_RETURNED
     * @param values  one entry per requested tag, in request order; not null
     */
    public PropValues {
        values = List.copyOf(values);
    }

    /**
     * Builds the answer, choosing MAPI_W_ERRORS_RETURNED iff some entry is PT_ERROR.
     *
     * @param values the entries
     * @return the answer
     */
    public static PropValues of(List<PropValue> values) {
        boolean errors = values.stream().anyMatch(PropValue::isError);
        return new PropValues(errors ? HResult.MAPI_W_ERRORS_RETURNED : HResult.S_OK, values);
    }

    /**
     * @param tag a property tag; the type is ignored, so PT_UNSPECIFIED works
     * @return the non-error value with that id, if present
     */
    public Optional<PropValue> find(int tag) {
        int id = PropTag.id(tag);
        return values.stream().filter(v -> v.id() == id && !v.isError()).findFirst();
    }
}
