package org.jmapi.transport.inbound;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test peer in front of a plain POP3 or IMAP server (GreenMail): it relays line by line and lets a test see and
 * shape the conversation, which GreenMail alone cannot.
 * <ul>
 *   <li>{@link Mode#TLS}: the client side is TLS from the first byte, with the {@link TestTls} certificate (or the
 *       server context given to the constructor).</li>
 *   <li>{@link Mode#STARTTLS}: the proxy advertises STLS (in the CAPA reply) / STARTTLS (in CAPABILITY replies),
 *       answers that command itself and turns the client side into TLS; GreenMail has neither.</li>
 *   <li>Counting: connections, logins (POP3 PASS, IMAP LOGIN) and commands by name ({@link #count}); every line the
 *       client sent is kept ({@link #clientText}).</li>
 *   <li>{@link #holdAfter}: after the next command of a name (RETR, FETCH), relays that many reply lines and then holds
 *       the rest until {@link #release} or until the connection closes: a receive in progress, as long as the test
 *       wants.</li>
 *   <li>{@link #dropAt}: the next command of a name (DELE, STORE) is not relayed; both connections are closed
 *       instead: the connection dies at exactly that step.</li>
 * </ul>
 */
public final class MailProxy implements AutoCloseable {
    /** Which protocol is relayed (how commands and capabilities look). */
    public enum Protocol {
        /** RFC 1939. */
        POP3,
        /** RFC 3501. */
        IMAP
    }

    /** How the client side is protected. */
    public enum Mode {
        /** Clear, and no STARTTLS offered. */
        PLAIN,
        /** Clear, STARTTLS offered and done by the proxy. */
        STARTTLS,
        /** TLS from the first byte. */
        TLS
    }

    private final ServerSocket listener;
    private final int target;
    private final Protocol protocol;
    private final Mode mode;
    private final SSLContext tlsContext;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private final Map<String, AtomicInteger> commands = new ConcurrentHashMap<>();
    private final List<String> clientLines = new CopyOnWriteArrayList<>();
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Object holdLock = new Object();
    private String holdCommand;
    private int holdLines;
    private boolean holding;
    private boolean released;
    private volatile String dropCommand;
    private volatile String hidden;
    private volatile boolean closed;

    /**
     * Starts listening on 127.0.0.1, a free port.
     *
     * @param protocol   what is relayed
     * @param mode       how the client side is protected
     * @param targetPort the plain server's port on 127.0.0.1
     * @throws IOException no port
     */
    public MailProxy(Protocol protocol, Mode mode, int targetPort) throws IOException {
        this(protocol, mode, targetPort, null);
    }

    /**
     * Starts listening on 127.0.0.1, a free port, presenting a chosen certificate when TLS starts.
     *
     * @param protocol   what is relayed
     * @param mode       how the client side is protected
     * @param targetPort the plain server's port on 127.0.0.1
     * @param tlsContext the server-side TLS context (its certificate), or null for {@link TestTls#server()}
     * @throws IOException no port
     */
    public MailProxy(Protocol protocol, Mode mode, int targetPort, SSLContext tlsContext) throws IOException {
        this.protocol = protocol;
        this.mode = mode;
        this.tlsContext = tlsContext;
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "mail-proxy-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** @return the port clients connect to */
    public int port() {
        return listener.getLocalPort();
    }

    /** @return connections accepted so far */
    public int connections() {
        return connections.get();
    }

    /** @return logins relayed so far (POP3 PASS, IMAP LOGIN) */
    public int logins() {
        return logins.get();
    }

    /**
     * @param command a command name, e.g. {@code "RETR"}, {@code "SEARCH"} (IMAP UID commands count under their
     *                own name and under {@code "UID"})
     * @return how often the client sent it
     */
    public int count(String command) {
        AtomicInteger n = commands.get(command.toUpperCase(Locale.ROOT));
        return n == null ? 0 : n.get();
    }

    /** @return everything the client sent, line by line, joined with newlines */
    public String clientText() {
        return String.join("\n", clientLines);
    }

    /**
     * Arms a hold: after the next command named {@code command}, {@code lines} reply lines are relayed and the rest
     * waits until {@link #release()} or until the connection closes.
     *
     * @param command a command name
     * @param lines   reply lines to relay first
     */
    public void holdAfter(String command, int lines) {
        synchronized (holdLock) {
            holdCommand = command.toUpperCase(Locale.ROOT);
            holdLines = lines;
            holding = false;
            released = false;
        }
    }

    /**
     * @param timeoutMs the longest wait
     * @return whether a reply is being held now
     */
    public boolean awaitHolding(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (holdLock) {
            while (!holding) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                holdLock.wait(left);
            }
            return true;
        }
    }

    /** Lets a held reply go on. */
    public void release() {
        synchronized (holdLock) {
            released = true;
            holdLock.notifyAll();
        }
    }

    /** @param capability an IMAP capability the proxy removes from the server's CAPABILITY answers, e.g. UIDPLUS */
    public void hide(String capability) {
        hidden = capability.toUpperCase(Locale.ROOT);
    }

    /** Closes every relayed connection now (a held reply never completes): the network failed. */
    public void cutAll() {
        links.forEach(Link::close);
    }

    /** @param command the next command of this name kills the connection instead of being relayed */
    public void dropAt(String command) {
        dropCommand = command.toUpperCase(Locale.ROOT);
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        links.forEach(Link::close);
        release();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                connections.incrementAndGet();
                Link link = new Link(client);
                links.add(link);
                link.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** @return the command names of a client line */
    private List<String> names(String line) {
        String[] t = line.strip().split("\\s+");
        List<String> out = new ArrayList<>();
        if (protocol == Protocol.POP3) {
            if (t.length > 0) {
                out.add(t[0].toUpperCase(Locale.ROOT));
            }
        } else if (t.length > 1) {
            String name = t[1].toUpperCase(Locale.ROOT);
            out.add(name);
            if (name.equals("UID") && t.length > 2) {
                out.add(t[2].toUpperCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** One relayed connection. */
    private final class Link {
        private final Socket raw;
        private final Socket server;
        private final Object writeLock = new Object();
        private volatile InputStream clientIn;
        private volatile OutputStream clientOut;
        private volatile boolean tls;
        private volatile String lastCommand = "";
        private volatile int holdBudget = -1;

        Link(Socket client) throws IOException {
            this.raw = client;
            this.server = new Socket(InetAddress.getLoopbackAddress(), target);
            this.clientIn = client.getInputStream();
            this.clientOut = client.getOutputStream();
        }

        void start() {
            Thread up = new Thread(this::upstream, "mail-proxy-up");
            up.setDaemon(true);
            up.start();
        }

        private void upgrade() throws IOException {
            synchronized (writeLock) {
                SSLContext ctx = tlsContext != null ? tlsContext : TestTls.server();
                SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, null, raw.getPort(), true);
                s.setUseClientMode(false);
                s.startHandshake();
                clientIn = s.getInputStream();
                clientOut = s.getOutputStream();
                tls = true;
            }
        }

        private void toClient(String text) throws IOException {
            synchronized (writeLock) {
                clientOut.write(text.getBytes(StandardCharsets.UTF_8));
                clientOut.flush();
            }
        }

        /** Client to server, on its own thread; starts the server-to-client thread once the client side is ready. */
        private void upstream() {
            try {
                if (mode == Mode.TLS) {
                    upgrade();
                }
                Thread down = new Thread(this::downstream, "mail-proxy-down");
                down.setDaemon(true);
                down.start();
                OutputStream serverOut = server.getOutputStream();
                while (true) {
                    byte[] line = readLine(clientIn);
                    if (line == null) {
                        break;
                    }
                    String text = new String(line, StandardCharsets.UTF_8).strip();
                    clientLines.add(text);
                    List<String> names = names(text);
                    for (String n : names) {
                        commands.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
                    }
                    String name = names.isEmpty() ? "" : names.get(names.size() - 1);
                    lastCommand = name;
                    if ((protocol == Protocol.POP3 && name.equals("PASS"))
                            || (protocol == Protocol.IMAP && name.equals("LOGIN"))) {
                        logins.incrementAndGet();
                    }
                    String drop = dropCommand;
                    if (drop != null && names.contains(drop)) {
                        dropCommand = null;
                        break;
                    }
                    if (mode == Mode.STARTTLS && !tls && (name.equals("STLS") || name.equals("STARTTLS"))) {
                        toClient(protocol == Protocol.POP3 ? "+OK Begin TLS negotiation\r\n"
                                : text.split("\\s+")[0] + " OK Begin TLS negotiation now\r\n");
                        upgrade();
                        continue;
                    }
                    synchronized (holdLock) {
                        if (holdCommand != null && names.contains(holdCommand)) {
                            holdCommand = null;
                            holdBudget = holdLines;
                        }
                    }
                    serverOut.write(line);
                    serverOut.flush();
                }
            } catch (IOException e) {
                // one side went away
            }
            close();
        }

        /** Server to client. */
        private void downstream() {
            try {
                InputStream in = server.getInputStream();
                while (true) {
                    byte[] line = readLine(in);
                    if (line == null) {
                        break;
                    }
                    String text = new String(line, StandardCharsets.UTF_8);
                    if (mode == Mode.STARTTLS && !tls) {
                        if (protocol == Protocol.POP3 && lastCommand.equals("CAPA") && text.strip().equals(".")) {
                            toClient("STLS\r\n");
                        }
                        if (protocol == Protocol.IMAP && text.toUpperCase(Locale.ROOT).startsWith("* CAPABILITY ")) {
                            line = (text.stripTrailing() + " STARTTLS\r\n").getBytes(StandardCharsets.UTF_8);
                        }
                    }
                    String hide = hidden;
                    if (hide != null && protocol == Protocol.IMAP && (text.toUpperCase(Locale.ROOT)
                            .startsWith("* CAPABILITY ") || text.toUpperCase(Locale.ROOT).contains("[CAPABILITY "))) {
                        line = new String(line, StandardCharsets.UTF_8).replaceAll("(?i) " + hide + "(?=[ \\]\\r])", "")
                                .getBytes(StandardCharsets.UTF_8);
                    }
                    if (holdBudget == 0) {
                        holdBudget = -1;
                        hold();
                    }
                    synchronized (writeLock) {
                        clientOut.write(line);
                        clientOut.flush();
                    }
                    if (holdBudget > 0) {
                        holdBudget--;
                    }
                }
            } catch (IOException e) {
                // one side went away
            }
            close();
        }

        /** Holds the reply here until released or until the connection closes. */
        private void hold() {
            synchronized (holdLock) {
                holding = true;
                holdLock.notifyAll();
                while (!released && !closed && !raw.isClosed()) {
                    try {
                        holdLock.wait(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                holding = false;
            }
        }

        void close() {
            try {
                raw.close();
            } catch (IOException e) {
                // closing anyway
            }
            try {
                server.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** @return the bytes up to and including LF, or null at the end of the stream */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return out.size() == 0 ? null : out.toByteArray();
            }
            out.write(b);
            if (b == '\n') {
                return out.toByteArray();
            }
        }
    }
}
