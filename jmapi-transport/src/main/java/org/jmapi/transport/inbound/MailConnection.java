package org.jmapi.transport.inbound;

import org.jmapi.transport.ServerTrust;

import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One TCP connection to a line-oriented mail server (POP3, IMAP), optionally TLS from the start or upgraded later
 * ({@link #startTls}): reply lines, raw bytes for message data, commands.
 *
 * <p><b>TLS</b> (implicit and STLS / STARTTLS alike) trusts the server's certificate as the account's
 * {@link ServerTrust} says: a pinned SHA-256 fingerprint, a trust store file, or the JVM's default trust; with a trust
 * store or the default trust it also checks that the certificate names the configured host (endpoint identification
 * as for HTTPS, RFC 2818 / 6125).
 *
 * <p><b>Threads.</b> One thread reads and writes; {@link #abort()} may be called from any other thread at any time
 * and makes a read or write blocked in this connection fail at once with an {@link IOException}: it closes the TCP
 * socket underneath any TLS layer, so it never waits for the TLS engine's locks. A read that reaches the end of the
 * stream throws {@link EOFException}: a caller never mistakes a cut connection for the end of a message.
 */
public final class MailConnection implements Closeable {
    /** The longest reply line accepted (an IMAP SEARCH over a big folder is one long line). */
    static final int MAX_LINE = 16 << 20;

    private final String host;
    private final int port;
    private final Socket raw;
    private final ServerTrust trust;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private volatile boolean closed;

    private MailConnection(String host, int port, Socket raw, ServerTrust trust) throws IOException {
        this.host = host;
        this.port = port;
        this.raw = raw;
        this.trust = trust;
        this.socket = raw;
        streams();
    }

    /**
     * Connects.
     *
     * @param host             server host
     * @param port             server port
     * @param implicitTls      whether TLS starts with the first byte (POP3S, IMAPS)
     * @param trust            how the server's certificate is trusted, at once or at {@link #startTls}
     * @param connectTimeoutMs connect timeout
     * @param readTimeoutMs    the longest wait for any single read
     * @return the open connection
     * @throws IOException the connection or the TLS handshake failed
     */
    public static MailConnection open(String host, int port, boolean implicitTls, ServerTrust trust,
                                      int connectTimeoutMs, int readTimeoutMs) throws IOException {
        if (trust == null) {
            throw new IllegalArgumentException("no trust for " + host + ":" + port);
        }
        Socket s = new Socket();
        try {
            s.setSoTimeout(readTimeoutMs);
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            MailConnection c = new MailConnection(host, port, s, trust);
            if (implicitTls) {
                c.startTls();
            }
            return c;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void streams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
    }

    /**
     * Puts TLS over the connection (after the server agreed to STLS / STARTTLS, or at once for implicit TLS) and
     * checks the server's certificate (and host name) as the connection's {@link ServerTrust} says. Bytes the server
     * sent before the handshake and not yet read are a protocol violation (RFC 2595 &sect;3.1) and fail the upgrade.
     *
     * @throws IOException the handshake failed or the certificate was refused
     */
    public void startTls() throws IOException {
        if (in.available() > 0) {
            throw new MailServerException(org.jmapi.HResult.MAPI_E_NETWORK_ERROR,
                    "the server sent data before the TLS handshake; refusing to continue");
        }
        socket = trust.start(raw, host, port, raw.getSoTimeout());
        streams();
    }

    /** @return whether the connection is TLS-protected */
    public boolean isTls() {
        return socket instanceof SSLSocket;
    }

    /**
     * Reads one line up to LF; the CR before it is dropped. Decoded as UTF-8 (bad bytes replaced).
     *
     * @return the line without its end
     * @throws EOFException the connection ended first
     * @throws IOException  a read failed, or the line is longer than {@value #MAX_LINE} bytes
     */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed the connection");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("a reply line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /** @return the raw input (buffered), for message data; valid until {@link #startTls} */
    public InputStream input() {
        return in;
    }

    /**
     * Sends a command line (CRLF appended) and flushes.
     *
     * @param line the command, without its end
     * @throws IOException the write failed
     */
    public void writeLine(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
        out.flush();
    }

    /**
     * Sends bytes as they are and flushes.
     *
     * @param bytes the bytes
     * @throws IOException the write failed
     */
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Changes the longest wait for a single read (a short one for a goodbye at logoff).
     *
     * @param readTimeoutMs milliseconds; 0 waits for ever
     * @throws IOException the socket is closed
     */
    public void readTimeout(int readTimeoutMs) throws IOException {
        socket.setSoTimeout(readTimeoutMs);
    }

    /** @return whether {@link #abort} or {@link #close} ran */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the TCP connection at once, from any thread: a read or write in progress fails. Idempotent.
     */
    public void abort() {
        closed = true;
        try {
            raw.close();
        } catch (IOException e) {
            // Closing a socket that is already broken: nothing more to do.
        }
    }

    /** Same as {@link #abort()}: the protocol's goodbye (QUIT, LOGOUT) is the caller's business. */
    @Override
    public void close() {
        abort();
    }

    /** @return {@code host:port} and whether TLS is on */
    @Override
    public String toString() {
        return host + ":" + port + (isTls() ? " (TLS)" : "");
    }
}
