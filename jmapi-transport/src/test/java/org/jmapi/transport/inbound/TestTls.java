package org.jmapi.transport.inbound;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.security.KeyStore;

/**
 * The test certificate for TLS peers: {@code localhost.p12} (a self-signed RSA certificate for DNS localhost and IP
 * 127.0.0.1, password {@code changeit}, valid for a century; made with {@code keytool -genkeypair ... -ext
 * SAN=dns:localhost,ip:127.0.0.1}). {@link #server()} is what a test peer presents; {@link #trustForClients()}
 * makes it the JVM's default trust, which is what the transports use, so they connect to the test peers with
 * certificate and host-name checks fully on.
 */
public final class TestTls {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static SSLContext server;
    private static SSLContext client;

    private TestTls() {
    }

    private static KeyStore keyStore() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = TestTls.class.getResourceAsStream("localhost.p12")) {
            if (in == null) {
                throw new IllegalStateException("test resource localhost.p12 is missing");
            }
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    /** @return a server-side context presenting the test certificate */
    public static synchronized SSLContext server() {
        if (server == null) {
            try {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore(), PASSWORD);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), null, null);
                server = ctx;
            } catch (Exception e) {
                throw new IllegalStateException("cannot load the test certificate", e);
            }
        }
        return server;
    }

    /** Makes the test certificate the only one the JVM's default SSLContext trusts. Idempotent. */
    public static synchronized void trustForClients() {
        try {
            if (client == null) {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(keyStore());
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                client = ctx;
            }
            SSLContext.setDefault(client);
        } catch (Exception e) {
            throw new IllegalStateException("cannot install the test trust", e);
        }
    }
}
