package org.jmapi.transport.smtp;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMTP reply (RFC 5321 &sect;4.2): the three-digit code and every line as the server sent it, code included,
 * already stripped of any configured secret (see {@link Secrets}). Immutable.
 *
 * @param code  the reply code, 200..599
 * @param lines the reply's lines without their CRLF, at least one
 */
record SmtpReply(int code, List<String> lines) {
    private static final Pattern ENHANCED = Pattern.compile("^\\d{3}[ -]([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");

    /**
     * Copies the lines.
     *
     * @param code  the reply code
     * @param lines the lines, at least one
     */
    SmtpReply {
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
    }

    /**
     * A reply jmapi makes up itself for a local decision (a too-large message, an unusable address), written as a
     * server would write it.
     *
     * @param code the code
     * @param text the text after the code
     * @return the reply
     */
    static SmtpReply local(int code, String text) {
        return new SmtpReply(code, List.of(code + " " + text));
    }

    /** @return 2xx */
    boolean positive() {
        return code >= 200 && code < 300;
    }

    /** @return 3xx (354 after DATA, 334 during AUTH) */
    boolean intermediate() {
        return code >= 300 && code < 400;
    }

    /** @return 4xx: a temporary failure, worth trying again */
    boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    /** @return 5xx: a permanent failure */
    boolean permanentFailure() {
        return code >= 500 && code < 600;
    }

    /** @return the whole reply as sent, lines joined with CRLF (PR_REPORT_TEXT of a non-delivery report) */
    String text() {
        return String.join("\r\n", lines);
    }

    /** @return the whole reply on one line (for a status row or an exception message) */
    String oneLine() {
        return String.join(" ", lines);
    }

    /**
     * @return the RFC 3463 enhanced status code of the first line ("5.1.1"), or null when the server did not send
     *         one
     */
    String enhancedCode() {
        Matcher m = ENHANCED.matcher(lines.get(0));
        return m.find() ? m.group(1) + "." + m.group(2) + "." + m.group(3) : null;
    }

    @Override
    public String toString() {
        return oneLine();
    }
}
