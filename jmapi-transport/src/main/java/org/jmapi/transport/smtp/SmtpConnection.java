package org.jmapi.transport.smtp;

import org.jmapi.HResult;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One SMTP client connection on a plain {@link Socket} (RFC 5321), layered with {@code javax.net.ssl} for implicit
 * TLS or STARTTLS (RFC 3207): connect, greeting, EHLO (HELO when the server does not know EHLO), STARTTLS and EHLO
 * again, AUTH PLAIN or LOGIN (RFC 4954) when a user is configured, then commands and replies for the transactions
 * {@link SmtpTransaction} runs (RSET before one only when the last did not end), QUIT at the end.
 *
 * <p><b>Threads.</b> One thread at a time talks on the connection (the spooler's mail thread, or the idle timer
 * saying QUIT); {@link #close()} may be called from any other thread at any moment and makes a blocked connect, read
 * or write fail at once with an {@link IOException} (that is how a cancel or a TransportLogoff ends a send in
 * progress). It is safe to close more than once.
 *
 * <p><b>Secrets.</b> Every reply is cleaned by {@link Secrets} as it is read, and no exception message this class
 * makes holds a password.
 */
final class SmtpConnection implements Closeable {
    /** The longest reply line accepted (RFC 5321 says 512; servers send longer ones, but not this long). */
    private static final int MAX_LINE = 16 * 1024;
    /** The most lines of one reply accepted. */
    private static final int MAX_LINES = 500;

    private final SmtpSettings settings;
    private final Secrets secrets;
    private final Object lock = new Object();
    /** The socket now in use (the plain one, or the TLS one on top of it). */
    private Socket socket;
    /** The TCP socket under it: closed first, so a thread blocked in TLS code fails at once. */
    private Socket plainSocket;
    private boolean closed;
    private InputStream in;
    private OutputStream out;
    /** EHLO keywords (upper case) with their parameters. */
    private Map<String, String> extensions = Map.of();
    private boolean tlsActive;
    private long lastUsed = System.nanoTime();
    /** Replies read so far. */
    private int replies;
    /**
     * Whether the session is between mail transactions (RFC 5321 &sect;4.1.1.4): greeted, or the last transaction
     * ended with the reply to its "." line, or RSET; false from MAIL FROM on until then.
     */
    private boolean betweenTransactions = true;

    /**
     * @param settings the server and its settings, with their TLS trust
     * @param secrets  what to clean from replies
     */
    SmtpConnection(SmtpSettings settings, Secrets secrets) {
        this.settings = settings;
        this.secrets = secrets;
    }

    /** @return "host:port" */
    String peer() {
        return settings.peer();
    }

    /**
     * Connects and gets the session ready for MAIL FROM: greeting, EHLO / HELO, STARTTLS, AUTH.
     *
     * @throws IOException  the network failed (refused, timed out, closed, TLS handshake failed, closed by
     *                      {@link #close()})
     * @throws SmtpFailure  the server refused the session or the credentials, or lacks what security requires
     */
    void open() throws IOException, SmtpFailure {
        connect();
        if (SmtpSettings.TLS.equals(settings.security())) {
            startTls();
        }
        SmtpReply greeting = read();
        if (greeting.code() != 220) {
            throw new SmtpFailure(HResult.MAPI_E_NETWORK_ERROR, peer() + " refused the session: " + greeting.oneLine());
        }
        hello();
        if (SmtpSettings.STARTTLS.equals(settings.security())) {
            if (!has("STARTTLS")) {
                throw new SmtpFailure(HResult.MAPI_E_NETWORK_ERROR, peer() + " does not offer STARTTLS; security is"
                        + " \"starttls\", so nothing is sent in clear text");
            }
            SmtpReply r = command("STARTTLS");
            if (r.code() != 220) {
                throw new SmtpFailure(HResult.MAPI_E_NETWORK_ERROR, peer() + " refused STARTTLS: " + r.oneLine());
            }
            if (in.available() > 0) {
                // RFC 3207 section 6: anything the server sent after its 220 was sent before TLS: a command injection.
                throw new SmtpFailure(HResult.MAPI_E_NETWORK_ERROR, peer() + " sent data after its STARTTLS reply,"
                        + " before TLS started; the connection is not trusted");
            }
            startTls();
            hello();
        }
        if (settings.user() != null) {
            authenticate();
        }
    }

    private void connect() throws IOException {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(settings.host());
        } catch (UnknownHostException e) {
            throw new UnknownHostException("cannot resolve " + settings.host());
        }
        int millis = settings.timeoutSeconds() * 1000;
        IOException last = null;
        for (InetAddress a : addresses) {
            Socket s = new Socket();
            synchronized (lock) {
                if (closed) {
                    throw new SocketException("connection to " + peer() + " closed");
                }
                socket = s;
                plainSocket = s;
            }
            try {
                s.connect(new InetSocketAddress(a, settings.port()), millis);
                s.setSoTimeout(millis);
                s.setTcpNoDelay(true);
                streams(s);
                return;
            } catch (IOException e) {
                closeQuietly(s);
                last = e;
                if (isClosed()) {
                    throw e;
                }
            }
        }
        throw new IOException("cannot connect to " + peer() + ": " + (last == null ? "no address" : last.getMessage()),
                last);
    }

    private void streams(Socket s) throws IOException {
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
    }

    private void startTls() throws IOException {
        Socket plain;
        synchronized (lock) {
            plain = socket;
        }
        Socket tls;
        try {
            tls = settings.trust().start(plain, settings.host(), settings.port(), settings.timeoutSeconds() * 1000);
        } catch (IOException e) {
            throw new IOException("TLS with " + peer() + " failed: " + e.getMessage(), e);
        }
        synchronized (lock) {
            socket = tls;
            if (closed) {
                closeQuietly(tls);
                throw new SocketException("connection to " + peer() + " closed");
            }
        }
        streams(tls);
        tlsActive = true;
    }

    /** EHLO, and HELO when the server does not know EHLO (RFC 5321 &sect;4.1.1.1). */
    private void hello() throws IOException, SmtpFailure {
        String name = clientName();
        SmtpReply r = command("EHLO " + name);
        if (r.positive()) {
            Map<String, String> ext = new LinkedHashMap<>();
            for (int i = 1; i < r.lines().size(); i++) {
                String line = r.lines().get(i);
                String body = line.length() > 4 ? line.substring(4).strip() : "";
                if (body.isEmpty()) {
                    continue;
                }
                int sp = body.indexOf(' ');
                String key = (sp < 0 ? body : body.substring(0, sp)).toUpperCase(Locale.ROOT);
                String params = sp < 0 ? "" : body.substring(sp + 1).strip();
                if (key.startsWith("AUTH=")) { // the pre-standard form some servers still send
                    params = (body.substring(5) + " " + ext.getOrDefault("AUTH", "")).strip();
                    key = "AUTH";
                }
                ext.merge(key, params, (a, b) -> (a + " " + b).strip());
            }
            extensions = Map.copyOf(ext);
            return;
        }
        if (r.code() == 421) {
            throw new SmtpFailure(HResult.MAPI_E_NETWORK_ERROR, peer() + " is closing the session: " + r.oneLine());
        }
        SmtpReply h = command("HELO " + name);
        if (!h.positive()) {
            throw new SmtpFailure(HResult.MAPI_E_NETWORK_ERROR, peer() + " refused EHLO and HELO: " + h.oneLine());
        }
        extensions = Map.of();
    }

    /** @return the address literal of the local end ("[192.0.2.1]", "[IPv6:...]"): no DNS look-up needed */
    private String clientName() {
        Socket s;
        synchronized (lock) {
            s = socket;
        }
        InetAddress local = s == null ? null : s.getLocalAddress();
        if (local == null || local.isAnyLocalAddress()) {
            return "[127.0.0.1]";
        }
        String addr = local.getHostAddress();
        int zone = addr.indexOf('%');
        if (zone >= 0) {
            addr = addr.substring(0, zone);
        }
        return local instanceof Inet6Address ? "[IPv6:" + addr + "]" : "[" + addr + "]";
    }

    /** AUTH PLAIN when offered, else AUTH LOGIN (RFC 4954, RFC 4616). */
    private void authenticate() throws IOException, SmtpFailure {
        String offered = extensions.get("AUTH");
        if (offered == null) {
            throw new SmtpFailure(HResult.MAPI_E_LOGON_FAILED, peer() + " does not offer AUTH, but user '"
                    + settings.user() + "' is configured");
        }
        List<String> mechanisms = List.of(offered.toUpperCase(Locale.ROOT).split("\\s+"));
        Base64.Encoder b64 = Base64.getEncoder();
        SmtpReply r;
        if (mechanisms.contains("PLAIN")) {
            r = command("AUTH PLAIN " + b64.encodeToString(Secrets.plainToken(settings.user(), settings.password())));
            if (r.code() == 334) { // a server that wants the response on its own line
                r = command(b64.encodeToString(Secrets.plainToken(settings.user(), settings.password())));
            }
        } else if (mechanisms.contains("LOGIN")) {
            r = command("AUTH LOGIN");
            if (r.code() == 334) {
                r = command(b64.encodeToString(settings.user().getBytes(StandardCharsets.UTF_8)));
            }
            if (r.code() == 334) {
                r = command(b64.encodeToString(settings.password().getBytes(StandardCharsets.UTF_8)));
            }
        } else {
            throw new SmtpFailure(HResult.MAPI_E_LOGON_FAILED, peer() + " offers AUTH " + offered
                    + ", none of the mechanisms jmapi uses (PLAIN, LOGIN)");
        }
        if (r.code() == 235) {
            return;
        }
        if (r.code() == 334) {
            command("*"); // cancel an exchange we cannot continue (RFC 4954 section 4)
        }
        if (r.transientFailure()) {
            throw new SmtpFailure(HResult.MAPI_E_NETWORK_ERROR, peer() + " could not check the credentials of user '"
                    + settings.user() + "' now: " + r.oneLine());
        }
        throw new SmtpFailure(HResult.MAPI_E_LOGON_FAILED, peer() + " refused the credentials of user '"
                + settings.user() + "': " + r.oneLine());
    }

    /**
     * @param keyword an EHLO keyword, upper case
     * @return whether the server announced it
     */
    boolean has(String keyword) {
        return extensions.containsKey(keyword);
    }

    /** @return the SIZE limit the server announced, 0 when none or unlimited */
    long maxSize() {
        String p = extensions.get("SIZE");
        if (p == null || p.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(p.strip().split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** @return whether TLS is in use */
    boolean tlsActive() {
        return tlsActive;
    }

    /**
     * Sends one command and reads its reply.
     *
     * @param line the command without CRLF
     * @return the reply
     * @throws IOException when the connection fails
     */
    SmtpReply command(String line) throws IOException {
        send(line);
        flush();
        return read();
    }

    /**
     * Buffers one command line (CRLF added); {@link #flush()} sends what is buffered. The line must hold no CR or
     * LF (the caller checked the addresses it puts in).
     *
     * @param line the command
     * @throws IOException when the connection fails
     */
    void send(String line) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("an SMTP command line holds no CR or LF");
        }
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    /** @throws IOException when the connection fails */
    void flush() throws IOException {
        out.flush();
        lastUsed = System.nanoTime();
    }

    /**
     * Sends a message's DATA section, terminating "." included, and flushes.
     *
     * @param content the RFC 5322 bytes
     * @throws IOException when the connection fails
     */
    void sendData(byte[] content) throws IOException {
        SmtpData.write(content, out);
        flush();
    }

    /**
     * Reads one reply, all its lines.
     *
     * @return the reply, cleaned of secrets
     * @throws IOException when the connection fails or the server does not speak SMTP
     */
    SmtpReply read() throws IOException {
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = secrets.clean(readLine());
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                    || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && line.charAt(3) != ' '
                    && line.charAt(3) != '-')) {
                throw new IOException(peer() + " sent something that is not an SMTP reply: " + shorten(line));
            }
            int c = Integer.parseInt(line.substring(0, 3));
            if (code >= 0 && c != code) {
                throw new IOException(peer() + " changed the code inside one reply: " + shorten(line));
            }
            code = c;
            lines.add(line);
            if (line.length() == 3 || line.charAt(3) == ' ') {
                break;
            }
            if (lines.size() > MAX_LINES) {
                throw new IOException(peer() + " sent a reply of more than " + MAX_LINES + " lines");
            }
        }
        if (code < 200 || code > 599) {
            throw new IOException(peer() + " sent reply code " + code + ", outside 200..599");
        }
        lastUsed = System.nanoTime();
        replies++;
        return new SmtpReply(code, lines);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(peer() + " closed the connection");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException(peer() + " sent a reply line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** @return how many replies were read on this connection: a transaction that read none was not answered */
    int replies() {
        return replies;
    }

    /** @return whether the session is between mail transactions: a MAIL FROM may follow without RSET */
    boolean betweenTransactions() {
        return betweenTransactions;
    }

    /** Called as a mail transaction's MAIL FROM goes out, and with true once its "." line was answered. */
    void transactionEnded(boolean ended) {
        betweenTransactions = ended;
    }

    /**
     * RSET: ends whatever transaction the session is in.
     *
     * @return whether the server accepted it
     * @throws IOException when the connection fails
     */
    boolean reset() throws IOException {
        boolean ok = command("RSET").positive();
        betweenTransactions = ok;
        return ok;
    }

    /** @return nanoTime of the last command or reply */
    long lastUsed() {
        return lastUsed;
    }

    /**
     * Ends the session politely: QUIT, its reply waited for at most a few seconds, then close. Never throws.
     */
    void quit() {
        if (!isClosed()) {
            try {
                Socket s;
                synchronized (lock) {
                    s = socket;
                }
                if (s != null) {
                    s.setSoTimeout(Math.min(settings.timeoutSeconds(), 5) * 1000);
                }
                command("QUIT");
            } catch (IOException | RuntimeException e) {
                // The server went already: closing is all that is left.
            }
        }
        close();
    }

    /** @return whether {@link #close()} ran */
    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Closes the socket at once, from any thread; a call blocked on it fails. Safe to call more than once. */
    @Override
    public void close() {
        Socket s;
        Socket p;
        synchronized (lock) {
            closed = true;
            s = socket;
            p = plainSocket;
        }
        if (p != null) {
            closeQuietly(p);
        }
        if (s != null && s != p) {
            closeQuietly(s);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do: it is closed as far as we are concerned
        }
    }
}
