package org.jmapi.spi;

import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.MapiStatus;
import org.jmapi.client.Message;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transport side of the lifecycle, written once: a transport provider's logon extends this class and
 * implements only what moves mail ({@link #doSubmitMessage}, {@link #doEndMessage}, {@link #doStartMessage},
 * {@link #doPoll}, {@link #doAddressTypes}) and what ends its connections ({@link #onLogoff}).
 *
 * <p>What the base does, per rule:
 * <ul>
 *   <li>R-LOGON-1 / R-LOFF-1: AddRefs the support object at construction and releases it last in the logoff.</li>
 *   <li>R-XP-4: adds one status row (PR_DISPLAY_NAME, PR_PROVIDER_DISPLAY, PR_STATUS_CODE, PR_STATUS_STRING,
 *       PR_RESOURCE_METHODS = STATUS_VALIDATE_STATE | STATUS_FLUSH_QUEUES) and keeps PR_STATUS_CODE true:
 *       STATUS_INBOUND_ENABLED / STATUS_OUTBOUND_ENABLED follow TransportNotify BEGIN/END (R-TN-1), the *_FLUSH bits
 *       follow FlushQueues and the END_*_FLUSH notifications (R-FLUSH-2), STATUS_INBOUND_ACTIVE /
 *       STATUS_OUTBOUND_ACTIVE are set while StartMessage / SubmitMessage run (while any SubmitMessage runs, for a
 *       logon that takes several at once, {@link ConcurrentSubmissions}).</li>
 *   <li>R-XP-5: SubmitMessage before NOTIFY_BEGIN_OUTBOUND (or after END_OUTBOUND) and StartMessage / Poll before
 *       NOTIFY_BEGIN_INBOUND are refused with MAPI_E_CALL_FAILED without reaching the subclass (Poll answers 0).</li>
 *   <li>R-VS-1: ValidateState(FORCE_XP_DISCONNECT) takes the transport offline (STATUS_OFFLINE: the spooler
 *       neither submits to it nor polls it), FORCE_XP_CONNECT brings it back; then {@link #doValidateState}.</li>
 *   <li>R-TN-1: NOTIFY_CANCEL_MESSAGE marks the reference cancelled ({@link #isCancelled}) and calls
 *       {@link #onCancel}, on whatever thread the notification arrives; NOTIFY_ABORT_DEFERRED calls
 *       {@link #onAbortDeferred}.</li>
 *   <li>R-LOFF-3 / R-LOFF-5: TransportLogoff is accepted at any moment: it first calls {@link #onAbandon} so a send
 *       or receive in progress returns at once (the message stays queued, R-MAIL-2 / R-MAIL-3), waits for the calls
 *       inside the logon's gate, calls {@link #onLogoff}, invalidates the status object and the logon, and releases
 *       the support object last. A final release without TransportLogoff does the same. Any flags value still logs
 *       off; unknown flags are then reported with MAPI_E_UNKNOWN_FLAGS.</li>
 * </ul>
 *
 * <p><b>Ownership:</b> the spooler owns the logon (one reference from TransportLogon) and releases it after
 * TransportLogoff (R-LOFF-4). <b>After logoff</b> every method but IUnknown throws MAPI_E_INVALID_OBJECT.
 * <b>Threads:</b> the spooler calls from its threads; TransportNotify may arrive on another thread while a
 * SubmitMessage / StartMessage runs, so subclasses keep their own state thread-safe.
 */
@SuppressWarnings("try") // a gate pass is held for the whole call and never read
public abstract class BaseXpLogon extends BaseMapiObject implements XpLogon {
    private static final int NOTIFY_FLAGS = Flags.NOTIFY_BEGIN_INBOUND | Flags.NOTIFY_BEGIN_OUTBOUND
            | Flags.NOTIFY_BEGIN_INBOUND_FLUSH | Flags.NOTIFY_BEGIN_OUTBOUND_FLUSH | Flags.NOTIFY_END_INBOUND
            | Flags.NOTIFY_END_OUTBOUND | Flags.NOTIFY_END_INBOUND_FLUSH | Flags.NOTIFY_END_OUTBOUND_FLUSH
            | Flags.NOTIFY_ABORT_DEFERRED | Flags.NOTIFY_CANCEL_MESSAGE;
    private static final int FLUSH_FLAGS = Flags.FLUSH_UPLOAD | Flags.FLUSH_DOWNLOAD | Flags.FLUSH_FORCE
            | Flags.FLUSH_NO_UI;
    private static final int LOGOFF_FLAGS = Flags.LOGOFF_NORMAL | Flags.LOGOFF_HURRY;
    /** PR_RESOURCE_METHODS of the status row. */
    protected static final int METHODS = Flags.STATUS_VALIDATE_STATE | Flags.STATUS_FLUSH_QUEUES;

    private final MapiSupport support;
    private final String displayName;
    private final String providerDisplay;
    private final LogonGate gate = new LogonGate();
    private final Object lock = new Object();
    private final Set<Integer> cancelled = ConcurrentHashMap.newKeySet();
    private int statusCode;
    private String statusString = "Available";
    private LogonStatus status;
    private boolean loggedOff;
    /** SubmitMessage calls running now (more than one for a {@link ConcurrentSubmissions} logon); guarded by lock. */
    private int submitting;
    private volatile boolean abandoned;

    /**
     * AddRefs {@code support} and adds the logon's status row. Call from the provider's TransportLogon.
     *
     * @param support         the logon's support object (TRANSPORT kind)
     * @param displayName     PR_DISPLAY_NAME of the status row, e.g. "SMTP (mail.example.com)"
     * @param providerDisplay PR_PROVIDER_DISPLAY, the provider's name
     * @param logonFlags      the TransportLogon flags: LOGON_NO_INBOUND / LOGON_NO_OUTBOUND start that direction
     *                        disabled (R-XP-1)
     */
    protected BaseXpLogon(MapiSupport support, String displayName, String providerDisplay, int logonFlags) {
        if (support == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "TransportLogon: no support object");
        }
        this.support = support;
        this.displayName = displayName;
        this.providerDisplay = providerDisplay;
        this.statusCode = Flags.STATUS_AVAILABLE
                | ((logonFlags & Flags.LOGON_NO_INBOUND) == 0 ? Flags.STATUS_INBOUND_ENABLED : 0)
                | ((logonFlags & Flags.LOGON_NO_OUTBOUND) == 0 ? Flags.STATUS_OUTBOUND_ENABLED : 0);
        support.addRef();
        try {
            support.modifyStatusRow(rowProps(), 0);
        } catch (RuntimeException e) {
            support.release();
            throw e;
        }
    }

    /** @return the logon's support object; valid until the logoff released it */
    protected final MapiSupport support() {
        return support;
    }

    /** @return the status row's columns now */
    protected final List<PropValue> rowProps() {
        synchronized (lock) {
            List<PropValue> row = new ArrayList<>();
            row.add(PropValue.ofString(PropTags.PR_DISPLAY_NAME, displayName));
            row.add(PropValue.ofString(PropTags.PR_PROVIDER_DISPLAY, providerDisplay));
            row.add(PropValue.ofInt(PropTags.PR_STATUS_CODE, statusCode));
            row.add(PropValue.ofString(PropTags.PR_STATUS_STRING, statusString));
            row.add(PropValue.ofInt(PropTags.PR_RESOURCE_METHODS, METHODS));
            return row;
        }
    }

    private LogonGate.Pass enter() {
        checkValid();
        return gate.enter();
    }

    /** @return PR_STATUS_CODE of the logon's row now */
    public final int statusCode() {
        synchronized (lock) {
            return statusCode;
        }
    }

    /**
     * Sets and clears PR_STATUS_CODE bits and updates the row (STATUSROW_UPDATE, R-ST-3) when it changed.
     *
     * @param set   bits to set
     * @param clear bits to clear (applied after {@code set})
     */
    protected final void changeStatus(int set, int clear) {
        synchronized (lock) {
            int code = (statusCode | set) & ~clear;
            if (code != statusCode && !loggedOff) {
                statusCode = code;
                support.modifyStatusRow(List.of(PropValue.ofInt(PropTags.PR_STATUS_CODE, code)),
                        Flags.STATUSROW_UPDATE);
            }
        }
    }

    /**
     * Updates PR_STATUS_STRING (what a person reads in the status table, e.g. "Connected to mail.example.com").
     *
     * @param text the new text; never a password
     */
    protected final void statusString(String text) {
        synchronized (lock) {
            if (!text.equals(statusString) && !loggedOff) {
                statusString = text;
                support.modifyStatusRow(List.of(PropValue.ofString(PropTags.PR_STATUS_STRING, text)),
                        Flags.STATUSROW_UPDATE);
            }
        }
    }

    /** @return whether NOTIFY_BEGIN_OUTBOUND is in force (STATUS_OUTBOUND_ENABLED) */
    protected final boolean outboundEnabled() {
        return (statusCode() & Flags.STATUS_OUTBOUND_ENABLED) != 0;
    }

    /** @return whether NOTIFY_BEGIN_INBOUND is in force (STATUS_INBOUND_ENABLED) */
    protected final boolean inboundEnabled() {
        return (statusCode() & Flags.STATUS_INBOUND_ENABLED) != 0;
    }

    /**
     * @param ref a message reference
     * @return whether the spooler cancelled it (NOTIFY_CANCEL_MESSAGE) or the logon is being logged off
     */
    protected final boolean isCancelled(int ref) {
        return abandoned || cancelled.contains(ref);
    }

    /**
     * @param ref a message reference
     * @throws MapiException MAPI_E_USER_CANCEL when {@link #isCancelled} (R-TN-1, R-TN-3)
     */
    protected final void checkCancelled(int ref) {
        if (isCancelled(ref)) {
            throw new MapiException(HResult.MAPI_E_USER_CANCEL, abandoned ? "the transport is logging off"
                    : "the spooler cancelled message " + ref);
        }
    }

    @Override
    public final AddressTypes addressTypes(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_UNICODE, "IXPLogon::AddressTypes");
            return doAddressTypes();
        }
    }

    @Override
    public final int transportNotify(int flags, Object data) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, NOTIFY_FLAGS, "IXPLogon::TransportNotify");
            int set = 0;
            int clear = 0;
            set |= (flags & Flags.NOTIFY_BEGIN_INBOUND) != 0 ? Flags.STATUS_INBOUND_ENABLED : 0;
            set |= (flags & Flags.NOTIFY_BEGIN_OUTBOUND) != 0 ? Flags.STATUS_OUTBOUND_ENABLED : 0;
            set |= (flags & Flags.NOTIFY_BEGIN_INBOUND_FLUSH) != 0 ? Flags.STATUS_INBOUND_FLUSH : 0;
            set |= (flags & Flags.NOTIFY_BEGIN_OUTBOUND_FLUSH) != 0 ? Flags.STATUS_OUTBOUND_FLUSH : 0;
            clear |= (flags & Flags.NOTIFY_END_INBOUND) != 0 ? Flags.STATUS_INBOUND_ENABLED : 0;
            clear |= (flags & Flags.NOTIFY_END_OUTBOUND) != 0 ? Flags.STATUS_OUTBOUND_ENABLED : 0;
            clear |= (flags & Flags.NOTIFY_END_INBOUND_FLUSH) != 0 ? Flags.STATUS_INBOUND_FLUSH : 0;
            clear |= (flags & Flags.NOTIFY_END_OUTBOUND_FLUSH) != 0 ? Flags.STATUS_OUTBOUND_FLUSH : 0;
            changeStatus(set & ~clear, clear);
            if ((flags & Flags.NOTIFY_CANCEL_MESSAGE) != 0 && data instanceof Integer ref) {
                cancelled.add(ref);
                onCancel(ref);
            }
            if ((flags & Flags.NOTIFY_ABORT_DEFERRED) != 0 && data instanceof EntryId eid) {
                onAbortDeferred(eid);
            }
            return flags;
        }
    }

    @Override
    public final void validateState(long uiParam, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, LogonStatus.VALIDATE_STATE_FLAGS, "IXPLogon::ValidateState");
            if ((flags & Flags.FORCE_XP_DISCONNECT) != 0) {
                changeStatus(Flags.STATUS_OFFLINE, 0); // work offline: the spooler hands it no mail
            } else if ((flags & Flags.FORCE_XP_CONNECT) != 0) {
                changeStatus(0, Flags.STATUS_OFFLINE);
            }
            doValidateState(flags);
        }
    }

    @Override
    public final void flushQueues(long uiParam, int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, FLUSH_FLAGS, "IXPLogon::FlushQueues");
            changeStatus(((flags & Flags.FLUSH_UPLOAD) != 0 ? Flags.STATUS_OUTBOUND_FLUSH : 0)
                    | ((flags & Flags.FLUSH_DOWNLOAD) != 0 ? Flags.STATUS_INBOUND_FLUSH : 0), 0);
        }
    }

    @Override
    public final void submitMessage(int flags, Message message, MessageRef ref) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.BEGIN_DEFERRED, "IXPLogon::SubmitMessage");
            if (message == null || ref == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "SubmitMessage: no message or reference");
            }
            if (!outboundEnabled()) {
                throw new MapiException(HResult.MAPI_E_CALL_FAILED,
                        "SubmitMessage outside NOTIFY_BEGIN_OUTBOUND .. NOTIFY_END_OUTBOUND (R-XP-5)");
            }
            synchronized (lock) {
                if (submitting++ == 0) {
                    changeStatus(Flags.STATUS_OUTBOUND_ACTIVE, 0);
                }
            }
            try {
                doSubmitMessage(flags, message, ref);
            } finally {
                synchronized (lock) {
                    if (--submitting == 0) {
                        changeStatus(0, Flags.STATUS_OUTBOUND_ACTIVE);
                    }
                }
            }
        }
    }

    @Override
    public final int endMessage(int ref) {
        try (var pass = enter()) {
            try {
                return doEndMessage(ref);
            } finally {
                cancelled.remove(ref);
            }
        }
    }

    @Override
    public final void startMessage(int flags, Message message, MessageRef ref) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, 0, "IXPLogon::StartMessage");
            if (message == null || ref == null) {
                throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "StartMessage: no message or reference");
            }
            if (!inboundEnabled()) {
                throw new MapiException(HResult.MAPI_E_CALL_FAILED,
                        "StartMessage outside NOTIFY_BEGIN_INBOUND .. NOTIFY_END_INBOUND (R-XP-5)");
            }
            changeStatus(Flags.STATUS_INBOUND_ACTIVE, 0);
            try {
                doStartMessage(message, ref);
            } finally {
                cancelled.remove(ref.value());
                changeStatus(0, Flags.STATUS_INBOUND_ACTIVE);
            }
        }
    }

    @Override
    public final int poll() {
        try (var pass = enter()) {
            return inboundEnabled() ? doPoll() : 0;
        }
    }

    @Override
    public final void idle(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, 0, "IXPLogon::Idle");
            doIdle();
        }
    }

    @Override
    public final MapiStatus openStatusEntry(int flags) {
        try (var pass = enter()) {
            Flags.checkKnown(flags, Flags.MAPI_MODIFY, "IXPLogon::OpenStatusEntry");
            synchronized (lock) {
                if (status == null) {
                    status = new LogonStatus(gate::enter, this::rowProps, METHODS, new LogonStatus.Actions() {
                        @Override
                        public void validateState(long uiParam, int f) {
                            BaseXpLogon.this.validateState(uiParam, f);
                        }

                        @Override
                        public void flushQueues(long uiParam, int f) {
                            BaseXpLogon.this.flushQueues(uiParam, f);
                        }
                    }, providerDisplay + " status object");
                }
                status.addRef();
                return status;
            }
        }
    }

    @Override
    public final void transportLogoff(int flags) {
        checkValid();
        logoffNow();
        Flags.checkKnown(flags, LOGOFF_FLAGS, "IXPLogon::TransportLogoff");
    }

    /** The logoff, once (R-LOFF-3): abandon, drain the gate, subclass cleanup, invalidate, release support last. */
    private void logoffNow() {
        synchronized (lock) {
            if (loggedOff) {
                return;
            }
        }
        abandoned = true;
        try {
            onAbandon();
        } catch (RuntimeException e) {
            // Logoff goes on whatever the transport's abandon did (R-LOFF-3).
        }
        gate.close(LogonGate.DEFAULT_DRAIN);
        LogonStatus s;
        synchronized (lock) {
            loggedOff = true;
            s = status;
            status = null;
        }
        try {
            onLogoff();
        } catch (RuntimeException e) {
            // Whatever it returns, the transport is logged off (R-LOFF-3).
        }
        if (s != null) {
            s.invalidate();
            s.release();
        }
        invalidate();
        support.release();
    }

    @Override
    protected final void onFinalRelease() {
        logoffNow(); // R-LOFF-5
    }

    /** @return the address types and MAPIUIDs the transport handles (R-XP-3); fixed until logoff */
    protected abstract AddressTypes doAddressTypes();

    /**
     * SubmitMessage's work, inside the gate and with outbound enabled; see {@link XpLogon#submitMessage}.
     *
     * @param flags   0 or BEGIN_DEFERRED
     * @param message the spooler's message
     * @param ref     set it first
     */
    protected abstract void doSubmitMessage(int flags, Message message, MessageRef ref);

    /**
     * EndMessage's work; see {@link XpLogon#endMessage}.
     *
     * @param ref the transport's reference
     * @return 0 or END_RESEND_NOW / END_RESEND_LATER / END_DONT_RESEND
     */
    protected abstract int doEndMessage(int ref);

    /**
     * StartMessage's work, inside the gate and with inbound enabled; see {@link XpLogon#startMessage}.
     *
     * @param message the new message to fill and save
     * @param ref     set it first
     */
    protected abstract void doStartMessage(Message message, MessageRef ref);

    /** @return inbound messages waiting; only called while inbound is enabled */
    protected abstract int doPoll();

    /** Idle-time work of LOGON_SP_IDLE transports; nothing by default. */
    protected void doIdle() {
    }

    /**
     * ValidateState's work (R-VS-1): reconnect, re-read the configuration; nothing by default.
     *
     * @param flags checked ValidateState flags
     */
    protected void doValidateState(int flags) {
    }

    /**
     * Called on the notifying thread when the spooler cancels a message (R-TN-1); a transport blocked on the
     * network closes its connection here so the call in progress returns. Nothing by default.
     *
     * @param ref the cancelled message's reference
     */
    protected void onCancel(int ref) {
    }

    /**
     * A deferred message was cancelled (NOTIFY_ABORT_DEFERRED, R-MAIL-4); nothing by default.
     *
     * @param entryId the deferred message's entry id
     */
    protected void onAbortDeferred(EntryId entryId) {
    }

    /**
     * The first step of TransportLogoff, on the logging-off thread, before waiting for calls in progress: make a
     * send or receive in progress return soon (close sockets). Nothing by default.
     */
    protected void onAbandon() {
    }

    /** Frees the session's resources (connections, files) at logoff, after the calls in progress returned. */
    protected void onLogoff() {
    }
}
