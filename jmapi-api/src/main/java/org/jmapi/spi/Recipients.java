package org.jmapi.spi;

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
 * Recipient-table work that MAPI, the spooler and providers all need, on any provider's {@link Message}: reading
 * the whole table, what {@code IMAPISupport::PrepareSubmit} and {@code IMAPISupport::ExpandRecips} do (R-SUB-2,
 * R-SUB-4; the runtime's support object calls these, a test support object may too), and reading row values.
 *
 * <p><b>Ownership:</b> never takes or keeps a reference to the message; tables it opens are released before it
 * returns. <b>After logoff:</b> calls on an invalid message throw MAPI_E_INVALID_OBJECT. <b>Threads:</b> any.
 */
public final class Recipients {
    private Recipients() {
    }

    /**
     * Reads a message's whole recipient table.
     *
     * @param message a message the caller holds (the caller keeps its reference)
     * @return every recipient row, with all its columns (PR_ROWID included)
     */
    public static List<Row> of(Message message) {
        try (MapiTable t = message.getRecipientTable(0)) {
            t.setColumns(t.queryColumns(MapiTable.TBL_ALL_COLUMNS), 0);
            List<Row> rows = new ArrayList<>();
            for (List<Row> page = t.queryRows(256, 0); !page.isEmpty(); page = t.queryRows(256, 0)) {
                rows.addAll(page);
            }
            return rows;
        }
    }

    /**
     * @param row a recipient row
     * @param tag a property to leave out
     * @return the row's values without error placeholders and without {@code tag}, as a new mutable list
     */
    public static List<PropValue> without(Row row, int tag) {
        List<PropValue> out = new ArrayList<>();
        for (PropValue v : row.values()) {
            if (!v.isError() && v.id() != PropTag.id(tag)) {
                out.add(v);
            }
        }
        return out;
    }

    /**
     * @param row       a table row
     * @param tag       a PT_LONG column
     * @param otherwise the answer when the row has no value for it
     * @return the value
     */
    public static int intOf(Row row, int tag, int otherwise) {
        Optional<PropValue> v = row.find(tag);
        return v.isPresent() && !v.get().isError() ? v.get().asInt() : otherwise;
    }

    /**
     * @param row a table row
     * @param tag a string column
     * @return the value, "" when the row has none
     */
    public static String stringOf(Row row, int tag) {
        Optional<PropValue> v = row.find(tag);
        return v.isPresent() && !v.get().isError() ? v.get().asString() : "";
    }

    /**
     * @param row a recipient row
     * @return whether PR_RESPONSIBILITY is TRUE: a transport already dealt with the recipient (R-XPS-3)
     */
    public static boolean responsible(Row row) {
        Optional<PropValue> v = row.find(PropTags.PR_RESPONSIBILITY);
        return v.isPresent() && !v.get().isError() && v.get().asBoolean();
    }

    /**
     * What IMAPISupport::PrepareSubmit does (R-SUB-4): MAPI_SUBMITTED recipients lose the bit and get
     * PR_RESPONSIBILITY FALSE, the others get MAPI_P1 and PR_RESPONSIBILITY TRUE. Changes the recipient table,
     * does not save.
     *
     * @param message the message being submitted; the caller keeps its reference
     * @param flags   0
     * @return the output flags: 0
     */
    public static int prepareSubmit(Message message, int flags) {
        if (message == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "PrepareSubmit: no message");
        }
        Flags.checkKnown(flags, 0, "IMAPISupport::PrepareSubmit");
        List<List<PropValue>> changed = new ArrayList<>();
        for (Row r : of(message)) {
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
     * What IMAPISupport::ExpandRecips does (R-SUB-2): PR_DISPLAY_TO / CC / BCC from the recipients (MAPI_P1 rows
     * are for addressing only and are left out); not saved.
     *
     * @param message the message being submitted; the caller keeps its reference
     * @return NEEDS_SPOOLER when a recipient is still to be sent (PR_RESPONSIBILITY FALSE), else 0
     */
    public static int expandRecips(Message message) {
        if (message == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "ExpandRecips: no message");
        }
        List<String> to = new ArrayList<>();
        List<String> cc = new ArrayList<>();
        List<String> bcc = new ArrayList<>();
        boolean pending = false;
        for (Row r : of(message)) {
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
