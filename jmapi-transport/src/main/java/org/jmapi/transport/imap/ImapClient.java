package org.jmapi.transport.imap;

import org.jmapi.HResult;
import org.jmapi.transport.inbound.InboundSettings;
import org.jmapi.transport.inbound.MailConnection;
import org.jmapi.transport.inbound.MailServerException;
import org.jmapi.transport.inbound.MessageStream;
import org.jmapi.transport.inbound.Security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client side of one IMAP4rev1 connection (RFC 3501; STARTTLS; UIDPLUS of RFC 4315) over a
 * {@link MailConnection}, limited to what a receive-only transport needs: greeting, STARTTLS, CAPABILITY, LOGIN,
 * SELECT, NOOP, UID SEARCH UNDELETED, UID FETCH (UID BODY.PEEK[]) streamed straight into the converter, UID STORE
 * +FLAGS.SILENT (\Deleted), UID EXPUNGE (or EXPUNGE), LOGOUT. It knows nothing of MAPI.
 *
 * <p><b>Responses.</b> Every line up to the command's tagged completion is read; untagged responses the transport
 * did not ask for (EXISTS, EXPUNGE, FLAGS, unsolicited FETCH of flags, OK with response codes) are ignored. A literal
 * ({@code {n}}) anywhere is read by its length, so message bytes are never taken for protocol lines. The message
 * literal of a FETCH is handed to the caller as a {@link MessageStream} of exactly its length.
 *
 * <p><b>Strings</b> (user name, password, folder name) are sent as quoted strings when they are 7-bit, otherwise as
 * synchronizing literals of their UTF-8 bytes; the folder name is first encoded in modified UTF-7 (RFC 3501
 * &sect;5.1.3). Every refusal becomes a {@link MailServerException} naming the server and quoting its reply with the
 * password scrubbed; the LOGIN command itself is never part of any text.
 *
 * <p><b>Threads:</b> one at a time (the logon's connection lock); only the connection's {@code abort} may come from
 * another thread.
 */
final class ImapClient {
    /** A literal's announcement at the end of a line: {@code {123}} or {@code {123+}}. */
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}$");
    /** The start of the FETCH response item carrying the message: {@code BODY[] {n}}. */
    private static final Pattern BODY_LITERAL = Pattern.compile("(?i)BODY\\[]\\s*\\{\\d+\\+?}$");
    private static final Pattern FETCH = Pattern.compile("(?i)^\\* \\d+ FETCH \\(");
    private static final Pattern UID_ITEM = Pattern.compile("(?i)[( ]UID (\\d+)");
    private static final Pattern CAPABILITY_CODE = Pattern.compile("(?i)\\[CAPABILITY ([^]]*)]");

    /** Receives a fetched message's bytes. */
    interface Body {
        /**
         * @param data the message, exactly the literal's bytes
         * @throws IOException reading failed
         */
        void read(MessageStream data) throws IOException;
    }

    /** A tagged completion: OK, NO or BAD and the rest of the line. */
    private record Done(String status, String text) {
        boolean ok() {
            return status.equals("OK");
        }
    }

    private final MailConnection c;
    private final InboundSettings s;
    private int tags;
    private Set<String> capabilities;

    /**
     * @param c the connection, just opened
     * @param s the account
     */
    ImapClient(MailConnection c, InboundSettings s) {
        this.c = c;
        this.s = s;
    }

    /**
     * Reads the greeting, upgrades to TLS when the account says starttls, logs in and selects the folder.
     *
     * @throws IOException the server refused (MAPI_E_LOGON_FAILED for user or password, MAPI_E_NO_SUPPORT for a
     *                     missing STARTTLS or a LOGINDISABLED server, MAPI_E_NOT_FOUND for an unknown folder) or the
     *                     connection failed
     */
    void open() throws IOException {
        String greeting = c.readLine();
        String upper = greeting.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("* OK") && !upper.startsWith("* PREAUTH")) {
            throw new MailServerException(HResult.MAPI_E_NETWORK_ERROR, "IMAP server " + s.where()
                    + " greeted with: " + s.scrub(greeting));
        }
        capabilitiesFrom(greeting);
        if (s.security() == Security.STARTTLS) {
            if (!capabilities().contains("STARTTLS")) {
                throw new MailServerException(HResult.MAPI_E_NO_SUPPORT, "IMAP server " + s.where()
                        + " does not offer STARTTLS; the password is not sent without TLS");
            }
            Done d = command(List.of("STARTTLS"), null, null);
            if (!d.ok()) {
                throw new MailServerException(HResult.MAPI_E_NO_SUPPORT, "IMAP server " + s.where()
                        + " refused STARTTLS: " + s.scrub(d.status() + " " + d.text()));
            }
            c.startTls();
            capabilities = null; // RFC 3501 6.2.1: forget what was said in clear
        }
        if (!upper.startsWith("* PREAUTH")) {
            if (capabilities().contains("LOGINDISABLED")) {
                throw new MailServerException(HResult.MAPI_E_NO_SUPPORT, "IMAP server " + s.where()
                        + " does not allow LOGIN on this connection (LOGINDISABLED); use security starttls or tls");
            }
            Done d = command(List.of("LOGIN", astring(s.user()), astring(s.password())), null, null);
            if (!d.ok()) {
                throw new MailServerException(HResult.MAPI_E_LOGON_FAILED, "IMAP server " + s.where()
                        + " refused user " + s.user() + ": " + s.scrub(d.status() + " " + d.text()));
            }
            capabilities = null;
            capabilitiesFrom(d.text());
        }
        Done d = command(List.of("SELECT", astring(mutf7(s.folder()))), null, null);
        if (!d.ok()) {
            throw new MailServerException(HResult.MAPI_E_NOT_FOUND, "IMAP server " + s.where()
                    + " cannot open folder " + s.folder() + ": " + s.scrub(d.status() + " " + d.text()));
        }
    }

    /** @return the server's capabilities, asked for when not known */
    private Set<String> capabilities() throws IOException {
        if (capabilities == null) {
            Set<String> found = new HashSet<>();
            Done d = command(List.of("CAPABILITY"), line -> {
                if (line.toUpperCase(Locale.ROOT).startsWith("* CAPABILITY ")) {
                    addCapabilities(found, line.substring("* CAPABILITY ".length()));
                }
            }, null);
            if (!d.ok()) {
                throw new MailServerException(HResult.MAPI_E_NETWORK_ERROR, "IMAP server " + s.where()
                        + " refused CAPABILITY: " + s.scrub(d.status() + " " + d.text()));
            }
            capabilities = found;
        }
        return capabilities;
    }

    private void capabilitiesFrom(String text) {
        Matcher m = CAPABILITY_CODE.matcher(text);
        if (m.find()) {
            Set<String> found = new HashSet<>();
            addCapabilities(found, m.group(1));
            capabilities = found;
        }
    }

    private static void addCapabilities(Set<String> into, String list) {
        for (String cap : list.strip().split("\\s+")) {
            if (!cap.isEmpty()) {
                into.add(cap.toUpperCase(Locale.ROOT));
            }
        }
    }

    /**
     * NOOP: lets the server announce what arrived since the last command (RFC 3501 &sect;6.1.2), and proves the
     * connection is still alive.
     *
     * @throws IOException the server refused or the connection failed
     */
    void noop() throws IOException {
        Done d = command(List.of("NOOP"), null, null);
        if (!d.ok()) {
            throw new MailServerException(HResult.MAPI_E_NETWORK_ERROR, "IMAP server " + s.where()
                    + " refused NOOP: " + s.scrub(d.status() + " " + d.text()));
        }
    }

    /**
     * UID SEARCH UNDELETED in the selected folder.
     *
     * @return the UIDs of the messages not flagged \Deleted, ascending (oldest first)
     * @throws IOException the server refused or the connection failed
     */
    List<Long> searchUndeleted() throws IOException {
        List<Long> uids = new ArrayList<>();
        Done d = command(List.of("UID", "SEARCH", "UNDELETED"), line -> {
            if (line.toUpperCase(Locale.ROOT).startsWith("* SEARCH")) {
                for (String t : line.substring("* SEARCH".length()).strip().split("\\s+")) {
                    if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
                        uids.add(Long.parseLong(t));
                    }
                }
            }
        }, null);
        if (!d.ok()) {
            throw new MailServerException(HResult.MAPI_E_NETWORK_ERROR, "IMAP server " + s.where()
                    + " refused UID SEARCH: " + s.scrub(d.status() + " " + d.text()));
        }
        uids.sort(Long::compare);
        return uids;
    }

    /**
     * UID FETCH uid (UID BODY.PEEK[]): the message's bytes, without setting \Seen.
     *
     * @param uid  the message
     * @param body receives the message's bytes; called at most once
     * @return whether the server sent the message (false: it no longer exists)
     * @throws IOException the server refused, the connection failed, or the server sent a different message
     */
    boolean fetch(long uid, Body body) throws IOException {
        boolean[] got = {false};
        List<String> fetches = new ArrayList<>();
        Done d = command(List.of("UID", "FETCH", Long.toString(uid), "(UID BODY.PEEK[])"), line -> {
            if (FETCH.matcher(line).find()) {
                fetches.add(line);
            }
        }, (prefix, length, in) -> {
            if (got[0] || !FETCH.matcher(prefix).find() || !BODY_LITERAL.matcher(prefix).find()) {
                return false;
            }
            Matcher m = UID_ITEM.matcher(prefix);
            if (m.find() && Long.parseLong(m.group(1)) != uid) {
                return false; // another message's body (a server would not send it unasked): not ours
            }
            got[0] = true;
            body.read(MessageStream.counted(in, length));
            return true;
        });
        if (!d.ok()) {
            throw new MailServerException(HResult.MAPI_E_NETWORK_ERROR, "IMAP server " + s.where()
                    + " refused UID FETCH " + uid + ": " + s.scrub(d.status() + " " + d.text()));
        }
        if (got[0]) {
            for (String f : fetches) {
                Matcher m = UID_ITEM.matcher(f);
                if (f.contains("\u0000body") && m.find() && Long.parseLong(m.group(1)) != uid) {
                    throw new MailServerException(HResult.MAPI_E_NETWORK_ERROR, "IMAP server " + s.where()
                            + " answered UID FETCH " + uid + " with message UID " + m.group(1));
                }
            }
        }
        return got[0];
    }

    /**
     * Marks a message \Deleted and expunges it: UID EXPUNGE of that UID when the server has UIDPLUS, else EXPUNGE
     * (which also removes other messages someone flagged \Deleted in the folder).
     *
     * @param uid the message
     * @throws IOException the server refused or the connection failed
     */
    void delete(long uid) throws IOException {
        Done d = command(List.of("UID", "STORE", Long.toString(uid), "+FLAGS.SILENT", "(\\Deleted)"), null, null);
        if (!d.ok()) {
            throw new MailServerException(HResult.MAPI_E_NETWORK_ERROR, "IMAP server " + s.where()
                    + " refused to flag UID " + uid + " \\Deleted: " + s.scrub(d.status() + " " + d.text()));
        }
        List<String> expunge = capabilities().contains("UIDPLUS") ? List.of("UID", "EXPUNGE", Long.toString(uid))
                : List.of("EXPUNGE");
        d = command(expunge, null, null);
        if (!d.ok()) {
            throw new MailServerException(HResult.MAPI_E_NETWORK_ERROR, "IMAP server " + s.where()
                    + " refused " + String.join(" ", expunge) + ": " + s.scrub(d.status() + " " + d.text()));
        }
    }

    /**
     * LOGOUT.
     *
     * @throws IOException the connection failed
     */
    void logout() throws IOException {
        command(List.of("LOGOUT"), null, null);
    }

    // ---- the command / response engine -------------------------------------------------------------------

    /** Decides about a literal met in an untagged response. */
    private interface LiteralTaker {
        /**
         * @param prefix the response text up to and including the literal's announcement
         * @param length the literal's length
         * @param in     the connection's input at the literal's first byte
         * @return whether the literal was read (the engine skips whatever was not)
         */
        boolean take(String prefix, long length, InputStream in) throws IOException;
    }

    /** A command argument sent as a literal. */
    private record Literal(byte[] bytes) {}

    /**
     * Sends a command and reads up to its tagged completion.
     *
     * @param args      atoms (sent as they are) and {@link Literal}s
     * @param untagged  receives each untagged response (literals replaced by {@code \0literal}), or null
     * @param literals  decides about literals in untagged responses, or null to skip them
     * @return the completion
     */
    private Done command(List<?> args, Consumer<String> untagged, LiteralTaker literals) throws IOException {
        String tag = "J" + (++tags);
        StringBuilder line = new StringBuilder(tag);
        for (Object a : args) {
            line.append(' ');
            if (a instanceof Literal l) {
                line.append('{').append(l.bytes().length).append('}');
                c.writeLine(line.toString());
                line.setLength(0);
                Done refused = awaitContinuation(tag, untagged, literals);
                if (refused != null) {
                    return refused;
                }
                c.write(l.bytes());
            } else {
                line.append(a);
            }
        }
        c.writeLine(line.toString());
        while (true) {
            String r = response(untagged, literals);
            if (r.startsWith(tag + " ")) {
                return done(r.substring(tag.length() + 1));
            }
        }
    }

    /** @return null once the server asked for the literal, or its refusal */
    private Done awaitContinuation(String tag, Consumer<String> untagged, LiteralTaker literals) throws IOException {
        while (true) {
            String r = response(untagged, literals);
            if (r.startsWith("+")) {
                return null;
            }
            if (r.startsWith(tag + " ")) {
                return done(r.substring(tag.length() + 1));
            }
        }
    }

    private static Done done(String rest) {
        int sp = rest.indexOf(' ');
        String status = (sp < 0 ? rest : rest.substring(0, sp)).toUpperCase(Locale.ROOT);
        return new Done(status, sp < 0 ? "" : rest.substring(sp + 1));
    }

    /**
     * Reads one response, following its literals; untagged ones go to {@code untagged}.
     *
     * @return the response text (literals replaced by a marker)
     */
    private String response(Consumer<String> untagged, LiteralTaker literals) throws IOException {
        StringBuilder text = new StringBuilder();
        String line = c.readLine();
        while (true) {
            text.append(line);
            Matcher m = LITERAL.matcher(line);
            if (!m.find()) {
                break;
            }
            long length = Long.parseLong(m.group(1));
            InputStream in = c.input();
            boolean taken = literals != null && text.charAt(0) == '*'
                    && literals.take(text.toString(), length, in);
            if (!taken) {
                skip(in, length);
            }
            text.append(taken ? "\u0000body" : "\u0000literal");
            line = c.readLine();
        }
        String r = text.toString();
        if (r.startsWith("*") && untagged != null) {
            untagged.accept(r);
        }
        return r;
    }

    private static void skip(InputStream in, long length) throws IOException {
        MessageStream.counted(in, length).finish();
    }

    /**
     * @param value a string argument
     * @return it as a quoted string when 7-bit without CR, LF and NUL, else as a literal of its UTF-8 bytes
     */
    static Object astring(String value) {
        boolean quotable = true;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == 0 || ch == '\r' || ch == '\n' || ch > 0x7e) {
                quotable = false;
                break;
            }
        }
        if (!quotable) {
            return new Literal(value.getBytes(StandardCharsets.UTF_8));
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * @param name a folder name
     * @return it in IMAP's modified UTF-7 (RFC 3501 &sect;5.1.3)
     */
    static String mutf7(String name) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < name.length()) {
            char ch = name.charAt(i);
            if (ch >= 0x20 && ch <= 0x7e) {
                out.append(ch == '&' ? "&-" : String.valueOf(ch));
                i++;
                continue;
            }
            int j = i;
            while (j < name.length() && (name.charAt(j) < 0x20 || name.charAt(j) > 0x7e)) {
                j++;
            }
            byte[] utf16 = name.substring(i, j).getBytes(StandardCharsets.UTF_16BE);
            out.append('&').append(Base64.getEncoder().withoutPadding().encodeToString(utf16).replace('/', ','))
                    .append('-');
            i = j;
        }
        return out.toString();
    }
}
