package org.jmapi.store.provider;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.client.Attach;
import org.jmapi.client.Message;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.store.Attachment;
import org.jmapi.store.LargeValue;
import org.jmapi.store.MessageImage;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An attachment of a {@link SqliteMessage} (IAttach), transacted into its message (R-FM-4): SaveChanges hands the
 * attachment's properties to the message's working state, and only the message's own SaveChanges writes them to the
 * store. PR_ATTACH_NUM and PR_OBJECT_TYPE are computed. Large values (PR_ATTACH_DATA_BIN over the storage's inline
 * limit) are read on demand, see {@link WorkingProps}; an embedded message is kept as it was stored.
 *
 * <p>Opened read-only unless asked for MAPI_MODIFY / MAPI_BEST_ACCESS on a writable message. Holds a reference on
 * its message while open. Invalid after the logon's logoff or once its message was submitted (R-SUB-1).
 * <b>Threads:</b> thread-safe.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
final class SqliteAttach extends StoreObject implements Attach, SqliteStream.Owner {

    /**
     * An attachment's state inside its message's working image.
     *
     * @param props    inline properties (without PR_ATTACH_NUM)
     * @param large    values kept out of line
     * @param pending  values committed by streams, not saved yet
     * @param embedded the embedded message image, or null
     */
    record State(List<PropValue> props, List<LargeValue> large, List<WorkingProps.Pending> pending,
                 MessageImage embedded) {
        /** Copies the lists. */
        State {
            props = List.copyOf(props);
            large = List.copyOf(large);
            pending = List.copyOf(pending);
        }

        /**
         * @param props    inline properties
         * @param large    values kept out of line
         * @param embedded the embedded message image, or null
         * @return a state without pending values
         */
        static State of(List<PropValue> props, List<LargeValue> large, MessageImage embedded) {
            return new State(props, large, List.of(), embedded);
        }

        /**
         * Adds this state as a holder of the buffers of its pending values and of its embedded message's streams (it
         * went into a message's working state).
         */
        void retain() {
            pending.forEach(p -> p.buffer().retain());
            ImageStreams.buffers(embedded).forEach(ValueBuffer::retain);
        }

        /** Gives back what {@link #retain()} took (the state left the message's working state). */
        void release() {
            pending.forEach(p -> p.buffer().release());
            ImageStreams.buffers(embedded).forEach(ValueBuffer::release);
        }

        /** @return whether saving this state writes values from streams */
        boolean hasStreams() {
            return !pending.isEmpty() || (embedded != null && ImageStreams.has(embedded));
        }
    }

    private final SqliteMessage message;
    private final int number;
    private final WorkingProps props;
    private volatile MessageImage embedded;
    /** Set once the attachment gave its buffers back; guarded by {@code this}. */
    private boolean buffersDropped;
    private final Set<BaseMapiObject> dependents = ConcurrentHashMap.newKeySet();
    private volatile boolean writable;

    /**
     * @param store    the logon
     * @param message  the message; AddRef'ed until this attachment's final release
     * @param number   PR_ATTACH_NUM
     * @param state    the attachment's current state
     * @param writable whether changes are allowed
     */
    SqliteAttach(SqliteMsgStore store, SqliteMessage message, int number, State state, boolean writable) {
        super(store);
        this.message = message;
        this.number = number;
        this.embedded = state.embedded();
        this.writable = writable;
        message.addRef();
        props = new WorkingProps(store.storage());
        props.load(state.props(), state.large());
        props.loadPending(state.pending());
        ImageStreams.buffers(embedded).forEach(ValueBuffer::retain);
        props.putComputed(PropValue.ofInt(PropTags.PR_ATTACH_NUM, number));
        props.putComputed(PropValue.ofInt(PropTags.PR_OBJECT_TYPE, Flags.MAPI_ATTACH));
        props.setReadOnly(!writable);
    }

    private void checkWritable() {
        if (!writable) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS,
                    "attachment " + number + " was opened read-only (open it with MAPI_MODIFY)");
        }
    }

    @Override
    public PropValues getProps(int[] tags, int flags) {
        try (var pass = enter()) {
            return props.getProps(tags, flags);
        }
    }

    @Override
    public List<PropProblem> setProps(List<PropValue> values) {
        try (var pass = enter()) {
            return props.setProps(values);
        }
    }

    @Override
    public List<PropProblem> deleteProps(int[] tags) {
        try (var pass = enter()) {
            return props.deleteProps(tags);
        }
    }

    @Override
    public int[] getPropList(int flags) {
        try (var pass = enter()) {
            return props.getPropList(flags);
        }
    }

    @Override
    public void saveChanges(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.KEEP_OPEN_READONLY | Flags.KEEP_OPEN_READWRITE | Flags.FORCE_SAVE
                    | Flags.MAPI_DEFERRED_ERRORS, "IAttach::SaveChanges");
            checkWritable();
            message.putAttachment(number, new State(props.inline(), props.keptLarge(), props.pendingValues(),
                    embedded));
            if ((flags & Flags.KEEP_OPEN_READWRITE) == 0) {
                writable = false;
                props.setReadOnly(true);
            }
        }
    }

    @Override
    public <T extends MapiObject> T openProperty(int tag, Class<T> iface, int interfaceOptions, int flags) {
        try (var pass = enter()) {
            PropertyOpen.Request r = PropertyOpen.check(tag, iface, interfaceOptions, flags);
            if (PropTag.id(tag) == PropTag.id(PropTags.PR_ATTACH_DATA_OBJ) && (iface == Message.class
                    || (iface == MapiObject.class && PropTag.type(tag) == org.jmapi.prop.PropType.PT_OBJECT
                    && embedded != null))) {
                return iface.cast(embeddedMessage(r));
            }
            SqliteStream stream = PropertyOpen.stream(store, this, props, r, writable);
            dependents.add(stream);
            return iface.cast(stream);
        }
    }

    /**
     * A copy within the store file: the property takes an out-of-line value by reference (R-PROP-7).
     *
     * @param v the value
     */
    void keepLarge(LargeValue v) {
        checkValid();
        checkWritable();
        props.putLarge(v);
    }

    /**
     * A copy within the store file: the attachment's embedded message becomes {@code image} (its out-of-line values
     * are of this store file and are copied inside it at the message's save).
     *
     * @param image the embedded message
     */
    void putEmbedded(MessageImage image) {
        checkValid();
        checkWritable();
        ImageStreams.buffers(image).forEach(ValueBuffer::retain);
        MessageImage before;
        synchronized (this) {
            before = embedded;
            embedded = image;
        }
        ImageStreams.buffers(before).forEach(ValueBuffer::release);
    }

    /** @return the folder of the attachment's message (for an embedded message's computed properties) */
    SqliteMessage message() {
        return message;
    }

    /** @return the working state as an attachment record, for a copy */
    private Attachment snapshot() {
        return new Attachment(number, props.inline(), props.keptLarge(), props.streams(), embedded);
    }

    @Override
    public List<PropProblem> copyTo(List<Class<? extends MapiObject>> excludeInterfaces, int[] excludeProps,
                                    Class<? extends MapiObject> iface, MapiObject destination, int flags) {
        try (var pass = enter()) {
            MapiProp dest = PropCopy.check(this, iface, destination, flags, "IAttach::CopyTo");
            return copy(PropCopy.Selection.exclude(excludeInterfaces, excludeProps), dest, flags);
        }
    }

    @Override
    public List<PropProblem> copyProps(int[] includeProps, Class<? extends MapiObject> iface, MapiObject destination,
                                       int flags) {
        try (var pass = enter()) {
            MapiProp dest = PropCopy.check(this, iface, destination, flags, "IAttach::CopyProps");
            return copy(PropCopy.Selection.include(includeProps), dest, flags);
        }
    }

    private List<PropProblem> copy(PropCopy.Selection sel, MapiProp dest, int flags) {
        if ((flags & Flags.MAPI_MOVE) != 0) {
            checkWritable();
        }
        List<PropProblem> problems = new ArrayList<>();
        List<Integer> copied = PropCopy.copyAttachment(snapshot(), PropCopy.Origin.of(store), dest, sel, flags,
                problems);
        if ((flags & Flags.MAPI_MOVE) != 0 && !copied.isEmpty()) {
            props.deleteProps(copied.stream().mapToInt(Integer::intValue).toArray());
        }
        return problems;
    }

    /**
     * PR_ATTACH_DATA_OBJ as a Message: the embedded message (R-PROP-6); with MAPI_CREATE a new, empty one that
     * replaces the current one at its SaveChanges.
     */
    private SqliteMessage embeddedMessage(PropertyOpen.Request r) {
        if (PropTag.type(r.tag()) != org.jmapi.prop.PropType.PT_OBJECT) {
            throw PropertyOpen.notOffered(r);
        }
        if (r.modify() && !writable) {
            throw new MapiException(HResult.MAPI_E_NO_ACCESS, "the embedded message cannot be changed: attachment "
                    + number + " was opened read-only (open it with MAPI_MODIFY)");
        }
        MessageImage image = embedded;
        if (image == null && !r.create()) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "attachment " + number + " has no embedded message"
                    + " (open PR_ATTACH_DATA_OBJ with MAPI_CREATE | MAPI_MODIFY to create one)");
        }
        SqliteMessage m = SqliteMessage.embedded(store, this, r.create() ? null : image, r.modify());
        dependents.add(m);
        return store.track(m);
    }

    /** @param d an embedded message or stream of this attachment that was released */
    void dependentGone(BaseMapiObject d) {
        dependents.remove(d);
    }

    @Override
    public void streamCommitted(int tag, ValueBuffer buffer) {
        checkValid();
        checkWritable();
        props.putPending(tag, buffer);
    }

    @Override
    public void streamGone(SqliteStream stream) {
        dependents.remove(stream);
    }

    @Override
    public BaseMapiObject object() {
        return this;
    }

    @Override
    protected void onInvalidate() {
        for (BaseMapiObject d : List.copyOf(dependents)) {
            d.invalidate();
        }
        dropBuffers();
    }

    @Override
    protected void destroyed() {
        dropBuffers();
        message.childGone(this);
        message.release();
    }

    /** Gives back the buffers this attachment holds (its pending values, its embedded message's streams); once. */
    private void dropBuffers() {
        props.close();
        MessageImage before;
        synchronized (this) {
            if (buffersDropped) {
                return;
            }
            buffersDropped = true;
            before = embedded;
        }
        ImageStreams.buffers(before).forEach(ValueBuffer::release);
    }

    @Override
    protected String describe() {
        return "SQLite attachment " + number;
    }
}
