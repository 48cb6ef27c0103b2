package org.jmapi.cli;

import org.jmapi.Flags;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.table.Restriction;
import org.jmapi.table.SortOrder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The contents-table columns {@code ls} and {@code show} know by name, how they are sorted and filtered, and how a
 * cell is shown. A column may also be named by its property tag ({@code 0x0037001F}) or its MAPI name
 * ({@code PR_SUBJECT}). Stateless.
 */
final class MessageColumns {
    /** Named columns, in the order the help lists them. */
    static final Map<String, Integer> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("date", PropTags.PR_MESSAGE_DELIVERY_TIME);
        NAMES.put("sent", PropTags.PR_CLIENT_SUBMIT_TIME);
        NAMES.put("from", PropTags.PR_SENDER_NAME);
        NAMES.put("from-address", PropTags.PR_SENDER_EMAIL_ADDRESS);
        NAMES.put("to", PropTags.PR_DISPLAY_TO);
        NAMES.put("cc", PropTags.PR_DISPLAY_CC);
        NAMES.put("subject", PropTags.PR_SUBJECT);
        NAMES.put("size", PropTags.PR_MESSAGE_SIZE);
        NAMES.put("flags", PropTags.PR_MESSAGE_FLAGS);
        NAMES.put("class", PropTags.PR_MESSAGE_CLASS);
        NAMES.put("attach", PropTags.PR_HASATTACH);
        NAMES.put("message-id", PropTags.PR_INTERNET_MESSAGE_ID);
        NAMES.put("id", PropTags.PR_ENTRYID);
    }

    /** The columns {@code ls} shows by default. */
    static final String DEFAULT = "date,from,subject,flags";
    /** The default sort: newest first. */
    static final String DEFAULT_SORT = "-date";
    /**
     * The columns {@code ls} shows by default in the Outbox and Sent Items, whose messages were submitted, not
     * delivered: when they went and to whom, as a mail client shows those folders.
     */
    static final String OUTGOING = "sent,to,subject,flags";
    /** The default sort of the Outbox and Sent Items: last submitted first. */
    static final String OUTGOING_SORT = "-sent";
    /** How the help texts name the defaults of the Outbox and Sent Items. */
    static final String OUTGOING_NOTE = " (Outbox and Sent Items: ";

    /**
     * @param given    what the user gave, or null
     * @param outgoing whether the folder is the Outbox or Sent Items ({@link Folders#outgoing})
     * @return the columns to show
     */
    static String columnsFor(String given, boolean outgoing) {
        return given != null ? given : outgoing ? OUTGOING : DEFAULT;
    }

    /**
     * @param given    what the user gave, or null
     * @param outgoing whether the folder is the Outbox or Sent Items ({@link Folders#outgoing})
     * @return the sort keys to use
     */
    static String sortFor(String given, boolean outgoing) {
        return given != null ? given : outgoing ? OUTGOING_SORT : DEFAULT_SORT;
    }

    private MessageColumns() {}

    /**
     * @param name a column name, a tag in hex, or a PR_ name
     * @return its tag
     * @throws CommandFailure for an unknown name
     */
    static int tag(String name) {
        String n = name.strip();
        Integer t = NAMES.get(n.toLowerCase(Locale.ROOT));
        if (t != null) {
            return t;
        }
        if (n.regionMatches(true, 0, "0x", 0, 2)) {
            try {
                return (int) Long.parseLong(n.substring(2), 16);
            } catch (NumberFormatException e) {
                throw unknown(name);
            }
        }
        if (n.toUpperCase(Locale.ROOT).startsWith("PR_")) {
            for (int candidate : NAMES.values()) {
                if (n.equalsIgnoreCase(PropTags.name(candidate))) {
                    return candidate;
                }
            }
            try {
                java.lang.reflect.Field f = PropTags.class.getField(n.toUpperCase(Locale.ROOT));
                return f.getInt(null);
            } catch (ReflectiveOperationException e) {
                throw unknown(name);
            }
        }
        throw unknown(name);
    }

    private static CommandFailure unknown(String name) {
        return new CommandFailure("unknown column '" + name + "': use " + String.join(", ", NAMES.keySet())
                + ", a PR_ name or a tag like 0x0037001F");
    }

    /**
     * @param spec a comma-separated column list
     * @return the names, as given
     */
    static List<String> list(String spec) {
        List<String> out = new ArrayList<>();
        for (String s : spec.split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        if (out.isEmpty()) {
            throw new CommandFailure("name at least one column");
        }
        return out;
    }

    /**
     * @param spec sort keys, comma-separated, each a column with {@code -} in front for descending
     * @return the sort order
     */
    static List<SortOrder> sort(String spec) {
        List<SortOrder> out = new ArrayList<>();
        for (String s : list(spec)) {
            boolean desc = s.startsWith("-");
            String name = desc || s.startsWith("+") ? s.substring(1) : s;
            int tag = tag(name);
            out.add(desc ? SortOrder.descending(tag) : SortOrder.ascending(tag));
        }
        return out;
    }

    /**
     * Parses one filter: {@code COLUMN~TEXT} (contains, ignoring case), {@code COLUMN=VALUE} (equals; ignoring case
     * for text), {@code COLUMN!=VALUE}.
     *
     * @param expr the filter
     * @return the restriction
     */
    static Restriction filter(String expr) {
        int i = indexOfOperator(expr);
        if (i <= 0) {
            throw new CommandFailure("cannot read the filter '" + expr + "': write COLUMN~TEXT, COLUMN=VALUE or "
                    + "COLUMN!=VALUE, e.g. subject~invoice");
        }
        String op = expr.startsWith("!=", i) ? "!=" : expr.substring(i, i + 1);
        int tag = tag(expr.substring(0, i));
        String value = expr.substring(i + op.length());
        int type = PropTag.type(tag);
        Restriction r;
        if (type == PropType.PT_UNICODE || type == PropType.PT_STRING8) {
            int fuzzy = Restriction.FL_IGNORECASE | (op.equals("~") ? Restriction.FL_SUBSTRING : Restriction.FL_FULLSTRING);
            r = new Restriction.Content(fuzzy, tag, PropValue.ofString(tag, value));
        } else if (type == PropType.PT_LONG && !op.equals("~")) {
            int v;
            try {
                v = Integer.decode(value.strip());
            } catch (NumberFormatException e) {
                throw new CommandFailure("'" + value + "' is not a number (filter '" + expr + "')");
            }
            r = new Restriction.Property(Restriction.RELOP_EQ, tag, PropValue.ofInt(tag, v));
        } else if (type == PropType.PT_BOOLEAN && !op.equals("~")) {
            r = new Restriction.Property(Restriction.RELOP_EQ, tag, PropValue.ofBoolean(tag,
                    Boolean.parseBoolean(value.strip())));
        } else {
            throw new CommandFailure("the filter '" + expr + "' cannot compare a " + PropType.name(type)
                    + " column that way: filter text columns with ~ or =, numbers and true/false with =");
        }
        return op.equals("!=") ? new Restriction.Not(r) : r;
    }

    private static int indexOfOperator(String expr) {
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '~' || c == '=' || (c == '!' && expr.startsWith("!=", i))) {
                return i;
            }
        }
        return -1;
    }

    /** @return the restriction "PR_MESSAGE_FLAGS has no MSGFLAG_READ" */
    static Restriction unread() {
        return new Restriction.Bitmask(Restriction.BMR_EQZ, PropTags.PR_MESSAGE_FLAGS, Flags.MSGFLAG_READ);
    }

    /**
     * @param tag the column
     * @param v   the cell's value, or null
     * @return the cell as text
     */
    static String cell(int tag, PropValue v) {
        if (v == null || v.isError()) {
            return "";
        }
        if (tag == PropTags.PR_MESSAGE_FLAGS) {
            return flags(v.asInt());
        }
        if (tag == PropTags.PR_HASATTACH) {
            return v.asBoolean() ? "@" : "";
        }
        return Output.cell(PropText.text(v), tag == PropTags.PR_SUBJECT ? 60 : 40);
    }

    /**
     * @param f PR_MESSAGE_FLAGS
     * @return letters: {@code N} unread (new), {@code S} submitted, {@code U} unsent, {@code A} has attachments
     */
    static String flags(int f) {
        StringBuilder b = new StringBuilder();
        if ((f & Flags.MSGFLAG_READ) == 0) {
            b.append('N');
        }
        if ((f & Flags.MSGFLAG_SUBMIT) != 0) {
            b.append('S');
        }
        if ((f & Flags.MSGFLAG_UNSENT) != 0) {
            b.append('U');
        }
        if ((f & Flags.MSGFLAG_HASATTACH) != 0) {
            b.append('A');
        }
        return b.toString();
    }
}
