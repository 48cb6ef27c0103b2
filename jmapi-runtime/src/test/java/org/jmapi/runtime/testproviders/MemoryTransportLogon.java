package org.jmapi.runtime.testproviders;

import org.jmapi.BaseMapiObject;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.MapiStatus;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.AddressTypes;
import org.jmapi.spi.LogonGate;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.XpLogon;

import java.util.List;

/**
 * One logon of the memory transport (IXPLogon). It keeps its support object from creation to TransportLogoff
 * (R-LOGON-1, R-LOFF-3) and one status-table row whose PR_STATUS_CODE follows TransportNotify and FlushQueues:
 * NOTIFY_BEGIN/END_INBOUND set/clear STATUS_INBOUND_ENABLED, NOTIFY_BEGIN/END_OUTBOUND STATUS_OUTBOUND_ENABLED, the
 * *_FLUSH notifications and FlushQueues(FLUSH_DOWNLOAD / FLUSH_UPLOAD) STATUS_INBOUND_FLUSH / STATUS_OUTBOUND_FLUSH
 * (R-TN-1, R-FLUSH-1). Directions not disabled with LOGON_NO_INBOUND / LOGON_NO_OUTBOUND start enabled.
 *
 * <p>TransportLogoff (flags 0, LOGOFF_NORMAL, LOGOFF_HURRY; anything else is logged off too and then answered with
 * MAPI_E_UNKNOWN_FLAGS) invalidates the status object and the logon, tells the provider, and releases the support
 * object last. A final release without TransportLogoff does the same (R-LOFF-5). Afterwards every method but
 * IUnknown throws MAPI_E_INVALID_OBJECT. Thread-safe: TransportNotify may come from any thread at any time.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
final class MemoryTransportLogon extends BaseMapiObject implements XpLogon {
    private static final int NOTIFY_FLAGS = Flags.NOTIFY_BEGIN_INBOUND | Flags.NOTIFY_BEGIN_OUTBOUND
            | Flags.NOTIFY_BEGIN_INBOUND_FLUSH | Flags.NOTIFY_BEGIN_OUTBOUND_FLUSH | Flags.NOTIFY_END_INBOUND
            | Flags.NOTIFY_END_OUTBOUND | Flags.NOTIFY_END_INBOUND_FLUSH | Flags.NOTIFY_END_OUTBOUND_FLUSH
            | Flags.NOTIFY_ABORT_DEFERRED | Flags.NOTIFY_CANCEL_MESSAGE;
    private static final int FLUSH_FLAGS = Flags.FLUSH_UPLOAD | Flags.FLUSH_DOWNLOAD | Flags.FLUSH_FORCE
            | Flags.FLUSH_NO_UI;
    private static final int LOGOFF_FLAGS = Flags.LOGOFF_NORMAL | Flags.LOGOFF_HURRY;
    private static final int METHODS = Flags.STATUS_VALIDATE_STATE | Flags.STATUS_FLUSH_QUEUES;

    private final MemoryTransportProvider provider;
    private final MapiSupport support;
    private final String profileName;
    private final LogonGate gate = new LogonGate();
    private final Object lock = new Object();
    private int statusCode;
    private MemoryStatus status;
    private boolean loggedOff;

    /**
     * Creates the logon, AddRefs {@code support} and adds the status row.
     *
     * @param provider    the provider object
     * @param support     the logon's support object
     * @param profileName the profile, for {@link #poll()}
     * @param flags       the TransportLogon flags
     */
    MemoryTransportLogon(MemoryTransportProvider provider, MapiSupport support, String profileName, int flags) {
        this.provider = provider;
        this.support = support;
        this.profileName = profileName;
        this.statusCode = Flags.STATUS_AVAILABLE
                | ((flags & Flags.LOGON_NO_INBOUND) == 0 ? Flags.STATUS_INBOUND_ENABLED : 0)
                | ((flags & Flags.LOGON_NO_OUTBOUND) == 0 ? Flags.STATUS_OUTBOUND_ENABLED : 0);
        support.addRef();
        provider.logonStarted();
        try {
            support.modifyStatusRow(rowProps(), 0);
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    private List<PropValue> rowProps() {
        synchronized (lock) {
            return List.of(
                    PropValue.ofString(PropTags.PR_DISPLAY_NAME, MemoryTransportService.DISPLAY_NAME),
                    PropValue.ofString(PropTags.PR_PROVIDER_DISPLAY, MemoryTransportService.DISPLAY_NAME),
                    PropValue.ofInt(PropTags.PR_STATUS_CODE, statusCode),
                    PropValue.ofInt(PropTags.PR_RESOURCE_METHODS, METHODS));
        }
    }

    private LogonGate.Pass enter() {
        checkValid();
        return gate.enter();
    }

    /** @return the current PR_STATUS_CODE of the logon's row */
    int statusCode() {
        synchronized (lock) {
            return statusCode;
        }
    }

    /** Applies set/clear bits to PR_STATUS_CODE and updates the row (STATUSROW_UPDATE, R-ST-3) if it changed. */
    private void changeStatus(int set, int clear) {
        synchronized (lock) {
            int code = (statusCode | set) & ~clear;
            if (code != statusCode) {
                statusCode = code;
                support.modifyStatusRow(List.of(PropValue.ofInt(PropTags.PR_STATUS_CODE, code)),
                        Flags.STATUSROW_UPDATE);
            }
        }
    }

    @Override
    public AddressTypes addressTypes(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_UNICODE, "IXPLogon::AddressTypes");
            return new AddressTypes(List.of(MemoryTransportProvider.ADDRESS_TYPE),
                    List.of(MemoryTransportProvider.ADDRESS_TYPE_UID));
        }
    }

    @Override
    public int transportNotify(int flags, Object data) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, NOTIFY_FLAGS, "IXPLogon::TransportNotify");
            int set = 0;
            int clear = 0;
            if ((flags & Flags.NOTIFY_BEGIN_INBOUND) != 0) {
                set |= Flags.STATUS_INBOUND_ENABLED;
            }
            if ((flags & Flags.NOTIFY_BEGIN_OUTBOUND) != 0) {
                set |= Flags.STATUS_OUTBOUND_ENABLED;
            }
            if ((flags & Flags.NOTIFY_BEGIN_INBOUND_FLUSH) != 0) {
                set |= Flags.STATUS_INBOUND_FLUSH;
            }
            if ((flags & Flags.NOTIFY_BEGIN_OUTBOUND_FLUSH) != 0) {
                set |= Flags.STATUS_OUTBOUND_FLUSH;
            }
            if ((flags & Flags.NOTIFY_END_INBOUND) != 0) {
                clear |= Flags.STATUS_INBOUND_ENABLED;
            }
            if ((flags & Flags.NOTIFY_END_OUTBOUND) != 0) {
                clear |= Flags.STATUS_OUTBOUND_ENABLED;
            }
            if ((flags & Flags.NOTIFY_END_INBOUND_FLUSH) != 0) {
                clear |= Flags.STATUS_INBOUND_FLUSH;
            }
            if ((flags & Flags.NOTIFY_END_OUTBOUND_FLUSH) != 0) {
                clear |= Flags.STATUS_OUTBOUND_FLUSH;
            }
            changeStatus(set & ~clear, clear);
            return flags;
        }
    }

    @Override
    public void validateState(long uiParam, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, MemoryStatus.VALIDATE_STATE_FLAGS, "IXPLogon::ValidateState");
        }
    }

    @Override
    public void flushQueues(long uiParam, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, FLUSH_FLAGS, "IXPLogon::FlushQueues");
            int set = ((flags & Flags.FLUSH_UPLOAD) != 0 ? Flags.STATUS_OUTBOUND_FLUSH : 0)
                    | ((flags & Flags.FLUSH_DOWNLOAD) != 0 ? Flags.STATUS_INBOUND_FLUSH : 0);
            changeStatus(set, 0);
        }
    }

    @Override
    public int poll() {
        try (var pass = enter()) {
            return MemoryTransportProvider.pendingInbound(profileName);
        }
    }

    @Override
    public void idle(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, 0, "IXPLogon::Idle");
        }
    }

    @Override
    public MapiStatus openStatusEntry(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_MODIFY, "IXPLogon::OpenStatusEntry");
            synchronized (lock) {
                if (status == null) {
                    status = new MemoryStatus(gate::enter, this::rowProps, METHODS, new MemoryStatus.Actions() {
                        @Override
                        public void validateState(long uiParam, int f) {
                            MemoryTransportLogon.this.validateState(uiParam, f);
                        }

                        @Override
                        public void flushQueues(long uiParam, int f) {
                            MemoryTransportLogon.this.flushQueues(uiParam, f);
                        }
                    });
                }
                status.addRef();
                return status;
            }
        }
    }

    @Override
    public void transportLogoff(int flags) {
        checkValid();
        logoffNow();
        Flags.checkKnown(flags, LOGOFF_FLAGS, "IXPLogon::TransportLogoff");
    }

    /** The logoff, once: invalidate the status object and the logon, tell the provider, release support last. */
    private void logoffNow() {
        MemoryStatus s;
        synchronized (lock) {
            if (loggedOff) {
                return;
            }
            loggedOff = true;
            s = status;
            status = null;
        }
        gate.close(LogonGate.DEFAULT_DRAIN);
        if (s != null) {
            s.invalidate();
            s.release();
        }
        invalidate();
        provider.logonEnded();
        support.release();
    }

    @Override
    protected void onFinalRelease() {
        logoffNow();
    }

    @Override
    protected String describe() {
        return "memory-transport logon (" + profileName + ")";
    }
}
