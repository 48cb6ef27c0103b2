package org.jmapi.transport.smtp;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.Message;
import org.jmapi.mime.MimeProps;
import org.jmapi.mime.MimeWriter;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.AddressTypes;
import org.jmapi.spi.BaseXpLogon;
import org.jmapi.spi.ConcurrentSubmissions;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MessageRef;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One logon of the SMTP transport (IXPLogon): send-only, address type {@value #ADDRESS_TYPE}, built on
 * {@link BaseXpLogon} (status row, TransportNotify, the R-XP-5 gate, cancel, work offline, logoff at any moment).
 *
 * <h2>Sending (R-XPS-2, R-XPS-3)</h2>
 * SubmitMessage sets its reference first, then takes the recipients whose PR_ADDRTYPE is {@value #ADDRESS_TYPE} and
 * whose PR_RESPONSIBILITY is FALSE (MAPI_P1 recipients included: they are envelope-only), writes the message with
 * {@link MimeWriter} (Bcc and MAPI_P1 recipients never appear in the headers), and runs one SMTP transaction over a
 * kept connection. The envelope sender is PR_SENDER_EMAIL_ADDRESS (or the sender's SMTP address), else
 * PR_SENT_REPRESENTING_EMAIL_ADDRESS, else the null sender "&lt;&gt;". A message without PR_INTERNET_MESSAGE_ID gets
 * a Message-ID derived from its entry id and submission time (saved with PR_RESPONSIBILITY), so every attempt of
 * one submission sends the same Message-ID.
 *
 * <h2>Per-recipient results</h2>
 * <ul>
 * <li>250/251 at RCPT TO and 2xx after the data: delivered, PR_RESPONSIBILITY TRUE.</li>
 * <li>5xx at RCPT TO, 5xx to DATA or after the data (for every accepted recipient), 5xx to MAIL FROM (for all), a
 *     message larger than the server's SIZE, an address that is not a usable SMTP address: refused permanently. One
 *     {@code StatusRecips} per SubmitMessage reports them (non-delivery report with PR_NDR_REASON_CODE
 *     MAPI_REASON_TRANSFER_IMPOSSIBLE, PR_NDR_DIAG_CODE from the enhanced status code, PR_NDR_STATUS_CODE = the
 *     reply code, PR_REPORT_TEXT = the server's reply as sent); PR_RESPONSIBILITY TRUE.</li>
 * <li>4xx at RCPT TO: not sent now; PR_RESPONSIBILITY stays FALSE and EndMessage answers END_RESEND_LATER. The
 *     recipients dealt with are saved on the message first, so the next attempt goes only to the others and reports
 *     nobody twice. No recipient accepted: no DATA.</li>
 * <li>4xx to MAIL FROM, to DATA or after the data, a lost connection, a refused connection: SubmitMessage fails
 *     with MAPI_E_NETWORK_ERROR and a retry delay ({@link SmtpTransportService#PR_SMTP_RETRY_SECONDS}, doubled per
 *     consecutive failure, at most an hour); the message stays queued (R-MAIL-2). Permanent refusals found on the way
 *     are reported and saved first.</li>
 * <li>Credentials refused (535 and the other 5xx to AUTH): MAPI_E_LOGON_FAILED, in the SubmitMessage error and
 *     in the status row (STATUS_FAILURE); the message stays queued.</li>
 * </ul>
 *
 * <h2>Connections</h2>
 * The logon sends as many messages at once as {@link SmtpTransportService#PR_SMTP_MAX_CONNECTIONS} says (default 1),
 * each on a connection of its own ({@link ConcurrentSubmissions}: the spooler hands it that many at once). A
 * connection stays open after a message and is closed with QUIT after
 * {@link SmtpTransportService#PR_SMTP_IDLE_SECONDS} without use, at ValidateState(FORCE_XP_DISCONNECT) and at
 * logoff; a message takes the connection used last. The next message on a connection starts with MAIL FROM at once
 * when the last transaction ended with the reply to its "." (the server is back in its initial state), and with RSET
 * after a transaction that ended otherwise. A kept
 * connection the server dropped meanwhile (it closed, or answered 421 and closed, before answering MAIL FROM, so it
 * has nothing of the message) or that fails its RSET is replaced by a new one, silently, and the message goes on it.
 *
 * <h2>Cancel and logoff</h2>
 * NOTIFY_CANCEL_MESSAGE for the message being sent ({@link #onCancel}) and TransportLogoff ({@link #onAbandon})
 * close the socket at once, wherever the send is (connecting, waiting for a reply, in the middle of the data):
 * SubmitMessage then returns MAPI_E_USER_CANCEL and the message stays queued (R-TN-1, R-LOFF-3, R-MAIL-2). A server
 * never sees the final "." of an abandoned message, so it does not deliver it.
 *
 * <h2>Status row</h2>
 * PR_STATUS_STRING says "Available", "Connecting to host:port", "Connected to host:port", "Sending 1 message to
 * host:port" ("Sending 3 messages …" while several go at once), "Offline", or the last error with its MAPI code;
 * STATUS_FAILURE is set while the last attempt failed.
 * No text this class makes, and no server reply it keeps, holds the password ({@link Secrets}).
 *
 * <p><b>Threads.</b> SubmitMessage / EndMessage run on the spooler's threads, up to the connection count at once,
 * each pair for its own reference; cancel, logoff, ValidateState and the idle timer may run on others. The
 * connection each message uses is published by reference in a concurrent map so those can close it; kept
 * connections are handed over under a lock.
 */
public final class SmtpLogon extends BaseXpLogon implements ConcurrentSubmissions {
    /** The address type the transport sends to. */
    public static final String ADDRESS_TYPE = "SMTP";
    private static final AtomicInteger REFS = new AtomicInteger();
    private static final int MAX_RETRY_SECONDS = 3600;

    private final MimeWriter writer = new MimeWriter();
    private volatile SmtpSettings settings;
    private volatile Secrets secrets;

    private final Object connLock = new Object();
    /** The kept connections between messages, the one used last at the end; guarded by connLock. */
    private final Deque<Kept> parked = new ArrayDeque<>();
    /** Closes kept connections after the idle time; created on first use; guarded by connLock. */
    private ScheduledThreadPoolExecutor timer;
    /** Set once the logoff began: nothing is kept any more; guarded by connLock. */
    private boolean ending;

    /** A kept connection and the timer task that closes it when it stays unused. */
    private record Kept(SmtpConnection connection, ScheduledFuture<?> idleClose) {}

    /** The connection each message in flight is using now, by reference, for cancel and logoff to close. */
    private final Map<Integer, SmtpConnection> active = new ConcurrentHashMap<>();
    /** Messages being sent now. */
    private final AtomicInteger sending = new AtomicInteger();
    /** EndMessage's answer per reference. */
    private final Map<Integer, Integer> endFlags = new ConcurrentHashMap<>();
    /** Network failures in a row, for the retry delay. */
    private final AtomicInteger failures = new AtomicInteger();

    /**
     * Called by {@link SmtpProvider#transportLogon}: AddRefs the support object and adds the status row.
     *
     * @param support  the logon's support object
     * @param settings the checked configuration
     * @param flags    the TransportLogon flags
     */
    SmtpLogon(MapiSupport support, SmtpSettings settings, int flags) {
        super(support, "SMTP (" + settings.peer() + ")", SmtpTransportService.DISPLAY_NAME, flags);
        configure(settings);
    }

    private void configure(SmtpSettings s) {
        this.secrets = new Secrets(s.user(), s.password());
        this.settings = s;
    }

    /** @return {@link SmtpTransportService#PR_SMTP_MAX_CONNECTIONS}: one message per connection at once */
    @Override
    public int concurrentSubmissions() {
        return settings.maxConnections();
    }

    @Override
    protected AddressTypes doAddressTypes() {
        return new AddressTypes(List.of(ADDRESS_TYPE), List.of());
    }

    // ---- sending ----------------------------------------------------------------------------------------------

    /** A recipient this transport deals with: its row (for ModifyRecipients and the report) and its address. */
    private record Target(List<PropValue> row, String address) {}

    /** What became of one recipient. */
    private enum Fate { DELIVERED, REFUSED, DEFERRED }

    @Override
    protected void doSubmitMessage(int flags, Message message, MessageRef ref) {
        int myRef = REFS.updateAndGet(r -> r == Integer.MAX_VALUE ? 1 : r + 1);
        ref.set(myRef);
        checkCancelled(myRef);
        SmtpSettings s = settings;
        List<Target> targets = new ArrayList<>();
        List<List<PropValue>> report = new ArrayList<>();
        List<List<PropValue>> done = new ArrayList<>();
        for (Target t : recipients(message)) {
            if (usableAddress(t.address())) {
                targets.add(t);
            } else {
                refuse(t, SmtpReply.local(553, "5.1.3 '" + t.address() + "' is not a usable SMTP address"), report,
                        done);
            }
        }
        int handled = targets.size() + done.size();
        boolean deferred = false;
        if (!targets.isEmpty()) {
            byte[] content = content(message);
            String from = envelopeSender(message);
            SmtpReply failure = send(myRef, ref, s, from, targets, content, report, done);
            if (failure != null) {
                finish(message, report, done, true);
                throw networkError(ref, s, "message refused for now by " + s.peer() + ": " + failure.oneLine());
            }
            deferred = done.size() < handled;
        }
        finish(message, report, done, deferred);
        endFlags.put(myRef, deferred ? Flags.END_RESEND_LATER : 0);
    }

    /**
     * Runs the transaction and sorts the targets into {@code report} / {@code done}.
     *
     * @return the reply that failed the whole transaction for now (4xx to MAIL FROM or DATA, 421), else null
     */
    private SmtpReply send(int myRef, MessageRef ref, SmtpSettings s, String from, List<Target> targets,
            byte[] content, List<List<PropValue>> report, List<List<PropValue>> done) {
        sending.incrementAndGet();
        try {
            return sendCounted(myRef, ref, s, from, targets, content, report, done);
        } finally {
            sending.decrementAndGet();
        }
    }

    private SmtpReply sendCounted(int myRef, MessageRef ref, SmtpSettings s, String from, List<Target> targets,
            byte[] content, List<List<PropValue>> report, List<List<PropValue>> done) {
        Lease lease = acquire(myRef, ref, s);
        while (true) {
            if (lease == null) {
                lease = connect(myRef, ref, s); // after the kept one turned out gone, now closed (finally below)
            }
            SmtpConnection c = lease.connection();
            boolean keep = false;
            try {
                int n = sending.get();
                statusString("Sending " + n + (n == 1 ? " message to " : " messages to ") + s.peer());
                // Recipients this connection's server cannot take are reported once the message went: a retry on a
                // new connection sorts them again. At most one retry: a new connection is never unprobed.
                List<List<PropValue>> localReport = new ArrayList<>();
                List<List<PropValue>> localDone = new ArrayList<>();
                List<Target> sendable = new ArrayList<>();
                boolean utf8 = c.has("SMTPUTF8");
                for (Target t : targets) {
                    if (!utf8 && (!SmtpTransaction.isAscii(t.address()) || !SmtpTransaction.isAscii(from))) {
                        String which = SmtpTransaction.isAscii(from) ? t.address() : from;
                        refuse(t, SmtpReply.local(553, "5.6.7 " + s.peer() + " does not offer SMTPUTF8, needed for"
                                + " the address '" + which + "'"), localReport, localDone);
                    } else {
                        sendable.add(t);
                    }
                }
                long limit = c.maxSize();
                if (limit > 0 && content.length > limit) {
                    SmtpReply tooBig = SmtpReply.local(552, "5.3.4 the message has " + content.length + " bytes; "
                            + s.peer() + " takes at most " + limit + " (SIZE)");
                    sendable.forEach(t -> refuse(t, tooBig, localReport, localDone));
                    sendable.clear();
                }
                if (!localReport.isEmpty() && lease.unprobed()) {
                    // Refused for what this connection's server announced: only once it is known to be alive, as a
                    // new connection may announce more (the kept one may be from before the server's restart).
                    boolean alive;
                    try {
                        alive = c.reset();
                    } catch (IOException e) {
                        alive = false;
                    }
                    if (!alive) {
                        lease = null;
                        continue;
                    }
                    lease = new Lease(c, false);
                }
                SmtpTransaction tx = null;
                if (!sendable.isEmpty()) {
                    int mark = c.replies();
                    try {
                        tx = SmtpTransaction.run(c, from, sendable.stream().map(Target::address).toList(), content);
                    } catch (IOException e) {
                        if (!lease.unprobed() || c.replies() != mark) {
                            throw e;
                        }
                    }
                    if (lease.unprobed() && (tx == null || tx.mail.code() == 421)) {
                        // The kept connection was gone before the server answered MAIL FROM (its idle timeout, a
                        // restart): none of this message reached it, so it goes once more on a new connection.
                        lease = null;
                        continue;
                    }
                }
                report.addAll(localReport);
                done.addAll(localDone);
                SmtpReply failure = tx == null ? null : sort(tx, sendable, report, done);
                keep = failure == null || failure.code() != 421;
                failures.set(0);
                changeStatus(0, Flags.STATUS_FAILURE);
                return failure;
            } catch (IOException e) {
                if (isCancelled(myRef)) {
                    throw cancelled(myRef);
                }
                throw networkError(ref, s, e.getMessage());
            } finally {
                active.remove(myRef);
                if (keep && !c.isClosed()) {
                    park(c, s);
                } else {
                    c.close(); // the error, if any, is in the status row already
                }
            }
        }
    }

    /** Maps the replies of one transaction onto its recipients. @return a transaction-level temporary failure */
    private SmtpReply sort(SmtpTransaction tx, List<Target> targets, List<List<PropValue>> report,
            List<List<PropValue>> done) {
        if (tx.mail.permanentFailure()) {
            targets.forEach(t -> refuse(t, tx.mail, report, done));
            return null;
        }
        if (!tx.mail.positive()) {
            return tx.mail;
        }
        List<Target> accepted = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            SmtpReply r = tx.rcpt[i];
            Fate fate = r == null ? Fate.DEFERRED : r.positive() ? Fate.DELIVERED
                    : r.permanentFailure() ? Fate.REFUSED : Fate.DEFERRED;
            switch (fate) {
                case DELIVERED -> accepted.add(targets.get(i));
                case REFUSED -> refuse(targets.get(i), r, report, done);
                case DEFERRED -> {
                    // 4xx (or a reply that makes no sense here): PR_RESPONSIBILITY stays FALSE, sent again later
                }
            }
            if (r != null && r.code() == 421) {
                return r;
            }
        }
        if (accepted.isEmpty()) {
            return null;
        }
        SmtpReply last = tx.end != null ? tx.end : tx.data;
        if (last == null) {
            return SmtpReply.local(451, "4.4.0 DATA was not sent");
        }
        if (last.positive()) {
            accepted.forEach(t -> done.add(responsible(t.row())));
            return null;
        }
        if (last.permanentFailure()) {
            accepted.forEach(t -> refuse(t, last, report, done));
            return null;
        }
        return last;
    }

    /** Records a permanent refusal: a report row and PR_RESPONSIBILITY TRUE. */
    private static void refuse(Target t, SmtpReply reply, List<List<PropValue>> report, List<List<PropValue>> done) {
        List<PropValue> row = new ArrayList<>(without(t.row(), PropTags.PR_RESPONSIBILITY));
        row.add(PropValue.ofInt(PropTags.PR_NDR_REASON_CODE, Flags.MAPI_REASON_TRANSFER_IMPOSSIBLE));
        row.add(PropValue.ofInt(PropTags.PR_NDR_DIAG_CODE, diagnostic(reply)));
        row.add(PropValue.ofInt(PropTags.PR_NDR_STATUS_CODE, reply.code()));
        row.add(PropValue.ofString(PropTags.PR_REPORT_TEXT, reply.text()));
        report.add(row);
        done.add(responsible(t.row()));
    }

    /** @return PR_NDR_DIAG_CODE for a permanent refusal, from the RFC 3463 enhanced code or the basic code */
    static int diagnostic(SmtpReply reply) {
        String e = reply.enhancedCode();
        if (e != null) {
            if (e.startsWith("5.1.")) {
                return Flags.MAPI_DIAG_OR_NAME_UNRECOGNIZED; // bad destination mailbox / system / syntax
            }
            if (e.equals("5.4.6")) {
                return Flags.MAPI_DIAG_LOOP_DETECTED;
            }
            if (e.startsWith("5.2.")) {
                return Flags.MAPI_DIAG_RECIPIENT_UNAVAILABLE; // mailbox full, disabled
            }
            return Flags.MAPI_DIAG_NO_DIAGNOSTIC;
        }
        return switch (reply.code()) {
            case 550, 551, 553 -> Flags.MAPI_DIAG_OR_NAME_UNRECOGNIZED;
            case 552 -> Flags.MAPI_DIAG_RECIPIENT_UNAVAILABLE;
            default -> Flags.MAPI_DIAG_NO_DIAGNOSTIC;
        };
    }

    /**
     * Reports the refused recipients (one StatusRecips), marks the dealt-with ones, and saves them when the
     * spooler would otherwise drop the edits (END_RESEND_LATER or an error, R-XPS-2).
     */
    private void finish(Message message, List<List<PropValue>> report, List<List<PropValue>> done, boolean save) {
        if (!report.isEmpty()) {
            support().statusRecips(message, report);
        }
        if (!done.isEmpty()) {
            message.modifyRecipients(Flags.MODRECIP_MODIFY, done);
            if (save) {
                message.saveChanges(Flags.KEEP_OPEN_READWRITE);
            }
        }
    }

    /** @return the recipients this transport handles and is responsible for now, in table order */
    private static List<Target> recipients(Message message) {
        List<Target> out = new ArrayList<>();
        try (MapiTable t = message.getRecipientTable(0)) {
            t.setColumns(t.queryColumns(MapiTable.TBL_ALL_COLUMNS), 0);
            for (List<Row> page = t.queryRows(500, 0); !page.isEmpty(); page = t.queryRows(500, 0)) {
                for (Row r : page) {
                    boolean responsible = r.find(PropTags.PR_RESPONSIBILITY).map(PropValue::asBoolean).orElse(false);
                    String type = r.find(PropTags.PR_ADDRTYPE).map(PropValue::asString).orElse("");
                    if (responsible || !ADDRESS_TYPE.equals(type)) {
                        continue;
                    }
                    String address = r.find(MimeProps.PR_SMTP_ADDRESS).map(PropValue::asString)
                            .filter(a -> !a.isBlank())
                            .or(() -> r.find(PropTags.PR_EMAIL_ADDRESS).map(PropValue::asString))
                            .orElse("").strip();
                    List<PropValue> row = new ArrayList<>();
                    r.values().stream().filter(v -> !v.isError()).forEach(row::add);
                    out.add(new Target(row, address));
                }
            }
        }
        return out;
    }

    /**
     * @param a an address
     * @return whether it can go into MAIL FROM / RCPT TO as it is: local@domain, no controls, spaces or angle
     *         brackets (nothing that could end or add a command)
     */
    static boolean usableAddress(String a) {
        if (a == null || a.length() < 3 || a.length() > 512) {
            return false;
        }
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1) {
            return false;
        }
        return a.chars().noneMatch(c -> c <= ' ' || c == 0x7f || c == '<' || c == '>');
    }

    /** @return the envelope sender address, "" for the null sender */
    static String envelopeSender(Message m) {
        List<String> candidates = new ArrayList<>();
        senderAddress(m, PropTags.PR_SENDER_EMAIL_ADDRESS, PropTags.PR_SENDER_ADDRTYPE,
                MimeProps.PR_SENDER_SMTP_ADDRESS, candidates);
        senderAddress(m, PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS, MimeProps.PR_SENT_REPRESENTING_ADDRTYPE,
                MimeProps.PR_SENT_REPRESENTING_SMTP_ADDRESS, candidates);
        return candidates.stream().filter(SmtpLogon::usableAddress).findFirst().orElse("");
    }

    private static void senderAddress(Message m, int emailTag, int typeTag, int smtpTag, List<String> out) {
        var v = m.getProps(new int[] {emailTag, typeTag, smtpTag}, 0);
        Optional<String> type = v.find(typeTag).filter(p -> !p.isError()).map(PropValue::asString);
        v.find(smtpTag).filter(p -> !p.isError()).map(p -> p.asString().strip()).ifPresent(out::add);
        if (type.isEmpty() || type.get().equalsIgnoreCase(ADDRESS_TYPE)) {
            v.find(emailTag).filter(p -> !p.isError()).map(p -> p.asString().strip()).ifPresent(out::add);
        }
    }

    /**
     * @return the message's RFC 5322 bytes. A message without PR_INTERNET_MESSAGE_ID gets one set (not saved here:
     *         it is saved with the rest of this send's changes, PR_RESPONSIBILITY, when the spooler or
     *         {@link #finish} saves them) that is derived from the message's entry id and PR_CLIENT_SUBMIT_TIME, so
     *         every attempt of one submission sends the same Message-ID without a save of its own (R-MAIL-1). A
     *         message without those (never the case for a queued one) gets a random Message-ID, saved at once.
     */
    private byte[] content(Message message) {
        var v = message.getProps(new int[] {PropTags.PR_INTERNET_MESSAGE_ID, PropTags.PR_ENTRYID,
                PropTags.PR_CLIENT_SUBMIT_TIME}, 0);
        boolean hadId = v.find(PropTags.PR_INTERNET_MESSAGE_ID).filter(p -> !p.isError()).map(PropValue::asString)
                .filter(s -> !s.isBlank()).isPresent();
        String stableId = hadId ? null : stableMessageId(v.find(PropTags.PR_ENTRYID).orElse(null),
                v.find(PropTags.PR_CLIENT_SUBMIT_TIME).orElse(null), envelopeSender(message));
        if (stableId != null) {
            message.setProps(List.of(PropValue.ofString(PropTags.PR_INTERNET_MESSAGE_ID, stableId)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        MimeWriter.Result r;
        try {
            r = writer.write(message, out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a byte array cannot fail", e);
        }
        if (!hadId && stableId == null) {
            message.setProps(List.of(PropValue.ofString(PropTags.PR_INTERNET_MESSAGE_ID, r.messageId())));
            message.saveChanges(Flags.KEEP_OPEN_READWRITE); // a retry sends the same Message-ID (R-MAIL-1)
        }
        return out.toByteArray();
    }

    /**
     * @param entryId    PR_ENTRYID of the queued message (store and message identity: never reused)
     * @param submitTime PR_CLIENT_SUBMIT_TIME of this submission
     * @param sender     the envelope sender, whose domain the Message-ID takes ("jmapi.invalid" when none)
     * @return {@code <hash@domain>}, the same for every attempt of one submission of one message; null when either
     *         value is missing
     */
    static String stableMessageId(PropValue entryId, PropValue submitTime, String sender) {
        if (entryId == null || entryId.isError() || submitTime == null || submitTime.isError()) {
            return null;
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        sha.update(entryId.asBinary());
        sha.update(submitTime.asTime().toString().getBytes(StandardCharsets.UTF_8));
        byte[] h = sha.digest();
        int at = sender.lastIndexOf('@');
        String domain = at > 0 ? sender.substring(at + 1) : "";
        if (!MimeWriter.isMessageIdDomain(domain)) {
            domain = "jmapi.invalid";
        }
        return "<" + HexFormat.of().formatHex(h, 0, 20) + "@" + domain + ">";
    }

    private static List<PropValue> without(List<PropValue> row, int tag) {
        List<PropValue> out = new ArrayList<>();
        for (PropValue v : row) {
            if (v.id() != PropTag.id(tag)) {
                out.add(v);
            }
        }
        return out;
    }

    private static List<PropValue> responsible(List<PropValue> row) {
        List<PropValue> out = without(row, PropTags.PR_RESPONSIBILITY);
        out.add(PropValue.ofBoolean(PropTags.PR_RESPONSIBILITY, true));
        return out;
    }

    @Override
    protected int doEndMessage(int ref) {
        Integer f = endFlags.remove(ref);
        return f == null ? 0 : f;
    }

    // ---- connections ------------------------------------------------------------------------------------------

    /**
     * A connection for one transaction.
     *
     * @param connection the connection, published as the active one
     * @param unprobed   a kept connection used without a command of its own first: when it fails before the server
     *                   answered MAIL FROM, the server had nothing of the message and it is sent on a new one
     */
    private record Lease(SmtpConnection connection, boolean unprobed) {}

    /**
     * @return a connection ready for MAIL FROM: the kept one as it is when its last transaction ended (RFC 5321
     *         &sect;4.1.1.4: the server is back in its initial state), the kept one after RSET otherwise, else a new
     *         one
     */
    private Lease acquire(int myRef, MessageRef ref, SmtpSettings s) {
        SmtpConnection c = null;
        synchronized (connLock) {
            Kept k = parked.pollLast();
            if (k != null) {
                k.idleClose().cancel(false);
                c = k.connection();
            }
        }
        if (c != null) {
            publish(c, myRef);
            if (c.betweenTransactions()) {
                return new Lease(c, true);
            }
            try {
                if (c.reset()) {
                    return new Lease(c, false);
                }
            } catch (IOException e) {
                // The server dropped the kept connection meanwhile (idle timeout, restart): connect again.
            }
            active.remove(myRef);
            c.close();
            checkCancelled(myRef);
        }
        return connect(myRef, ref, s);
    }

    /** @return a new connection, greeted (EHLO), with TLS and AUTH as configured */
    private Lease connect(int myRef, MessageRef ref, SmtpSettings s) {
        SmtpConnection c = new SmtpConnection(s, secrets);
        publish(c, myRef);
        statusString("Connecting to " + s.peer());
        try {
            c.open();
        } catch (IOException e) {
            active.remove(myRef);
            c.close();
            if (isCancelled(myRef)) {
                throw cancelled(myRef);
            }
            throw networkError(ref, s, e.getMessage());
        } catch (SmtpFailure f) {
            active.remove(myRef);
            c.quit();
            if (f.hresult() == HResult.MAPI_E_LOGON_FAILED) {
                changeStatus(Flags.STATUS_FAILURE, 0);
                statusString("Logon to " + s.peer() + " failed (MAPI_E_LOGON_FAILED): " + f.getMessage());
                ref.retryAfterSeconds(retryDelay(s));
                throw new MapiException(HResult.MAPI_E_LOGON_FAILED, "SMTP: " + f.getMessage());
            }
            throw networkError(ref, s, f.getMessage());
        }
        statusString("Connected to " + s.peer() + (c.tlsActive() ? " (TLS)" : ""));
        return new Lease(c, false);
    }

    /** Makes {@code c} the active connection of {@code myRef}, unless that was cancelled already. */
    private void publish(SmtpConnection c, int myRef) {
        active.put(myRef, c);
        if (isCancelled(myRef)) { // a cancel that came before the connection was visible to onCancel
            active.remove(myRef);
            c.close();
            throw cancelled(myRef);
        }
    }

    /**
     * Keeps {@code c} for the next message, closing it after the idle time; at most
     * {@link SmtpTransportService#PR_SMTP_MAX_CONNECTIONS} are kept.
     */
    private void park(SmtpConnection c, SmtpSettings s) {
        boolean kept = false;
        if (s.idleSeconds() > 0 && s == settings) {
            synchronized (connLock) {
                if (!ending && parked.size() < s.maxConnections()) {
                    if (timer == null) {
                        timer = new ScheduledThreadPoolExecutor(1, r -> {
                            Thread t = new Thread(r, "jmapi-smtp-idle-" + s.peer());
                            t.setDaemon(true);
                            return t;
                        });
                        timer.setRemoveOnCancelPolicy(true);
                        timer.setKeepAliveTime(1, TimeUnit.SECONDS);
                        timer.allowCoreThreadTimeOut(true);
                    }
                    parked.addLast(new Kept(c, timer.schedule(() -> closeIdle(c), s.idleSeconds(), TimeUnit.SECONDS)));
                    kept = true;
                }
            }
        }
        if (!kept) {
            c.quit();
        }
        if (sending.get() <= 1) { // the status row says what the others do while any is sending
            statusString(kept || connectionKept() ? "Connected to " + s.peer() + (c.tlsActive() ? " (TLS)" : "")
                    : "Available");
        }
    }

    /** The idle timer: QUIT on the kept connection {@code c}, unless it was taken for a message meanwhile. */
    private void closeIdle(SmtpConnection c) {
        boolean found;
        boolean none;
        synchronized (connLock) {
            found = parked.removeIf(k -> k.connection() == c);
            none = parked.isEmpty();
        }
        if (found) {
            c.quit();
            if (none && active.isEmpty()) {
                statusString("Available");
            }
        }
    }

    /** QUIT on every kept connection now. */
    private void closeParked() {
        List<Kept> all;
        synchronized (connLock) {
            all = new ArrayList<>(parked);
            parked.clear();
        }
        for (Kept k : all) {
            k.idleClose().cancel(false);
            k.connection().quit();
        }
    }

    /** @return whether a connection is kept open now (for tests and the status row) */
    boolean connectionKept() {
        synchronized (connLock) {
            return !parked.isEmpty();
        }
    }

    private int retryDelay(SmtpSettings s) {
        long d = (long) s.retrySeconds() << Math.min(failures.getAndIncrement(), 16);
        return (int) Math.min(d, Math.max(MAX_RETRY_SECONDS, s.retrySeconds()));
    }

    private MapiException networkError(MessageRef ref, SmtpSettings s, String what) {
        int delay = retryDelay(s);
        ref.retryAfterSeconds(delay);
        changeStatus(Flags.STATUS_FAILURE, 0);
        statusString("Network error (MAPI_E_NETWORK_ERROR): " + what + "; retry in " + delay + " s");
        return new MapiException(HResult.MAPI_E_NETWORK_ERROR, "SMTP: " + what + "; the message stays queued");
    }

    private MapiException cancelled(int myRef) {
        return new MapiException(HResult.MAPI_E_USER_CANCEL, "SMTP: the send of message " + myRef
                + " was cancelled; the message stays queued");
    }

    // ---- cancel, state, logoff --------------------------------------------------------------------------------

    @Override
    protected void onCancel(int ref) {
        SmtpConnection c = active.get(ref);
        if (c != null) {
            c.close();
        }
    }

    @Override
    protected void onAbandon() {
        active.values().forEach(SmtpConnection::close);
    }

    @Override
    protected void doValidateState(int flags) {
        if ((flags & Flags.CONFIG_CHANGED) != 0) {
            configure(SmtpProvider.readSettings(support()));
            closeParked();
        }
        if ((flags & Flags.FORCE_XP_DISCONNECT) != 0) {
            closeParked();
            statusString("Offline");
        } else if ((flags & Flags.FORCE_XP_CONNECT) != 0) {
            statusString(connectionKept() ? "Connected to " + settings.peer() : "Available");
        }
    }

    @Override
    protected int doPoll() {
        return 0; // send-only
    }

    @Override
    protected void doStartMessage(Message message, MessageRef ref) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "the SMTP transport only sends");
    }

    @Override
    protected void onLogoff() {
        ScheduledThreadPoolExecutor t;
        synchronized (connLock) {
            ending = true; // nothing is kept from now on (park)
            t = timer;
            timer = null;
        }
        if (t != null) {
            t.shutdownNow();
        }
        closeParked();
        active.values().forEach(SmtpConnection::close);
    }

    @Override
    protected String describe() {
        return "smtp logon (" + settings.peer() + ")";
    }
}
