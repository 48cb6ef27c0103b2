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
import org.jmapi.client.Message;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
 * Attachments are written (and their bytes dropped) as soon as their part ends, so at most one part's content is
 * in memory at a time; everything else is written at the end. See {@link MimeReader} for the mapping.
 *
 * <p>Not thread-safe; used once.
 */
final class MimeToMapi {
    /** The most header bytes kept for PR_TRANSPORT_MESSAGE_HEADERS. */
    static final int HEADER_LIMIT = 1 << 20;
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
    /** A msg-id in Message-ID, In-Reply-To and References. */
    private static final Pattern MSG_ID = Pattern.compile("<[^<>]*>");
    /** A subject prefix such as {@code RE: } or {@code AW: } (MS-OXCMSG PidTagSubjectPrefix). */
    private static final Pattern PREFIX = Pattern.compile("^(\\p{L}{1,3}:\\s)");
    /** An RFC 3464 Action field. */
    private static final Pattern ACTION = Pattern.compile("(?im)^action\\s*:\\s*([a-z-]+)");
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
    /** Attachments written. */
    private int attachments;
    /** The top-level multipart/report's report-type, lower case, or null. */
    private String reportType;
    /** RFC 3464 Action values seen in a message/delivery-status part. */
    private final Set<String> actions = new LinkedHashSet<>();
    /** The RFC 8098 disposition type seen in a message/disposition-notification part. */
    private String disposition;

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
                if (e != null && body == null && html == null) {
                    e.preamble = readAll(tokens.getInputStream());
                }
            }
            case T_END_MULTIPART -> {
                Entity e = stack.peek();
                if (e != null && e.children == 0 && e.preamble != null && e.preamble.length > 0 && body == null
                        && html == null) {
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
        addRecipients(e, "Cc", Flags.MAPI_CC);
        addRecipients(e, "Bcc", Flags.MAPI_BCC);
        String date = e.first("Date");
        if (date != null) {
            MailDates.parse(date).ifPresentOrElse(
                    t -> props.add(PropValue.ofTime(PropTags.PR_CLIENT_SUBMIT_TIME, t)),
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

    /**
     * One non-multipart entity: body, HTML body, embedded message or attachment.
     *
     * @param e       the entity
     * @param bd      mime4j's descriptor (type with defaults applied, transfer encoding)
     * @param content the transfer-decoded content
     * @throws IOException when reading fails
     */
    private void leaf(Entity e, BodyDescriptor bd, InputStream content) throws IOException {
        String mime = bd.getMimeType() == null ? "text/plain" : bd.getMimeType().toLowerCase(Locale.ROOT);
        byte[] bytes = readAll(content);
        boolean attachment = "attachment".equalsIgnoreCase(e.disposition.value()) || e.inRelatedNonRoot();
        if (mime.equals("message/rfc822") || mime.equals("message/global")) {
            embedded(e, bytes);
        } else if (mime.equals("text/plain") && !attachment && body == null) {
            body = MailCharsets.decode(bytes, e.contentType.get("charset"), defects);
        } else if (mime.equals("text/html") && !attachment && html == null) {
            String label = e.contentType.get("charset");
            if (label == null) {
                label = MailCharsets.sniffHtml(bytes);
            }
            html = MailCharsets.decode(bytes, label, defects).getBytes(StandardCharsets.UTF_8);
        } else {
            if (mime.equals("message/delivery-status")) {
                Matcher m = ACTION.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    actions.add(m.group(1).toLowerCase(Locale.ROOT));
                }
            } else if (mime.equals("message/disposition-notification") && disposition == null) {
                Matcher m = DISPOSITION.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
                disposition = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "";
            }
            byValue(e, mime, bytes);
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
     * @param e     the entity
     * @param mime  its MIME type
     * @param bytes its decoded content
     */
    private void byValue(Entity e, String mime, byte[] bytes) {
        List<PropValue> p = new ArrayList<>();
        p.add(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_BY_VALUE));
        p.add(PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, bytes));
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
        common(e, p, bytes.length);
        if (e.inRelatedNonRoot() && e.contentId() != null) {
            p.add(PropValue.ofBoolean(MimeProps.PR_ATTACHMENT_HIDDEN, true));
        }
        writeAttachment(p);
    }

    /**
     * A message/rfc822 part: an ATTACH_EMBEDDED_MSG attachment holding the message's bytes (see {@link MimeProps}).
     *
     * @param e     the entity
     * @param bytes the embedded message
     * @throws IOException never in practice (reads a byte array)
     */
    private void embedded(Entity e, byte[] bytes) throws IOException {
        List<PropValue> p = new ArrayList<>();
        p.add(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_EMBEDDED_MSG));
        p.add(PropValue.ofBinary(PropTags.PR_ATTACH_DATA_BIN, bytes));
        p.add(PropValue.ofString(PropTags.PR_ATTACH_MIME_TAG, MimeProps.MIME_MESSAGE_RFC822));
        String filename = e.filename();
        if (filename != null) {
            p.add(PropValue.ofString(PropTags.PR_ATTACH_LONG_FILENAME, filename));
        }
        String subject = null;
        byte[] header = HeaderBlock.read(new ByteArrayInputStream(bytes), HEADER_LIMIT).bytes();
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
        common(e, p, bytes.length);
        writeAttachment(p);
    }

    /**
     * @param e    the entity
     * @param p    the attachment's properties so far; Content-ID, Content-Location, size and position added
     * @param size the content size
     */
    private void common(Entity e, List<PropValue> p, int size) {
        if (e.contentId() != null) {
            p.add(PropValue.ofString(PropTags.PR_ATTACH_CONTENT_ID, e.contentId()));
        }
        String location = e.first("Content-Location");
        if (location != null && !location.isEmpty()) {
            p.add(PropValue.ofString(MimeProps.PR_ATTACH_CONTENT_LOCATION, location));
        }
        p.add(PropValue.ofInt(PropTags.PR_ATTACH_SIZE, size));
        p.add(PropValue.ofInt(PropTags.PR_RENDERING_POSITION, -1));
    }

    /**
     * Creates, fills, saves and releases one attachment.
     *
     * @param p its properties
     */
    private void writeAttachment(List<PropValue> p) {
        Attach a = target.createAttach(0);
        try {
            report("attachment", a.setProps(p));
            a.saveChanges(0);
        } finally {
            a.release();
        }
        attachments++;
    }

    /**
     * Writes the message properties and recipients.
     *
     * @return the result
     */
    private MimeReader.Result finish() {
        String messageClass = messageClass();
        props.add(PropValue.ofString(PropTags.PR_MESSAGE_CLASS, messageClass));
        if (body != null) {
            props.add(PropValue.ofString(PropTags.PR_BODY, body));
        }
        if (html != null) {
            props.add(PropValue.ofBinary(PropTags.PR_HTML, html));
            props.add(PropValue.ofInt(MimeProps.PR_INTERNET_CPID, MimeProps.CP_UTF8));
        }
        props.add(PropValue.ofBoolean(PropTags.PR_HASATTACH, attachments > 0));
        report("message", target.setProps(props));
        if (!recipients.isEmpty()) {
            target.modifyRecipients(Flags.MODRECIP_ADD, recipients);
        }
        return new MimeReader.Result(messageClass, recipients.size(), attachments, defects.toList());
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
            f = f.replaceAll("\\p{Cntrl}", "").trim();
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
