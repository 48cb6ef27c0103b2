package org.jmapi.transport.inbound;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * GreenMail in-process with plain POP3 and IMAP on free ports and one mailbox, {@value #USER} /
 * {@value #PASSWORD} ({@value #ADDRESS}); messages are put into the mailbox with GreenMail's user API, byte for
 * byte as given.
 */
public final class MailPeer implements AutoCloseable {
    /** The mailbox's login. */
    public static final String USER = "bob";
    /** The mailbox's password; tests check it never shows up where it must not. */
    public static final String PASSWORD = "Secr3t-Pa55word-4711";
    /** The mailbox's address. */
    public static final String ADDRESS = "bob@localhost";

    private final GreenMail greenMail;
    private final GreenMailUser user;

    /** Starts GreenMail. */
    public MailPeer() {
        greenMail = new GreenMail(new ServerSetup[] {ServerSetupTest.POP3.dynamicPort(),
                ServerSetupTest.IMAP.dynamicPort()});
        greenMail.start();
        user = greenMail.setUser(ADDRESS, USER, PASSWORD);
    }

    /** @return the plain POP3 port */
    public int pop3Port() {
        return greenMail.getPop3().getPort();
    }

    /** @return the plain IMAP port */
    public int imapPort() {
        return greenMail.getImap().getPort();
    }

    /**
     * Puts a message into the mailbox's INBOX.
     *
     * @param rfc5322 the message, CRLF line ends
     */
    public void deliver(String rfc5322) {
        try {
            user.deliver(new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(rfc5322.getBytes(StandardCharsets.UTF_8))));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates a folder of the mailbox and puts a message into it.
     *
     * @param folder  the folder's name
     * @param rfc5322 the message
     */
    public void deliverTo(String folder, String rfc5322) {
        try {
            var manager = greenMail.getManagers().getImapHostManager();
            var f = manager.getFolder(user, folder);
            if (f == null) {
                f = manager.createMailbox(user, folder);
            }
            f.appendMessage(new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(rfc5322.getBytes(StandardCharsets.UTF_8))), new jakarta.mail.Flags(),
                    new java.util.Date());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param folder a folder's name
     * @return how many messages it holds
     */
    public int waitingIn(String folder) {
        var f = greenMail.getManagers().getImapHostManager().getFolder(user, folder);
        return f == null ? 0 : f.getMessageCount();
    }

    /** @return how many messages the mailbox's INBOX holds now */
    public int waiting() {
        try {
            return greenMail.getManagers().getImapHostManager().getInbox(user).getMessageCount();
        } catch (FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return how many messages of the mailbox's INBOX have no \Seen flag */
    public int unseen() {
        try {
            return greenMail.getManagers().getImapHostManager().getInbox(user).getUnseenCount();
        } catch (FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        greenMail.stop();
    }

    /**
     * A small test message.
     *
     * @param id      a unique word: the Message-ID is {@code <id@example.org>}, the subject {@code "Message id"}
     * @param extra   header lines to add at the top (each ending CRLF), e.g. a Received line
     * @return the message
     */
    public static String message(String id, String extra) {
        return extra
                + "From: Alice Example <alice@example.org>\r\n"
                + "To: Bob <" + ADDRESS + ">\r\n"
                + "Cc: Carol <carol@example.org>\r\n"
                + "Subject: Message " + id + "\r\n"
                + "Date: Tue, 3 Mar 2026 10:00:00 +0000\r\n"
                + "Message-ID: <" + id + "@example.org>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + "Hello Bob, this is " + id + ".\r\n"
                + ".A line that starts with a dot.\r\n";
    }

    /**
     * A test message with one attachment {@code report.bin} holding the bytes 0..255.
     *
     * @param id a unique word
     * @return the message
     */
    public static String withAttachment(String id) {
        byte[] data = attachmentBytes();
        String b64 = java.util.Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(data);
        return "From: Alice Example <alice@example.org>\r\n"
                + "To: Bob <" + ADDRESS + ">\r\n"
                + "Subject: Message " + id + "\r\n"
                + "Date: Tue, 3 Mar 2026 10:05:00 +0000\r\n"
                + "Message-ID: <" + id + "@example.org>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
                + "\r\n"
                + "--b1\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + "The report is attached.\r\n"
                + "--b1\r\n"
                + "Content-Type: application/octet-stream; name=\"report.bin\"\r\n"
                + "Content-Disposition: attachment; filename=\"report.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n"
                + b64 + "\r\n"
                + "--b1--\r\n";
    }

    /** @return the bytes of {@link #withAttachment}'s attachment */
    public static byte[] attachmentBytes() {
        byte[] data = new byte[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        return data;
    }
}
