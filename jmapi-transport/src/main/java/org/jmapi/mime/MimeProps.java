package org.jmapi.mime;

/**
 * The property tags and values the MIME conversion uses beyond {@link org.jmapi.prop.PropTags}, with MAPI's names
 * and values (MAPITags.h, MS-OXPROPS), and the message classes it writes. Constants only; thread-safe.
 *
 * <p><b>Embedded messages.</b> MAPI keeps an embedded message (ATTACH_EMBEDDED_MSG) as a message object behind
 * PR_ATTACH_DATA_OBJ, opened with {@code IAttach::OpenProperty}. This package represents an embedded message in an
 * API-neutral way instead, which every object can hold: an attachment with {@link #ATTACH_EMBEDDED_MSG}, the complete
 * RFC 822 bytes of the message in PR_ATTACH_DATA_BIN and {@link #MIME_MESSAGE_RFC822} in PR_ATTACH_MIME_TAG.
 * {@link MimeReader} converts those bytes to a MAPI message on request (read them into any
 * {@link org.jmapi.client.Message}); {@link MimeWriter} writes them back as a {@code message/rfc822} part. The writer
 * does not open a PR_ATTACH_DATA_OBJ message object: such an attachment is written with what PR_ATTACH_DATA_BIN holds.
 */
public final class MimeProps {
    /** Not instantiable. */
    private MimeProps() {}

    /** PR_SENT_REPRESENTING_ADDRTYPE = 0x0064001F. */
    public static final int PR_SENT_REPRESENTING_ADDRTYPE = 0x0064001F;
    /** PR_SENT_REPRESENTING_SEARCH_KEY = 0x003B0102. */
    public static final int PR_SENT_REPRESENTING_SEARCH_KEY = 0x003B0102;
    /** PR_SENT_REPRESENTING_SMTP_ADDRESS = 0x5D02001F. */
    public static final int PR_SENT_REPRESENTING_SMTP_ADDRESS = 0x5D02001F;
    /** PR_SENDER_SEARCH_KEY = 0x0C1D0102. */
    public static final int PR_SENDER_SEARCH_KEY = 0x0C1D0102;
    /** PR_SENDER_SMTP_ADDRESS = 0x5D01001F. */
    public static final int PR_SENDER_SMTP_ADDRESS = 0x5D01001F;
    /** PR_RECEIVED_BY_NAME = 0x0040001F: on a report, the display name of the mailbox the report was sent to. */
    public static final int PR_RECEIVED_BY_NAME = 0x0040001F;
    /** PR_RECEIVED_BY_EMAIL_ADDRESS = 0x0076001F: on a report, the address the report was sent to. */
    public static final int PR_RECEIVED_BY_EMAIL_ADDRESS = 0x0076001F;
    /** PR_RECEIVED_BY_ADDRTYPE = 0x0075001F. */
    public static final int PR_RECEIVED_BY_ADDRTYPE = 0x0075001F;
    /** PR_RECEIVED_BY_SEARCH_KEY = 0x00510102. */
    public static final int PR_RECEIVED_BY_SEARCH_KEY = 0x00510102;
    /** PR_ORIGINAL_DISPLAY_TO = 0x0074001F: on a report, the To line of the message reported on. */
    public static final int PR_ORIGINAL_DISPLAY_TO = 0x0074001F;
    /**
     * PidTagOriginalMessageId = 0x1046001F (MS-OXOMSG 2.2.1.85): on a report, the Message-ID of the message reported
     * on, with its angle brackets.
     */
    public static final int PR_ORIGINAL_MESSAGE_ID = 0x1046001F;
    /**
     * PR_SUPPLEMENTARY_INFO = 0x0C1B001F: on a report's recipient, the reporting system's own words
     * (MS-OXCMAIL 2.2.3.7.1.2: X-Supplementary-Info, else {@code <remote-mta #status diagnostic-code>}).
     */
    public static final int PR_SUPPLEMENTARY_INFO = 0x0C1B001F;
    /** PR_SMTP_ADDRESS = 0x39FE001F, on recipients. */
    public static final int PR_SMTP_ADDRESS = 0x39FE001F;
    /** PR_INTERNET_CPID = 0x3FDE0003: the code page of PR_HTML's bytes. */
    public static final int PR_INTERNET_CPID = 0x3FDE0003;
    /** PR_ATTACH_EXTENSION = 0x3703001F, e.g. {@code ".pdf"}. */
    public static final int PR_ATTACH_EXTENSION = 0x3703001F;
    /** PR_ATTACH_CONTENT_LOCATION = 0x3713001F. */
    public static final int PR_ATTACH_CONTENT_LOCATION = 0x3713001F;
    /** PR_ATTACHMENT_HIDDEN = 0x7FFE000B: an inline part the HTML body shows, not listed as an attachment. */
    public static final int PR_ATTACHMENT_HIDDEN = 0x7FFE000B;
    /**
     * The HTML body in PT_UNSPECIFIED: PR_HTML (PT_BINARY) and PR_BODY_HTML (PT_UNICODE) share id 0x1013, so a
     * request with this tag answers whichever type is stored.
     */
    public static final int PR_HTML_ANY = 0x10130000;

    /** PR_ATTACH_METHOD NO_ATTACHMENT = 0. */
    public static final int NO_ATTACHMENT = 0;
    /** PR_ATTACH_METHOD ATTACH_BY_VALUE = 1: the content is PR_ATTACH_DATA_BIN. */
    public static final int ATTACH_BY_VALUE = 1;
    /** PR_ATTACH_METHOD ATTACH_BY_REFERENCE = 2 (not transmitted by {@link MimeWriter}). */
    public static final int ATTACH_BY_REFERENCE = 2;
    /** PR_ATTACH_METHOD ATTACH_EMBEDDED_MSG = 5; in this package PR_ATTACH_DATA_BIN holds RFC 822 bytes. */
    public static final int ATTACH_EMBEDDED_MSG = 5;
    /** PR_ATTACH_METHOD ATTACH_OLE = 6 (not transmitted by {@link MimeWriter}). */
    public static final int ATTACH_OLE = 6;

    /** PR_IMPORTANCE IMPORTANCE_LOW = 0. */
    public static final int IMPORTANCE_LOW = 0;
    /** PR_IMPORTANCE IMPORTANCE_NORMAL = 1. */
    public static final int IMPORTANCE_NORMAL = 1;
    /** PR_IMPORTANCE IMPORTANCE_HIGH = 2. */
    public static final int IMPORTANCE_HIGH = 2;

    /** Code page 65001 (UTF-8), the PR_INTERNET_CPID of every PR_HTML {@link MimeReader} writes. */
    public static final int CP_UTF8 = 65001;

    /** The MIME tag of an embedded message. */
    public static final String MIME_MESSAGE_RFC822 = "message/rfc822";
    /** The address type of every address this package reads or writes. */
    public static final String ADDRTYPE_SMTP = "SMTP";

    /** PR_MESSAGE_CLASS of an ordinary message. */
    public static final String CLASS_NOTE = "IPM.Note";
    /** PR_MESSAGE_CLASS of a delivery report (RFC 3464 Action delivered, relayed or expanded). */
    public static final String CLASS_DELIVERY_REPORT = "REPORT.IPM.Note.DR";
    /** PR_MESSAGE_CLASS of a non-delivery report (RFC 3464 Action failed for at least one recipient). */
    public static final String CLASS_NON_DELIVERY_REPORT = "REPORT.IPM.Note.NDR";
    /**
     * PR_MESSAGE_CLASS of a delay notification (RFC 3464 Action delayed and nothing failed). MS-OXOMSG lists only DR
     * and NDR for delivery status; a delay warning is neither (the message may still arrive), so it gets its own
     * subclass, whose form falls back to the generic report form.
     */
    public static final String CLASS_DELAYED_REPORT = "REPORT.IPM.Note.Delayed";
    /** PR_MESSAGE_CLASS of a read receipt (RFC 8098 disposition displayed). */
    public static final String CLASS_READ_RECEIPT = "REPORT.IPM.Note.IPNRN";
    /** PR_MESSAGE_CLASS of a non-read receipt (RFC 8098 disposition deleted, denied, ...). */
    public static final String CLASS_NON_READ_RECEIPT = "REPORT.IPM.Note.IPNNRN";
}
