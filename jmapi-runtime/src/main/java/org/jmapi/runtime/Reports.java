package org.jmapi.runtime;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.Notification;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Delivery and non-delivery reports (R-XPS-5): what {@code IMAPISupport::StatusRecips} and the spooler's own
 * "no transport for this recipient" produce. One report message per call, written by the spooler into the
 * sender's store — the store the reported message is queued in — in the receive folder registered for the report's
 * class (REPORT.&lt;class&gt;.NDR or .DR, falling back to the default receive folder, R-RF-1), followed by
 * NotifyNewMail on that store (R-RCV-3). The report's recipient table lists the recipients reported on with their
 * PR_NDR_REASON_CODE / PR_NDR_DIAG_CODE / PR_REPORT_TEXT; its body says the same for a person.
 */
final class Reports {
    private Reports() {
    }

    /**
     * Writes one report.
     *
     * @param store      the spooler's object of the sender's store
     * @param original   the reported message (the spooler's open object; not changed)
     * @param recipients the reported recipients' rows
     * @return the new report's entry id
     */
    static EntryId write(MsgStore store, Message original, List<List<PropValue>> recipients) {
        boolean failure = recipients.stream().anyMatch(r -> find(r, PropTags.PR_NDR_REASON_CODE).isPresent());
        String originalClass = original.getProp(PropTags.PR_MESSAGE_CLASS).map(PropValue::asString).orElse("IPM.Note");
        String reportClass = "REPORT." + originalClass + (failure ? ".NDR" : ".DR");
        String subject = original.getProp(PropTags.PR_SUBJECT).map(PropValue::asString).orElse("");
        Instant now = Instant.now();
        StringBuilder body = new StringBuilder(failure
                ? "Your message could not be delivered to these recipients:\r\n\r\n"
                : "Your message was delivered to these recipients:\r\n\r\n");
        List<List<PropValue>> rows = new ArrayList<>();
        for (List<PropValue> r : recipients) {
            String name = find(r, PropTags.PR_DISPLAY_NAME).map(PropValue::asString).orElse("");
            String address = find(r, PropTags.PR_EMAIL_ADDRESS).map(PropValue::asString).orElse("");
            String text = find(r, PropTags.PR_REPORT_TEXT).map(PropValue::asString).orElse("");
            body.append("  ").append(name.isEmpty() || name.equals(address) ? address : name + " <" + address + ">");
            if (!text.isEmpty()) {
                body.append("\r\n    ").append(text);
            }
            body.append("\r\n");
            List<PropValue> row = new ArrayList<>();
            for (PropValue v : r) {
                if (!v.isError() && v.id() != PropTag.id(PropTags.PR_ROWID)
                        && v.id() != PropTag.id(PropTags.PR_RESPONSIBILITY)) {
                    row.add(v);
                }
            }
            rows.add(row);
        }
        body.append("\r\nSubject: ").append(subject).append("\r\n");
        MsgStore.ReceiveFolder rf = store.getReceiveFolder(reportClass, 0);
        try (MapiFolder folder = (MapiFolder) store.openEntry(rf.folderId(), Flags.MAPI_MODIFY);
             Message report = folder.createMessage(0)) {
            List<PropValue> props = new ArrayList<>(List.of(
                    PropValue.ofString(PropTags.PR_MESSAGE_CLASS, reportClass),
                    PropValue.ofString(PropTags.PR_SUBJECT, (failure ? "Undeliverable: " : "Delivered: ") + subject),
                    PropValue.ofString(PropTags.PR_ORIGINAL_SUBJECT, subject),
                    PropValue.ofString(PropTags.PR_SENDER_NAME, "jmapi spooler"),
                    PropValue.ofString(PropTags.PR_BODY, body.toString()),
                    PropValue.ofTime(PropTags.PR_REPORT_TIME, now),
                    PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, now),
                    PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS, 0)));
            original.getProp(PropTags.PR_CLIENT_SUBMIT_TIME)
                    .ifPresent(t -> props.add(PropValue.ofTime(PropTags.PR_ORIGINAL_SUBMIT_TIME, t.asTime())));
            original.getProp(PropTags.PR_ENTRYID)
                    .ifPresent(e -> props.add(PropValue.ofBinary(PropTags.PR_ORIGINAL_ENTRYID, e.asBinary())));
            report.setProps(props);
            report.modifyRecipients(0, rows);
            report.saveChanges(Flags.KEEP_OPEN_READONLY);
            EntryId id = EntryId.of(report.getProp(PropTags.PR_ENTRYID).orElseThrow().asBinary());
            store.notifyNewMail(new Notification.NewMail(id, rf.folderId(), 0, reportClass, 0));
            return id;
        }
    }

    private static Optional<PropValue> find(List<PropValue> row, int tag) {
        return row.stream().filter(v -> !v.isError() && v.id() == PropTag.id(tag)).findFirst();
    }
}
