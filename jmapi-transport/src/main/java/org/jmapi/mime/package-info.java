/**
 * MAPI &#8660; RFC 5322 / MIME conversion: {@link org.jmapi.mime.MimeReader} turns a received message into a MAPI
 * message, {@link org.jmapi.mime.MimeWriter} turns a MAPI message into the bytes a transport sends, and
 * {@link org.jmapi.mime.JakartaMail} does both for {@code jakarta.mail.internet.MimeMessage}.
 *
 * <p>The package sees MAPI only through jmapi-api ({@link org.jmapi.client.Message}, {@link org.jmapi.client.Attach},
 * tables and property values), so it works on any store's messages. Parsing is done by Apache mime4j's streaming
 * token parser; header fields, addresses, dates, RFC 2047 encoded-words and RFC 2231 parameters are read by this
 * package's own lenient code, and writing is this package's own.
 *
 * <p><b>Embedded messages.</b> Until jmapi-api offers {@code OpenProperty}, an embedded message (ATTACH_EMBEDDED_MSG)
 * is an attachment whose PR_ATTACH_DATA_BIN holds the complete RFC 822 bytes and whose PR_ATTACH_MIME_TAG is
 * {@code message/rfc822}; read those bytes with {@link org.jmapi.mime.MimeReader} to see the embedded message as a
 * MAPI message. See {@link org.jmapi.mime.MimeProps}.
 *
 * <p><b>Malformed input</b> is converted as well as the data allows and never throws; what was wrong is reported
 * in {@link org.jmapi.mime.MimeReader.Result#defects()}. What the writer could not express is reported in
 * {@link org.jmapi.mime.MimeWriter.Result#omitted()}.
 */
package org.jmapi.mime;
