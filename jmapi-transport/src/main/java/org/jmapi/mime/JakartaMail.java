package org.jmapi.mime;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.jmapi.Flags;
import org.jmapi.client.Message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Conversion between MAPI messages and {@code jakarta.mail.internet.MimeMessage}, for code that already holds one.
 * Both directions go through the RFC 5322 bytes, so they map exactly as {@link MimeWriter} and {@link MimeReader}
 * do. Stateless; thread-safe (the Jakarta objects themselves are not).
 *
 * <p><b>Bcc.</b> {@link MimeWriter} never puts Bcc recipients into the content. A {@code MimeMessage} also serves as
 * an envelope ({@code Transport.send} sends to {@code getAllRecipients()}), so {@link #toMimeMessage} sets them
 * as the message's Bcc recipients; Jakarta's SMTP transport leaves the Bcc header out of what it transmits.
 *
 * <p><b>Message-ID.</b> Jakarta's {@code MimeMessage.saveChanges()} (which {@code Transport.send} calls) normally
 * replaces the Message-ID; the message returned here keeps the one the MAPI message has (or the writer generated),
 * so a resend and the store's duplicate check see the same id.
 */
public final class JakartaMail {
    /** Not instantiable. */
    private JakartaMail() {}

    /**
     * Converts a MAPI message with a default {@link MimeWriter}.
     *
     * @param source  the MAPI message; only read
     * @param session the Jakarta session for the new message, may be null
     * @return the new message
     * @throws MessagingException when Jakarta Mail cannot parse the written bytes
     * @throws org.jmapi.MapiException when reading the MAPI message fails
     */
    public static MimeMessage toMimeMessage(Message source, Session session) throws MessagingException {
        return toMimeMessage(source, session, new MimeWriter());
    }

    /**
     * Converts a MAPI message.
     *
     * @param source  the MAPI message; only read
     * @param session the Jakarta session for the new message, may be null
     * @param writer  the writer to use
     * @return the new message, its Bcc recipients set from the MAPI recipient table
     * @throws MessagingException when Jakarta Mail cannot parse the written bytes
     * @throws org.jmapi.MapiException when reading the MAPI message fails
     */
    public static MimeMessage toMimeMessage(Message source, Session session, MimeWriter writer)
            throws MessagingException {
        Objects.requireNonNull(writer, "writer");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MimeWriter.Result result;
        try {
            result = writer.write(source, bytes);
        } catch (IOException e) {
            throw new IllegalStateException("writing to a byte array cannot fail", e);
        }
        MimeMessage message = new IdKeepingMimeMessage(session, bytes.toByteArray());
        List<Address> bcc = new ArrayList<>();
        for (MimeWriter.Recipient r : result.recipients()) {
            if (r.type() == Flags.MAPI_BCC) {
                bcc.add(address(r));
            }
        }
        if (!bcc.isEmpty()) {
            message.setRecipients(jakarta.mail.Message.RecipientType.BCC, bcc.toArray(new Address[0]));
        }
        return message;
    }

    /**
     * Converts a {@code MimeMessage} with a default {@link MimeReader}. Jakarta writes the message out first
     * ({@code writeTo}), which saves pending changes on it as Jakarta always does; a Bcc header it holds becomes
     * MAPI_BCC recipients.
     *
     * @param source the message
     * @param target the MAPI message to fill; its {@code saveChanges} is left to the caller
     * @return what the reader wrote and found wrong
     * @throws MessagingException when Jakarta Mail cannot write the message out
     * @throws IOException        when a data source of the message fails
     * @throws org.jmapi.MapiException when the target refuses a call
     */
    public static MimeReader.Result fromMimeMessage(MimeMessage source, Message target)
            throws MessagingException, IOException {
        return fromMimeMessage(source, target, new MimeReader());
    }

    /**
     * Converts a {@code MimeMessage}; see {@link #fromMimeMessage(MimeMessage, Message)}.
     *
     * @param source the message
     * @param target the MAPI message to fill
     * @param reader the reader to use
     * @return what the reader wrote and found wrong
     * @throws MessagingException when Jakarta Mail cannot write the message out
     * @throws IOException        when a data source of the message fails
     * @throws org.jmapi.MapiException when the target refuses a call
     */
    public static MimeReader.Result fromMimeMessage(MimeMessage source, Message target, MimeReader reader)
            throws MessagingException, IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reader, "reader");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        source.writeTo(bytes);
        return reader.read(new ByteArrayInputStream(bytes.toByteArray()), target);
    }

    /**
     * @param r a recipient
     * @return it as an InternetAddress; the display name is kept as given
     */
    private static InternetAddress address(MimeWriter.Recipient r) {
        try {
            return new InternetAddress(r.address(), r.name().isEmpty() ? null : r.name(), "UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    /** A MimeMessage whose saveChanges keeps an existing Message-ID instead of generating a new one. */
    private static final class IdKeepingMimeMessage extends MimeMessage {
        /**
         * @param session the session, may be null
         * @param bytes   the RFC 5322 message
         * @throws MessagingException when the bytes cannot be parsed
         */
        IdKeepingMimeMessage(Session session, byte[] bytes) throws MessagingException {
            super(session, new ByteArrayInputStream(bytes));
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            if (getHeader("Message-ID") == null) {
                super.updateMessageID();
            }
        }
    }
}
