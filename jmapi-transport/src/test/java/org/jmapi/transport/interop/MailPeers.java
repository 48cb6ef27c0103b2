package org.jmapi.transport.interop;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.SubjectTerm;
import org.jmapi.transport.smtp.SmtpFixture;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The real mail peers of {@code ../shared/tools/mail-peers.sh}: a private Postfix (SMTP without AUTH, submission
 * with AUTH) and Dovecot (IMAP, POP3) on 127.0.0.1, STARTTLS everywhere with a self-signed certificate, domain
 * {@code example.test}, users alice / bob / carol. Where they are comes from the same environment variables the
 * script reads, with the script's defaults: {@code SMTP_PORT} (2525), {@code SUBMISSION_PORT} (2587),
 * {@code IMAP_PORT} (1143), {@code POP3_PORT} (1110), {@code MAILPEERS_DIR} (/tmp/mailpeers; the certificate is
 * {@code $MAILPEERS_DIR/tls/cert.pem}, or {@code MAILPEERS_CERT}), {@code MAILPEERS_DOMAIN} (example.test) and
 * {@code MAILPEERS_PASSWORD} (secret).
 *
 * <p>{@link #require()} fails (never skips) when a peer is not reachable, saying how to start them. The
 * {@code peer*} methods read and clean mailboxes with Jakarta Mail (Angus) as an independent witness: what a test
 * checks there was not seen through jmapi. A test that speaks TLS to a peer trusts its certificate per account
 * (the transport's trust store setting naming {@link #CERT}, or its pinned {@link #fingerprint()}); nothing here
 * changes the JVM's default trust. Stateless; any thread.
 */
final class MailPeers {
    /** Where every peer listens. */
    static final String HOST = "127.0.0.1";
    static final int SMTP_PORT = port("SMTP_PORT", 2525);
    static final int SUBMISSION_PORT = port("SUBMISSION_PORT", 2587);
    static final int IMAP_PORT = port("IMAP_PORT", 1143);
    static final int POP3_PORT = port("POP3_PORT", 1110);
    static final String DOMAIN = env("MAILPEERS_DOMAIN", "example.test");
    static final String PASSWORD = env("MAILPEERS_PASSWORD", "secret");
    static final Path DIR = Path.of(env("MAILPEERS_DIR", "/tmp/mailpeers"));
    static final Path CERT = Path.of(env("MAILPEERS_CERT", DIR.resolve("tls/cert.pem").toString()));

    private MailPeers() {
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v.strip();
    }

    private static int port(String name, int dflt) {
        String v = env(name, Integer.toString(dflt));
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + "='" + v + "' is not a port number", e);
        }
    }

    /** @return {@code user@example.test} */
    static String address(String user) {
        return user + "@" + DOMAIN;
    }

    /**
     * Fails the calling test when a peer does not answer or the certificate is missing.
     *
     * @throws AssertionError saying which peer is missing and how to start them
     */
    static void require() {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Integer> p : Map.of("Postfix SMTP", SMTP_PORT, "Postfix submission", SUBMISSION_PORT,
                "Dovecot IMAP", IMAP_PORT, "Dovecot POP3", POP3_PORT).entrySet()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, p.getValue()), 2000);
            } catch (IOException e) {
                missing.add(p.getKey() + " at " + HOST + ":" + p.getValue() + " (" + e.getMessage() + ")");
            }
        }
        if (!Files.isReadable(CERT)) {
            missing.add("the peers' certificate " + CERT);
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("The interop suite needs the real mail peers, and these are not reachable: "
                    + String.join("; ", missing) + ". Start them with `bash ../shared/tools/mail-peers.sh all` (as "
                    + "root; `... stop` afterwards), or point SMTP_PORT / SUBMISSION_PORT / IMAP_PORT / POP3_PORT / "
                    + "MAILPEERS_DIR at a running instance.");
        }
    }

    /** @return the peers' certificate */
    static X509Certificate certificate() {
        try (InputStream in = Files.newInputStream(CERT)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError("cannot read the peers' certificate " + CERT + ": " + e, e);
        }
    }

    /** @return the certificate's SHA-256 fingerprint, hex with colons, as keytool prints it */
    static String fingerprint() {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * One message as the peer's IMAP server holds it.
     *
     * @param subject  its Subject
     * @param received its Received header fields, newest first
     */
    record PeerMessage(String subject, List<String> received) {}

    /**
     * Reads (and optionally removes) the messages of a user's INBOX whose subject contains {@code tag}, over plain
     * IMAP with Jakarta Mail.
     *
     * @param user   alice, bob or carol
     * @param tag    a text the subject contains
     * @param remove whether to delete what was found (so mailboxes do not fill up run after run)
     * @return the messages found
     */
    static List<PeerMessage> peerInbox(String user, String tag, boolean remove) {
        Properties p = new Properties();
        p.put("mail.imap.connectiontimeout", "10000");
        p.put("mail.imap.timeout", "10000");
        Session session = Session.getInstance(p);
        try (Store store = session.getStore("imap")) {
            store.connect(HOST, IMAP_PORT, address(user), PASSWORD);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(remove ? Folder.READ_WRITE : Folder.READ_ONLY);
            List<PeerMessage> out = new ArrayList<>();
            try {
                for (jakarta.mail.Message m : inbox.search(new SubjectTerm(tag))) {
                    String[] received = m.getHeader("Received");
                    out.add(new PeerMessage(m.getSubject(), received == null ? List.of() : List.of(received)));
                    if (remove) {
                        m.setFlag(Flags.Flag.DELETED, true);
                    }
                }
            } finally {
                inbox.close(remove);
            }
            return out;
        } catch (MessagingException e) {
            throw new AssertionError("reading " + address(user) + "'s INBOX at " + HOST + ":" + IMAP_PORT
                    + " failed: " + e, e);
        }
    }

    /**
     * Waits until a user's INBOX at Dovecot holds a message whose subject contains {@code tag}.
     *
     * @param user   alice, bob or carol
     * @param tag    a text the subject contains
     * @param remove whether to delete the messages found once they are there
     * @return the messages found
     */
    static List<PeerMessage> awaitPeerInbox(String user, String tag, boolean remove) {
        SmtpFixture.await(() -> !peerInbox(user, tag, false).isEmpty(),
                () -> "a message '" + tag + "' in " + address(user) + "'s INBOX at Dovecot");
        return peerInbox(user, tag, remove);
    }

    /**
     * Hands a plain text message to Postfix on the SMTP port with Jakarta Mail (not through jmapi).
     *
     * @param from    envelope sender and From
     * @param to      envelope recipient and To
     * @param subject Subject
     * @param body    the text
     */
    static void peerSend(String from, String to, String subject, String body) {
        Properties p = new Properties();
        p.put("mail.smtp.host", HOST);
        p.put("mail.smtp.port", Integer.toString(SMTP_PORT));
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "10000");
        Session session = Session.getInstance(p);
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(from));
            m.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(to));
            m.setSubject(subject, "UTF-8");
            m.setText(body, "UTF-8");
            m.saveChanges();
            Transport.send(m);
        } catch (MessagingException e) {
            throw new AssertionError("handing a message to Postfix at " + HOST + ":" + SMTP_PORT + " failed: " + e, e);
        }
    }
}
