package org.jmapi.mime;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.MimeIOException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.io.MaxLineLimitException;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiStream;
import org.jmapi.client.Message;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.SequenceInputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One MIME-to-MAPI conversion: walks mime4j's token stream and writes what it finds into the target message.
 * Attachments are written as their part is read. A part of at most {@link #INLINE_LIMIT} bytes is held whole and
 * set with SetProps (bodies at the end, with the other message properties); a larger one is written through an
 * OpenProperty stream (MAPI_CREATE | MAPI_MODIFY) piece by piece as it is decoded, and only when the target opens no
 * streams (MAPI_E_NO_SUPPORT) is it held whole. A large text body of undeclared charset is first copied to a
 * temporary file (deleted at once), since its charset depends on all its bytes. See {@link MimeReader} for the
 * mapping.
 *
 * <p>Not thread-safe; used once.
 */
final class MimeToMapi {
    /** The most header bytes kept for PR_TRANSPORT_MESSAGE_HEADERS. */
    static final int HEADER_LIMIT = 1 << 20;
    /**
     * The largest part held whole and set with SetProps; a larger one is written through a stream when the target
     * opens one. The SQLite store's GetProps limit, so what a store hands out inline is also taken in inline.
     */
    static final int INLINE_LIMIT = 1 << 20;
    /** The piece size of stream copies. */
    private static final int PIECE = 64 * 1024;
    /** Longest line mime4j reads (header lines and boundaries; content is streamed regardless of line length). */
    private static final int MAX_LINE = 1 << 20;
    /** The deepest MIME nesting parsed; deeper entities are kept whole. */
    static final int MAX_DEPTH = 100;
    /** The most header fields of one entity. */
    private static final int MAX_FIELDS = 10_000;
    /** mime4j's settings (immutable, shared by every conversion). */
    private static final MimeConfig CONFIG = MimeConfig.custom()
            .setMaxLineLen(MAX_LINE)
            .setMaxHeaderLen(MAX_LINE)
            .setMaxHeaderCount(MAX_FIELDS)
            .setMaxContentLen(-1)
            .setStrictParsing(false)
            .setMalformedHeaderStartsBody(false)
            .build();
    /** One whitespace character. */
    private static final Pattern SPACE = Pattern.compile("\\s");
    /** A run of whitespace. */
    private static final Pattern SPACES = Pattern.compile("\\s+");
    /** A control character (dropped from attachment file names). */
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    /** A msg-id in Message-ID, In-Reply-To and References. */
    private static final Pattern MSG_ID = Pattern.compile("<[^<>]*>");
    /** A subject prefix such as {@code RE: } or {@code AW: } (MS-OXCMSG PidTagSubjectPrefix). */
    private static final Pattern PREFIX = Pattern.compile("^(\\p{L}{1,3}:\\s)");
    /** An RFC 3464 Action field. */
    private static final Pattern ACTION = Pattern.compile("(?im)^action\\s*:\\s*([a-z-]+)");
    /** The MIME types of the part of a report that returns the message reported on, or its header. */
    private static final Set<String> RETURNED = Set.of("message/rfc822", "message/global", "text/rfc822-headers",
            "message/global-headers");
    /** An RFC 8098 Disposition field: the disposition type after the semicolon. */
    private static final Pattern DISPOSITION = Pattern.compile("(?im)^disposition\\s*:[^;\\n]*;\\s*([a-z-]+)");

    /** The message being written. */
    private final Message target;
    /** Problems noticed. */
    private final Defects defects;
    /** PR_MESSAGE_DELIVERY_TIME. */
    private final Instant deliveryTime;
    /** The open entities, innermost first. */
    private final Deque<Entity> stack = new ArrayDeque<>();
    /** Recipient rows, in header order. */
    private final List<List<PropValue>> recipients = new ArrayList<>();
    /** Message properties other than bodies, decided from the top-level header. */
    private final List<PropValue> props = new ArrayList<>();
    /** PR_BODY once found. */
    private String body;
    /** PR_HTML (UTF-8) once found. */
    private byte[] html;
    /** Whether PR_BODY was written through a stream (too large to hold). */
    private boolean bodyStreamed;
    /** Whether PR_HTML was written through a stream (too large to hold). */
    private boolean htmlStreamed;
    /** Attachments written. */
    private int attachments;
    /** The top-level multipart/report's report-type, lower case, or null. */
    private String reportType;
    /** RFC 3464 Action values seen in a message/delivery-status part. */
    private final Set<String> actions = new LinkedHashSet<>();
    /** The RFC 8098 disposition type seen in a message/disposition-notification part. */
    private String disposition;
    /** The first message/delivery-status part of a top-level delivery-status report, read; else null. */
    private DeliveryStatus deliveryStatus;
    /** The header of the message a top-level report returns (message/rfc822 or text/rfc822-headers); else null. */
    private List<HeaderField> returned;
    /** The message's own Date, or null when absent or malformed. */
    private Instant sent;
    /** The message's own To mailboxes, in header order. */
    private final List<MailAddress> addressees = new ArrayList<>();

    /**
     * @param target       the message to write into
     * @param defects      where problems go
     * @param deliveryTime PR_MESSAGE_DELIVERY_TIME
     */
    MimeToMapi(Message target, Defects defects, Instant deliveryTime) {
        this.target = target;
        this.defects = defects;
        this.deliveryTime = deliveryTime;
    }

    /**
     * Converts a whole message.
     *
     * @param in the message bytes, buffered
     * @return the result
     * @throws IOException when reading {@code in} fails (never for malformed content)
     */
    MimeReader.Result run(InputStream in) throws IOException {
        HeaderBlock block = HeaderBlock.read(in, HEADER_LIMIT);
        if (block.truncated()) {
            defects.add("header block longer than " + HEADER_LIMIT
                    + " bytes; PR_TRANSPORT_MESSAGE_HEADERS is cut short");
        }
        MimeTokenStream tokens = new MimeTokenStream(CONFIG, new Monitor(defects), null);
        tokens.setRecursionMode(RecursionMode.M_NO_RECURSE);
        tokens.parse(block.replay());
        try {
            for (EntityState s = tokens.getState(); s != EntityState.T_END_OF_STREAM; s = tokens.next()) {
                step(s, tokens);
            }
        } catch (MimeException | MimeIOException | MaxLineLimitException e) {
            defects.add("parsing stopped early, the rest of the message is not converted: " + e.getMessage());
        } catch (MapiException e) {
            throw e;
        } catch (RuntimeException e) {
            // A parser failure on input nobody foresaw must not make a message unreceivable: keep what was read.
            defects.add("parsing stopped early on an internal error (" + e + "); the rest of the message is not "
                    + "converted");
        }
        props.add(PropValue.ofString(PropTags.PR_TRANSPORT_MESSAGE_HEADERS, block.text()));
        return finish();
    }

    /**
     * Handles one token.
     *
     * @param s      the token
     * @param tokens the stream, positioned on it
     * @throws IOException when reading fails
     */
    private void step(EntityState s, MimeTokenStream tokens) throws IOException {
        switch (s) {
            case T_START_MESSAGE, T_START_BODYPART -> {
                Entity parent = stack.peek();
                int index = parent == null ? 0 : parent.children++;
                stack.push(new Entity(parent, index));
            }
            case T_FIELD -> {
                HeaderField f = HeaderField.parse(tokens.getField().getRaw().toByteArray());
                Entity e = stack.peek();
                if (f != null && e != null) {
                    e.fields.add(f);
                }
            }
            case T_END_HEADER -> {
                Entity e = stack.peek();
                if (e != null) {
                    e.headerDone();
                    if (e.parent == null) {
                        topLevelHeader(e);
                    }
                }
                if (stack.size() > MAX_DEPTH) {
                    // Each level wraps the input in one more boundary stream, so reading cost grows with depth:
                    // past the limit, an entity is taken whole, unparsed.
                    tokens.setRecursionMode(RecursionMode.M_FLAT);
                    defects.add("MIME structure nested deeper than " + MAX_DEPTH
                            + " levels; the deeper content is kept unparsed as an attachment");
                }
            }
            case T_START_MULTIPART -> {
                Entity e = stack.peek();
                if (e != null) {
                    e.multipart = tokens.getBodyDescriptor().getSubType().toLowerCase(Locale.ROOT);
                }
            }
            case T_BODY -> {
                Entity e = stack.peek();
                if (e != null) {
                    leaf(e, tokens.getBodyDescriptor(), tokens.getDecodedInputStream());
                }
                tokens.setRecursionMode(RecursionMode.M_NO_RECURSE);
            }
            case T_PREAMBLE -> {
                Entity e = stack.peek();
                if (e != null && !hasBody() && !hasHtml()) {
                    e.preamble = readAll(tokens.getInputStream());
                }
            }
            case T_END_MULTIPART -> {
                Entity e = stack.peek();
                if (e != null && e.children == 0 && e.preamble != null && e.preamble.length > 0 && !hasBody()
                        && !hasHtml()) {
                    body = MailCharsets.guess(e.preamble);
                    defects.add("multipart/" + e.multipart + " without a single delimiter line for its boundary; "
                            + "its text is kept as the body");
                }
                if (e != null) {
                    e.preamble = null;
                }
            }
            case T_END_BODYPART, T_END_MESSAGE -> stack.poll();
            default -> {
                // T_START_HEADER and the epilogue: nothing to convert.
            }
        }
    }

    /**
     * The message's own header: envelope properties and recipients.
     *
     * @param e the top-level entity, header complete
     */
    private void topLevelHeader(Entity e) {
        String subject = e.first("Subject");
        if (subject != null) {
            subject = EncodedWords.decode(subject);
            props.add(PropValue.ofString(PropTags.PR_SUBJECT, subject));
            Matcher m = PREFIX.matcher(subject);
            String prefix = m.find() ? m.group(1) : "";
            props.add(PropValue.ofString(PropTags.PR_SUBJECT_PREFIX, prefix));
            props.add(PropValue.ofString(PropTags.PR_NORMALIZED_SUBJECT, subject.substring(prefix.length())));
            props.add(PropValue.ofString(PropTags.PR_CONVERSATION_TOPIC, subject.substring(prefix.length())));
        }
        MailAddress from = firstAddress(e.first("From"));
        MailAddress sender = firstAddress(e.first("Sender"));
        if (from != null) {
            originator(from, PropTags.PR_SENT_REPRESENTING_NAME, PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS,
                    MimeProps.PR_SENT_REPRESENTING_ADDRTYPE, MimeProps.PR_SENT_REPRESENTING_SEARCH_KEY);
        }
        MailAddress actual = sender != null ? sender : from;
        if (actual != null) {
            originator(actual, PropTags.PR_SENDER_NAME, PropTags.PR_SENDER_EMAIL_ADDRESS,
                    PropTags.PR_SENDER_ADDRTYPE, MimeProps.PR_SENDER_SEARCH_KEY);
        }
        addRecipients(e, "To", Flags.MAPI_TO);
        for (HeaderField f : e.fields) {
            if (f.is("To")) {
                addressees.addAll(MailAddress.parseList(f.value()));
            }
        }
        addRecipients(e, "Cc", Flags.MAPI_CC);
        addRecipients(e, "Bcc", Flags.MAPI_BCC);
        String date = e.first("Date");
        if (date != null) {
            MailDates.parse(date).ifPresentOrElse(
                    t -> {
                        sent = t;
                        props.add(PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME, t));
                    },
                    () -> defects.add("malformed Date \"" + date + "\"; PR_CLIENT_SUBMIT_TIME not set"));
        }
        props.add(PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, deliveryTime));
        String id = ids(e.first("Message-ID"), true);
        if (id != null) {
            props.add(PropValue.ofString(PropTags.PR_INTERNET_MESSAGE_ID, id));
        }
        String inReplyTo = ids(e.first("In-Reply-To"), false);
        if (inReplyTo != null) {
            props.add(PropValue.ofString(PropTags.PR_IN_REPLY_TO_ID, inReplyTo));
        }
        String references = ids(e.all("References"), false);
        if (references != null) {
            props.add(PropValue.ofString(PropTags.PR_INTERNET_REFERENCES, references));
        }
        int importance = importance(e.first("Importance"), e.first("X-Priority"));
        if (importance >= 0) {
            props.add(PropValue.ofInt(PropTags.PR_IMPORTANCE, importance));
        }
        if (e.contentType.value().equalsIgnoreCase("multipart/report")) {
            String type = e.contentType.get("report-type");
            reportType = type == null ? "" : type.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param a        the originator
     * @param nameTag  PR_*_NAME
     * @param emailTag PR_*_EMAIL_ADDRESS
     * @param typeTag  PR_*_ADDRTYPE
     * @param keyTag   PR_*_SEARCH_KEY
     */
    private void originator(MailAddress a, int nameTag, int emailTag, int typeTag, int keyTag) {
        props.add(PropValue.ofString(nameTag, a.displayName()));
        props.add(PropValue.ofString(emailTag, a.address()));
        props.add(PropValue.ofString(typeTag, MimeProps.ADDRTYPE_SMTP));
        props.add(PropValue.ofBinary(keyTag, searchKey(a.address())));
    }

    /**
     * @param e    the top-level entity
     * @param name To, Cc or Bcc
     * @param type MAPI_TO, MAPI_CC or MAPI_BCC
     */
    private void addRecipients(Entity e, String name, int type) {
        for (HeaderField f : e.fields) {
            if (!f.is(name)) {
                continue;
            }
            for (MailAddress a : MailAddress.parseList(f.value())) {
                List<PropValue> row = new ArrayList<>();
                row.add(PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, type));
                row.add(PropValue.ofString(PropTags.PR_DISPLAY_NAME, a.displayName()));
                row.add(PropValue.ofString(PropTags.PR_EMAIL_ADDRESS, a.address()));
                row.add(PropValue.ofString(PropTags.PR_ADDRTYPE, MimeProps.ADDRTYPE_SMTP));
                row.add(PropValue.ofString(MimeProps.PR_SMTP_ADDRESS, a.address()));
                row.add(PropValue.ofBinary(PropTags.PR_SEARCH_KEY, searchKey(a.address())));
                recipients.add(row);
            }
        }
    }

    /** @return whether PR_BODY was found */
    private boolean hasBody() {
        return body != null || bodyStreamed;
    }

    /** @return whether PR_HTML was found */
    private boolean hasHtml() {
        return html != null || htmlStreamed;
    }

    /**
     * One non-multipart entity: body, HTML body, embedded message or attachment.
     *
     * @param e       the entity
     * @param bd      mime4j's descriptor (type with defaults applied, transfer encoding)
     * @param content the transfer-decoded content; read to its end, not closed
     * @throws IOException when reading fails
     */
    private void leaf(Entity e, BodyDescriptor bd, InputStream content) throws IOException {
        String mime = bd.getMimeType() == null ? "text/plain" : bd.getMimeType().toLowerCase(Locale.ROOT);
        boolean attachment = "attachment".equalsIgnoreCase(e.disposition.value()) || e.inRelatedNonRoot();
        if (reportType != null && returned == null && e.parent != null && e.parent.parent == null
                && RETURNED.contains(mime)) {
            // the returned message (or its headers) of a report: its header block names the original message
            Head h = Head.read(content);
            returned = HeaderField.parseBlock(HeaderBlock.read(new ByteArrayInputStream(h.bytes()), HEADER_LIMIT)
                    .bytes());
            if (mime.equals("message/rfc822") || mime.equals("message/global")) {
                embedded(e, h);
            } else {
                byValue(e, mime, h);
            }
            return;
        }
        if (mime.equals("message/rfc822") || mime.equals("message/global")) {
            embedded(e, Head.read(content));
        } else if (mime.equals("text/plain") && !attachment && !hasBody()) {
            Head h = Head.read(content);
            String label = e.contentType.get("charset");
            if (h.complete()) {
                body = MailCharsets.decode(h.bytes(), label, defects);
            } else {
                largeText(h, label, PropTags.PR_BODY);
            }
        } else if (mime.equals("text/html") && !attachment && !hasHtml()) {
            Head h = Head.read(content);
            String label = e.contentType.get("charset");
            if (label == null) {
                label = MailCharsets.sniffHtml(h.bytes());
            }
            if (h.complete()) {
                html = MailCharsets.decode(h.bytes(), label, defects).getBytes(StandardCharsets.UTF_8);
            } else {
                largeText(h, label, PropTags.PR_HTML);
            }
        } else if (mime.equals("message/delivery-status") || mime.equals("message/disposition-notification")) {
            byte[] bytes = readAll(content); // a few lines of fields, read for the report's class
            if (mime.equals("message/delivery-status")) {
                Matcher m = ACTION.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    actions.add(m.group(1).toLowerCase(Locale.ROOT));
                }
                if ("delivery-status".equals(reportType) && deliveryStatus == null) {
                    deliveryStatus = DeliveryStatus.parse(bytes);
                }
            } else if (disposition == null) {
                Matcher m = DISPOSITION.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
                disposition = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "";
            }
            byValue(e, mime, Head.of(bytes));
        } else {
            byValue(e, mime, Head.read(content));
        }
    }

    /**
     * Reads a stream to its end into an array sized by what it held: parts are mostly small, and
     * {@code InputStream.readAllBytes} starts every part with an 8 KiB buffer and then copies it.
     *
     * @param in the stream
     * @return its bytes
     * @throws IOException when reading fails
     */
    static byte[] readAll(InputStream in) throws IOException {
        byte[] buf = new byte[512];
        int n = 0;
        while (true) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                return n == buf.length ? buf : java.util.Arrays.copyOf(buf, n);
            }
            n += r;
            if (n == buf.length) {
                int next = (int) Math.min(2L * buf.length, Integer.MAX_VALUE - 8);
                if (next == buf.length) {
                    // as InputStream.readAllBytes fails: no array can hold it
                    throw new OutOfMemoryError("Required array size too large");
                }
                buf = java.util.Arrays.copyOf(buf, next);
            }
        }
    }

    /**
     * A text body larger than {@link #INLINE_LIMIT}: decoded exactly as {@link MailCharsets#decode} decodes a small
     * one and written through a stream of the target (PR_BODY as UTF-16LE, PR_HTML as UTF-8), never held whole; when
     * the target opens no streams it is held after all and set at the end like a small one. Text whose charset the
     * bytes decide (none declared, or US-ASCII) goes through a temporary file first, read once to check it is UTF-8.
     *
     * @param head the part's content
     * @param label the declared charset, or null
     * @param tag  PR_BODY or PR_HTML
     * @throws IOException when reading the part fails
     * @throws MapiException MAPI_E_DISK_ERROR when the temporary file cannot be written or read; the target's errors
     */
    private void largeText(Head head, String label, int tag) throws IOException {
        Charset cs = MailCharsets.declared(label, defects);
        Path spill = null;
        try {
            InputStream bytes;
            if (cs == null) {
                spill = temporaryFile();
                Utf8Check utf8 = new Utf8Check();
                try (OutputStream out = diskOutput(spill)) {
                    InputStream in = head.stream();
                    byte[] buf = new byte[PIECE];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        utf8.update(buf, 0, n);
                        out.write(buf, 0, n);
                    }
                }
                cs = utf8.valid() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
                bytes = diskInput(spill);
            } else {
                bytes = head.stream();
            }
            try (Reader text = new InputStreamReader(bytes, cs)) {
                MapiStream stream = PropStreams.openWrite(target, tag);
                if (stream == null) {
                    StringWriter all = new StringWriter();
                    text.transferTo(all);
                    if (tag == PropTags.PR_BODY) {
                        body = all.toString();
                    } else {
                        html = all.toString().getBytes(StandardCharsets.UTF_8);
                    }
                    return;
                }
                try {
                    Writer w = new OutputStreamWriter(PropStreams.output(stream),
                            tag == PropTags.PR_BODY ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_8);
                    text.transferTo(w);
                    w.flush();
                    stream.commit(Flags.STGC_DEFAULT);
                } finally {
                    stream.release();
                }
                if (tag == PropTags.PR_BODY) {
                    bodyStreamed = true;
                } else {
                    htmlStreamed = true;
                }
            }
        } finally {
            if (spill != null) {
                Files.deleteIfExists(spill);
            }
        }
    }

    /**
     * @param e    the entity
     * @param mime its MIME type
     * @param data its decoded content
     * @throws IOException when reading the content fails
     */
    private void byValue(Entity e, String mime, Head data) throws IOException {
        List<PropValue> p = new ArrayList<>();
        p.add(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_BY_VALUE));
        p.add(PropValue.ofString(PropTags.PR_ATTACH_MIME_TAG, mime));
        String filename = e.filename();
        if (filename != null) {
            p.add(PropValue.ofString(PropTags.PR_ATTACH_LONG_FILENAME, filename));
            int dot = filename.lastIndexOf('.');
            if (dot >= 0 && dot < filename.length() - 1) {
                p.add(PropValue.ofString(MimeProps.PR_ATTACH_EXTENSION, filename.substring(dot)));
            }
        }
        String display = filename != null ? filename : e.description();
        if (display != null) {
            p.add(PropValue.ofString(PropTags.PR_DISPLAY_NAME, display));
        }
        List<PropValue> tail = e.inRelatedNonRoot() && e.contentId() != null
                ? List.of(PropValue.ofBoolean(MimeProps.PR_ATTACHMENT_HIDDEN, true)) : List.of();
        writeAttachment(e, p, data, tail);
    }

    /**
     * A message/rfc822 part: an ATTACH_EMBEDDED_MSG attachment holding the message's bytes (see {@link MimeProps}).
     *
     * @param e    the entity
     * @param data the embedded message
     * @throws IOException when reading the content fails
     */
    private void embedded(Entity e, Head data) throws IOException {
        List<PropValue> p = new ArrayList<>();
        p.add(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_EMBEDDED_MSG));
        p.add(PropValue.ofString(PropTags.PR_ATTACH_MIME_TAG, MimeProps.MIME_MESSAGE_RFC822));
        String filename = e.filename();
        if (filename != null) {
            p.add(PropValue.ofString(PropTags.PR_ATTACH_LONG_FILENAME, filename));
        }
        String subject = null;
        byte[] header = HeaderBlock.read(new ByteArrayInputStream(data.bytes()), HEADER_LIMIT).bytes();
        for (HeaderField f : HeaderField.parseBlock(header)) {
            if (f.is("Subject")) {
                subject = EncodedWords.decode(f.value());
                break;
            }
        }
        String display = subject != null && !subject.isEmpty() ? subject
                : filename != null ? filename : e.description();
        if (display != null) {
            p.add(PropValue.ofString(PropTags.PR_DISPLAY_NAME, display));
        }
        writeAttachment(e, p, data, List.of());
    }

    /**
     * @param e    the entity
     * @param p    the attachment's properties so far; Content-ID, Content-Location, size and position added
     * @param size the content size
     */
    private void common(Entity e, List<PropValue> p, long size) {
        if (e.contentId() != null) {
            p.add(PropValue.ofString(PropTags.PR_ATTACH_CONTENT_ID, e.contentId()));
        }
        String location = e.first("Content-Location");
        if (location != null && !location.isEmpty()) {
            p.add(PropValue.ofString(MimeProps.PR_ATTACH_CONTENT_LOCATION, location));
        }
        p.add(PropValue.ofInt(PropTags.PR_ATTACH_SIZE, (int) Math.min(size, Integer.MAX_VALUE)));
        p.add(PropValue.ofInt(PropTags.PR_RENDERING_POSITION, -1));
    }

    /**
     * Creates, fills, saves and releases one attachment: the content first (held whole: PR_ATTACH_DATA_BIN goes
     * second in the property list; larger: through a stream), then the properties with the size.
     *
     * @param e    the entity
     * @param p    the properties before Content-ID, Content-Location, size and position, PR_ATTACH_METHOD first
     * @param data the content
     * @param tail properties after those
     * @throws IOException when reading the content fails; the attachment is then discarded
     */
    private void writeAttachment(Entity e, List<PropValue> p, Head data, List<PropValue> tail) throws IOException {
        Attach a = target.createAttach(0);
        try {
            long size = data.complete() ? -1 : stream(a, PropTags.PR_ATTACH_DATA_BIN, data);
            if (size < 0) {
                byte[] bytes = data.complete() ? data.bytes() : data.stream().readAllBytes();
                p.add(1, PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, bytes));
                size = bytes.length;
            }
            common(e, p, size);
            p.addAll(tail);
            report("attachment", a.setProps(p));
            a.saveChanges(0);
        } finally {
            a.release();
        }
        attachments++;
    }

    /**
     * Writes content through a new stream of {@code obj}'s property and commits it.
     *
     * @param obj  the object
     * @param tag  the property
     * @param data the content
     * @return the bytes written, or -1 when the object opens no streams (nothing was read then)
     * @throws IOException when reading the content fails; the stream is then released uncommitted
     */
    private static long stream(Attach obj, int tag, Head data) throws IOException {
        MapiStream stream = PropStreams.openWrite(obj, tag);
        if (stream == null) {
            return -1;
        }
        try {
            long n = 0;
            InputStream in = data.stream();
            byte[] buf = new byte[PIECE];
            for (int r; (r = in.read(buf)) > 0; ) {
                stream.write(buf, 0, r);
                n += r;
            }
            stream.commit(Flags.STGC_DEFAULT);
            return n;
        } finally {
            stream.release();
        }
    }

    /**
     * @return a new temporary file for a part's bytes (readable by the owner only)
     * @throws MapiException MAPI_E_DISK_ERROR when it cannot be created
     */
    private static Path temporaryFile() {
        try {
            return Files.createTempFile("jmapi-mime-", ".part");
        } catch (IOException e) {
            throw new MapiException(HResult.MAPI_E_DISK_ERROR, "cannot create a temporary file for a large text "
                    + "part: " + e.getMessage(), e);
        }
    }

    /**
     * @param file a temporary file
     * @return a stream writing it; its I/O errors come out as MapiException MAPI_E_DISK_ERROR, so they are not taken
     *         for errors of the input
     */
    private static OutputStream diskOutput(Path file) {
        try {
            OutputStream out = Files.newOutputStream(file);
            return new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    try {
                        out.write(b, off, len);
                    } catch (IOException e) {
                        throw diskError(file, e);
                    }
                }

                @Override
                public void close() {
                    try {
                        out.close();
                    } catch (IOException e) {
                        throw diskError(file, e);
                    }
                }
            };
        } catch (IOException e) {
            throw diskError(file, e);
        }
    }

    /**
     * @param file a temporary file
     * @return a stream reading it; its I/O errors come out as MapiException MAPI_E_DISK_ERROR
     */
    private static InputStream diskInput(Path file) {
        try {
            InputStream in = Files.newInputStream(file);
            return new InputStream() {
                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    try {
                        return in.read(b, off, len);
                    } catch (IOException e) {
                        throw diskError(file, e);
                    }
                }

                @Override
                public void close() {
                    try {
                        in.close();
                    } catch (IOException e) {
                        throw diskError(file, e);
                    }
                }
            };
        } catch (IOException e) {
            throw diskError(file, e);
        }
    }

    /**
     * @param file a temporary file
     * @param e    what went wrong with it
     * @return the error to throw
     */
    private static MapiException diskError(Path file, IOException e) {
        return new MapiException(HResult.MAPI_E_DISK_ERROR, "cannot use the temporary file " + file
                + " for a large text part: " + e.getMessage(), e);
    }

    /**
     * Writes the message properties and recipients.
     *
     * @return the result
     */
    private MimeReader.Result finish() {
        String messageClass = messageClass();
        props.add(PropValue.ofString(PropTags.PR_MESSAGE_CLASS, messageClass));
        if (messageClass.equals(MimeProps.CLASS_NON_DELIVERY_REPORT)
                || messageClass.equals(MimeProps.CLASS_DELAYED_REPORT)
                || messageClass.equals(MimeProps.CLASS_DELIVERY_REPORT)) {
            statusReport(messageClass);
        }
        if (body != null) {
            props.add(PropValue.ofString(PropTags.PR_BODY, body));
        }
        if (html != null) {
            props.add(PropValue.ofBinary(PropTags.PR_HTML, html));
        }
        if (hasHtml()) {
            props.add(PropValue.ofInt(MimeProps.PR_INTERNET_CPID, MimeProps.CP_UTF8));
        }
        props.add(PropValue.ofBoolean(PropTags.PR_HASATTACH, attachments > 0));
        report("message", target.setProps(props));
        if (!recipients.isEmpty()) {
            target.modifyRecipients(Flags.MODRECIP_ADD, recipients);
        }
        return new MimeReader.Result(messageClass, recipients.size(), attachments, defects.toList());
    }

    /**
     * A delivery status notification (RFC 3464) as MAPI shows a report (MS-OXCMAIL 2.2.3.7.1, and the way the
     * spooler writes its own reports): PR_REPORT_TIME, the PR_ORIGINAL_* properties of the message reported on (from
     * the returned message or header part) and a recipient table holding the recipients reported on, not the
     * report's own addressee, who goes into PR_RECEIVED_BY_*. Only the per-recipient blocks whose Action gave the
     * report its class are listed (failed for an NDR, delayed for a delay notice, delivered / relayed / expanded
     * for a DR), each with PR_REPORT_TEXT (the remote server's words), PR_REPORT_TIME, PR_SUPPLEMENTARY_INFO and,
     * on a non-delivery, PR_NDR_REASON_CODE, PR_NDR_DIAG_CODE and PR_NDR_STATUS_CODE (the SMTP reply code, as the
     * SMTP transport sets it for a refusal at RCPT TO), or, on a delivery, PR_DELIVER_TIME. When no block can be
     * read the To / Cc recipients stay as they are.
     *
     * @param messageClass the report's class
     */
    private void statusReport(String messageClass) {
        Instant reportTime = sent != null ? sent : deliveryTime;
        props.add(PropValue.ofTime(PropTags.PR_REPORT_TIME, reportTime));
        if (returned != null) {
            for (HeaderField f : returned) {
                if (f.is("Subject") && props.stream().noneMatch(v -> v.id() == PropTag.id(PropTags.PR_ORIGINAL_SUBJECT))) {
                    props.add(PropValue.ofString(PropTags.PR_ORIGINAL_SUBJECT, EncodedWords.decode(f.value())));
                } else if (f.is("Date") && props.stream()
                        .noneMatch(v -> v.id() == PropTag.id(PropTags.PR_ORIGINAL_SUBMIT_TIME))) {
                    MailDates.parse(f.value())
                            .ifPresent(t -> props.add(PropValue.ofTime(PropTags.PR_ORIGINAL_SUBMIT_TIME, t)));
                } else if (f.is("Message-ID") && props.stream()
                        .noneMatch(v -> v.id() == PropTag.id(MimeProps.PR_ORIGINAL_MESSAGE_ID))) {
                    String id = ids(f.value(), true);
                    if (id != null) {
                        props.add(PropValue.ofString(MimeProps.PR_ORIGINAL_MESSAGE_ID, id));
                    }
                } else if (f.is("To") && props.stream()
                        .noneMatch(v -> v.id() == PropTag.id(MimeProps.PR_ORIGINAL_DISPLAY_TO))) {
                    List<String> names = MailAddress.parseList(f.value()).stream().map(MailAddress::displayName)
                            .toList();
                    if (!names.isEmpty()) {
                        props.add(PropValue.ofString(MimeProps.PR_ORIGINAL_DISPLAY_TO, String.join("; ", names)));
                    }
                }
            }
        }
        if (deliveryStatus == null) {
            return;
        }
        List<List<PropValue>> rows = new ArrayList<>();
        for (DeliveryStatus.Recipient r : deliveryStatus.recipients()) {
            boolean listed = switch (messageClass) {
                case MimeProps.CLASS_NON_DELIVERY_REPORT -> r.failed();
                case MimeProps.CLASS_DELAYED_REPORT -> r.action().equals("delayed");
                default -> r.delivered();
            };
            if (listed) {
                rows.add(reportRow(r, reportTime));
            }
        }
        if (rows.isEmpty()) {
            defects.add("the delivery-status part names no recipient with the report's Action; the report's To and Cc"
                    + " are kept as its recipients");
            return;
        }
        if (!addressees.isEmpty()) {
            MailAddress to = addressees.get(0);
            originator(to, MimeProps.PR_RECEIVED_BY_NAME, MimeProps.PR_RECEIVED_BY_EMAIL_ADDRESS,
                    MimeProps.PR_RECEIVED_BY_ADDRTYPE, MimeProps.PR_RECEIVED_BY_SEARCH_KEY);
        }
        recipients.clear();
        recipients.addAll(rows);
    }

    /**
     * @param r          a per-recipient block
     * @param reportTime when the report was made
     * @return its recipient row
     */
    private static List<PropValue> reportRow(DeliveryStatus.Recipient r, Instant reportTime) {
        String addrType = r.internet() ? MimeProps.ADDRTYPE_SMTP : r.addressType().toUpperCase(Locale.ROOT);
        List<PropValue> row = new ArrayList<>();
        row.add(PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, Flags.MAPI_TO));
        row.add(PropValue.ofString(PropTags.PR_DISPLAY_NAME, r.displayName() != null ? r.displayName() : r.address()));
        row.add(PropValue.ofString(PropTags.PR_EMAIL_ADDRESS, r.address()));
        row.add(PropValue.ofString(PropTags.PR_ADDRTYPE, addrType));
        if (r.internet()) {
            row.add(PropValue.ofString(MimeProps.PR_SMTP_ADDRESS, r.address()));
        }
        row.add(PropValue.ofBinary(PropTags.PR_SEARCH_KEY, (addrType + ":" + r.address().toUpperCase(Locale.ROOT)
                + "\0").getBytes(StandardCharsets.UTF_8)));
        row.add(PropValue.ofString(PropTags.PR_REPORT_TEXT, r.reportText()));
        row.add(PropValue.ofTime(PropTags.PR_REPORT_TIME, reportTime));
        row.add(PropValue.ofString(MimeProps.PR_SUPPLEMENTARY_INFO, r.supplementaryInfo()));
        if (r.failed()) {
            row.add(PropValue.ofInt(PropTags.PR_NDR_REASON_CODE, r.reasonCode()));
            row.add(PropValue.ofInt(PropTags.PR_NDR_DIAG_CODE, r.diagCode()));
            if (r.replyCode() > 0) {
                row.add(PropValue.ofInt(PropTags.PR_NDR_STATUS_CODE, r.replyCode()));
            }
        } else if (r.delivered()) {
            row.add(PropValue.ofTime(PropTags.PR_DELIVER_TIME, reportTime));
        }
        return row;
    }

    /** @return PR_MESSAGE_CLASS from the top-level report, if any */
    private String messageClass() {
        if ("delivery-status".equals(reportType)) {
            if (actions.contains("failed")) {
                return MimeProps.CLASS_NON_DELIVERY_REPORT;
            }
            if (actions.contains("delayed")) {
                return MimeProps.CLASS_DELAYED_REPORT;
            }
            if (!actions.isEmpty()) {
                return MimeProps.CLASS_DELIVERY_REPORT;
            }
            defects.add("multipart/report of delivery-status without a readable Action field; kept as IPM.Note");
        } else if ("disposition-notification".equals(reportType) && disposition != null) {
            return disposition.equals("displayed") ? MimeProps.CLASS_READ_RECEIPT : MimeProps.CLASS_NON_READ_RECEIPT;
        }
        return MimeProps.CLASS_NOTE;
    }

    /**
     * @param what     "message" or "attachment"
     * @param problems what the target refused
     */
    private void report(String what, List<PropProblem> problems) {
        for (PropProblem p : problems) {
            String name = PropTags.name(p.tag());
            defects.add("the target " + what + " refused " + (name != null ? name : PropTag.toString(p.tag()))
                    + ": " + HResult.name(p.scode()));
        }
    }

    /**
     * @param value an address-list header value, or null
     * @return its first mailbox, or null
     */
    private static MailAddress firstAddress(String value) {
        List<MailAddress> list = MailAddress.parseList(value);
        return list.isEmpty() ? null : list.get(0);
    }

    /**
     * @param value a Message-ID, In-Reply-To or References value, or null
     * @param one   whether only the first msg-id counts
     * @return the msg-ids with their angle brackets, space separated; the trimmed value when it holds none; null
     *         when absent or empty
     */
    static String ids(String value, boolean one) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher m = MSG_ID.matcher(value);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(SPACE.matcher(m.group()).replaceAll(""));
            if (one) {
                break;
            }
        }
        return found.isEmpty() ? SPACES.matcher(value.trim()).replaceAll(" ") : String.join(" ", found);
    }

    /**
     * @param importance the Importance header, or null
     * @param priority   the X-Priority header, or null
     * @return PR_IMPORTANCE, or -1 when neither says anything
     */
    private static int importance(String importance, String priority) {
        if (importance != null) {
            String v = importance.trim().toLowerCase(Locale.ROOT);
            if (v.startsWith("high")) {
                return MimeProps.IMPORTANCE_HIGH;
            }
            if (v.startsWith("low")) {
                return MimeProps.IMPORTANCE_LOW;
            }
            if (v.startsWith("normal")) {
                return MimeProps.IMPORTANCE_NORMAL;
            }
        }
        if (priority != null && !priority.isBlank()) {
            char c = priority.trim().charAt(0);
            if (c == '1' || c == '2') {
                return MimeProps.IMPORTANCE_HIGH;
            }
            if (c == '4' || c == '5') {
                return MimeProps.IMPORTANCE_LOW;
            }
            if (c == '3') {
                return MimeProps.IMPORTANCE_NORMAL;
            }
        }
        return -1;
    }

    /**
     * @param address an SMTP address
     * @return the MAPI search key {@code SMTP:ADDRESS} in upper case, NUL terminated
     */
    static byte[] searchKey(String address) {
        return ("SMTP:" + address.toUpperCase(Locale.ROOT) + "\0").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A part's content: whole when it ended within {@link #INLINE_LIMIT} bytes, else its first bytes and the unread
     * rest.
     *
     * @param bytes the whole content, or its first {@code INLINE_LIMIT + 1} bytes
     * @param rest  the rest of the part's stream, or null when {@code bytes} is all of it
     */
    private record Head(byte[] bytes, InputStream rest) {
        /**
         * @param in a part's content
         * @return its head
         * @throws IOException when reading fails
         */
        static Head read(InputStream in) throws IOException {
            byte[] b = in.readNBytes(INLINE_LIMIT + 1);
            return new Head(b, b.length > INLINE_LIMIT ? in : null);
        }

        /**
         * @param bytes a whole content
         * @return it as a head
         */
        static Head of(byte[] bytes) {
            return new Head(bytes, null);
        }

        /** @return whether {@link #bytes} is the whole content */
        boolean complete() {
            return rest == null;
        }

        /**
         * @return the whole content, to be read once; closing it leaves the part's stream open (mime4j reads on
         *         after it)
         */
        InputStream stream() {
            InputStream first = new ByteArrayInputStream(bytes);
            InputStream all = rest == null ? first : new SequenceInputStream(first, rest);
            return new FilterInputStream(all) {
                @Override
                public void close() {
                    // the part's stream belongs to the parser
                }
            };
        }
    }

    /** A mime4j decode monitor that turns warnings into defects and never aborts. */
    private static final class Monitor extends DecodeMonitor {
        /** Where warnings go. */
        private final Defects defects;

        /** @param defects where warnings go */
        Monitor(Defects defects) {
            this.defects = defects;
        }

        @Override
        public boolean warn(String error, String dropDesc) {
            defects.add(error + (dropDesc == null ? "" : " (" + dropDesc + ")"));
            return false;
        }

        @Override
        public boolean isListening() {
            return true;
        }
    }

    /** One MIME entity (the message or a body part) while it is open. */
    private static final class Entity {
        /** The enclosing entity, null for the message. */
        final Entity parent;
        /** The position among the parent's parts. */
        final int index;
        /** Header fields as read. */
        final List<HeaderField> fields = new ArrayList<>();
        /** Parts seen so far, when this is a multipart. */
        int children;
        /** The multipart subtype, lower case, or null. */
        String multipart;
        /** Content-Type, parsed once the header is complete. */
        MimeParameters contentType = MimeParameters.parse(null);
        /** Content-Disposition, parsed once the header is complete. */
        MimeParameters disposition = MimeParameters.parse(null);
        /** The preamble of this multipart, kept until its end in case no delimiter follows; else null. */
        byte[] preamble;
        /** Whether this is the root part of a multipart/related (or lies inside it). */
        boolean relatedRoot;

        /**
         * @param parent the enclosing entity, null for the message
         * @param index  the position among the parent's parts
         */
        Entity(Entity parent, int index) {
            this.parent = parent;
            this.index = index;
        }

        /** Parses the MIME fields and decides the multipart/related role once the header is complete. */
        void headerDone() {
            contentType = MimeParameters.parse(first("Content-Type"));
            disposition = MimeParameters.parse(first("Content-Disposition"));
            if (parent != null && "related".equals(parent.multipart)) {
                String start = parent.contentType.get("start");
                relatedRoot = start == null ? index == 0 : stripAngles(start).equals(contentId());
            }
        }

        /** @return whether this entity is, or lies inside, a part of a multipart/related other than its root */
        boolean inRelatedNonRoot() {
            for (Entity e = this; e.parent != null; e = e.parent) {
                if ("related".equals(e.parent.multipart) && !e.relatedRoot) {
                    return true;
                }
            }
            return false;
        }

        /**
         * @param name a field name
         * @return the first such field's value, or null
         */
        String first(String name) {
            for (HeaderField f : fields) {
                if (f.is(name)) {
                    return f.value();
                }
            }
            return null;
        }

        /**
         * @param name a field name
         * @return every such field's value joined by spaces, or null
         */
        String all(String name) {
            StringBuilder sb = new StringBuilder();
            for (HeaderField f : fields) {
                if (f.is(name)) {
                    sb.append(sb.length() > 0 ? " " : "").append(f.value());
                }
            }
            return sb.length() == 0 ? null : sb.toString();
        }

        /** @return the Content-ID without angle brackets, or null */
        String contentId() {
            String id = first("Content-ID");
            return id == null || id.isBlank() ? null : stripAngles(id);
        }

        /** @return the Content-Description decoded, or null */
        String description() {
            String d = first("Content-Description");
            return d == null || d.isBlank() ? null : EncodedWords.decode(d);
        }

        /**
         * @return the filename (Content-Disposition filename, else Content-Type name), decoded, without any path
         *         and control characters; null when there is none
         */
        String filename() {
            String f = disposition.get("filename");
            if (f == null || f.isBlank()) {
                f = contentType.get("name");
            }
            if (f == null) {
                return null;
            }
            f = f.substring(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1);
            f = CONTROL.matcher(f).replaceAll("").trim();
            return f.isEmpty() ? null : f;
        }

        /**
         * @param s a value like {@code <id@host>}
         * @return it without surrounding whitespace and angle brackets
         */
        private static String stripAngles(String s) {
            String t = s.trim();
            if (t.startsWith("<")) {
                t = t.substring(1);
            }
            if (t.endsWith(">")) {
                t = t.substring(0, t.length() - 1);
            }
            return t.trim();
        }
    }
}
