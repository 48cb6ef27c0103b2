package org.jmapi.cli;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.MapiObject;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jmapi show}: one message, by its number in {@code ls} (same folder, sort and filters) or by entry id:
 * headers, recipients, attachments and the plain-text body, or with {@code --all} every property of the message,
 * of each recipient row and of each attachment row, MFCMAPI-style (tag, name, type, value). MAPI_NO_MAIL session;
 * the store is ended with LOGOFF_ORDERLY.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one message: FOLDER N (N as numbered by ls), or --id ENTRYID.")
final class ShowCommand extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FOLDER", description = "The folder.")
    String folder;

    @Parameters(index = "1", arity = "0..1", paramLabel = "N", description = "The message's number in ls.")
    Integer number;

    @Option(names = "--id", paramLabel = "HEX", description = "The message's entry id (ls -c id).")
    String id;

    @Option(names = "--all", description = "Every property, MFCMAPI-style.")
    boolean all;

    @Option(names = "--sort", paramLabel = "KEYS", description = "The sort ls used (default "
            + MessageColumns.DEFAULT_SORT + MessageColumns.OUTGOING_NOTE + MessageColumns.OUTGOING_SORT + ")).")
    String sort;

    @Option(names = {"-f", "--filter"}, paramLabel = "EXPR", description = "The filters ls used.")
    List<String> filters = new ArrayList<>();

    @Option(names = "--unread", description = "ls used --unread.")
    boolean unread;

    @Option(names = "--store", paramLabel = "NAME", description = "The store (default: the profile's default store).")
    String store;

    @Override
    int run() {
        if (id == null && (folder == null || number == null)) {
            throw new CommandFailure("name the message: jmapi show FOLDER N, or jmapi show --id ENTRYID");
        }
        if (number != null && number < 1) {
            throw new CommandFailure("messages are numbered from 1");
        }
        try (MapiClient client = start()) {
            client.logon(false);
            MsgStore s = client.openStore(store, false, Flags.LOGOFF_ORDERLY).store;
            EntryId entryId = id != null ? EntryId.parseHex(id.strip()) : locate(s);
            try (Message m = message(s.openEntry(entryId, 0))) {
                print(output(), m);
            }
        }
        return 0;
    }

    private EntryId locate(MsgStore s) {
        try (MapiFolder f = Folders.open(s, folder, false)) {
            LsCommand.Page p = LsCommand.page(f, new int[] {PropTags.PR_ENTRYID},
                    MessageColumns.sort(MessageColumns.sortFor(sort, Folders.outgoing(s, f))),
                    LsCommand.restriction(filters, unread), number - 1, 1);
            if (p.rows().isEmpty()) {
                throw new CommandFailure(folder + " has " + p.total() + " message" + (p.total() == 1 ? "" : "s")
                        + ", no number " + number);
            }
            return EntryId.of(p.rows().get(0).get(PropTags.PR_ENTRYID).asBinary());
        }
    }

    static Message message(MapiObject o) {
        if (o instanceof Message m) {
            return m;
        }
        o.release();
        throw new CommandFailure("that entry is not a message");
    }

    private void print(Output o, Message m) {
        int[] headerTags = {PropTags.PR_SENT_REPRESENTING_NAME, PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS,
            PropTags.PR_SUBJECT, PropTags.PR_CLIENT_SUBMIT_TIME, PropTags.PR_MESSAGE_DELIVERY_TIME,
            PropTags.PR_INTERNET_MESSAGE_ID, PropTags.PR_MESSAGE_CLASS, PropTags.PR_BODY, PropTags.PR_MESSAGE_FLAGS};
        PropValues h = m.getProps(headerTags, 0);
        List<Row> recipients;
        try (MapiTable t = m.getRecipientTable(0)) {
            if (!all) {
                t.setColumns(new int[] {PropTags.PR_RECIPIENT_TYPE, PropTags.PR_DISPLAY_NAME,
                    PropTags.PR_EMAIL_ADDRESS}, 0);
            }
            recipients = Tables.all(t);
        }
        List<Row> attachments;
        try (MapiTable t = m.getAttachmentTable(0)) {
            if (!all) {
                t.setColumns(new int[] {PropTags.PR_ATTACH_NUM, PropTags.PR_ATTACH_LONG_FILENAME,
                    PropTags.PR_DISPLAY_NAME, PropTags.PR_ATTACH_MIME_TAG, PropTags.PR_ATTACH_SIZE}, 0);
            }
            attachments = Tables.all(t);
        }
        String from = from(h);
        String subject = str(h, PropTags.PR_SUBJECT);
        String body = str(h, PropTags.PR_BODY);
        if (o.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("from", from);
            doc.put("subject", subject);
            doc.put("date", PropText.json(h.find(PropTags.PR_CLIENT_SUBMIT_TIME).orElse(null)));
            doc.put("delivered", PropText.json(h.find(PropTags.PR_MESSAGE_DELIVERY_TIME).orElse(null)));
            doc.put("messageId", str(h, PropTags.PR_INTERNET_MESSAGE_ID));
            doc.put("class", str(h, PropTags.PR_MESSAGE_CLASS));
            List<Map<String, Object>> rs = new ArrayList<>();
            for (Row r : recipients) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("type", recipientType(r.find(PropTags.PR_RECIPIENT_TYPE).map(PropValue::asInt).orElse(0)));
                x.put("name", r.find(PropTags.PR_DISPLAY_NAME).map(PropValue::asString).orElse(null));
                x.put("address", r.find(PropTags.PR_EMAIL_ADDRESS).map(PropValue::asString).orElse(null));
                rs.add(x);
            }
            doc.put("recipients", rs);
            List<Map<String, Object>> as = new ArrayList<>();
            for (Row r : attachments) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("num", r.find(PropTags.PR_ATTACH_NUM).map(PropValue::asInt).orElse(null));
                x.put("name", attachmentName(r));
                x.put("mimeType", r.find(PropTags.PR_ATTACH_MIME_TAG).map(PropValue::asString).orElse(null));
                x.put("size", r.find(PropTags.PR_ATTACH_SIZE).map(PropValue::asInt).orElse(null));
                as.add(x);
            }
            doc.put("attachments", as);
            doc.put("body", body);
            if (all) {
                doc.put("properties", m.getProps(null, 0).values().stream().map(PropText::jsonRow).toList());
                doc.put("recipientRows", recipients.stream().map(r -> r.values().stream().map(PropText::jsonRow)
                        .toList()).toList());
                doc.put("attachmentProperties", attachments.stream().map(r -> attachmentProps(m, r).stream()
                        .map(PropText::jsonRow).toList()).toList());
            }
            o.json(doc);
            return;
        }
        if (all) {
            o.line("Message properties:");
            o.table(List.of("tag", "name", "type", "value"),
                    m.getProps(null, 0).values().stream().map(PropText::row).toList());
            for (int i = 0; i < recipients.size(); i++) {
                o.line("");
                o.line("Recipient row " + (i + 1) + ":");
                o.table(List.of("tag", "name", "type", "value"),
                        recipients.get(i).values().stream().map(PropText::row).toList());
            }
            for (int i = 0; i < attachments.size(); i++) {
                o.line("");
                o.line("Attachment " + (i + 1) + ":");
                o.table(List.of("tag", "name", "type", "value"),
                        attachmentProps(m, attachments.get(i)).stream().map(PropText::row).toList());
            }
            return;
        }
        o.line("From:       " + from);
        for (int type : new int[] {Flags.MAPI_TO, Flags.MAPI_CC, Flags.MAPI_BCC}) {
            List<String> names = new ArrayList<>();
            for (Row r : recipients) {
                if (r.find(PropTags.PR_RECIPIENT_TYPE).map(PropValue::asInt).orElse(Flags.MAPI_TO) == type) {
                    String name = r.find(PropTags.PR_DISPLAY_NAME).map(PropValue::asString).orElse("");
                    String address = r.find(PropTags.PR_EMAIL_ADDRESS).map(PropValue::asString).orElse("");
                    names.add(name.isEmpty() || name.equals(address) ? address : name + " <" + address + ">");
                }
            }
            if (!names.isEmpty()) {
                o.line(String.format("%-12s", recipientType(type) + ":") + String.join(", ", names));
            }
        }
        o.line("Subject:    " + subject);
        h.find(PropTags.PR_CLIENT_SUBMIT_TIME).ifPresent(v -> o.line("Date:       " + PropText.text(v)));
        h.find(PropTags.PR_MESSAGE_DELIVERY_TIME).ifPresent(v -> o.line("Delivered:  " + PropText.text(v)));
        h.find(PropTags.PR_INTERNET_MESSAGE_ID).ifPresent(v -> o.line("Message-ID: " + v.asString()));
        for (Row r : attachments) {
            o.line("Attachment: " + attachmentName(r)
                    + r.find(PropTags.PR_ATTACH_MIME_TAG).map(v -> " (" + v.asString() + ")").orElse("")
                    + r.find(PropTags.PR_ATTACH_SIZE).map(v -> ", " + v.asInt() + " bytes").orElse(""));
        }
        o.line("");
        o.line(body);
    }

    /** @return every property of the attachment of a table row (IMessage::OpenAttach, GetProps(NULL)) */
    private static List<PropValue> attachmentProps(Message m, Row r) {
        int num = r.find(PropTags.PR_ATTACH_NUM).map(PropValue::asInt).orElseThrow(() ->
                new CommandFailure("an attachment row has no PR_ATTACH_NUM"));
        try (Attach a = m.openAttach(num, 0)) {
            return a.getProps(null, 0).values();
        }
    }

    private static String attachmentName(Row r) {
        return r.find(PropTags.PR_ATTACH_LONG_FILENAME).or(() -> r.find(PropTags.PR_DISPLAY_NAME))
                .map(PropValue::asString).orElse("(unnamed)");
    }

    private static String from(PropValues h) {
        String name = str(h, PropTags.PR_SENT_REPRESENTING_NAME);
        String address = str(h, PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS);
        if (address.isEmpty()) {
            return name;
        }
        return name.isEmpty() || name.equals(address) ? address : name + " <" + address + ">";
    }

    private static String str(PropValues h, int tag) {
        return h.find(tag).map(PropValue::asString).orElse("");
    }

    static String recipientType(int type) {
        return switch (type) {
            case Flags.MAPI_TO -> "To";
            case Flags.MAPI_CC -> "Cc";
            case Flags.MAPI_BCC -> "Bcc";
            case Flags.MAPI_ORIG -> "Originator";
            default -> String.valueOf(type);
        };
    }
}
