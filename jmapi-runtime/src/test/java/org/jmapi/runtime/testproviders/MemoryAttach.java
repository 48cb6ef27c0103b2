package org.jmapi.runtime.testproviders;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.Attach;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropertyBag;

import java.util.List;

/**
 * An attachment of a {@link MemoryMessage}, transacted into its message (R-FM-4): SaveChanges copies the
 * attachment's properties into the message's working state, where the message's own SaveChanges makes them
 * permanent. Holds a reference on its message while open; invalid once the message was submitted.
 */
final class MemoryAttach extends MemoryStoreObject implements Attach {
    private final MemoryMessage message;
    private final int number;
    private final PropertyBag bag = new PropertyBag();
    private volatile boolean writable;

    /**
     * @param store    the logon
     * @param message  the message; AddRef'ed until this attachment's final release
     * @param number   PR_ATTACH_NUM
     * @param props    the attachment's current properties
     * @param writable whether changes are allowed
     */
    MemoryAttach(MemoryStore store, MemoryMessage message, int number, List<PropValue> props, boolean writable) {
        super(store);
        this.message = message;
        this.number = number;
        this.writable = writable;
        message.addRef();
        bag.replaceAll(props);
        bag.putComputed(PropValue.ofInt(PropTags.PR_ATTACH_NUM, number));
        bag.putComputed(PropValue.ofInt(PropTags.PR_OBJECT_TYPE, Flags.MAPI_ATTACH));
        bag.setReadOnly(!writable);
    }

    @Override
    protected PropertyBag bag() {
        return bag;
    }

    @Override
    protected void checkWritable() {
        if (!writable) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, "the attachment was opened read-only");
        }
    }

    @Override
    protected void commit(int flags) {
        checkWritable();
        List<PropValue> props = bag.snapshot().stream()
                .filter(v -> v.id() != PropTag.id(PropTags.PR_OBJECT_TYPE)).toList();
        message.putAttachment(number, props);
        if ((flags & Flags.KEEP_OPEN_READONLY) != 0) {
            writable = false;
            bag.setReadOnly(true);
        }
    }

    @Override
    protected void destroyed() {
        message.childGone(this);
        message.release();
    }

    @Override
    protected String describe() {
        return "memory-store attachment " + number;
    }
}
