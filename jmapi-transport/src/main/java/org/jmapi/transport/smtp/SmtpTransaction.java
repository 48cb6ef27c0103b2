package org.jmapi.transport.smtp;

import java.io.IOException;
import java.util.List;

/**
 * One mail transaction on an open {@link SmtpConnection} (RFC 5321 &sect;3.3): MAIL FROM (with SIZE=, BODY=8BITMIME
 * and SMTPUTF8 when the server offers them and the message needs them), one RCPT TO per envelope recipient, and
 * DATA only when at least one recipient was accepted. When the server offers PIPELINING (RFC 2920) MAIL FROM, every
 * RCPT TO and DATA go out in one write and the replies are read in order afterwards; a DATA the server accepted
 * although no recipient was, is ended at once with an empty "." line. Every reply is kept, so the caller can map each
 * recipient to delivered / refused / try again.
 */
final class SmtpTransaction {
    /** The reply to MAIL FROM. */
    SmtpReply mail;
    /** The reply to each RCPT TO, in envelope order; null for a recipient whose RCPT TO was not sent. */
    final SmtpReply[] rcpt;
    /** The reply to DATA (354, or its refusal); null when DATA was not sent. */
    SmtpReply data;
    /** The reply after the message's "." line; null when the content was not sent. */
    SmtpReply end;
    /** Whether the commands went out pipelined. */
    boolean pipelined;

    private SmtpTransaction(int recipients) {
        this.rcpt = new SmtpReply[recipients];
    }

    /** @return how many RCPT TO the server accepted */
    int accepted() {
        int n = 0;
        if (mail != null && mail.positive()) {
            for (SmtpReply r : rcpt) {
                n += r != null && r.positive() ? 1 : 0;
            }
        }
        return n;
    }

    /**
     * Runs one transaction. The connection must be between transactions (fresh, RSET, or its last transaction
     * ended); it is again when this returns with the "." line answered. A 421 to MAIL FROM ends the reading: the
     * server is closing the session and sends nothing more.
     *
     * @param c          the open connection
     * @param from       the envelope sender, empty for the null sender "&lt;&gt;"
     * @param recipients the envelope recipients (checked: no CR, LF, angle brackets or spaces)
     * @param content    the RFC 5322 bytes
     * @return every reply
     * @throws IOException when the connection fails on the way
     */
    static SmtpTransaction run(SmtpConnection c, String from, List<String> recipients, byte[] content)
            throws IOException {
        SmtpTransaction t = new SmtpTransaction(recipients.size());
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(from).append('>');
        if (c.has("SIZE")) {
            mail.append(" SIZE=").append(content.length);
        }
        if (c.has("8BITMIME") && SmtpData.hasEightBit(content)) {
            mail.append(" BODY=8BITMIME");
        }
        if (c.has("SMTPUTF8") && (!isAscii(from) || recipients.stream().anyMatch(r -> !isAscii(r)))) {
            mail.append(" SMTPUTF8");
        }
        c.transactionEnded(false);
        if (c.has("PIPELINING")) {
            t.pipelined = true;
            c.send(mail.toString());
            for (String r : recipients) {
                c.send("RCPT TO:<" + r + ">");
            }
            c.send("DATA");
            c.flush();
            t.mail = c.read();
            if (t.mail.code() == 421) {
                return t;
            }
            for (int i = 0; i < recipients.size(); i++) {
                t.rcpt[i] = c.read();
            }
            t.data = c.read();
            if (t.data.code() == 354) {
                if (t.accepted() > 0) {
                    c.sendData(content);
                    t.end = c.read();
                } else {
                    c.sendData(new byte[0]); // nobody to deliver to: end the data at once (RFC 2920 section 3.1)
                    c.read();
                    t.data = SmtpReply.local(554, "5.5.1 no valid recipients; the message content was not sent");
                }
                c.transactionEnded(true);
            }
            return t;
        }
        t.mail = c.command(mail.toString());
        if (!t.mail.positive()) {
            return t;
        }
        for (int i = 0; i < recipients.size(); i++) {
            t.rcpt[i] = c.command("RCPT TO:<" + recipients.get(i) + ">");
            if (t.rcpt[i].code() == 421) {
                return t; // the server is closing the session: no point in going on
            }
        }
        if (t.accepted() == 0) {
            return t;
        }
        t.data = c.command("DATA");
        if (t.data.code() != 354) {
            return t;
        }
        c.sendData(content);
        t.end = c.read();
        c.transactionEnded(true);
        return t;
    }

    static boolean isAscii(String s) {
        return s.chars().allMatch(ch -> ch < 0x80);
    }
}
