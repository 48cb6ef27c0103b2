package org.jmapi.runtime.testproviders;

import org.jmapi.Flags;
import org.jmapi.MapiException;
import org.jmapi.client.Message;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.AddressTypes;
import org.jmapi.spi.BaseXpLogon;
import org.jmapi.spi.ConcurrentSubmissions;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MessageRef;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One logon of the memory transport (IXPLogon), built on {@link BaseXpLogon} (status row, TransportNotify, the
 * R-XP-5 gate, cancel and logoff). It "sends" by recording the message in {@link MemoryTransportProvider#sent}
 * and "receives" the number of messages {@link MemoryTransportProvider#setPendingInbound} set for its profile,
 * each written as a message with subject "inbound N" and saved. {@link MemoryTransportProvider.Control} lets a
 * test hold a send or receive in progress, fail the next SubmitMessage, choose EndMessage's answer, or let the
 * spooler hand it several messages at once. A recipient whose address starts with "nobody" is refused permanently:
 * reported through StatusRecips, PR_RESPONSIBILITY set.
 */
final class MemoryTransportLogon extends BaseXpLogon implements ConcurrentSubmissions {
    private static final AtomicInteger REFS = new AtomicInteger(100);

    private final MemoryTransportProvider provider;
    private final String profileName;

    MemoryTransportLogon(MemoryTransportProvider provider, MapiSupport support, String profileName, int flags) {
        super(support, MemoryTransportService.DISPLAY_NAME, MemoryTransportService.DISPLAY_NAME, flags);
        this.provider = provider;
        this.profileName = profileName;
        provider.logonStarted();
    }

    private MemoryTransportProvider.Control control() {
        return MemoryTransportProvider.control(profileName);
    }

    /** @return {@link MemoryTransportProvider.Control#concurrentSubmissions} of the profile */
    @Override
    public int concurrentSubmissions() {
        return control().concurrentSubmissions;
    }

    @Override
    protected AddressTypes doAddressTypes() {
        return new AddressTypes(List.of(MemoryTransportProvider.ADDRESS_TYPE),
                List.of(MemoryTransportProvider.ADDRESS_TYPE_UID));
    }

    @Override
    protected void doSubmitMessage(int flags, Message message, MessageRef ref) {
        int myRef = REFS.incrementAndGet();
        ref.set(myRef);
        MemoryTransportProvider.Control c = control();
        c.holdSubmit.await(() -> isCancelled(myRef));
        checkCancelled(myRef);
        int fail = c.failNextSubmit.getAndSet(0);
        if (fail != 0) {
            ref.retryAfterSeconds(c.retryAfterSeconds);
            throw new MapiException(fail, "memory transport: told to fail this SubmitMessage");
        }
        List<String> delivered = new ArrayList<>();
        List<List<PropValue>> refused = new ArrayList<>();
        List<List<PropValue>> done = new ArrayList<>();
        try (MapiTable t = message.getRecipientTable(0)) {
            t.setColumns(t.queryColumns(MapiTable.TBL_ALL_COLUMNS), 0);
            for (Row r : t.queryRows(1000, 0)) {
                boolean responsible = r.find(PropTags.PR_RESPONSIBILITY).filter(v -> !v.isError())
                        .map(PropValue::asBoolean).orElse(false);
                String type = r.find(PropTags.PR_ADDRTYPE).filter(v -> !v.isError()).map(PropValue::asString)
                        .orElse("");
                boolean ourUid = r.find(PropTags.PR_ENTRYID).filter(v -> !v.isError() && v.asBinary().length >= 20)
                        .map(v -> org.jmapi.EntryId.of(v.asBinary()).providerUid()
                                .equals(MemoryTransportProvider.ADDRESS_TYPE_UID)).orElse(false);
                if (responsible || !(ourUid || MemoryTransportProvider.ADDRESS_TYPE.equals(type))) {
                    continue; // not ours by MAPIUID or address type (R-XPS-3)
                }
                String address = r.find(PropTags.PR_EMAIL_ADDRESS).map(PropValue::asString).orElse("");
                List<PropValue> row = new ArrayList<>();
                r.values().stream().filter(v -> !v.isError() && v.id() != (PropTags.PR_RESPONSIBILITY >>> 16))
                        .forEach(row::add);
                row.add(PropValue.ofBoolean(PropTags.PR_RESPONSIBILITY, true));
                done.add(row);
                if (address.startsWith("nobody")) {
                    List<PropValue> report = new ArrayList<>(row);
                    report.add(PropValue.ofInt(PropTags.PR_NDR_REASON_CODE, Flags.MAPI_REASON_TRANSFER_IMPOSSIBLE));
                    report.add(PropValue.ofInt(PropTags.PR_NDR_DIAG_CODE, Flags.MAPI_DIAG_OR_NAME_UNRECOGNIZED));
                    report.add(PropValue.ofString(PropTags.PR_REPORT_TEXT, "550 no such user: " + address));
                    refused.add(report);
                } else {
                    delivered.add(address);
                }
            }
        }
        if (!refused.isEmpty()) {
            support().statusRecips(message, refused);
        }
        if (!done.isEmpty()) {
            message.modifyRecipients(Flags.MODRECIP_MODIFY, done);
        }
        String subject = message.getProp(PropTags.PR_SUBJECT).map(PropValue::asString).orElse("");
        c.pendingEnd.put(myRef, new MemoryTransportProvider.Sent(profileName, subject, delivered));
    }

    @Override
    protected int doEndMessage(int ref) {
        MemoryTransportProvider.Control c = control();
        MemoryTransportProvider.Sent sent = c.pendingEnd.remove(ref);
        int answer = c.endMessageAnswer.getAndSet(0);
        if (sent != null && answer == 0) {
            MemoryTransportProvider.recordSent(sent);
        }
        return answer;
    }

    @Override
    protected void doStartMessage(Message message, MessageRef ref) {
        int myRef = REFS.incrementAndGet();
        ref.set(myRef);
        MemoryTransportProvider.Control c = control();
        c.holdReceive.await(() -> isCancelled(myRef));
        checkCancelled(myRef);
        int n = MemoryTransportProvider.takeInbound(profileName);
        if (n == 0) {
            return; // no message: nothing saved (R-RCV-2)
        }
        message.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "inbound " + n),
                PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note"),
                PropValue.ofString(PropTags.PR_SENDER_NAME, "memory transport")));
        message.saveChanges(0);
    }

    @Override
    protected int doPoll() {
        return MemoryTransportProvider.pendingInbound(profileName);
    }

    @Override
    protected void onCancel(int ref) {
        control().holdSubmit.wake();
        control().holdReceive.wake();
    }

    @Override
    protected void onAbandon() {
        onCancel(0);
    }

    @Override
    protected void onLogoff() {
        provider.logonEnded();
    }

    @Override
    protected String describe() {
        return "memory-transport logon (" + profileName + ")";
    }
}
