package org.jmapi.runtime.testproviders;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.prop.PropertyBag;
import org.jmapi.spi.LogonGate;

import java.util.List;

/**
 * IMAPIProp over a {@link PropertyBag} for the test providers' objects: every method first checks the object and
 * enters its logon's gate ({@link #enter()}), then forwards to the bag (R-PROP-1..4). Subclasses say which bag,
 * whether the object may be changed, and what SaveChanges commits.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
abstract class MemoryProp extends BaseMapiObject implements MapiProp {
    /** The SaveChanges flags every object accepts. */
    static final int SAVE_FLAGS = Flags.KEEP_OPEN_READONLY | Flags.KEEP_OPEN_READWRITE | Flags.FORCE_SAVE;

    /**
     * Checks validity and enters the owning logon's gate.
     *
     * @return the pass to close when the call ends
     */
    protected abstract LogonGate.Pass enter();

    /** @return the bag holding this object's properties */
    protected abstract PropertyBag bag();

    /** @throws MapiException MAPI_E_NO_ACCESS when the object may not be changed; the default allows changes */
    protected void checkWritable() {
    }

    /**
     * Commits buffered changes; the default (non-transacted objects) does nothing (R-PROP-5).
     *
     * @param flags the SaveChanges flags, already checked
     */
    protected void commit(int flags) {
    }

    @Override
    public PropValues getProps(int[] tags, int flags) {
        try (var pass = enter()) {
            return bag().getProps(tags, flags);
        }
    }

    @Override
    public List<PropProblem> setProps(List<PropValue> values) {
        try (var pass = enter()) {
            checkWritable();
            return bag().setProps(values);
        }
    }

    @Override
    public List<PropProblem> deleteProps(int[] tags) {
        try (var pass = enter()) {
            checkWritable();
            return bag().deleteProps(tags);
        }
    }

    @Override
    public int[] getPropList(int flags) {
        try (var pass = enter()) {
            return bag().getPropList(flags);
        }
    }

    @Override
    public void saveChanges(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, SAVE_FLAGS, "IMAPIProp::SaveChanges");
            commit(flags);
        }
    }

    @Override
    public int[] getIdsFromNames(List<NamedProperty> names, int flags) {
        try (var pass = enter()) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, describe() + " has no named properties");
        }
    }

    @Override
    public List<NamedProperty> getNamesFromIds(int[] tags) {
        try (var pass = enter()) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, describe() + " has no named properties");
        }
    }
}
