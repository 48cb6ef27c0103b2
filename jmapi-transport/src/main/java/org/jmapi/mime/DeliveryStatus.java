package org.jmapi.mime;

import org.jmapi.Flags;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content of an RFC 3464 {@code message/delivery-status} part: the per-message fields and one
 * {@link Recipient} per per-recipient block, read leniently (unknown fields ignored, folded lines unfolded, a block
 * without Final-Recipient or Action skipped) and the MAPI values derived from them. Immutable; thread-safe.
 *
 * @param recipients the per-recipient blocks that name a recipient and an action, in order
 */
record DeliveryStatus(List<Recipient> recipients) {
    /** An RFC 3463 status code at the start of a Status value. */
    private static final Pattern STATUS = Pattern.compile("^\\s*([245])\\.(\\d{1,3})\\.(\\d{1,3})");
    /** An SMTP reply code at the start of an smtp Diagnostic-Code text. */
    private static final Pattern REPLY = Pattern.compile("^([245]\\d\\d)(?:[\\s-]|$)");
    /** A run of whitespace, made one space in the texts kept. */
    private static final Pattern SPACES = Pattern.compile("\\s+");
    /** What ends an Action field's word: whitespace or a comment. */
    private static final Pattern WORD_END = Pattern.compile("[\\s(]");

    /** Copies the list. */
    DeliveryStatus {
        recipients = List.copyOf(recipients);
    }

    /**
     * One per-recipient block.
     *
     * @param addressType    the address type of the recipient's address, {@code rfc822} for an Internet address
     * @param address        the address as the sender wrote it (Original-Recipient when it is given, else
     *                       Final-Recipient), without angle brackets
     * @param action         the Action, lower case: failed, delayed, delivered, relayed or expanded
     * @param status         the Status code {@code class.subject.detail}, or null when absent or malformed
     * @param diagnosticType the Diagnostic-Code's type ({@code smtp}, ...) lower case, or null
     * @param diagnostic     the Diagnostic-Code's text, whitespace runs made one space, or null
     * @param remoteMta      the Remote-MTA name, or null
     * @param displayName    the X-Display-Name, or null
     * @param supplementary  the X-Supplementary-Info, or null
     */
    record Recipient(String addressType, String address, String action, String status, String diagnosticType,
                     String diagnostic, String remoteMta, String displayName, String supplementary) {

        /** @return whether the Action is {@code failed} */
        boolean failed() {
            return action.equals("failed");
        }

        /** @return whether the Action says the message reached the recipient or left the reporting system */
        boolean delivered() {
            return action.equals("delivered") || action.equals("relayed") || action.equals("expanded");
        }

        /** @return whether the address is an Internet (RFC 822) address */
        boolean internet() {
            return addressType.equals("rfc822");
        }

        /**
         * @return PR_NDR_REASON_CODE: MAPI_REASON_TRANSFER_IMPOSSIBLE for a permanent failure (status class 5 or
         *         none), MAPI_REASON_TRANSFER_FAILED for a temporary one the reporting system gave up on (class 4)
         */
        int reasonCode() {
            return status != null && status.startsWith("4.") ? Flags.MAPI_REASON_TRANSFER_FAILED
                    : Flags.MAPI_REASON_TRANSFER_IMPOSSIBLE;
        }

        /**
         * The same mapping the SMTP transport uses for a refusal at RCPT TO, so a recipient refused at once and one
         * bounced later look alike in the Inbox: X.1.x (bad mailbox, system or syntax) OR_NAME_UNRECOGNIZED, X.2.x
         * (mailbox full or disabled) RECIPIENT_UNAVAILABLE, X.4.6 (routing loop) LOOP_DETECTED, X.4.7 (delivery time
         * expired) MAXIMUM_TIME_EXPIRED, anything else NO_DIAGNOSTIC.
         *
         * @return PR_NDR_DIAG_CODE
         */
        int diagCode() {
            if (status == null) {
                return Flags.MAPI_DIAG_NO_DIAGNOSTIC;
            }
            String[] p = status.split("\\.");
            return switch (p[1]) {
                case "1" -> Flags.MAPI_DIAG_OR_NAME_UNRECOGNIZED;
                case "2" -> Flags.MAPI_DIAG_RECIPIENT_UNAVAILABLE;
                case "4" -> p[2].equals("6") ? Flags.MAPI_DIAG_LOOP_DETECTED
                        : p[2].equals("7") ? Flags.MAPI_DIAG_MAXIMUM_TIME_EXPIRED : Flags.MAPI_DIAG_NO_DIAGNOSTIC;
                default -> Flags.MAPI_DIAG_NO_DIAGNOSTIC;
            };
        }

        /**
         * @return PR_NDR_STATUS_CODE: the SMTP reply code the remote server answered (the number an {@code smtp}
         *         Diagnostic-Code starts with), as the SMTP transport sets it; -1 when the report holds none
         */
        int replyCode() {
            if (diagnostic == null || !"smtp".equals(diagnosticType)) {
                return -1;
            }
            Matcher m = REPLY.matcher(diagnostic);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }

        /**
         * @return PR_REPORT_TEXT: the remote server's words (the Diagnostic-Code text), else the Status code with
         *         the Action
         */
        String reportText() {
            if (diagnostic != null && !diagnostic.isEmpty()) {
                return diagnostic;
            }
            return status != null ? "Status " + status + " (" + action + ")" : "Action " + action;
        }

        /**
         * @return PR_SUPPLEMENTARY_INFO: X-Supplementary-Info when given, else the form MS-OXCMAIL computes,
         *         {@code <remote-mta #status diagnostic>}
         */
        String supplementaryInfo() {
            if (supplementary != null && !supplementary.isEmpty()) {
                return supplementary;
            }
            StringBuilder sb = new StringBuilder("<");
            if (remoteMta != null && !remoteMta.isEmpty()) {
                sb.append(remoteMta).append(' ');
            }
            sb.append('#').append(status != null ? status : "");
            if (diagnostic != null && !diagnostic.isEmpty()) {
                sb.append(' ').append(diagnosticType != null ? diagnosticType + ";" : "").append(diagnostic);
            }
            return sb.append('>').toString();
        }
    }

    /**
     * Reads a delivery-status part. Never fails: what cannot be read is left out.
     *
     * @param content the part's transfer-decoded content (UTF-8 when valid, RFC 6533; else ISO-8859-1)
     * @return the readable per-recipient blocks (the per-message block, which names no Final-Recipient, is
     *         passed over)
     */
    static DeliveryStatus parse(byte[] content) {
        List<Recipient> recipients = new ArrayList<>();
        for (byte[] block : blocks(content)) {
            Recipient r = recipient(HeaderField.parseBlock(block));
            if (r != null) {
                recipients.add(r);
            }
        }
        return new DeliveryStatus(recipients);
    }

    /**
     * @param fields one per-recipient block
     * @return the recipient, or null when the block has no Final-Recipient address or no Action
     */
    private static Recipient recipient(List<HeaderField> fields) {
        String[] fin = typed(first(fields, "Final-Recipient"));
        String[] orig = typed(first(fields, "Original-Recipient"));
        String action = first(fields, "Action");
        String[] chosen = orig[1] != null && !orig[1].isEmpty() ? orig : fin;
        if (chosen[1] == null || chosen[1].isEmpty() || action == null || action.isBlank()) {
            return null;
        }
        String address = chosen[1].strip();
        if (address.startsWith("<") && address.endsWith(">")) {
            address = address.substring(1, address.length() - 1).strip();
        }
        String actionWord = WORD_END.split(action.strip(), 2)[0].toLowerCase(Locale.ROOT);
        String statusText = first(fields, "Status");
        String status = null;
        if (statusText != null) {
            Matcher m = STATUS.matcher(statusText);
            if (m.find()) {
                status = m.group(1) + "." + Integer.parseInt(m.group(2)) + "." + Integer.parseInt(m.group(3));
            }
        }
        String[] diagnostic = typed(first(fields, "Diagnostic-Code"));
        String type = chosen[0] == null ? "rfc822" : chosen[0];
        return new Recipient(type, address, actionWord, status, diagnostic[0], diagnostic[1],
                typed(first(fields, "Remote-MTA"))[1], emptyToNull(first(fields, "X-Display-Name")),
                emptyToNull(first(fields, "X-Supplementary-Info")));
    }

    /**
     * @param value a {@code type; text} field value (Final-Recipient, Diagnostic-Code, Remote-MTA), or null
     * @return {type lower case or null, text with whitespace runs made one space or null}
     */
    private static String[] typed(String value) {
        if (value == null) {
            return new String[] {null, null};
        }
        int semi = value.indexOf(';');
        String type = semi > 0 ? value.substring(0, semi).strip().toLowerCase(Locale.ROOT) : null;
        String text = SPACES.matcher(semi >= 0 ? value.substring(semi + 1) : value).replaceAll(" ").strip();
        return new String[] {type, text.isEmpty() ? null : text};
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : SPACES.matcher(s).replaceAll(" ").strip();
    }

    /**
     * @param fields fields
     * @param name   a field name
     * @return the first such field's value, or null
     */
    private static String first(List<HeaderField> fields, String name) {
        for (HeaderField f : fields) {
            if (f.is(name)) {
                return f.value();
            }
        }
        return null;
    }

    /**
     * Splits the content at empty lines (a line holding only whitespace counts as empty too: a folded field never
     * continues with a blank line).
     *
     * @param content the part's bytes
     * @return the non-empty blocks, each ending with its last line's end
     */
    private static List<byte[]> blocks(byte[] content) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        int i = 0;
        while (i < content.length) {
            int end = i;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            int lineEnd = Math.min(end + 1, content.length);
            boolean blank = true;
            for (int k = i; k < end; k++) {
                if (content[k] != ' ' && content[k] != '\t' && content[k] != '\r') {
                    blank = false;
                    break;
                }
            }
            if (blank) {
                if (cur.size() > 0) {
                    out.add(cur.toByteArray());
                    cur.reset();
                }
            } else {
                cur.write(content, i, lineEnd - i);
            }
            i = lineEnd;
        }
        if (cur.size() > 0) {
            out.add(cur.toByteArray());
        }
        return out;
    }
}
