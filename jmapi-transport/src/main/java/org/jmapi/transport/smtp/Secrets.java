package org.jmapi.transport.smtp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The secret strings of one SMTP configuration &mdash; the password and every encoding of it that goes over the
 * wire (its base64 form for AUTH LOGIN, the AUTH PLAIN token) &mdash; and the one place that removes them from text.
 * Every server reply passes through {@link #clean} before it is kept anywhere, so a server that echoes a command
 * line (some echo a rejected AUTH line in full) cannot bring a password into a status row, an exception, a report or
 * the trace. Immutable.
 */
final class Secrets {
    /** What a removed secret is replaced with. */
    static final String MASK = "********";
    /** The strings to remove, longest first. */
    private final List<String> secrets;

    /**
     * @param user     the AUTH user, or null
     * @param password the AUTH password, or null
     */
    Secrets(String user, String password) {
        List<String> s = new ArrayList<>();
        if (password != null && !password.isEmpty()) {
            Base64.Encoder b64 = Base64.getEncoder();
            s.add(b64.encodeToString(plainToken(user, password)));
            s.add(b64.encodeToString(password.getBytes(StandardCharsets.UTF_8)));
            s.add(password);
        }
        s.sort((a, b) -> Integer.compare(b.length(), a.length()));
        this.secrets = List.copyOf(s);
    }

    /**
     * @param user     the user
     * @param password the password
     * @return the RFC 4616 PLAIN message: NUL, user, NUL, password, as UTF-8
     */
    static byte[] plainToken(String user, String password) {
        return ("\0" + (user == null ? "" : user) + "\0" + password).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param text any text, or null
     * @return it with every secret replaced by {@link #MASK}
     */
    String clean(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }
}
