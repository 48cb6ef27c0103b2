package org.jmapi.runtime;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.Message;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What MAPI does for a store inside its SubmitMessage (R-SUB-2, R-SUB-4): {@code IMAPISupport::PrepareSubmit} and
 * {@code IMAPISupport::ExpandRecips}, and reading a message's recipients, which the spooler needs too. Works on any
 * provider's message through the public {@link Message} interface; the caller owns the message.
 */
final class Submission {
    private Submission() {
    }

    /** @return every recipient row of {@code message}, with all its columns (PR_ROWID included) */
    static List<Row> recipients(Message message) {
        try (MapiTable t = message.getRecipientTable(0)) {
            t.setColumns(t.queryColumns(MapiTable.TBL_ALL_COLUMNS), 0);
            List<Row> rows = new ArrayList<>();
            for (List<Row> page = t.queryRows(256, 0); !page.isEmpty(); page = t.queryRows(256, 0)) {
                rows.addAll(page);
            }
            return rows;
        }
    }

    /** @return the row's values without error placeholders and without {@code tag} */
    static List<PropValue> without(Row row, int tag) {
        List<PropValue> out = new ArrayList<>();
        for (PropValue v : row.values()) {
            if (!v.isError() && v.id() != PropTag.id(tag)) {
                out.add(v);
            }
        }
        return out;
    }

    static int intOf(Row row, int tag, int otherwise) {
        Optional<PropValue> v = row.find(tag);
        return v.isPresent() && !v.get().isError() ? v.get().asInt() : otherwise;
    }

    static String stringOf(Row row, int tag) {
        Optional<PropValue> v = row.find(tag);
        return v.isPresent() && !v.get().isError() ? v.get().asString() : "";
    }

    static boolean responsible(Row row) {
        Optional<PropValue> v = row.find(PropTags.PR_RESPONSIBILITY);
        return v.isPresent() && !v.get().isError() && v.get().asBoolean();
    }

    /** IMAPISupport::PrepareSubmit (R-SUB-4). @return 0 */
    static int prepareSubmit(Message message, int flags) {
        if (message == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "PrepareSubmit: no message");
        }
        Flags.checkKnown(flags, 0, "IMAPISupport::PrepareSubmit");
        List<List<PropValue>> changed = new ArrayList<>();
        for (Row r : recipients(message)) {
            int type = intOf(r, PropTags.PR_RECIPIENT_TYPE, Flags.MAPI_TO);
            boolean submitted = (type & Flags.MAPI_SUBMITTED) != 0;
            int newType = submitted ? type & ~Flags.MAPI_SUBMITTED : type | Flags.MAPI_P1;
            List<PropValue> row = without(r, PropTags.PR_RESPONSIBILITY);
            row.removeIf(v -> v.id() == PropTag.id(PropTags.PR_RECIPIENT_TYPE));
            row.add(PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, newType));
            row.add(PropValue.ofBoolean(PropTags.PR_RESPONSIBILITY, !submitted));
            changed.add(row);
        }
        if (!changed.isEmpty()) {
            message.modifyRecipients(Flags.MODRECIP_MODIFY, changed);
        }
        return 0;
    }

    /**
     * IMAPISupport::ExpandRecips (R-SUB-2): PR_DISPLAY_TO / CC / BCC from the recipients (MAPI_P1 rows are for
     * addressing only and are left out), and NEEDS_SPOOLER when a recipient is still to be sent.
     */
    static int expandRecips(Message message) {
        if (message == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "ExpandRecips: no message");
        }
        List<String> to = new ArrayList<>();
        List<String> cc = new ArrayList<>();
        List<String> bcc = new ArrayList<>();
        boolean pending = false;
        for (Row r : recipients(message)) {
            int type = intOf(r, PropTags.PR_RECIPIENT_TYPE, Flags.MAPI_TO);
            pending |= !responsible(r);
            if ((type & Flags.MAPI_P1) != 0) {
                continue;
            }
            String name = stringOf(r, PropTags.PR_DISPLAY_NAME);
            if (name.isEmpty()) {
                name = stringOf(r, PropTags.PR_EMAIL_ADDRESS);
            }
            switch (type & 0xF) {
                case Flags.MAPI_CC -> cc.add(name);
                case Flags.MAPI_BCC -> bcc.add(name);
                default -> to.add(name);
            }
        }
        message.setProps(List.of(PropValue.ofString(PropTags.PR_DISPLAY_TO, String.join("; ", to)),
                PropValue.ofString(PropTags.PR_DISPLAY_CC, String.join("; ", cc)),
                PropValue.ofString(PropTags.PR_DISPLAY_BCC, String.join("; ", bcc))));
        return pending ? Flags.NEEDS_SPOOLER : 0;
    }
}
