package org.jmapi.runtime.testproviders;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.MapiStatus;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropertyBag;
import org.jmapi.spi.LogonGate;

import java.util.List;
import java.util.function.Supplier;

/**
 * The read-only status object of a test-provider logon (spec &sect;8, R-ST-6, R-ST-7). Its properties are read
 * live from the logon on every call (PR_STATUS_CODE changes as the transport is enabled), PR_OBJECT_TYPE is
 * MAPI_STATUS, and only the methods PR_RESOURCE_METHODS advertises work: ValidateState always, FlushQueues when
 * STATUS_FLUSH_QUEUES is set; the rest throw MAPI_E_NO_SUPPORT. Invalidated by its logon's logoff.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
final class MemoryStatus extends MemoryProp implements MapiStatus {
    /** Every ValidateState flag of spec &sect;1.2 (R-VS-1). */
    static final int VALIDATE_STATE_FLAGS = Flags.SUPPRESS_UI | Flags.REFRESH_XP_HEADER_CACHE
            | Flags.PROCESS_XP_HEADER_CACHE | Flags.FORCE_XP_CONNECT | Flags.FORCE_XP_DISCONNECT
            | Flags.CONFIG_CHANGED | Flags.ABORT_XP_HEADER_OPERATION | Flags.SHOW_XP_SESSION_UI;

    /** What the owning logon does for the status object's methods. */
    interface Actions {
        /** @param uiParam window handle @param flags already checked against {@link #VALIDATE_STATE_FLAGS} */
        void validateState(long uiParam, int flags);

        /** @param uiParam window handle @param flags FLUSH_* bits */
        void flushQueues(long uiParam, int flags);
    }

    private final Supplier<LogonGate.Pass> gate;
    private final Supplier<List<PropValue>> props;
    private final int methods;
    private final Actions actions;

    /**
     * @param gate    enters the owning logon's gate
     * @param props   the current columns (PR_DISPLAY_NAME, PR_STATUS_CODE, ...), read at every call
     * @param methods PR_RESOURCE_METHODS
     * @param actions the logon's implementation of ValidateState and FlushQueues
     */
    MemoryStatus(Supplier<LogonGate.Pass> gate, Supplier<List<PropValue>> props, int methods, Actions actions) {
        this.gate = gate;
        this.props = props;
        this.methods = methods;
        this.actions = actions;
    }

    @Override
    protected LogonGate.Pass enter() {
        checkValid();
        return gate.get();
    }

    @Override
    protected PropertyBag bag() {
        PropertyBag b = new PropertyBag();
        b.putAll(props.get());
        b.put(PropValue.ofInt(PropTags.PR_RESOURCE_METHODS, methods));
        b.put(PropValue.ofInt(PropTags.PR_OBJECT_TYPE, Flags.MAPI_STATUS));
        b.setReadOnly(true);
        return b;
    }

    @Override
    protected void checkWritable() {
        throw new MapiException(HResult.MAPI_E_NO_ACCESS, "the status object is read-only");
    }

    @Override
    public void validateState(long uiParam, int flags) {
        try (var pass = enter()) {
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
            actions.flushQueues(uiParam, flags);
        }
    }

    @Override
    protected String describe() {
        return "test-provider status object";
    }
}
