package org.jmapi.store.provider;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.Attach;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.store.LargeValue;
import org.jmapi.store.MessageImage;

import java.util.List;

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
final class SqliteAttach extends StoreObject implements Attach {

    /**
     * An attachment's state inside its message's working image.
     *
     * @param props    inline properties (without PR_ATTACH_NUM)
     * @param large    values kept out of line
     * @param embedded the embedded message image, or null
     */
    record State(List<PropValue> props, List<LargeValue> large, MessageImage embedded) {
        /** Copies the lists. */
        State {
            props = List.copyOf(props);
            large = List.copyOf(large);
        }
    }

    private final SqliteMessage message;
    private final int number;
    private final WorkingProps props;
    private final MessageImage embedded;
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
            message.putAttachment(number, new State(props.inline(), props.keptLarge(), embedded));
            if ((flags & Flags.KEEP_OPEN_READWRITE) == 0) {
                writable = false;
                props.setReadOnly(true);
            }
        }
    }

    @Override
    protected void destroyed() {
        message.childGone(this);
        message.release();
    }

    @Override
    protected String describe() {
        return "SQLite attachment " + number;
    }
}
