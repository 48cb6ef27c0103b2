package org.jmapi.store.provider;

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
import org.jmapi.spi.LogonGate;

import java.util.List;
import java.util.function.Supplier;

/**
 * The read-only status object of an SQLite store logon (spec &sect;8, R-ST-6, R-ST-7): what
 * {@code IMSLogon::OpenStatusEntry} returns for the store's status row. Its properties are read at every call
 * (display name, provider display, PR_STATUS_CODE = STATUS_AVAILABLE, PR_RESOURCE_METHODS = STATUS_VALIDATE_STATE,
 * PR_OBJECT_TYPE = MAPI_STATUS); ValidateState checks its flags and answers S_OK (a local file has no connection to
 * revalidate); SettingsDialog, ChangePassword and FlushQueues are not advertised and answer MAPI_E_NO_SUPPORT.
 *
 * <p>Owned by the logon (one reference, R-REF-5) and invalidated by its logoff (R-INV-2); callers own the
 * references OpenStatusEntry gave them. <b>Threads:</b> thread-safe.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
final class SqliteStatus extends BaseMapiObject implements MapiStatus {
    /** Every ValidateState flag of spec &sect;1.2 (R-VS-1). */
    static final int VALIDATE_STATE_FLAGS = Flags.SUPPRESS_UI | Flags.REFRESH_XP_HEADER_CACHE
            | Flags.PROCESS_XP_HEADER_CACHE | Flags.FORCE_XP_CONNECT | Flags.FORCE_XP_DISCONNECT
            | Flags.CONFIG_CHANGED | Flags.ABORT_XP_HEADER_OPERATION | Flags.SHOW_XP_SESSION_UI;

    private final Supplier<LogonGate.Pass> gate;
    private final Supplier<List<PropValue>> props;

    /**
     * @param gate  enters the owning logon's gate
     * @param props the row's current columns, read at every call
     */
    SqliteStatus(Supplier<LogonGate.Pass> gate, Supplier<List<PropValue>> props) {
        this.gate = gate;
        this.props = props;
    }

    private LogonGate.Pass enter() {
        checkValid();
        return gate.get();
    }

    private PropertyBag bag() {
        PropertyBag b = new PropertyBag();
        b.putAll(props.get());
        b.put(PropValue.ofInt(PropTags.PR_RESOURCE_METHODS, Flags.STATUS_VALIDATE_STATE));
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
            Flags.checkKnown(flags, VALIDATE_STATE_FLAGS, "IMAPIStatus::ValidateState");
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
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "a message store has no queues to flush "
                    + "(STATUS_FLUSH_QUEUES is not advertised)");
        }
    }

    @Override
    protected String describe() {
        return "SQLite store status object";
    }
}
