package org.jmapi.transport.pop3;

import org.jmapi.HResult;
import org.jmapi.transport.inbound.InboundSettings;
import org.jmapi.transport.inbound.MailConnection;
import org.jmapi.transport.inbound.MailServerException;
import org.jmapi.transport.inbound.MessageStream;
import org.jmapi.transport.inbound.Security;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The client side of one POP3 session (RFC 1939, CAPA of RFC 2449, STLS of RFC 2595) over a {@link MailConnection}:
 * greeting, optional STLS, USER/PASS, UIDL, RETR, DELE, QUIT. It knows nothing of MAPI.
 *
 * <p>Every refusal becomes a {@link MailServerException} whose text names the server and quotes its reply with the
 * password scrubbed; the PASS command itself is never part of any text. <b>Threads:</b> one at a time (the logon's
 * connection lock); only the connection's {@code abort} may come from another thread.
 */
final class Pop3Client {
    /** One message of the maildrop: its number in this session and its unique-id. */
    record Entry(int number, String uid) {}

    private final MailConnection c;
    private final InboundSettings s;

    /**
     * @param c the connection, just opened
     * @param s the account
     */
    Pop3Client(MailConnection c, InboundSettings s) {
        this.c = c;
        this.s = s;
    }

    /**
     * Reads the greeting, upgrades to TLS when the account says starttls, and logs in.
     *
     * @throws IOException the server refused (MAPI_E_LOGON_FAILED for user or password, MAPI_E_NO_SUPPORT when STLS
     *                     is not offered) or the connection failed
     */
    void open() throws IOException {
        ok(c.readLine(), "greeting");
        if (s.security() == Security.STARTTLS) {
            List<String> capa = capabilities();
            if (capa != null && capa.stream().noneMatch(l -> l.toUpperCase(Locale.ROOT).equals("STLS"))) {
                throw new MailServerException(HResult.MAPI_E_NO_SUPPORT, "POP3 server " + s.where()
                        + " does not offer STLS; the password is not sent without TLS");
            }
            c.writeLine("STLS");
            String reply = c.readLine();
            if (!reply.startsWith("+OK")) {
                throw new MailServerException(HResult.MAPI_E_NO_SUPPORT, "POP3 server " + s.where()
                        + " refused STLS: " + s.scrub(reply));
            }
            c.startTls();
        }
        c.writeLine("USER " + s.user());
        String user = c.readLine();
        if (!user.startsWith("+OK")) {
            throw refused(user);
        }
        c.writeLine("PASS " + s.password());
        String pass = c.readLine();
        if (!pass.startsWith("+OK")) {
            throw refused(pass);
        }
    }

    private MailServerException refused(String reply) {
        return new MailServerException(HResult.MAPI_E_LOGON_FAILED, "POP3 server " + s.where() + " refused user "
                + s.user() + ": " + s.scrub(reply));
    }

    /** @return the CAPA lines, or null when the server does not know CAPA */
    private List<String> capabilities() throws IOException {
        c.writeLine("CAPA");
        if (!c.readLine().startsWith("+OK")) {
            return null;
        }
        return multiLine();
    }

    /**
     * UIDL: every message of the maildrop.
     *
     * @return number to unique-id, in message-number order
     * @throws IOException MAPI_E_NO_SUPPORT when the server has no UIDL, or the connection failed
     */
    List<Entry> uidl() throws IOException {
        c.writeLine("UIDL");
        String reply = c.readLine();
        if (!reply.startsWith("+OK")) {
            throw new MailServerException(HResult.MAPI_E_NO_SUPPORT, "POP3 server " + s.where()
                    + " does not support UIDL, which this transport needs: " + s.scrub(reply));
        }
        Map<Integer, String> byNumber = new LinkedHashMap<>();
        for (String line : multiLine()) {
            String[] parts = line.strip().split("\\s+", 2);
            try {
                if (parts.length == 2) {
                    byNumber.put(Integer.parseInt(parts[0]), parts[1]);
                    continue;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new MailServerException(HResult.MAPI_E_NETWORK_ERROR, "POP3 server " + s.where()
                    + " sent a malformed UIDL line: " + s.scrub(line));
        }
        List<Entry> out = new ArrayList<>();
        byNumber.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.add(new Entry(e.getKey(), e.getValue())));
        return out;
    }

    /**
     * RETR: starts the transfer of one message.
     *
     * @param number the message's number in this session
     * @return its bytes up to the terminating line; read it to its end before the next command
     * @throws IOException the server refused or the connection failed
     */
    MessageStream retr(int number) throws IOException {
        c.writeLine("RETR " + number);
        String reply = c.readLine();
        if (!reply.startsWith("+OK")) {
            throw new MailServerException(HResult.MAPI_E_NETWORK_ERROR, "POP3 server " + s.where()
                    + " refused RETR " + number + ": " + s.scrub(reply));
        }
        return MessageStream.dotTerminated(c.input());
    }

    /**
     * DELE: marks a message deleted; the server removes it at QUIT.
     *
     * @param number the message's number in this session
     * @throws IOException the server refused or the connection failed
     */
    void dele(int number) throws IOException {
        c.writeLine("DELE " + number);
        String reply = c.readLine();
        if (!reply.startsWith("+OK")) {
            throw new MailServerException(HResult.MAPI_E_NETWORK_ERROR, "POP3 server " + s.where()
                    + " refused DELE " + number + ": " + s.scrub(reply));
        }
    }

    /**
     * QUIT: ends the session; the server removes the messages marked deleted (RFC 1939 UPDATE state).
     *
     * @throws IOException the server did not confirm: the deletions may not have happened
     */
    void quit() throws IOException {
        c.writeLine("QUIT");
        String reply = c.readLine();
        if (!reply.startsWith("+OK")) {
            throw new MailServerException(HResult.MAPI_E_NETWORK_ERROR, "POP3 server " + s.where()
                    + " did not confirm QUIT: " + s.scrub(reply));
        }
    }

    private void ok(String reply, String what) throws IOException {
        if (!reply.startsWith("+OK")) {
            throw new MailServerException(HResult.MAPI_E_NETWORK_ERROR, "POP3 server " + s.where()
                    + " answered the " + what + " with: " + s.scrub(reply));
        }
    }

    /** @return the lines of a multi-line reply, dot-unstuffed, without the terminator */
    private List<String> multiLine() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = c.readLine(); !line.equals("."); line = c.readLine()) {
            lines.add(line.startsWith(".") ? line.substring(1) : line);
        }
        return lines;
    }
}
