package org.jmapi.mime;

import org.jmapi.client.Message;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Converts an RFC 5322 / MIME message into a MAPI message: the inbound half of a transport (a received message
 * written into the message the spooler handed to {@code StartMessage}), and the import path for {@code .eml} files.
 *
 * <h2>What is written</h2>
 * <ul>
 * <li>PR_MESSAGE_CLASS {@code IPM.Note}; for a top-level {@code multipart/report} of RFC 3464 delivery status
 *     {@code REPORT.IPM.Note.NDR} when some recipient's Action is {@code failed}, {@code REPORT.IPM.Note.Delayed}
 *     when the worst is {@code delayed}, otherwise {@code REPORT.IPM.Note.DR}; for an RFC 8098 disposition
 *     notification {@code REPORT.IPM.Note.IPNRN} ({@code displayed}) or {@code .IPNNRN}.</li>
 * <li>For such a delivery status notification, what a MAPI client expects of a report (MS-OXCMAIL 2.2.3.7.1;
 *     the same shape the spooler gives the reports it writes itself): the recipient table lists the recipients
 *     <em>reported on</em>, read from the {@code message/delivery-status} part (Original-Recipient, else
 *     Final-Recipient; only those whose Action gave the class: failed for an NDR, delayed, or delivered / relayed /
 *     expanded for a DR), each with PR_REPORT_TEXT (the Diagnostic-Code text: the remote server's words),
 *     PR_REPORT_TIME, PR_SUPPLEMENTARY_INFO, and for a failure PR_NDR_REASON_CODE (MAPI_REASON_TRANSFER_IMPOSSIBLE
 *     for a 5.x.x Status, MAPI_REASON_TRANSFER_FAILED for 4.x.x), PR_NDR_DIAG_CODE (from the Status: X.1.x
 *     MAPI_DIAG_OR_NAME_UNRECOGNIZED, X.2.x _RECIPIENT_UNAVAILABLE, X.4.6 _LOOP_DETECTED, X.4.7
 *     _MAXIMUM_TIME_EXPIRED, else _NO_DIAGNOSTIC) and PR_NDR_STATUS_CODE (the SMTP reply code of an {@code smtp}
 *     Diagnostic-Code, e.g. 550), for a delivery PR_DELIVER_TIME. The report's own To addressee becomes
 *     PR_RECEIVED_BY_NAME / _EMAIL_ADDRESS / _ADDRTYPE / _SEARCH_KEY. The message gets PR_REPORT_TIME (its Date)
 *     and, from the returned message or header part, PR_ORIGINAL_SUBJECT, PR_ORIGINAL_SUBMIT_TIME,
 *     PR_ORIGINAL_DISPLAY_TO and PidTagOriginalMessageId ({@link MimeProps#PR_ORIGINAL_MESSAGE_ID}). The
 *     delivery-status and returned parts stay attachments as below, so writing the report out again gives the
 *     same report.</li>
 * <li>PR_SUBJECT (RFC 2047 decoded), PR_SUBJECT_PREFIX ({@code RE: }, {@code AW: }: up to three letters, a colon
 *     and a space; empty otherwise), PR_NORMALIZED_SUBJECT, PR_CONVERSATION_TOPIC.</li>
 * <li>From as PR_SENT_REPRESENTING_NAME / _EMAIL_ADDRESS / _ADDRTYPE ({@code SMTP}) / _SEARCH_KEY; Sender (or From
 *     when there is none) as the PR_SENDER_* set.</li>
 * <li>To, Cc and Bcc as recipients (added with MODRECIP_ADD) with PR_RECIPIENT_TYPE MAPI_TO / MAPI_CC / MAPI_BCC,
 *     PR_DISPLAY_NAME (the name, or the address when there is none), PR_EMAIL_ADDRESS, PR_ADDRTYPE {@code SMTP},
 *     PR_SMTP_ADDRESS and PR_SEARCH_KEY. Groups are flattened.</li>
 * <li>PR_CLIENT_SUBMIT_TIME from Date (when it parses), PR_MESSAGE_DELIVERY_TIME (the configured time, else now),
 *     PR_INTERNET_MESSAGE_ID, PR_IN_REPLY_TO_ID, PR_INTERNET_REFERENCES (msg-ids with their angle brackets,
 *     space separated), PR_IMPORTANCE from Importance / X-Priority.</li>
 * <li>PR_BODY: the first {@code text/plain} part that is not an attachment, decoded with its charset. PR_HTML: the
 *     first such {@code text/html} part, re-encoded as UTF-8, with PR_INTERNET_CPID 65001 (PR_HTML and
 *     PR_BODY_HTML share one property id; the binary form is the one that keeps the bytes).</li>
 * <li>Every other leaf part becomes an attachment: ATTACH_BY_VALUE with PR_ATTACH_DATA_BIN (transfer-decoded),
 *     PR_ATTACH_MIME_TAG, PR_ATTACH_LONG_FILENAME and PR_ATTACH_EXTENSION (Content-Disposition filename or
 *     Content-Type name, RFC 2231 and RFC 2047 decoded, any path removed), PR_DISPLAY_NAME, PR_ATTACH_CONTENT_ID
 *     (without angle brackets), PR_ATTACH_CONTENT_LOCATION, PR_ATTACH_SIZE, PR_RENDERING_POSITION -1; parts of a
 *     {@code multipart/related} other than its root also get PR_ATTACHMENT_HIDDEN when they have a Content-ID. A
 *     {@code message/rfc822} part becomes an ATTACH_EMBEDDED_MSG attachment holding the message's bytes, named by
 *     its Subject (see {@link MimeProps} for this representation). A single-part message whose part is marked
 *     {@code Content-Disposition: attachment} becomes an attachment, not a body.</li>
 * <li>PR_TRANSPORT_MESSAGE_HEADERS: the top-level header block as received (line ends made CRLF); PR_HASATTACH.</li>
 * </ul>
 *
 * <h2>Bad input</h2>
 * Content problems never throw: bad line ends, missing, clashing or overlong boundaries, malformed or obsolete header
 * syntax, broken base64 / quoted-printable, malformed dates and encoded-words are converted as well as the data
 * allows, and each problem noticed is listed in {@link Result#defects()}. An unknown charset decodes as ISO-8859-1;
 * undeclared 8-bit text as UTF-8 when it is valid UTF-8, else ISO-8859-1. A multipart whose boundary never appears
 * keeps its text as the body. A header line or boundary longer than 1 MiB, more than 10,000 header fields in one
 * entity, or an unexpected parser failure stop the parse there; what was read so far is still written. MIME nesting
 * deeper than 100 levels is not parsed further: the deeper entity becomes one attachment (its raw content), which
 * keeps the cost of adversarial nesting linear.
 *
 * <h2>Resources</h2>
 * The input is streamed once. Each attachment is written to the target (created, filled, saved, released) as soon
 * as its part has been read. A part (attachment, embedded message, text or HTML body) of up to 1 MiB is held whole
 * and set with {@code setProps}; a larger one is written through {@code openProperty(..., MAPI_CREATE | MAPI_MODIFY)}
 * and the stream's {@code write} / {@code commit} while it is decoded, so receiving a 50 MB attachment needs a
 * constant amount of heap. A large text body whose charset the bytes decide (none declared, or US-ASCII) is copied
 * to a temporary file first (deleted before {@code read} returns): whether it is UTF-8 depends on all of it. A target
 * that opens no property as a stream (MAPI_E_NO_SUPPORT) gets every value through {@code setProps}, large parts held
 * whole.
 *
 * <h2>The target</h2>
 * The reader calls {@code setProps}, {@code modifyRecipients(MODRECIP_ADD, ...)}, {@code openProperty} with
 * IStream for PR_BODY or PR_HTML when they are large and, per attachment, {@code createAttach} / ({@code openProperty}
 * of PR_ATTACH_DATA_BIN) / {@code setProps} / {@code saveChanges(0)} / {@code release}. It never calls
 * {@code saveChanges} on the message: committing (or discarding) it is the caller's decision. Properties the target
 * refuses (a store that computes PR_HASATTACH, say) are listed as defects. A {@link org.jmapi.MapiException} from the
 * target propagates (MAPI_E_DISK_ERROR when the temporary file fails); the message is then partly written and should
 * be discarded.
 *
 * <p>Instances are immutable and thread-safe; {@code with*} methods return a changed copy.
 */
public final class MimeReader {
    /** Where "now" comes from. */
    private final Clock clock;
    /** The fixed PR_MESSAGE_DELIVERY_TIME, or null for {@link #clock}'s now. */
    private final Instant deliveryTime;

    /** A reader that stamps PR_MESSAGE_DELIVERY_TIME with the current time. */
    public MimeReader() {
        this(Clock.systemUTC(), null);
    }

    /**
     * @param clock        where "now" comes from
     * @param deliveryTime the fixed delivery time, or null
     */
    private MimeReader(Clock clock, Instant deliveryTime) {
        this.clock = clock;
        this.deliveryTime = deliveryTime;
    }

    /**
     * @param time PR_MESSAGE_DELIVERY_TIME for every message this reader converts, or null for "now"
     * @return a reader using it
     */
    public MimeReader withDeliveryTime(Instant time) {
        return new MimeReader(clock, time);
    }

    /**
     * @param clock where "now" comes from (for PR_MESSAGE_DELIVERY_TIME when no fixed time is set)
     * @return a reader using it
     */
    public MimeReader withClock(Clock clock) {
        return new MimeReader(Objects.requireNonNull(clock, "clock"), deliveryTime);
    }

    /**
     * Reads one message from {@code in} (to its end) and writes it into {@code target}. The stream is not closed.
     *
     * @param in     the RFC 5322 message
     * @param target the MAPI message to fill; its {@code saveChanges} is left to the caller
     * @return what was written and what was wrong with the input
     * @throws IOException                 when reading {@code in} fails (never for malformed content)
     * @throws org.jmapi.MapiException     when the target refuses a call
     * @throws NullPointerException        for a null argument
     */
    public Result read(InputStream in, Message target) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(target, "target");
        InputStream buffered = in instanceof BufferedInputStream || in instanceof ByteArrayInputStream
                ? in : new BufferedInputStream(in, 64 * 1024);
        Instant delivered = deliveryTime != null ? deliveryTime : clock.instant();
        return new MimeToMapi(target, new Defects(), delivered).run(buffered);
    }

    /**
     * Reads one message held in memory; see {@link #read(InputStream, Message)}.
     *
     * @param message the RFC 5322 message
     * @param target  the MAPI message to fill
     * @return what was written and what was wrong with the input
     * @throws org.jmapi.MapiException when the target refuses a call
     */
    public Result read(byte[] message, Message target) {
        try {
            return read(new ByteArrayInputStream(Objects.requireNonNull(message, "message")), target);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a byte array cannot fail", e);
        }
    }

    /**
     * What one conversion wrote.
     *
     * @param messageClass the PR_MESSAGE_CLASS written
     * @param recipients   the number of recipients added
     * @param attachments  the number of attachments created
     * @param defects      problems found in the input and how they were handled, in the order noticed; empty for
     *                     a clean message
     */
    public record Result(String messageClass, int recipients, int attachments, List<String> defects) {
        /**
         * Copies the defect list.
         *
         * @param messageClass the PR_MESSAGE_CLASS written
         * @param recipients   the number of recipients added
         * @param attachments  the number of attachments created
         * @param defects      the problems
         */
        public Result {
            defects = List.copyOf(defects);
        }
    }
}
