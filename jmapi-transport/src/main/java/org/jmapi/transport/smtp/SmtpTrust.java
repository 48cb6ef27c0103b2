package org.jmapi.transport.smtp;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;

/**
 * How an SMTP connection decides to trust the server's certificate, in one of three ways:
 * <ol>
 * <li><b>Pinned fingerprint</b> ({@link SmtpTransportService#PR_SMTP_CERT_FINGERPRINT}): the server's own
 *     certificate (the first of its chain) must have exactly this SHA-256 fingerprint; nothing else is checked, since
 *     the pin names the one certificate accepted. For a server with a self-signed certificate.</li>
 * <li><b>Trust store</b> ({@link SmtpTransportService#PR_SMTP_TRUST_STORE}): the chain must lead to a certificate
 *     in this file (PKIX), and the certificate must name the configured host (RFC 2818 host name check, as
 *     for HTTPS). The file is PEM or DER certificates, or a PKCS12 / JKS key store
 *     ({@link SmtpTransportService#PR_SMTP_TRUST_STORE_PASSWORD} when it has a password). For a private CA.</li>
 * <li><b>Neither</b>: the JDK's default trust anchors, with the host name check.</li>
 * </ol>
 * There is no "trust everything" setting. Immutable and thread-safe.
 */
final class SmtpTrust {
    /** Creates the TLS sockets. */
    private final SSLSocketFactory factory;
    /** Whether the host name is checked against the certificate (not for a pinned certificate). */
    private final boolean checkHostName;

    private SmtpTrust(SSLSocketFactory factory, boolean checkHostName) {
        this.factory = factory;
        this.checkHostName = checkHostName;
    }

    /**
     * @param settings checked settings
     * @return the trust decision they configure
     * @throws org.jmapi.MapiException MAPI_E_UNCONFIGURED when the trust store cannot be read
     */
    static SmtpTrust of(SmtpSettings settings) {
        try {
            if (settings.pinnedSha256() != null) {
                return new SmtpTrust(context(new TrustManager[] {new Pinned(settings.pinnedSha256())})
                        .getSocketFactory(), false);
            }
            if (settings.trustStore() != null) {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(settings));
                return new SmtpTrust(context(tmf.getTrustManagers()).getSocketFactory(), true);
            }
            return new SmtpTrust((SSLSocketFactory) SSLSocketFactory.getDefault(), true);
        } catch (GeneralSecurityException e) {
            throw SmtpSettings.unconfigured("cannot set up TLS: " + e.getMessage());
        }
    }

    private static SSLContext context(TrustManager[] managers) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, managers, null);
        return ctx;
    }

    /** Reads the trust store file: certificates (PEM or DER) first, else a key store. */
    private static KeyStore load(SmtpSettings settings) throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e);
        }
        Collection<? extends Certificate> certs = null;
        try (InputStream in = Files.newInputStream(settings.trustStore())) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (CertificateException | IOException e) {
            certs = null; // not certificates: try it as a key store below
        }
        if (certs != null && !certs.isEmpty()) {
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("cert-" + i++, c);
            }
            return ks;
        }
        char[] pw = settings.trustStorePassword() == null ? null : settings.trustStorePassword().toCharArray();
        try {
            return KeyStore.getInstance(settings.trustStore().toFile(), pw);
        } catch (IOException e) {
            throw SmtpSettings.unconfigured("trust store " + settings.trustStore() + " is neither certificates (PEM or"
                    + " DER) nor a key store this JDK reads with the configured password"
                    + " (" + SmtpSettings.tagName(SmtpTransportService.PR_SMTP_TRUST_STORE_PASSWORD) + ")");
        }
    }

    /**
     * Starts TLS on a connected socket and completes the handshake.
     *
     * @param plain  the connected socket
     * @param host   the configured host (SNI and the host name check)
     * @param port   the port
     * @param millis the read timeout for the TLS socket
     * @return the TLS socket, handshake done
     * @throws IOException when the handshake fails (an untrusted certificate among others)
     */
    SSLSocket start(Socket plain, String host, int port, int millis) throws IOException {
        SSLSocket ssl = (SSLSocket) factory.createSocket(plain, host, port, true);
        if (checkHostName) {
            SSLParameters p = ssl.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(p);
        }
        ssl.setSoTimeout(millis);
        ssl.startHandshake();
        return ssl;
    }

    /**
     * @param cert a certificate
     * @return its SHA-256 fingerprint, hex with colons (as keytool prints it)
     */
    static String fingerprint(X509Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (NoSuchAlgorithmException | CertificateException e) {
            throw new IllegalStateException("SHA-256 of a certificate", e);
        }
    }

    /** Accepts exactly the certificate with the pinned SHA-256 fingerprint. */
    private static final class Pinned implements X509TrustManager {
        private final byte[] pin;

        Pinned(byte[] pin) {
            this.pin = pin.clone();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server sent no certificate");
            }
            byte[] got;
            try {
                got = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
            } catch (NoSuchAlgorithmException e) {
                throw new CertificateException("no SHA-256 in this JDK", e);
            }
            if (!MessageDigest.isEqual(got, pin)) {
                throw new CertificateException("the server certificate's SHA-256 fingerprint "
                        + HexFormat.ofDelimiter(":").withUpperCase().formatHex(got)
                        + " is not the pinned one " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(pin));
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client certificate is never trusted here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
