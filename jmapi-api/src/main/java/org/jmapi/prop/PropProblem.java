package org.jmapi.prop;

import org.jmapi.HResult;

/**
 * One SPropProblem: a property that {@code setProps}, {@code deleteProps} or {@code copyTo} could not handle while
 * the call as a whole succeeded (R-PROP-2, R-PROP-3). Immutable.
 *
 * @param index  the position of the property in the caller's array
 * @param tag    the property tag
 * @param scode  why, e.g. MAPI_E_COMPUTED or MAPI_E_NO_ACCESS
 */
public record PropProblem(int index, int tag, int scode) {
    @Override
    public String toString() {
        return "PropProblem[" + index + ", " + PropTag.toString(tag) + ", " + HResult.name(scode) + "]";
    }
}
