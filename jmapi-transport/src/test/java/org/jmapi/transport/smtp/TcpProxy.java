package org.jmapi.transport.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small TCP proxy for tests, on 127.0.0.1, in front of a real peer (GreenMail, a {@link SmtpResponder}): it
 * counts the connections it accepted, records what clients sent, can drop every connection (a server that went
 * away), and can <b>hold</b> a transfer in flight: {@link #holdAfter(String)} arms it so that the next time the
 * client-to-server stream contains the marker (e.g. {@code "DATA\r\n"}), everything the client sends after it is
 * kept back &mdash; the server answers 354, the client writes the message and waits for a reply that does not
 * come, i.e. the send is held mid-DATA &mdash; until {@link #release()} forwards it. When the client closes a held
 * connection (a cancel, a TransportLogoff), the bytes kept back are dropped, as if they had never left the client,
 * and the server side is closed: the server never sees the end of that message.
 *
 * <p>Server-to-client bytes always flow. Threads: two daemon threads per connection plus the acceptor; every
 * method is thread-safe. Closing it closes every connection.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    private final Object holdLock = new Object();
    /** The armed marker, null when not armed. */
    private byte[] marker;
    /** The connection being held now. */
    private Link held;
    private volatile boolean closed;

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-accept-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /**
     * @param host the peer's host
     * @param port the peer's port
     * @return a running proxy to it
     */
    public static TcpProxy start(String host, int port) {
        try {
            return new TcpProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new AssertionError("cannot start the TCP proxy: " + e, e);
        }
    }

    /** @return the port clients connect to (on 127.0.0.1) */
    public int port() {
        return server.getLocalPort();
    }

    /** @return connections accepted so far */
    public int connections() {
        return accepted.get();
    }

    /** @return connections open now */
    public int openConnections() {
        return links.size();
    }

    /** @return everything clients sent so far, every connection in order of arrival, as ISO-8859-1 text */
    public String clientTranscript() {
        synchronized (transcript) {
            return transcript.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Arms the hold: the next connection whose client sends {@code marker} is held right after it.
     *
     * @param marker the bytes after which forwarding stops, e.g. {@code "DATA\r\n"}
     */
    public void holdAfter(String marker) {
        synchronized (holdLock) {
            this.marker = marker.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** @return whether a connection is being held now */
    public boolean isHolding() {
        synchronized (holdLock) {
            return held != null;
        }
    }

    /**
     * @param limit how long to wait
     * @return whether a connection is held now (waited for up to {@code limit})
     */
    public boolean awaitHeld(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (holdLock) {
            while (held == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    holdLock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Ends the hold: what was kept back is forwarded, and forwarding goes on. Disarms a hold not yet triggered. */
    public void release() {
        Link l;
        synchronized (holdLock) {
            marker = null;
            l = held;
            held = null;
            holdLock.notifyAll();
        }
        if (l != null) {
            l.release();
        }
    }

    /** Closes every open connection, both sides, like a server that went away; new connections are accepted. */
    public void dropConnections() {
        for (Link l : links) {
            l.close();
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
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 10_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            Link l = new Link(client, upstream);
            links.add(l);
            l.start();
        }
    }

    /** Called by a link's client pump for every chunk: @return the index just past the marker, or -1 */
    private int triggerIndex(Link l, byte[] buf, int n) {
        synchronized (holdLock) {
            if (marker == null || held != null) {
                return -1;
            }
            for (int i = 0; i < n; i++) {
                l.window = shift(l.window, buf[i], marker.length);
                if (Arrays.equals(l.window, marker)) {
                    held = l;
                    marker = null;
                    holdLock.notifyAll();
                    return i + 1;
                }
            }
            return -1;
        }
    }

    private static byte[] shift(byte[] window, byte b, int size) {
        byte[] w = new byte[size];
        int keep = Math.min(window.length, size - 1);
        System.arraycopy(window, window.length - keep, w, size - 1 - keep, keep);
        w[size - 1] = b;
        return w;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    /** One proxied connection. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private boolean holding;
        byte[] window = new byte[0];

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            Thread up = new Thread(this::clientToServer, "tcp-proxy-up-" + client.getPort());
            Thread down = new Thread(this::serverToClient, "tcp-proxy-down-" + client.getPort());
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        private void clientToServer() {
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = client.getInputStream();
                OutputStream out = upstream.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (transcript) {
                        transcript.write(buf, 0, n);
                    }
                    synchronized (this) {
                        if (holding) {
                            kept.write(buf, 0, n);
                            continue;
                        }
                    }
                    int cut = triggerIndex(this, buf, n);
                    if (cut < 0) {
                        out.write(buf, 0, n);
                        out.flush();
                        continue;
                    }
                    out.write(buf, 0, cut);
                    out.flush();
                    synchronized (this) {
                        holding = true;
                        kept.write(buf, cut, n - cut);
                    }
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                synchronized (this) {
                    kept.reset(); // never forwarded: the client closed while held
                }
                synchronized (holdLock) {
                    if (held == this) {
                        held = null;
                        holdLock.notifyAll();
                    }
                }
                close();
            }
        }

        private void serverToClient() {
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = upstream.getInputStream();
                OutputStream out = client.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                close();
            }
        }

        synchronized void release() {
            holding = false;
            try {
                OutputStream out = upstream.getOutputStream();
                kept.writeTo(out);
                out.flush();
            } catch (IOException e) {
                close();
            }
            kept.reset();
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }
}
