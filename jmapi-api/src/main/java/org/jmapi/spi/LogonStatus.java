package org.jmapi.spi;

import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.MapiStatus;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.prop.PropertyBag;

import java.util.List;
import java.util.function.Supplier;

/**
 * A read-only status object for a provider logon (IMAPIStatus, spec &sect;8, R-ST-6, R-ST-7): what
 * {@code OpenStatusEntry} returns for the logon's status row. Its properties are read from the logon at every call,
 * PR_OBJECT_TYPE is MAPI_STATUS, and only the methods PR_RESOURCE_METHODS advertises work: ValidateState when
 * STATUS_VALIDATE_STATE is set, FlushQueues when STATUS_FLUSH_QUEUES is set (R-FLUSH-1: a transport's status object
 * takes no target and no FLUSH_ASYNC_OK); the others answer MAPI_E_NO_SUPPORT.
 *
 * <p><b>Ownership:</b> the logon that creates it holds one reference and invalidates it at its logoff (R-INV-2);
 * callers own the references OpenStatusEntry gave them. <b>After logoff</b> every method but IUnknown throws
 * MAPI_E_INVALID_OBJECT. <b>Threads:</b> thread-safe; every call enters the logon's gate.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
public final class LogonStatus extends BaseMapiObject implements MapiStatus {
    /** Every ValidateState flag of spec &sect;1.2 (R-VS-1). */
    public static final int VALIDATE_STATE_FLAGS = Flags.SUPPRESS_UI | Flags.REFRESH_XP_HEADER_CACHE
            | Flags.PROCESS_XP_HEADER_CACHE | Flags.FORCE_XP_CONNECT | Flags.FORCE_XP_DISCONNECT
            | Flags.CONFIG_CHANGED | Flags.ABORT_XP_HEADER_OPERATION | Flags.SHOW_XP_SESSION_UI;
    private static final int FLUSH_FLAGS = Flags.FLUSH_UPLOAD | Flags.FLUSH_DOWNLOAD | Flags.FLUSH_FORCE
            | Flags.FLUSH_NO_UI;

    /** What the owning logon does for the status object's methods. */
    public interface Actions {
        /**
         * @param uiParam window handle
         * @param flags   already checked against {@link #VALIDATE_STATE_FLAGS}
         */
        void validateState(long uiParam, int flags);

        /**
         * @param uiParam window handle
         * @param flags   FLUSH_UPLOAD / FLUSH_DOWNLOAD / FLUSH_FORCE / FLUSH_NO_UI, already checked
         */
        void flushQueues(long uiParam, int flags);
    }

    private final Supplier<LogonGate.Pass> gate;
    private final Supplier<List<PropValue>> props;
    private final int methods;
    private final Actions actions;
    private final String description;

    /**
     * @param gate        enters the owning logon's gate
     * @param props       the row's current columns (PR_DISPLAY_NAME, PR_STATUS_CODE, ...), read at every call
     * @param methods     PR_RESOURCE_METHODS: STATUS_VALIDATE_STATE and/or STATUS_FLUSH_QUEUES
     * @param actions     the logon's ValidateState and FlushQueues
     * @param description for diagnostics, e.g. "SMTP transport status object"
     */
    public LogonStatus(Supplier<LogonGate.Pass> gate, Supplier<List<PropValue>> props, int methods, Actions actions,
            String description) {
        this.gate = gate;
        this.props = props;
        this.methods = methods;
        this.actions = actions;
        this.description = description;
    }

    private LogonGate.Pass enter() {
        checkValid();
        return gate.get();
    }

    private PropertyBag bag() {
        PropertyBag b = new PropertyBag();
        b.putAll(props.get());
        b.put(PropValue.ofInt(PropTags.PR_RESOURCE_METHODS, methods));
        b.put(PropValue.ofInt(PropTags.PR_OBJECT_TYPE, Flags.MAPI_STATUS));
        b.setReadOnly(true);
        return b;
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
            return bag().setProps(values);
        }
    }

    @Override
    public List<PropProblem> deleteProps(int[] tags) {
        try (var pass = enter()) {
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
            Flags.checkKnown(flags, Flags.KEEP_OPEN_READONLY | Flags.KEEP_OPEN_READWRITE | Flags.FORCE_SAVE,
                    "IMAPIStatus::SaveChanges");
        }
    }

    @Override
    public int[] getIdsFromNames(List<NamedProperty> names, int flags) {
        try (var pass = enter()) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "a status object has no named properties");
        }
    }

    @Override
    public List<NamedProperty> getNamesFromIds(int[] tags) {
        try (var pass = enter()) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "a status object has no named properties");
        }
    }

    @Override
    public void validateState(long uiParam, int flags) {
        try (var pass = enter()) {
            if ((methods & Flags.STATUS_VALIDATE_STATE) == 0) {
                throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "STATUS_VALIDATE_STATE is not advertised");
            }
            Flags.checkKnown(flags, VALIDATE_STATE_FLAGS, "IMAPIStatus::ValidateState");
            actions.validateState(uiParam, flags);
        }
    }

    @Override
    public void settingsDialog(long uiParam, int flags) {
        try (var pass = enter()) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "STATUS_SETTINGS_DIALOG is not advertised");
        }
    }

    @Override
    public void changePassword(String oldPassword, String newPassword, int flags) {
        try (var pass = enter()) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "STATUS_CHANGE_PASSWORD is not advertised");
        }
    }

    @Override
    public void flushQueues(long uiParam, EntryId target, int flags) {
        try (var pass = enter()) {
            if ((methods & Flags.STATUS_FLUSH_QUEUES) == 0) {
                throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "STATUS_FLUSH_QUEUES is not advertised");
            }
            if (target != null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                        "only the spooler's status object takes a target transport (R-FLUSH-1)");
            }
            Flags.checkKnown(flags, FLUSH_FLAGS, "IMAPIStatus::FlushQueues");
            actions.flushQueues(uiParam, flags);
        }
    }

    @Override
    protected String describe() {
        return description;
    }
}
