package org.jmapi.mime;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.Attach;
import org.jmapi.client.Message;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One MAPI-to-MIME conversion; see {@link MimeWriter} for the mapping. Attachment contents are fetched one at a time
 * while they are written. Content is read through OpenProperty streams where the object offers them (attachment
 * data always, bodies when too large to read inline) and encoded piece by piece: a content whose encoding depends on
 * its bytes is read twice (a {@link ContentScan}, then the encoding pass), never held whole. Objects without
 * OpenProperty (MAPI_E_NO_SUPPORT) are read with GetProps. Not thread-safe; used once.
 */
final class MapiToMime {
    /** CRLF. */
    private static final byte[] CRLF = {'\r', '\n'};
    /** The message properties the writer reads. */
    private static final int[] MESSAGE_TAGS = {PropTags.PR_SUBJECT, PropTags.PR_SUBJECT_PREFIX,
        PropTags.PR_NORMALIZED_SUBJECT, PropTags.PR_SENT_REPRESENTING_NAME,
        PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS, MimeProps.PR_SENT_REPRESENTING_ADDRTYPE,
        MimeProps.PR_SENT_REPRESENTING_SMTP_ADDRESS, PropTags.PR_SENDER_NAME, PropTags.PR_SENDER_EMAIL_ADDRESS,
        PropTags.PR_SENDER_ADDRTYPE, MimeProps.PR_SENDER_SMTP_ADDRESS, PropTags.PR_CLIENT_SUBMIT_TIME,
        PropTags.PR_INTERNET_MESSAGE_ID, PropTags.PR_IN_REPLY_TO_ID, PropTags.PR_INTERNET_REFERENCES,
        PropTags.PR_IMPORTANCE, PropTags.PR_BODY, MimeProps.PR_HTML_ANY, MimeProps.PR_INTERNET_CPID,
        PropTags.PR_MESSAGE_CLASS};
    /** The recipient columns the writer reads. */
    private static final int[] RECIPIENT_TAGS = {PropTags.PR_RECIPIENT_TYPE, PropTags.PR_DISPLAY_NAME,
        PropTags.PR_EMAIL_ADDRESS, PropTags.PR_ADDRTYPE, MimeProps.PR_SMTP_ADDRESS};
    /** The attachment properties the writer reads before it writes (everything but the content). */
    private static final int[] ATTACH_META_TAGS = {PropTags.PR_ATTACH_METHOD, PropTags.PR_ATTACH_MIME_TAG,
        PropTags.PR_ATTACH_LONG_FILENAME, PropTags.PR_ATTACH_FILENAME, PropTags.PR_DISPLAY_NAME,
        PropTags.PR_ATTACH_CONTENT_ID, MimeProps.PR_ATTACH_CONTENT_LOCATION, MimeProps.PR_ATTACHMENT_HIDDEN};
    /** The message properties read through a stream, not whole, when GetProps finds them too large. */
    private static final Set<Integer> STREAMED = Set.of(PropTag.id(PropTags.PR_BODY),
            PropTag.id(MimeProps.PR_HTML_ANY));
    /** How many bytes of an HTML body are searched for a {@code <meta>} charset declaration. */
    private static final int SNIFF = 2048;
    /** A MIME type as the writer accepts it from PR_ATTACH_MIME_TAG. */
    private static final Pattern MIME_TYPE = Pattern.compile("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+");
    /** A Content-ID as the writer accepts it (without its angle brackets): printable ASCII, no brackets. */
    private static final Pattern CONTENT_ID = Pattern.compile("[\\x21-\\x3B\\x3D\\x3F-\\x7E]+");
    /** Printable ASCII and spaces: what a Content-Location may hold. */
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]*");
    /** The angle brackets around a Content-ID. */
    private static final Pattern ANGLES = Pattern.compile("^<|>$");
    /** A run of whitespace. */
    private static final Pattern SPACES = Pattern.compile("\\s+");
    /** A msg-id as the writer accepts it: printable ASCII, one {@code @}, in angle brackets. */
    private static final Pattern MSG_ID =
            Pattern.compile("<[\\x21-\\x3B\\x3D\\x3F\\x41-\\x7E]+@[\\x21-\\x3B\\x3D\\x3F\\x41-\\x7E]+>");

    /** The message read. */
    private final Message source;
    /** The writer's settings. */
    private final MimeWriter settings;
    /** What was not written, and why. */
    private final List<String> omitted = new ArrayList<>();
    /** Recipients written or sent to (Bcc), for the result. */
    private final List<MimeWriter.Recipient> recipients = new ArrayList<>();
    /** Attachments written. */
    private int attachmentCount;

    /**
     * @param source   the message
     * @param settings the writer's settings
     */
    MapiToMime(Message source, MimeWriter settings) {
        this.source = source;
        this.settings = settings;
    }

    /**
     * Writes the message.
     *
     * @param out where the RFC 5322 bytes go; not closed
     * @return the result
     * @throws IOException when writing fails
     */
    MimeWriter.Result write(OutputStream out) throws IOException {
        Map<Integer, PropStreams.Opened> streams = new LinkedHashMap<>();
        try {
            return write(out, streams);
        } finally {
            for (PropStreams.Opened o : streams.values()) {
                o.stream().release();
            }
        }
    }

    /**
     * Writes the message.
     *
     * @param out     where the RFC 5322 bytes go; not closed
     * @param streams receives the body streams opened (released by the caller)
     * @return the result
     * @throws IOException when writing fails
     */
    private MimeWriter.Result write(OutputStream out, Map<Integer, PropStreams.Opened> streams) throws IOException {
        Map<Integer, PropValue> p = fetch(source, MESSAGE_TAGS, streams);
        List<MimeWriter.Recipient> to = new ArrayList<>();
        List<MimeWriter.Recipient> cc = new ArrayList<>();
        readRecipients(to, cc);
        List<Attachment> attachments = readAttachments();

        HeaderLines h = new HeaderLines();
        Instant date = p.containsKey(id(PropTags.PR_CLIENT_SUBMIT_TIME))
                ? p.get(id(PropTags.PR_CLIENT_SUBMIT_TIME)).asTime() : settings.clock().instant();
        h.add("Date", MailDates.format(date, settings.zone()));
        MailAddress from = originator(p, PropTags.PR_SENT_REPRESENTING_NAME,
                PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS, MimeProps.PR_SENT_REPRESENTING_ADDRTYPE,
                MimeProps.PR_SENT_REPRESENTING_SMTP_ADDRESS);
        MailAddress sender = originator(p, PropTags.PR_SENDER_NAME, PropTags.PR_SENDER_EMAIL_ADDRESS,
                PropTags.PR_SENDER_ADDRTYPE, MimeProps.PR_SENDER_SMTP_ADDRESS);
        if (from == null) {
            from = sender;
        }
        if (from != null) {
            h.add("From", from.format());
            if (sender != null && !sender.address().equalsIgnoreCase(from.address())) {
                h.add("Sender", sender.format());
            }
        } else {
            omitted.add("From: the message has no SMTP originator (PR_SENT_REPRESENTING_* / PR_SENDER_*)");
        }
        addressField(h, "To", to);
        addressField(h, "Cc", cc);
        String subject = string(p, PropTags.PR_SUBJECT);
        if (subject == null && (p.containsKey(id(PropTags.PR_NORMALIZED_SUBJECT)))) {
            String prefix = string(p, PropTags.PR_SUBJECT_PREFIX);
            subject = (prefix == null ? "" : prefix) + string(p, PropTags.PR_NORMALIZED_SUBJECT);
        }
        if (subject != null) {
            h.add("Subject", EncodedWords.needsEncoding(subject) ? EncodedWords.encode(subject) : subject);
        }
        String messageId = msgIds(string(p, PropTags.PR_INTERNET_MESSAGE_ID), "Message-ID", true);
        if (messageId == null) {
            messageId = "<" + UUID.randomUUID().toString().replace("-", "") + "@" + domain(from) + ">";
        }
        h.add("Message-ID", messageId);
        String inReplyTo = msgIds(string(p, PropTags.PR_IN_REPLY_TO_ID), "In-Reply-To", false);
        if (inReplyTo != null) {
            h.add("In-Reply-To", inReplyTo);
        }
        String references = msgIds(string(p, PropTags.PR_INTERNET_REFERENCES), "References", false);
        if (references != null) {
            h.add("References", references);
        }
        PropValue importance = p.get(id(PropTags.PR_IMPORTANCE));
        if (importance != null && importance.type() == PropType.PT_LONG) {
            if (importance.asInt() == MimeProps.IMPORTANCE_HIGH) {
                h.add("Importance", "high").add("X-Priority", "1");
            } else if (importance.asInt() == MimeProps.IMPORTANCE_LOW) {
                h.add("Importance", "low").add("X-Priority", "5");
            }
        }
        h.add("MIME-Version", "1.0");

        writeNode(structure(p, streams, attachments), h, out);
        out.flush();
        return new MimeWriter.Result(messageId, recipients, attachmentCount, omitted);
    }

    /**
     * Decides the MIME structure: {@code multipart/mixed} around the content and the attachments,
     * {@code multipart/alternative} for plain text and HTML, {@code multipart/related} for HTML and the inline
     * attachments it references.
     *
     * @param p           the message properties
     * @param streams     the bodies too large to read inline, opened as streams
     * @param attachments the attachments
     * @return the root node
     * @throws IOException when reading a body stream fails
     */
    private Node structure(Map<Integer, PropValue> p, Map<Integer, PropStreams.Opened> streams,
                           List<Attachment> attachments) throws IOException {
        Leaf plain = null;
        PropStreams.Opened bodyStream = streams.get(id(PropTags.PR_BODY));
        String body = string(p, PropTags.PR_BODY);
        if (bodyStream != null) {
            plain = Leaf.text("text/plain", Content.text(bodyStream), null);
        } else if (body != null) {
            plain = Leaf.text("text/plain", Content.of(crlf(body).getBytes(StandardCharsets.UTF_8)), null);
        }
        Leaf html = htmlLeaf(p, streams.get(id(MimeProps.PR_HTML_ANY)));
        Set<String> referenced = html == null ? Set.of() : referenced(html, attachments);
        List<Node> inline = new ArrayList<>();
        List<Node> regular = new ArrayList<>();
        for (Attachment a : attachments) {
            boolean related = html != null && a.contentId != null
                    && (a.hidden || referenced.contains(reference(a.contentId)));
            (related ? inline : regular).add(Leaf.attachment(a, related));
        }
        Node htmlNode = html == null ? null : inline.isEmpty() ? html : new Multi("related", prepend(html, inline));
        Node content = plain != null && htmlNode != null ? new Multi("alternative", List.of(plain, htmlNode))
                : plain != null ? plain : htmlNode;
        String report = reportType(string(p, PropTags.PR_MESSAGE_CLASS), attachments);
        if (report != null) {
            Node text = content != null ? content : Leaf.text("text/plain", Content.of(new byte[0]), "us-ascii");
            return new Multi("report; report-type=" + report, prepend(text, regular));
        }
        if (regular.isEmpty()) {
            return content != null ? content : Leaf.text("text/plain", Content.of(new byte[0]), "us-ascii");
        }
        return new Multi("mixed", content == null ? regular : prepend(content, regular));
    }

    /**
     * @param messageClass PR_MESSAGE_CLASS, or null
     * @param attachments  the attachments
     * @return the RFC 6522 report-type when the message is a report and carries its machine-readable part
     *         (message/delivery-status for DR / NDR / Delayed, message/disposition-notification for IPNRN / IPNNRN);
     *         null otherwise
     */
    private static String reportType(String messageClass, List<Attachment> attachments) {
        if (messageClass == null || !messageClass.toUpperCase(Locale.ROOT).startsWith("REPORT.")) {
            return null;
        }
        String c = messageClass.toUpperCase(Locale.ROOT);
        String wanted = c.endsWith(".IPNRN") || c.endsWith(".IPNNRN") ? "message/disposition-notification"
                : c.endsWith(".DR") || c.endsWith(".NDR") || c.endsWith(".DELAYED") ? "message/delivery-status" : null;
        for (Attachment a : attachments) {
            if (a.mimeType.equals(wanted)) {
                return wanted.substring("message/".length());
            }
        }
        return null;
    }

    /**
     * @param p      the message properties
     * @param stream PR_HTML / PR_BODY_HTML opened as a stream because it is too large to read inline, or null
     * @return the HTML body leaf (PR_HTML bytes in the charset PR_INTERNET_CPID, a {@code <meta>} tag or UTF-8
     *         validity suggests; or PR_BODY_HTML as UTF-8), or null
     * @throws IOException when reading the stream fails
     */
    private static Leaf htmlLeaf(Map<Integer, PropValue> p, PropStreams.Opened stream) throws IOException {
        Content content;
        if (stream != null) {
            if (stream.type() != PropType.PT_BINARY) {
                return Leaf.text("text/html", Content.text(stream), "utf-8");
            }
            content = Content.raw(stream);
        } else {
            PropValue v = p.get(id(MimeProps.PR_HTML_ANY));
            if (v == null) {
                return null;
            }
            if (v.type() == PropType.PT_UNICODE || v.type() == PropType.PT_STRING8) {
                byte[] bytes = crlf(v.asString()).getBytes(StandardCharsets.UTF_8);
                return Leaf.text("text/html", Content.of(bytes), "utf-8");
            }
            if (v.type() != PropType.PT_BINARY) {
                return null;
            }
            content = Content.of(v.asBinary());
        }
        Charset cs = null;
        PropValue cpid = p.get(id(MimeProps.PR_INTERNET_CPID));
        if (cpid != null && cpid.type() == PropType.PT_LONG) {
            cs = MailCharsets.forCodePage(cpid.asInt());
        }
        if (cs == null) {
            try (InputStream in = content.open()) {
                cs = MailCharsets.lookup(MailCharsets.sniffHtml(in.readNBytes(SNIFF)));
            }
        }
        if (cs == null) {
            cs = scan(content).utf8() ? StandardCharsets.UTF_8 : Charset.forName("windows-1252");
        }
        return Leaf.text("text/html", content, cs.name().toLowerCase(Locale.ROOT));
    }

    /**
     * @param contentId a Content-ID
     * @return how the lower-cased HTML refers to it
     */
    private static String reference(String contentId) {
        return "cid:" + contentId.toLowerCase(Locale.ROOT);
    }

    /**
     * Which attachments' Content-IDs the HTML body references: the text (decoded in its charset, lower-cased)
     * contains {@code cid:} and the id. Read in pieces that overlap by the longest reference less one character.
     *
     * @param html        the HTML body
     * @param attachments the attachments
     * @return the {@link #reference}s found
     * @throws IOException when reading the body fails
     */
    private static Set<String> referenced(Leaf html, List<Attachment> attachments) throws IOException {
        Set<String> open = new HashSet<>();
        int longest = 0;
        for (Attachment a : attachments) {
            if (a.contentId != null) {
                String ref = reference(a.contentId);
                open.add(ref);
                longest = Math.max(longest, ref.length());
            }
        }
        Set<String> found = new HashSet<>();
        if (open.isEmpty()) {
            return found;
        }
        try (Reader r = new InputStreamReader(html.content.open(), Charset.forName(html.charset))) {
            char[] buf = new char[8 * 1024];
            String tail = "";
            for (int n; !open.isEmpty() && (n = r.read(buf)) > 0; ) {
                String window = tail + new String(buf, 0, n).toLowerCase(Locale.ROOT);
                for (var it = open.iterator(); it.hasNext(); ) {
                    String ref = it.next();
                    if (window.contains(ref)) {
                        found.add(ref);
                        it.remove();
                    }
                }
                tail = window.substring(Math.max(0, window.length() - (longest - 1)));
            }
        }
        return found;
    }

    /**
     * Writes a node with the header fields gathered so far.
     *
     * @param node the node
     * @param h    header fields to write first (the message header at the top, empty for body parts)
     * @param out  where it goes
     * @throws IOException when writing fails
     */
    private void writeNode(Node node, HeaderLines h, OutputStream out) throws IOException {
        if (node instanceof Multi m) {
            String boundary = "=_jmapi_" + UUID.randomUUID().toString().replace("-", "");
            h.add("Content-Type", "multipart/" + m.subtype + "; boundary=\"" + boundary + "\"");
            h.writeTo(out);
            byte[] delimiter = ("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (Node child : m.parts) {
                out.write(delimiter);
                writeNode(child, new HeaderLines(), out);
                out.write(CRLF);
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            Leaf leaf = (Leaf) node;
            if (leaf.attachment == null) {
                ContentScan scan = scan(leaf.content);
                TransferEncoding te = TransferEncoding.forText(scan);
                String charset = leaf.charset != null ? leaf.charset : scan.ascii() ? "us-ascii" : "utf-8";
                h.add("Content-Type", leaf.mimeType + "; charset=" + charset);
                h.add("Content-Transfer-Encoding", te.token());
                h.writeTo(out);
                write(te, leaf.content, out);
            } else {
                writeAttachment(leaf.attachment, leaf.inline, h, out);
            }
        }
    }

    /**
     * Writes one attachment, fetching its content now.
     *
     * @param a      the attachment
     * @param inline whether it is an inline part of a multipart/related
     * @param h      header fields to write first
     * @param out    where it goes
     * @throws IOException when writing fails
     */
    private void writeAttachment(Attachment a, boolean inline, HeaderLines h, OutputStream out) throws IOException {
        Attach attach = source.openAttach(a.number, 0);
        PropStreams.Opened stream = null;
        try {
            try {
                stream = PropStreams.openRead(attach, PropTags.PR_ATTACH_DATA_BIN, PropType.PT_BINARY);
            } catch (MapiException e) {
                if (!PropStreams.unsupported(e)) {
                    throw e;
                }
            }
            Content data;
            if (stream != null) {
                data = Content.raw(stream);
            } else {
                PropValue v = fetch(attach, new int[] {PropTags.PR_ATTACH_DATA_BIN}, null)
                        .get(id(PropTags.PR_ATTACH_DATA_BIN));
                data = Content.of(v == null || v.type() != PropType.PT_BINARY ? new byte[0] : v.asBinary());
            }
            writeAttachment(a, data, inline, h, out);
        } finally {
            if (stream != null) {
                stream.stream().release();
            }
            attach.release();
        }
    }

    /**
     * Writes one attachment part.
     *
     * @param a      the attachment
     * @param data   its content
     * @param inline whether it is an inline part of a multipart/related
     * @param h      header fields to write first
     * @param out    where it goes
     * @throws IOException when reading the content or writing fails
     */
    private void writeAttachment(Attachment a, Content data, boolean inline, HeaderLines h, OutputStream out)
            throws IOException {
        TransferEncoding te;
        if (a.embedded) {
            te = TransferEncoding.forMessage(scan(data));
            h.add("Content-Type", MimeProps.MIME_MESSAGE_RFC822);
        } else {
            String type = a.mimeType;
            boolean text = type.startsWith("text/");
            ContentScan scan = text ? scan(data) : null;
            te = text ? TransferEncoding.forText(scan) : TransferEncoding.BASE64;
            List<String> params = new ArrayList<>();
            params.add(type);
            if (text && !scan.ascii() && scan.utf8()) {
                params.add("charset=utf-8");
            }
            if (a.filename != null) {
                params.addAll(MimeParameters.format("name", a.filename));
            }
            h.add("Content-Type", String.join("; ", params));
        }
        h.add("Content-Transfer-Encoding", te.token());
        List<String> disposition = new ArrayList<>();
        disposition.add(inline ? "inline" : "attachment");
        if (a.filename != null) {
            disposition.addAll(MimeParameters.format("filename", a.filename));
        }
        h.add("Content-Disposition", String.join("; ", disposition));
        if (a.contentId != null) {
            h.add("Content-ID", "<" + a.contentId + ">");
        }
        if (a.contentLocation != null) {
            h.add("Content-Location", a.contentLocation);
        }
        h.writeTo(out);
        write(te, data, out);
        attachmentCount++;
    }

    /**
     * @param c a content
     * @return its scan
     * @throws IOException when reading fails
     */
    private static ContentScan scan(Content c) throws IOException {
        byte[] whole = c.whole();
        if (whole != null) {
            return ContentScan.of(whole);
        }
        try (InputStream in = c.open()) {
            return ContentScan.of(in);
        }
    }

    /**
     * @param te  the transfer encoding
     * @param c   a content
     * @param out where it goes
     * @throws IOException when reading the content or writing fails
     */
    private static void write(TransferEncoding te, Content c, OutputStream out) throws IOException {
        byte[] whole = c.whole();
        if (whole != null) {
            te.write(whole, out);
            return;
        }
        try (InputStream in = c.open()) {
            te.write(in, out);
        }
    }

    /**
     * Reads the recipient table: To and Cc are collected for the header, Bcc only for the result, MAPI_P1 and
     * originator rows are skipped, rows without an SMTP address are skipped.
     *
     * @param to where To recipients go
     * @param cc where Cc recipients go
     */
    private void readRecipients(List<MimeWriter.Recipient> to, List<MimeWriter.Recipient> cc) {
        for (Row row : rows(source.getRecipientTable(0), RECIPIENT_TAGS)) {
            Map<Integer, PropValue> r = byId(row.values());
            String name = string(r, PropTags.PR_DISPLAY_NAME);
            PropValue typeValue = r.get(id(PropTags.PR_RECIPIENT_TYPE));
            int type = typeValue == null || typeValue.type() != PropType.PT_LONG ? Flags.MAPI_TO : typeValue.asInt();
            String who = name != null ? "\"" + name + "\"" : "a recipient";
            if ((type & Flags.MAPI_P1) != 0) {
                omitted.add("recipient " + who + ": MAPI_P1 (addressing only, never in the content; R-XPS-3)");
                continue;
            }
            int base = type & ~(Flags.MAPI_SUBMITTED | Flags.MAPI_P1);
            if (base != Flags.MAPI_TO && base != Flags.MAPI_CC && base != Flags.MAPI_BCC) {
                omitted.add("recipient " + who + ": recipient type " + HResult.hex(type) + " is not To, Cc or Bcc");
                continue;
            }
            String address = smtpAddress(string(r, PropTags.PR_EMAIL_ADDRESS), string(r, PropTags.PR_ADDRTYPE),
                    string(r, MimeProps.PR_SMTP_ADDRESS));
            if (address == null) {
                omitted.add("recipient " + who + ": no SMTP address (address type "
                        + string(r, PropTags.PR_ADDRTYPE) + ", no PR_SMTP_ADDRESS)");
                continue;
            }
            String display = name == null || name.equals(address) ? "" : name;
            MimeWriter.Recipient rec = new MimeWriter.Recipient(base, display, address);
            recipients.add(rec);
            if (base == Flags.MAPI_TO) {
                to.add(rec);
            } else if (base == Flags.MAPI_CC) {
                cc.add(rec);
            }
        }
    }

    /**
     * Reads the attachment table and each attachment's descriptive properties (not its content).
     *
     * @return the attachments to write, in table order
     * @throws IOException when reading a value through a stream fails
     */
    private List<Attachment> readAttachments() throws IOException {
        List<Attachment> out = new ArrayList<>();
        for (Row row : rows(source.getAttachmentTable(0), new int[] {PropTags.PR_ATTACH_NUM})) {
            PropValue num = row.find(PropTags.PR_ATTACH_NUM).orElse(null);
            if (num == null || num.type() != PropType.PT_LONG) {
                continue;
            }
            Map<Integer, PropValue> a;
            Attach attach = source.openAttach(num.asInt(), 0);
            try {
                a = fetch(attach, ATTACH_META_TAGS, null);
            } finally {
                attach.release();
            }
            PropValue methodValue = a.get(id(PropTags.PR_ATTACH_METHOD));
            int method = methodValue == null || methodValue.type() != PropType.PT_LONG
                    ? MimeProps.ATTACH_BY_VALUE : methodValue.asInt();
            String filename = string(a, PropTags.PR_ATTACH_LONG_FILENAME);
            if (filename == null) {
                filename = string(a, PropTags.PR_ATTACH_FILENAME);
            }
            if (method != MimeProps.ATTACH_BY_VALUE && method != MimeProps.ATTACH_EMBEDDED_MSG) {
                omitted.add("attachment " + num.asInt() + (filename != null ? " \"" + filename + "\"" : "")
                        + ": PR_ATTACH_METHOD " + method + " has no MIME form (only ATTACH_BY_VALUE and "
                        + "ATTACH_EMBEDDED_MSG are written)");
                continue;
            }
            String mime = string(a, PropTags.PR_ATTACH_MIME_TAG);
            mime = mime != null && MIME_TYPE.matcher(mime.trim()).matches()
                    ? mime.trim().toLowerCase(Locale.ROOT) : "application/octet-stream";
            String cid = string(a, PropTags.PR_ATTACH_CONTENT_ID);
            if (cid != null) {
                cid = ANGLES.matcher(cid.trim()).replaceAll("");
                if (!CONTENT_ID.matcher(cid).matches()) {
                    omitted.add("attachment " + num.asInt() + ": PR_ATTACH_CONTENT_ID \"" + cid
                            + "\" is not a usable Content-ID");
                    cid = null;
                }
            }
            String location = string(a, MimeProps.PR_ATTACH_CONTENT_LOCATION);
            if (location != null && !PRINTABLE.matcher(location).matches()) {
                location = null;
            }
            PropValue hidden = a.get(id(MimeProps.PR_ATTACHMENT_HIDDEN));
            out.add(new Attachment(num.asInt(), method == MimeProps.ATTACH_EMBEDDED_MSG, mime,
                    filename == null || filename.isBlank() ? null : filename, cid,
                    location == null || location.isBlank() ? null : location,
                    hidden != null && hidden.type() == PropType.PT_BOOLEAN && hidden.asBoolean()));
        }
        return out;
    }

    /**
     * @param h    the header
     * @param name To or Cc
     * @param list the recipients; nothing is written when empty
     */
    private static void addressField(HeaderLines h, String name, List<MimeWriter.Recipient> list) {
        if (list.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        for (MimeWriter.Recipient r : list) {
            parts.add(new MailAddress(r.name(), r.address()).format());
        }
        h.add(name, String.join(", ", parts));
    }

    /**
     * @param p        the message properties
     * @param nameTag  PR_*_NAME
     * @param emailTag PR_*_EMAIL_ADDRESS
     * @param typeTag  PR_*_ADDRTYPE
     * @param smtpTag  PR_*_SMTP_ADDRESS
     * @return the originator, or null when it has no SMTP address
     */
    private static MailAddress originator(Map<Integer, PropValue> p, int nameTag, int emailTag, int typeTag,
                                          int smtpTag) {
        String address = smtpAddress(string(p, emailTag), string(p, typeTag), string(p, smtpTag));
        if (address == null) {
            return null;
        }
        String name = string(p, nameTag);
        return new MailAddress(name == null || name.equals(address) ? "" : name, address);
    }

    /**
     * @param email PR_EMAIL_ADDRESS or the like
     * @param type  its address type
     * @param smtp  PR_SMTP_ADDRESS or the like
     * @return the SMTP address: {@code smtp} when set, else {@code email} when its type is SMTP or unset; null when
     *         there is none
     */
    private static String smtpAddress(String email, String type, String smtp) {
        if (smtp != null && !smtp.isBlank()) {
            return smtp.trim();
        }
        if (email != null && !email.isBlank() && (type == null || type.equalsIgnoreCase(MimeProps.ADDRTYPE_SMTP))) {
            return email.trim();
        }
        return null;
    }

    /**
     * @param value a stored Message-ID, In-Reply-To or References value, or null
     * @param what  the header, for the note when it is unusable
     * @param one   whether exactly one msg-id is wanted
     * @return the msg-ids, angle brackets added to a bare id, space separated; null when absent or unusable
     */
    private String msgIds(String value, String what, boolean one) {
        if (value == null || value.isBlank()) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (String token : SPACES.split(value.trim())) {
            String t = token.startsWith("<") ? token : "<" + token + ">";
            if (MSG_ID.matcher(t).matches()) {
                ids.add(t);
            }
        }
        if (ids.isEmpty()) {
            omitted.add(what + ": \"" + value + "\" holds no usable msg-id"
                    + (one ? "; a new Message-ID was generated" : ""));
            return null;
        }
        return one ? ids.get(0) : String.join(" ", ids);
    }

    /**
     * @param from the From address, or null
     * @return the domain for a generated Message-ID
     */
    private String domain(MailAddress from) {
        if (settings.messageIdDomain() != null) {
            return settings.messageIdDomain();
        }
        if (from != null) {
            int at = from.address().lastIndexOf('@');
            String d = at >= 0 ? from.address().substring(at + 1) : "";
            if (MimeWriter.isMessageIdDomain(d)) {
                return d;
            }
        }
        return "jmapi.invalid";
    }

    /**
     * Reads every row of a table with the given columns, and releases the table.
     *
     * @param table   the table; released here
     * @param columns the columns
     * @return the rows
     */
    private static List<Row> rows(MapiTable table, int[] columns) {
        try {
            table.setColumns(columns, 0);
            List<Row> out = new ArrayList<>();
            while (true) {
                List<Row> batch = table.queryRows(100, 0);
                if (batch.isEmpty()) {
                    return out;
                }
                out.addAll(batch);
            }
        } finally {
            table.release();
        }
    }

    /**
     * Reads properties. A value too large for GetProps (PT_ERROR MAPI_E_NOT_ENOUGH_MEMORY) is read through
     * OpenProperty: a body named in {@link #STREAMED} is left open as a stream in {@code streams} (when that is given),
     * anything else is read whole from its stream. An object without OpenProperty (MAPI_E_NO_SUPPORT) is asked for
     * all its properties instead, which a store with an inline limit for explicit requests may answer.
     *
     * @param obj     the object
     * @param tags    the wanted tags
     * @param streams where the bodies opened as streams go (the caller releases them), or null to read every value
     *                whole
     * @return the non-error values by property id (without those put into {@code streams})
     * @throws IOException  when reading a stream fails
     * @throws MapiException MAPI_E_NOT_ENOUGH_MEMORY when a value is too large and the object offers no other way to
     *                      read it; errors of OpenProperty and of the stream
     */
    private static Map<Integer, PropValue> fetch(MapiProp obj, int[] tags, Map<Integer, PropStreams.Opened> streams)
            throws IOException {
        List<PropValue> values = obj.getProps(tags, 0).values();
        Map<Integer, PropValue> out = byId(values);
        Map<Integer, PropValue> all = null;
        for (PropValue v : values) {
            if (!v.isError() || v.errorCode() != HResult.MAPI_E_NOT_ENOUGH_MEMORY || out.containsKey(v.id())
                    || streams != null && streams.containsKey(v.id())) {
                continue;
            }
            int tag = tagOf(tags, v.id());
            PropStreams.Opened o;
            try {
                o = PropStreams.openRead(obj, tag, streamTypes(tag));
            } catch (MapiException e) {
                if (!PropStreams.unsupported(e)) {
                    throw e;
                }
                if (all == null) {
                    all = byId(obj.getProps(null, 0).values());
                }
                PropValue whole = all.get(v.id());
                if (whole == null) {
                    throw new MapiException(HResult.MAPI_E_NOT_ENOUGH_MEMORY, PropTag.toString(tag)
                            + " is too large to read inline and the object offers no other way to read it");
                }
                out.put(v.id(), whole);
                continue;
            }
            if (o == null) {
                continue; // deleted since GetProps: absent
            }
            if (streams != null && STREAMED.contains(v.id())) {
                streams.put(v.id(), o);
                continue;
            }
            try {
                out.put(v.id(), whole(o));
            } finally {
                o.stream().release();
            }
        }
        return out;
    }

    /**
     * @param tags tags
     * @param id   a property id
     * @return the first of {@code tags} with that id
     */
    private static int tagOf(int[] tags, int id) {
        for (int t : tags) {
            if (PropTag.id(t) == id) {
                return t;
            }
        }
        throw new IllegalStateException("GetProps answered an id that was not asked for: " + HResult.hex(id));
    }

    /**
     * @param tag a requested tag
     * @return the types to open it as a stream in: its own; both string types for a string; binary, then the string
     *         types for PT_UNSPECIFIED
     */
    private static int[] streamTypes(int tag) {
        int type = PropTag.type(tag);
        if (type == PropType.PT_UNSPECIFIED) {
            return new int[] {PropType.PT_BINARY, PropType.PT_UNICODE, PropType.PT_STRING8};
        }
        if (type == PropType.PT_UNICODE || type == PropType.PT_STRING8) {
            return new int[] {type, type == PropType.PT_UNICODE ? PropType.PT_STRING8 : PropType.PT_UNICODE};
        }
        return new int[] {type};
    }

    /**
     * Reads an opened property stream whole.
     *
     * @param o the stream, at its start
     * @return the value in the stream's type
     * @throws IOException never in practice (MapiExceptions pass unchanged)
     */
    private static PropValue whole(PropStreams.Opened o) throws IOException {
        byte[] bytes = PropStreams.input(o.stream()).readAllBytes();
        return switch (o.type()) {
            case PropType.PT_UNICODE -> PropValue.ofString(o.tag(), new String(bytes, StandardCharsets.UTF_16LE));
            case PropType.PT_STRING8 -> PropValue.ofString(o.tag(), new String(bytes, StandardCharsets.UTF_8));
            default -> PropValue.ofBinary(o.tag(), bytes);
        };
    }

    /**
     * @param values property values, errors included
     * @return the non-error ones by property id
     */
    private static Map<Integer, PropValue> byId(List<PropValue> values) {
        Map<Integer, PropValue> out = new HashMap<>();
        for (PropValue v : values) {
            if (!v.isError() && v.tag() != PropTag.PR_NULL) {
                out.putIfAbsent(v.id(), v);
            }
        }
        return out;
    }

    /**
     * @param props values by id
     * @param tag   a string tag
     * @return the string, or null when absent or not a string
     */
    private static String string(Map<Integer, PropValue> props, int tag) {
        PropValue v = props.get(PropTag.id(tag));
        return v != null && (v.type() == PropType.PT_UNICODE || v.type() == PropType.PT_STRING8) ? v.asString() : null;
    }

    /**
     * @param tag a tag
     * @return its id
     */
    private static int id(int tag) {
        return PropTag.id(tag);
    }

    /**
     * @param s text
     * @return it with every line break as CRLF
     */
    private static String crlf(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
    }

    /**
     * @param first a node
     * @param rest  more nodes
     * @return a new list of {@code first} then {@code rest}
     */
    private static List<Node> prepend(Node first, List<Node> rest) {
        List<Node> out = new ArrayList<>(rest.size() + 1);
        out.add(first);
        out.addAll(rest);
        return out;
    }

    /** A node of the MIME structure being written. */
    private sealed interface Node permits Multi, Leaf {}

    /**
     * A multipart.
     *
     * @param subtype mixed, alternative, related, or report with its report-type parameter
     * @param parts   the parts
     */
    private record Multi(String subtype, List<Node> parts) implements Node {}

    /**
     * A leaf: a text body (content set) or an attachment (content fetched when written).
     *
     * @param mimeType   the body's type
     * @param content    the body's bytes
     * @param charset    the body's charset label; null for us-ascii or utf-8 as the bytes are
     * @param attachment the attachment, or null for a body
     * @param inline     whether the attachment is an inline part of a multipart/related
     */
    private record Leaf(String mimeType, Content content, String charset, Attachment attachment, boolean inline)
            implements Node {
        /**
         * @param type    text/plain or text/html
         * @param content the bytes
         * @param charset their charset label, or null for us-ascii or utf-8 as the bytes are
         * @return a body leaf
         */
        static Leaf text(String type, Content content, String charset) {
            return new Leaf(type, content, charset, null, false);
        }

        /**
         * @param a      the attachment
         * @param inline whether it is an inline part of a multipart/related
         * @return an attachment leaf
         */
        static Leaf attachment(Attachment a, boolean inline) {
            return new Leaf(null, null, null, a, inline);
        }
    }

    /**
     * The bytes of a part, readable more than once from the start: held in memory (a value GetProps returned) or an
     * open property stream, read from its start each time (its owner releases it).
     */
    private interface Content {
        /**
         * @return a new stream over the whole content; MapiExceptions of a property stream come out unchanged
         * @throws IOException when the content cannot be read
         */
        InputStream open() throws IOException;

        /** @return the bytes when the content is held whole (then they are scanned and written without a stream) */
        default byte[] whole() {
            return null;
        }

        /**
         * @param bytes the content
         * @return it as a content
         */
        static Content of(byte[] bytes) {
            return new Content() {
                @Override
                public InputStream open() {
                    return new ByteArrayInputStream(bytes);
                }

                @Override
                public byte[] whole() {
                    return bytes;
                }
            };
        }

        /**
         * @param o a property stream
         * @return its bytes as they are
         */
        static Content raw(PropStreams.Opened o) {
            return () -> {
                o.stream().seek(0, Flags.STREAM_SEEK_SET);
                return PropStreams.input(o.stream());
            };
        }

        /**
         * @param o a PT_UNICODE or PT_STRING8 property stream
         * @return the string as UTF-8 with CRLF line breaks, as a body is written
         */
        static Content text(PropStreams.Opened o) {
            return () -> {
                o.stream().seek(0, Flags.STREAM_SEEK_SET);
                return new CrlfUtf8Input(PropStreams.input(o.stream()), o.type() == PropType.PT_UNICODE);
            };
        }
    }

    /**
     * An attachment's descriptive properties.
     *
     * @param number          PR_ATTACH_NUM
     * @param embedded        ATTACH_EMBEDDED_MSG (content is an RFC 822 message)
     * @param mimeType        the MIME type, lower case; application/octet-stream when PR_ATTACH_MIME_TAG is
     *                        missing or malformed
     * @param filename        PR_ATTACH_LONG_FILENAME (else PR_ATTACH_FILENAME), or null
     * @param contentId       PR_ATTACH_CONTENT_ID without angle brackets, or null
     * @param contentLocation PR_ATTACH_CONTENT_LOCATION, or null
     * @param hidden          PR_ATTACHMENT_HIDDEN
     */
    private record Attachment(int number, boolean embedded, String mimeType, String filename, String contentId,
                              String contentLocation, boolean hidden) {}
}
