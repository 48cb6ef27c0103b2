package org.jmapi.transport.smtp;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A tiny real SMTP server for tests (RFC 5321 on a {@link ServerSocket}, 127.0.0.1), for what GreenMail 2.1.3 does
 * not do: STARTTLS, PIPELINING, SIZE, per-recipient and after-DATA replies chosen by the test (550 / 450 / 451), and
 * a strict check that a client announced as pipelining really sends MAIL FROM, every RCPT TO and DATA before
 * waiting for a reply (the server answers nothing of the group until it has DATA; a client that waits in between
 * is recorded in {@link #violations()} and disconnected). A MAIL FROM inside an open transaction is recorded there
 * too, and answered 503.
 *
 * <p>Everything the test sets is read per command, so it may change while clients are connected. Accepted
 * messages are recorded with their envelope; the DATA section is dot-unstuffed. Threads: one daemon thread per
 * connection.
 */
public final class SmtpResponder implements AutoCloseable {
    /** One accepted message: envelope sender, the recipients whose RCPT TO got 250, the content, the session. */
    public record Received(String from, List<String> recipients, byte[] content, String mailLine, boolean tls,
            String user) {
        /** @return the content as text */
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** EHLO keywords announced (besides STARTTLS and AUTH, which follow from the settings below). */
    public volatile List<String> extensions = List.of("8BITMIME");
    /** Non-null: STARTTLS is offered before TLS with this server context. */
    public volatile SSLContext startTls;
    /** Non-empty: AUTH with these mechanisms is offered (after TLS, when STARTTLS is set). */
    public volatile List<String> authMechanisms = List.of();
    /** User name to password, for AUTH. */
    public final Map<String, String> users = new ConcurrentHashMap<>();
    /** The reply to a failed AUTH; "%s" is replaced by the client's AUTH line (a server that echoes it). */
    public volatile String authFailure = "535 5.7.8 Authentication credentials invalid";
    /** The reply to RCPT TO, by address. */
    public volatile Function<String, String> rcptReply = a -> "250 2.1.5 OK";
    /** The reply after a message's "." line. */
    public volatile Function<Received, String> dataReply = r -> "250 2.0.0 queued";
    /** Whether a pipelining client is held to sending the whole group before reading (see the class comment). */
    public volatile boolean strictPipelining = true;
    /** False: EHLO is refused with 502, as an old server does; HELO works. */
    public volatile boolean ehlo = true;
    /** Non-null: the greeting instead of "220 ...". */
    public volatile String greeting;
    /** Whether the server says nothing at all after accepting a connection (for timeout tests). */
    public volatile boolean silent;

    private SmtpResponder() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "smtp-responder-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** @return a running responder */
    public static SmtpResponder start() {
        try {
            return new SmtpResponder();
        } catch (IOException e) {
            throw new AssertionError("cannot start the SMTP responder: " + e, e);
        }
    }

    /** @return its port on 127.0.0.1 */
    public int port() {
        return server.getLocalPort();
    }

    /** @return connections accepted so far */
    public int connections() {
        return connections.get();
    }

    /** @return the messages accepted so far */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** @return every command line received, all connections, in order (AUTH payloads as sent) */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** @return protocol violations seen (a pipelining client that waited inside a group) */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /**
     * Ends every open connection as a server's idle timeout does: "421 4.4.2" and close, unasked; new connections
     * are accepted.
     */
    public void expireConnections() {
        for (Socket s : open) {
            try {
                OutputStream o = s.getOutputStream();
                o.write("421 4.4.2 responder: idle timeout, closing connection\r\n".getBytes(StandardCharsets.US_ASCII));
                o.flush();
            } catch (IOException e) {
                // gone already
            }
            closeQuietly(s);
        }
    }

    /** Closes every open connection (a server that went away); new ones are accepted. */
    public void dropConnections() {
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        dropConnections();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            open.add(s);
            Thread t = new Thread(() -> {
                try {
                    new Session(s).run();
                } catch (IOException e) {
                    // the client went away
                } finally {
                    open.remove(s);
                    closeQuietly(s);
                }
            }, "smtp-responder-session-" + s.getPort());
            t.setDaemon(true);
            t.start();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    /** One SMTP session. */
    private final class Session {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private boolean tls;
        private boolean esmtp;
        private String user;
        private String from;
        private String mailLine;
        private final List<String> rcpts = new ArrayList<>();

        Session(Socket s) throws IOException {
            this.socket = s;
            streams();
        }

        private void streams() throws IOException {
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        void run() throws IOException {
            socket.setSoTimeout(30_000);
            if (silent) {
                while (readLine() != null) {
                    commands.add("(ignored)");
                }
                return;
            }
            reply(greeting != null ? greeting : "220 responder ESMTP ready");
            while (true) {
                String line = readLine();
                if (line == null) {
                    return;
                }
                commands.add(line);
                String upper = line.toUpperCase(Locale.ROOT);
                if (upper.startsWith("EHLO") && !ehlo) {
                    reply("502 5.5.1 EHLO not implemented");
                } else if (upper.startsWith("EHLO")) {
                    List<String> lines = new ArrayList<>(List.of("250-responder"));
                    for (String e : extensions) {
                        lines.add("250-" + e);
                    }
                    if (startTls != null && !tls) {
                        lines.add("250-STARTTLS");
                    } else if (!authMechanisms.isEmpty()) {
                        lines.add("250-AUTH " + String.join(" ", authMechanisms));
                    }
                    String last = lines.remove(lines.size() - 1);
                    lines.add("250 " + last.substring(4));
                    reply(String.join("\r\n", lines));
                    esmtp = true;
                    reset();
                } else if (upper.startsWith("HELO")) {
                    reply("250 responder");
                } else if (upper.equals("STARTTLS") && startTls != null && !tls) {
                    reply("220 2.0.0 go ahead");
                    SSLSocket ssl = (SSLSocket) startTls.getSocketFactory().createSocket(socket,
                            socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                    ssl.setUseClientMode(false);
                    ssl.startHandshake();
                    socket = ssl;
                    streams();
                    tls = true;
                    reset();
                } else if (upper.startsWith("AUTH ")) {
                    auth(line);
                } else if (upper.startsWith("MAIL FROM:")) {
                    if (pipelining() && strictPipelining) {
                        group(line);
                    } else {
                        reply(mail(line));
                    }
                } else if (upper.startsWith("RCPT TO:")) {
                    reply(rcpt(line));
                } else if (upper.equals("DATA")) {
                    String r = dataStart();
                    reply(r);
                    if (r.startsWith("354")) {
                        data();
                    }
                } else if (upper.equals("RSET")) {
                    reset();
                    reply("250 2.0.0 reset");
                } else if (upper.equals("NOOP")) {
                    reply("250 2.0.0 ok");
                } else if (upper.equals("QUIT")) {
                    reply("221 2.0.0 bye");
                    return;
                } else {
                    reply("500 5.5.2 unknown command");
                }
            }
        }

        private boolean pipelining() {
            return esmtp && extensions.stream().anyMatch(e -> e.equalsIgnoreCase("PIPELINING"));
        }

        /** A pipelined group: read through DATA before answering anything. */
        private void group(String mail) throws IOException {
            List<String> group = new ArrayList<>(List.of(mail));
            socket.setSoTimeout(3_000);
            try {
                while (true) {
                    String line;
                    try {
                        line = readLine();
                    } catch (SocketTimeoutException e) {
                        violations.add("the client waited for a reply after " + group.get(group.size() - 1)
                                + " inside a pipelined group");
                        throw e;
                    }
                    if (line == null) {
                        return;
                    }
                    commands.add(line);
                    group.add(line);
                    if (line.equalsIgnoreCase("DATA")) {
                        break;
                    }
                }
            } finally {
                socket.setSoTimeout(30_000);
            }
            StringBuilder replies = new StringBuilder();
            replies.append(mail(mail)).append("\r\n");
            for (int i = 1; i < group.size() - 1; i++) {
                String l = group.get(i);
                replies.append(l.toUpperCase(Locale.ROOT).startsWith("RCPT TO:") ? rcpt(l) : "503 5.5.1 bad sequence")
                        .append("\r\n");
            }
            String d = dataStart();
            replies.append(d);
            reply(replies.toString());
            if (d.startsWith("354")) {
                data();
            }
        }

        private String mail(String line) {
            if (!authMechanisms.isEmpty() && user == null) {
                return "530 5.7.0 authentication required";
            }
            if (from != null) {
                // RFC 5321 section 4.1.4: MAIL FROM only outside a transaction (after "." was answered, or RSET)
                violations.add("MAIL FROM inside an open transaction: " + line);
                return "503 5.5.1 nested MAIL command";
            }
            reset();
            from = address(line);
            mailLine = line;
            return "250 2.1.0 sender ok";
        }

        private String rcpt(String line) {
            if (from == null) {
                return "503 5.5.1 need MAIL first";
            }
            String a = address(line);
            String r = rcptReply.apply(a);
            if (r.startsWith("2")) {
                rcpts.add(a);
            }
            return r;
        }

        private String dataStart() {
            if (from == null) {
                return "503 5.5.1 need MAIL first";
            }
            if (rcpts.isEmpty()) {
                return "554 5.5.1 no valid recipients";
            }
            return "354 end with <CRLF>.<CRLF>";
        }

        private void data() throws IOException {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            while (true) {
                byte[] raw = readRawLine();
                if (raw == null) {
                    throw new IOException("connection closed inside DATA");
                }
                String l = new String(raw, StandardCharsets.ISO_8859_1);
                if (l.equals(".\r\n")) {
                    break;
                }
                int skip = raw.length > 0 && raw[0] == '.' ? 1 : 0;
                content.write(raw, skip, raw.length - skip);
            }
            Received r = new Received(from, List.copyOf(rcpts), content.toByteArray(), mailLine, tls, user);
            String answer = dataReply.apply(r);
            if (answer.startsWith("2")) {
                received.add(r);
            }
            reset();
            reply(answer);
        }

        private void auth(String line) throws IOException {
            String[] parts = line.split(" ");
            String mech = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
            if (!authMechanisms.contains(mech)) {
                reply("504 5.5.4 mechanism not offered");
                return;
            }
            String u;
            String p;
            Base64.Decoder d = Base64.getDecoder();
            if (mech.equals("PLAIN")) {
                String token = parts.length > 2 ? parts[2] : null;
                if (token == null) {
                    reply("334 ");
                    token = readLine();
                }
                String[] f = new String(d.decode(token), StandardCharsets.UTF_8).split("\0", -1);
                u = f.length > 1 ? f[1] : "";
                p = f.length > 2 ? f[2] : "";
            } else {
                reply("334 VXNlcm5hbWU6");
                u = new String(d.decode(readLine()), StandardCharsets.UTF_8);
                reply("334 UGFzc3dvcmQ6");
                p = new String(d.decode(readLine()), StandardCharsets.UTF_8);
            }
            if (p.equals(users.get(u))) {
                user = u;
                reply("235 2.7.0 authenticated");
            } else {
                reply(authFailure.replace("%s", line));
            }
        }

        private void reset() {
            from = null;
            mailLine = null;
            rcpts.clear();
        }

        private String address(String line) {
            int a = line.indexOf('<');
            int b = line.indexOf('>', a + 1);
            return a >= 0 && b > a ? line.substring(a + 1, b) : "";
        }

        private void reply(String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private String readLine() throws IOException {
            byte[] raw = readRawLine();
            if (raw == null) {
                return null;
            }
            int n = raw.length;
            while (n > 0 && (raw[n - 1] == '\n' || raw[n - 1] == '\r')) {
                n--;
            }
            return new String(raw, 0, n, StandardCharsets.UTF_8);
        }

        /** @return one line with its line ending, null at the end of the stream */
        private byte[] readRawLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                line.write(b);
                if (b == '\n') {
                    return line.toByteArray();
                }
            }
            return line.size() == 0 ? null : line.toByteArray();
        }
    }
}
