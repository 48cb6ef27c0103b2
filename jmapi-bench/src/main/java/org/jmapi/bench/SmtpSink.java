package org.jmapi.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An in-process SMTP server that accepts every message and only counts it: the sink of the {@code spooler.smtp} row,
 * the same one for jmapi and for the baseline. It listens on 127.0.0.1 on a free port, one thread per connection,
 * answers EHLO with PIPELINING, 8BITMIME and SIZE, and every MAIL FROM, RCPT TO and DATA with a positive reply; after
 * the message's final "." it counts the message (and its recipients and content bytes) and answers 250. Replies are
 * written when the client has nothing more buffered, so pipelined commands get their replies in one write, as a real
 * server does. Nothing is parsed or stored: a sink that did more per message (GreenMail parses every message into a
 * MimeMessage and stores it per user) would add its own cost to both sides and flatten the ratio the row is about.
 */
public final class SmtpSink implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong recipients = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger peakLive = new AtomicInteger();
    private final Object arrivals = new Object();
    private volatile boolean closed;
    /** How long each write of replies waits first: a round trip of a network, 0 for none. */
    private final long replyDelayNanos;

    /**
     * Starts listening; replies go out at once.
     *
     * @throws IOException when no port can be bound
     */
    public SmtpSink() throws IOException {
        this(0);
    }

    /**
     * Starts listening.
     *
     * @param replyDelayNanos how long each write of replies waits first (what a network's round trip adds to every
     *                        exchange, for diagnostics); 0 for none
     * @throws IOException when no port can be bound
     */
    public SmtpSink(long replyDelayNanos) throws IOException {
        this.replyDelayNanos = replyDelayNanos;
        server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "bench-smtp-sink");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return the port on 127.0.0.1 */
    public int port() {
        return server.getLocalPort();
    }

    /** @return messages accepted so far (final "." answered 250) */
    public int accepted() {
        return accepted.get();
    }

    /** @return envelope recipients of the accepted messages */
    public long recipients() {
        return recipients.get();
    }

    /** @return content bytes of the accepted messages (as sent, dot-stuffed, without the final ".") */
    public long bytes() {
        return bytes.get();
    }

    /** @return connections opened so far */
    public int connections() {
        return connections.get();
    }

    /** @return the most connections open at once so far */
    public int peakConnections() {
        return peakLive.get();
    }

    /** Sets every counter back to zero (between measurements; connections still open stay open). */
    public void reset() {
        accepted.set(0);
        recipients.set(0);
        bytes.set(0);
        connections.set(0);
        peakLive.set(live.get());
    }

    /**
     * Waits until {@code n} messages were accepted since the last reset.
     *
     * @param n         the count
     * @param timeoutMs the longest wait
     * @return whether the count was reached
     * @throws InterruptedException when interrupted
     */
    public boolean await(int n, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        synchronized (arrivals) {
            while (accepted.get() < n) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                arrivals.wait(Math.min(left, 50));
            }
        }
        return true;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            open.add(s);
            connections.incrementAndGet();
            peakLive.accumulateAndGet(live.incrementAndGet(), Math::max);
            Thread t = new Thread(() -> serve(s), "bench-smtp-sink-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 12);
            reply(out, in, "220 sink ESMTP ready");
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            int rcpts = 0;
            while (true) {
                String cmd = readLine(in, line);
                if (cmd == null) {
                    return;
                }
                String verb = (cmd.length() >= 4 ? cmd.substring(0, 4) : cmd).toUpperCase(java.util.Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, in, "250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
                            + "250-SIZE 104857600\r\n250 OK");
                    case "HELO" -> reply(out, in, "250 sink");
                    case "MAIL" -> {
                        rcpts = 0;
                        reply(out, in, "250 2.1.0 OK");
                    }
                    case "RCPT" -> {
                        rcpts++;
                        reply(out, in, "250 2.1.5 OK");
                    }
                    case "DATA" -> {
                        if (rcpts == 0) {
                            reply(out, in, "554 5.5.1 no valid recipients");
                            continue;
                        }
                        reply(out, in, "354 go ahead");
                        long n = readData(in);
                        if (n < 0) {
                            return;
                        }
                        bytes.addAndGet(n);
                        recipients.addAndGet(rcpts);
                        rcpts = 0;
                        int count = accepted.incrementAndGet();
                        reply(out, in, "250 2.0.0 accepted " + count);
                        synchronized (arrivals) {
                            arrivals.notifyAll();
                        }
                    }
                    case "RSET" -> {
                        rcpts = 0;
                        reply(out, in, "250 2.0.0 OK");
                    }
                    case "NOOP" -> reply(out, in, "250 2.0.0 OK");
                    case "QUIT" -> {
                        reply(out, in, "221 2.0.0 bye");
                        out.flush();
                        return;
                    }
                    default -> reply(out, in, "502 5.5.2 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.remove(s);
            live.decrementAndGet();
        }
    }

    /**
     * Queues a reply; flushes when the client sent nothing more yet (pipelined commands: one write for all), after
     * the reply delay.
     */
    private void reply(OutputStream out, InputStream in, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
        if (in.available() == 0) {
            if (replyDelayNanos > 0) {
                LockSupport.parkNanos(replyDelayNanos);
            }
            out.flush();
        }
    }

    private static String readLine(InputStream in, ByteArrayOutputStream line) throws IOException {
        line.reset();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = line.size();
                byte[] b = line.toByteArray();
                return new String(b, 0, n > 0 && b[n - 1] == '\r' ? n - 1 : n, StandardCharsets.US_ASCII);
            }
            line.write(c);
        }
        return null;
    }

    /** @return the content bytes up to the final ".", or -1 when the connection ended first */
    private static long readData(InputStream in) throws IOException {
        long n = 0;
        int state = 2; // 0 = in a line, 1 = after CR, 2 = at a line start, 3 = "." at a line start, 4 = ".\r"
        int c;
        while ((c = in.read()) != -1) {
            n++;
            switch (state) {
                case 0 -> state = c == '\r' ? 1 : 0;
                case 1 -> state = c == '\n' ? 2 : c == '\r' ? 1 : 0;
                case 2 -> state = c == '.' ? 3 : c == '\r' ? 1 : 0;
                case 3 -> state = c == '\r' ? 4 : 0;
                case 4 -> {
                    if (c == '\n') {
                        return n - 3;
                    }
                    state = c == '\r' ? 1 : 0;
                }
                default -> throw new IllegalStateException();
            }
        }
        return -1;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
