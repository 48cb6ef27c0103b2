package org.jmapi.runtime.testproviders;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropertyBag;
import org.jmapi.spi.LogonGate;

import java.util.List;

/**
 * An entry of the memory address book: read-only properties, the logon's gate on every call, and the logon's
 * registry until its final release.
 */
abstract class MemoryAbObject extends MemoryProp {
    private final MemoryAbLogon logon;
    private final PropertyBag bag = new PropertyBag();

    /** @param logon the logon that opened the entry @param props its properties */
    MemoryAbObject(MemoryAbLogon logon, List<PropValue> props) {
        this.logon = logon;
        bag.putAll(props);
        bag.setReadOnly(true);
    }

    @Override
    protected final LogonGate.Pass enter() {
        checkValid();
        return logon.enterGate();
    }

    @Override
    protected final PropertyBag bag() {
        return bag;
    }

    @Override
    protected final void checkWritable() {
        throw new MapiException(HResult.MAPI_E_NO_ACCESS, "the memory address book is read-only");
    }

    @Override
    protected final void onFinalRelease() {
        logon.untrack(this);
    }
}
