package org.jmapi.mime;

import org.jmapi.client.Message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Converts a MAPI message into RFC 5322 / MIME bytes: the outbound half of a transport, and the export path for
 * {@code .eml} files. The message is only read (getProps, getRecipientTable + queryRows, getAttachmentTable +
 * openAttach, openProperty with IStream); nothing is changed on it.
 *
 * <h2>What is written</h2>
 * <ul>
 * <li>Date (PR_CLIENT_SUBMIT_TIME, else now), From (PR_SENT_REPRESENTING_*, else PR_SENDER_*), Sender when
 *     PR_SENDER_* names another address, To and Cc from the recipient table, Subject (PR_SUBJECT, else
 *     PR_SUBJECT_PREFIX + PR_NORMALIZED_SUBJECT; RFC 2047 UTF-8 encoded-words when not plain ASCII), Message-ID
 *     (PR_INTERNET_MESSAGE_ID, else a new one), In-Reply-To, References, Importance / X-Priority when PR_IMPORTANCE
 *     is high or low, MIME-Version.</li>
 * <li><b>Bcc recipients are never written</b> into the content; they are returned in {@link Result#recipients()}
 *     for the envelope. <b>MAPI_P1 recipients</b> are neither written nor returned: they are for addressing only
 *     (R-XPS-3). Only SMTP addresses are written: PR_SMTP_ADDRESS, else PR_EMAIL_ADDRESS when PR_ADDRTYPE is SMTP
 *     (or unset); other recipients are listed in {@link Result#omitted()}.</li>
 * <li>Only the properties named here are written. Non-transmittable properties (ids 0x0E00&ndash;0x0FFF, the
 *     provider-private range 0x6600&ndash;0x67FF) and named properties never reach the output.</li>
 * <li>Bodies: PR_BODY as {@code text/plain} (us-ascii or utf-8, line breaks made CRLF); PR_HTML (in the charset of
 *     PR_INTERNET_CPID, a {@code <meta>} declaration, or UTF-8) or PR_BODY_HTML (written as UTF-8) as
 *     {@code text/html}; both together as {@code multipart/alternative}.</li>
 * <li>Attachments with a PR_ATTACH_CONTENT_ID that the HTML references ({@code cid:}) or that are
 *     PR_ATTACHMENT_HIDDEN go with the HTML into {@code multipart/related} (Content-Disposition inline); every
 *     other attachment goes into {@code multipart/mixed} (Content-Disposition attachment); a report
 *     (PR_MESSAGE_CLASS {@code REPORT.*.DR / .NDR / .Delayed / .IPNRN / .IPNNRN}) that carries its
 *     {@code message/delivery-status} or {@code message/disposition-notification} attachment is written as
 *     {@code multipart/report} instead, the text first. Filenames are written
 *     as RFC 2231 parameters ({@code filename*=utf-8''...}, continued when long) when not plain ASCII.
 *     ATTACH_EMBEDDED_MSG attachments (PR_ATTACH_DATA_BIN holding RFC 822 bytes; see {@link MimeProps}) become
 *     {@code message/rfc822} parts. Other attach methods (by reference, OLE) have no MIME form and are listed in
 *     {@link Result#omitted()}.</li>
 * <li>Transfer encodings by content: 7bit when the bytes allow it, quoted-printable for mostly-ASCII text, base64
 *     for everything else; {@code message/rfc822} only as 7bit, 8bit or binary (RFC 2046). Header lines are folded
 *     at about 78 characters. Every encoding decodes back to exactly the bytes given.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * A {@link org.jmapi.MapiException} from the message (invalid object; MAPI_E_NOT_ENOUGH_MEMORY for a property too
 * large for getProps on an object that offers no openProperty either) and an {@link IOException} from the output
 * stream propagate; the output is then incomplete and must be discarded. Missing or unusable properties are not
 * errors: they are left out and listed in {@link Result#omitted()}.
 *
 * <h2>Resources</h2>
 * Bodies and attachment descriptions are read first; each attachment's content is read only while it is written.
 * Attachment content (PR_ATTACH_DATA_BIN) is read through {@code openProperty} as a {@code MapiStream}, and so is
 * a body (PR_BODY, PR_HTML / PR_BODY_HTML) or any other value that getProps answers with PT_ERROR
 * MAPI_E_NOT_ENOUGH_MEMORY (R-PROP-1): content is encoded while it streams to the output, never held whole, so a
 * message of any size is written in a constant amount of heap (header values read that way are held, being header
 * text). Content whose encoding depends on its bytes (text, embedded messages, an HTML body of undeclared charset)
 * is read twice: once to choose, once to encode. Objects that open no property as a stream (MAPI_E_NO_SUPPORT) are
 * read with getProps, a value too large for an explicit request from a request for all properties.
 *
 * <p>Instances are immutable and thread-safe; {@code with*} methods return a changed copy.
 */
public final class MimeWriter {
    /** What {@link #isMessageIdDomain} accepts. */
    private static final Pattern MESSAGE_ID_DOMAIN = Pattern.compile("[A-Za-z0-9.-]+");

    /** Where "now" comes from. */
    private final Clock clock;
    /** The zone the Date header is written in. */
    private final ZoneId zone;
    /** The domain of generated Message-IDs, or null for the From domain. */
    private final String messageIdDomain;

    /** A writer using the system clock, the system time zone, and the From domain for new Message-IDs. */
    public MimeWriter() {
        this(Clock.systemUTC(), ZoneId.systemDefault(), null);
    }

    /**
     * @param clock           where "now" comes from
     * @param zone            the zone of the Date header
     * @param messageIdDomain the domain of generated Message-IDs, or null
     */
    private MimeWriter(Clock clock, ZoneId zone, String messageIdDomain) {
        this.clock = clock;
        this.zone = zone;
        this.messageIdDomain = messageIdDomain;
    }

    /**
     * @param clock where "now" comes from (the Date of a message without PR_CLIENT_SUBMIT_TIME)
     * @return a writer using it
     */
    public MimeWriter withClock(Clock clock) {
        return new MimeWriter(Objects.requireNonNull(clock, "clock"), zone, messageIdDomain);
    }

    /**
     * @param zone the time zone the Date header is written in
     * @return a writer using it
     */
    public MimeWriter withZone(ZoneId zone) {
        return new MimeWriter(clock, Objects.requireNonNull(zone, "zone"), messageIdDomain);
    }

    /**
     * @param domain the domain of generated Message-IDs ({@code <random@domain>}), or null for the From address's
     *               domain (and {@code jmapi.invalid} when there is none)
     * @return a writer using it
     * @throws IllegalArgumentException when the domain holds characters other than letters, digits, dots and
     *                                  hyphens
     */
    public MimeWriter withMessageIdDomain(String domain) {
        if (domain != null && !isMessageIdDomain(domain)) {
            throw new IllegalArgumentException("not a domain: " + domain);
        }
        return new MimeWriter(clock, zone, domain);
    }

    /**
     * The rule every generated Message-ID's domain follows (this writer's, the SMTP transport's stable ones): letters,
     * digits, dots and hyphens only, at least one.
     *
     * @param domain a candidate domain
     * @return whether a Message-ID may use it as it is
     */
    public static boolean isMessageIdDomain(String domain) {
        return MESSAGE_ID_DOMAIN.matcher(domain).matches();
    }

    /**
     * Writes {@code source} as one RFC 5322 message to {@code out}. The stream is flushed, not closed.
     *
     * @param source the message to read
     * @param out    where the bytes go
     * @return the Message-ID written, the recipients, the attachment count and what was left out
     * @throws IOException             when writing fails
     * @throws org.jmapi.MapiException when reading the message fails
     * @throws NullPointerException    for a null argument
     */
    public Result write(Message source, OutputStream out) throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(out, "out");
        return new MapiToMime(source, this).write(out);
    }

    /**
     * Writes {@code source} into a byte array; see {@link #write(Message, OutputStream)}.
     *
     * @param source the message to read
     * @return the RFC 5322 bytes
     * @throws org.jmapi.MapiException when reading the message fails
     */
    public byte[] toBytes(Message source) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(source, out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a byte array cannot fail", e);
        }
        return out.toByteArray();
    }

    /** @return where "now" comes from */
    Clock clock() {
        return clock;
    }

    /** @return the zone of the Date header */
    ZoneId zone() {
        return zone;
    }

    /** @return the domain of generated Message-IDs, or null */
    String messageIdDomain() {
        return messageIdDomain;
    }

    /**
     * One recipient the message goes to.
     *
     * @param type    MAPI_TO, MAPI_CC or MAPI_BCC (without MAPI_SUBMITTED)
     * @param name    the display name, empty when it is the address itself
     * @param address the SMTP address
     */
    public record Recipient(int type, String name, String address) {}

    /**
     * What one conversion wrote.
     *
     * @param messageId   the Message-ID header written, with angle brackets (generated when the message had none)
     * @param recipients  the To, Cc and Bcc recipients in table order: the envelope (Bcc ones are not in the header)
     * @param attachments the number of attachment parts written
     * @param omitted     what was left out and why (MAPI_P1 recipients, non-SMTP addresses, attachments without a
     *                    MIME form, unusable ids)
     */
    public record Result(String messageId, List<Recipient> recipients, int attachments, List<String> omitted) {
        /**
         * Copies the lists.
         *
         * @param messageId   the Message-ID written
         * @param recipients  the recipients
         * @param attachments the attachment count
         * @param omitted     what was left out
         */
        public Result {
            recipients = List.copyOf(recipients);
            omitted = List.copyOf(omitted);
        }
    }
}
