package org.jmapi.bench.mime;

import jakarta.activation.DataHandler;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.util.ByteArrayDataSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * The baselines of the {@code mime.*} rows: what an application does with Angus Mail (Jakarta Mail) to get the same
 * work done as jmapi's converter.
 *
 * <ul>
 *   <li>{@link #read}: {@code new MimeMessage(session, bytes)}, then every header jmapi's MimeReader maps read
 *       through the API (Subject decoded, From / Sender / To / Cc / Bcc parsed, Date parsed, Message-ID,
 *       In-Reply-To, References, Importance, X-Priority), and the content walked with {@code getContent()}: every
 *       multipart opened, every text part decoded to a String in its charset, every other leaf part read to its
 *       last decoded byte, with its Content-Type, Content-Disposition, file name and Content-ID; a
 *       {@code message/rfc822} part is opened as a MimeMessage and its Subject read (jmapi keeps such a part as
 *       bytes and names it by its Subject).</li>
 *   <li>{@link #extract} (not timed) turns a parsed message into a {@link Model} of decoded values;
 *       {@link #write} builds a new MimeMessage from it with the API ({@code setFrom}, {@code setRecipients},
 *       {@code setSubject(…, "UTF-8")}, {@code setSentDate}, {@code setText} for text parts, a
 *       {@code ByteArrayDataSource} for every other part, {@code MimeMultipart}s as parsed), then
 *       {@code saveChanges()} (Angus picks each part's Content-Transfer-Encoding by scanning it, and writes the
 *       headers) and {@code writeTo}, which encodes every part. This is the work MimeWriter does from a MAPI
 *       message: from decoded values to RFC 5322 bytes.</li>
 * </ul>
 * The session is lenient where jmapi's converter is ({@link #session()}), so malformed messages are read, not
 * rejected; a multipart Angus cannot parse (its boundary never appears) is read as text, which is what jmapi does
 * with it.
 */
public final class AngusMail {
    private AngusMail() {}

    /**
     * The system property that names Jakarta Mail's StreamProvider implementation, and the name set: Jakarta Mail
     * 2.1.3 looks the provider up again for every InternetHeaders, MimeMultipart and MimeUtility call, by a
     * ServiceLoader scan of the class path when the property is unset (jakartaee/mail-api issues #699 and #861); with
     * it set, the lookup is a Class.forName. A tuned application sets it, so the baseline does.
     */
    public static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    /** The Angus Mail StreamProvider (angus-mail's META-INF/services entry). */
    public static final String ANGUS_STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

    /**
     * Sets {@link #STREAM_PROVIDER} (unless already set) and returns a session with Angus's lenient parsing switched
     * on: {@code mail.mime.address.strict=false}, {@code mail.mime.decodetext.strict=false},
     * {@code mail.mime.parameters.strict=false}, {@code mail.mime.multipart.allowempty=true},
     * {@code mail.mime.base64.ignoreerrors=true}.
     *
     * @return the session
     */
    public static Session session() {
        if (System.getProperty(STREAM_PROVIDER) == null) {
            System.setProperty(STREAM_PROVIDER, ANGUS_STREAM_PROVIDER);
        }
        Properties p = new Properties();
        p.setProperty("mail.mime.address.strict", "false");
        p.setProperty("mail.mime.decodetext.strict", "false");
        p.setProperty("mail.mime.parameters.strict", "false");
        p.setProperty("mail.mime.multipart.allowempty", "true");
        p.setProperty("mail.mime.base64.ignoreerrors", "true");
        return Session.getInstance(p);
    }

    /** What {@link #read} saw: counts, so that the work cannot be skipped and both sides can be compared. */
    public record Seen(int recipients, int attachments, long chars) {}

    /**
     * Parses a message and reads everything jmapi's MimeReader reads from it.
     *
     * @param session the session
     * @param eml     the message
     * @return what was seen
     * @throws MessagingException when Angus cannot parse the message
     * @throws IOException        when reading a part fails
     */
    public static Seen read(Session session, byte[] eml) throws MessagingException, IOException {
        MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(eml));
        long chars = length(m.getSubject()) + length(m.getMessageID()) + length(m.getHeader("In-Reply-To", " "))
                + length(m.getHeader("References", " ")) + length(m.getHeader("Importance", null))
                + length(m.getHeader("X-Priority", null));
        Date sent = m.getSentDate();
        if (sent != null) {
            chars++;
        }
        chars += addresses(m.getFrom()) + addresses(m.getSender() == null ? null : new Address[] {m.getSender()});
        int recipients = 0;
        for (RecipientType t : new RecipientType[] {RecipientType.TO, RecipientType.CC, RecipientType.BCC}) {
            Address[] a = m.getRecipients(t);
            if (a != null) {
                recipients += a.length;
                chars += addresses(a);
            }
        }
        int[] attachments = {0};
        chars += walk(m, attachments, true);
        return new Seen(recipients, attachments[0], chars);
    }

    private static long walk(Part p, int[] attachments, boolean top) throws MessagingException, IOException {
        long n = length(p.getContentType()) + length(lenient(p::getDisposition))
                + length(lenient(p::getFileName));
        if (p instanceof MimePart mp) {
            n += length(mp.getContentID());
        }
        if (p.isMimeType("multipart/*")) {
            Multipart mp = multipart(p);
            if (mp == null) {
                return n + unparsed(p).length();
            }
            for (int i = 0; i < mp.getCount(); i++) {
                n += walk(mp.getBodyPart(i), attachments, false);
            }
            return n;
        }
        if (!top && !p.isMimeType("text/*")) {
            attachments[0]++;
        }
        Object content = p.getContent();
        if (content instanceof String s) {
            n += s.length();
        } else if (content instanceof MimeMessage embedded) {
            n += length(embedded.getSubject());
        } else if (content instanceof InputStream in) {
            try (in) {
                n += in.readAllBytes().length;
            }
        } else if (content instanceof Multipart) {
            n++;
        }
        return n;
    }

    /** A header accessor that parses. */
    private interface Header {
        String get() throws MessagingException;
    }

    /**
     * @return the parsed header value, or null when Angus rejects its syntax (a malformed parameter list): what an
     *         application that must not drop the message does; jmapi's own parser reads what it can
     */
    private static String lenient(Header h) throws MessagingException {
        try {
            return h.get();
        } catch (jakarta.mail.internet.ParseException e) {
            return null;
        }
    }

    /**
     * @return the multipart, or null when Angus cannot parse it (a boundary that never appears): an application
     *         then falls back to the part's text, as jmapi's MimeReader does (it keeps the text as the body)
     */
    private static Multipart multipart(Part p) throws MessagingException, IOException {
        try {
            Multipart mp = (Multipart) p.getContent();
            mp.getCount(); // parses
            return mp;
        } catch (jakarta.mail.internet.ParseException e) {
            return null;
        }
    }

    /** @return the content of a part Angus could not parse as a multipart, as text (ISO-8859-1) */
    private static String unparsed(Part p) throws MessagingException, IOException {
        try (InputStream in = p.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }

    private static long addresses(Address[] a) {
        long n = 0;
        if (a != null) {
            for (Address x : a) {
                n += x.toString().length();
            }
        }
        return n;
    }

    // ---- writing -----------------------------------------------------------------------------------------------

    /**
     * A parsed message as decoded values: what an application holds before it builds a message to send.
     *
     * @param from       the From addresses
     * @param to         To
     * @param cc         Cc
     * @param subject    the decoded subject, or null
     * @param sent       the Date, or null
     * @param messageId  the Message-ID, or null
     * @param inReplyTo  In-Reply-To, or null
     * @param references References, or null
     * @param body       the content tree
     */
    public record Model(Address[] from, Address[] to, Address[] cc, String subject, Date sent, String messageId,
                        String inReplyTo, String references, Node body) {}

    /**
     * One part of a {@link Model}: a multipart with children, a text part with its decoded text, or any other part
     * with its decoded bytes.
     *
     * @param type        the MIME type without parameters ("multipart/mixed", "text/plain", "application/pdf")
     * @param text        the decoded text of a text part, else null
     * @param bytes       the decoded bytes of any other leaf part, else null
     * @param children    the parts of a multipart, else null
     * @param fileName    the file name, or null
     * @param disposition the Content-Disposition type, or null
     * @param contentId   the Content-ID, or null
     */
    public record Node(String type, String text, byte[] bytes, List<Node> children, String fileName,
                       String disposition, String contentId) {}

    /**
     * Reads a parsed message into a {@link Model} (not timed).
     *
     * @param session the session
     * @param eml     the message
     * @return its decoded values
     * @throws MessagingException when Angus cannot parse it
     * @throws IOException        when reading a part fails
     */
    public static Model extract(Session session, byte[] eml) throws MessagingException, IOException {
        MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(eml));
        return new Model(m.getFrom(), m.getRecipients(RecipientType.TO), m.getRecipients(RecipientType.CC),
                m.getSubject(), m.getSentDate(), m.getMessageID(), m.getHeader("In-Reply-To", " "),
                m.getHeader("References", " "), node(m));
    }

    private static Node node(Part p) throws MessagingException, IOException {
        String type = baseType(p);
        String fileName = lenient(p::getFileName);
        String disposition = lenient(p::getDisposition);
        String cid = p instanceof MimePart mp ? mp.getContentID() : null;
        if (p.isMimeType("multipart/*")) {
            Multipart mp = multipart(p);
            if (mp == null) {
                return new Node("text/plain", unparsed(p), null, null, null, null, cid);
            }
            List<Node> children = new ArrayList<>();
            for (int i = 0; i < mp.getCount(); i++) {
                children.add(node(mp.getBodyPart(i)));
            }
            return new Node(type, null, null, children, fileName, disposition, cid);
        }
        boolean attachment = fileName != null || Part.ATTACHMENT.equalsIgnoreCase(disposition);
        if (!attachment && (p.isMimeType("text/plain") || p.isMimeType("text/html"))) {
            Object c = p.getContent();
            if (c instanceof String s) {
                return new Node(type, s, null, null, null, disposition, cid);
            }
        }
        byte[] bytes;
        try (InputStream in = p.getInputStream()) {
            bytes = in.readAllBytes();
        }
        return new Node(type, null, bytes, null, fileName, disposition, cid);
    }

    private static String baseType(Part p) throws MessagingException {
        try {
            return new ContentType(p.getContentType()).getBaseType().toLowerCase(java.util.Locale.ROOT);
        } catch (jakarta.mail.internet.ParseException e) {
            return "application/octet-stream";
        }
    }

    /**
     * Builds a new MimeMessage from a model, saves its changes and writes it (timed).
     *
     * @param session the session
     * @param model   the decoded values
     * @param out     where the bytes go
     * @throws MessagingException when Angus fails
     * @throws IOException        when writing fails
     */
    public static void write(Session session, Model model, OutputStream out) throws MessagingException, IOException {
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                // keep the parsed Message-ID, as MimeWriter keeps PR_INTERNET_MESSAGE_ID
                if (getHeader("Message-ID") == null) {
                    super.updateMessageID();
                }
            }
        };
        if (model.from() != null) {
            m.addFrom(model.from());
        }
        if (model.to() != null) {
            m.setRecipients(RecipientType.TO, model.to());
        }
        if (model.cc() != null) {
            m.setRecipients(RecipientType.CC, model.cc());
        }
        if (model.subject() != null) {
            m.setSubject(model.subject(), "UTF-8");
        }
        m.setSentDate(model.sent() != null ? model.sent() : new Date());
        if (model.messageId() != null) {
            m.setHeader("Message-ID", model.messageId());
        }
        if (model.inReplyTo() != null) {
            m.setHeader("In-Reply-To", model.inReplyTo());
        }
        if (model.references() != null) {
            m.setHeader("References", model.references());
        }
        fill(m, model.body());
        m.saveChanges();
        m.writeTo(out);
    }

    private static void fill(MimePart p, Node n) throws MessagingException {
        if (n.children() != null) {
            MimeMultipart mp = new MimeMultipart(n.type().substring(n.type().indexOf('/') + 1));
            for (Node child : n.children()) {
                MimeBodyPart bp = new MimeBodyPart();
                fill(bp, child);
                mp.addBodyPart(bp);
            }
            p.setContent(mp);
        } else if (n.text() != null) {
            String charset = StandardCharsets.US_ASCII.newEncoder().canEncode(n.text()) ? "us-ascii" : "utf-8";
            p.setText(n.text(), charset, n.type().equals("text/html") ? "html" : "plain");
        } else {
            p.setDataHandler(new DataHandler(new ByteArrayDataSource(n.bytes(), n.type())));
            if (n.fileName() != null) {
                p.setFileName(n.fileName());
            }
        }
        if (n.disposition() != null && n.children() == null) {
            p.setDisposition(n.disposition());
        }
        if (n.contentId() != null) {
            p.setHeader("Content-ID", n.contentId());
        }
    }

    /**
     * @param session a session
     * @param bytes   written bytes
     * @return the written message parsed back (a check that the output is a message)
     * @throws MessagingException when it does not parse
     */
    public static MimeMessage parse(Session session, byte[] bytes) throws MessagingException {
        return new MimeMessage(session, new ByteArrayInputStream(bytes));
    }

    /**
     * @param p a part
     * @return its number of leaf parts (for checks)
     * @throws MessagingException when Angus fails
     * @throws IOException        when reading fails
     */
    public static int leaves(Part p) throws MessagingException, IOException {
        if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            int n = 0;
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart b = mp.getBodyPart(i);
                n += leaves(b);
            }
            return n;
        }
        return 1;
    }
}
