package org.jmapi.transport.local;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.Message;
import org.jmapi.mime.MimeReader;
import org.jmapi.mime.MimeWriter;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.AddressTypes;
import org.jmapi.spi.BaseXpLogon;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MessageRef;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One logon of the local-delivery transport (IXPLogon), built on {@link BaseXpLogon}, which does the status row,
 * TransportNotify, the R-XP-5 gate, cancel and logoff.
 *
 * <h2>Sending (R-XPS-1..5)</h2>
 * The logon registers the address type {@value #ADDRESS_TYPE}. SubmitMessage takes the recipients with that
 * PR_ADDRTYPE, PR_RESPONSIBILITY false and an address in one of the local domains; others are left alone (another
 * transport, or the spooler's non-delivery report, deals with them), and when no recipient is left for it the call
 * answers MAPI_E_NOT_ME. The message gets a PR_INTERNET_MESSAGE_ID first (saved), so a copy delivered twice after a
 * crash carries the same Message-ID. It is converted once with {@link MimeWriter} (Bcc and MAPI_P1 recipients are
 * envelope only, never in the headers), staged in each mailbox's {@code tmp/} and forced to disk, then renamed into
 * {@code new/} ({@link Maildrop}). The conversion streams: bodies and attachments of any size are read through
 * OpenProperty and written to the staged file piece by piece, and received ones are written into the store the same
 * way, so the size of a message is limited by neither heap nor the store's GetProps limit. An error reading the
 * message (a MapiException) leaves it queued for a later attempt, as any store error does. A staged file that a
 * crash left in {@code tmp/} is never read as mail, and the
 * mailbox's own logon removes such files once they are {@link #STAGED_LIFETIME} old. A local part that cannot be a mailbox is refused permanently: one
 * StatusRecips call per message (a non-delivery report for the sender, status 553). Every recipient delivered or
 * refused gets PR_RESPONSIBILITY true. A mailbox that cannot be written now (disk full, permissions) keeps its
 * recipients' PR_RESPONSIBILITY false; the edits made so far are saved and EndMessage answers END_RESEND_LATER. A
 * cancel or logoff before the renames removes the staged files and answers MAPI_E_USER_CANCEL: the message stays
 * queued (R-MAIL-2). After the renames the mail is delivered; a crash before FinishedMsg sends it again
 * (at-least-once).
 *
 * <h2>Receiving (R-RCV-1..2, R-MAIL-3)</h2>
 * With an own address configured the logon is polled (LOGON_SP_POLL), and it watches its own {@code new/}
 * directory ({@link MaildropWatch}): mail arriving there is signalled at once with SpoolerNotify(NOTIFY_NEWMAIL), so a
 * local delivery is received in milliseconds, not at the next Poll. Poll counts the entries of the own
 * {@code new/} directory; StartMessage converts the oldest with {@link MimeReader} (files are taken in the order of
 * one listing of {@code new/}, oldest first, before the directory is listed again), calls SaveChanges, and only
 * after it returned deletes the file: at-least-once, never zero times. A cancel or logoff while the file is read stops the
 * read; nothing is saved and the file stays for the next session. An entry that cannot be read at all (not a regular
 * file, an I/O error) is moved to the mailbox's {@code bad/} directory and named in the status row's
 * PR_STATUS_STRING; so is a file the store refused {@value #QUARANTINE_AFTER} times in a row for its content (too
 * big, a value it cannot take), which would otherwise block all later mail. Nothing is ever deleted unsaved.
 *
 * <p><b>Ownership:</b> the spooler owns the logon. <b>Threads:</b> the spooler's mail thread sends and receives;
 * TransportNotify and TransportLogoff may come from other threads while a call runs, so the state they touch is
 * thread-safe. The watch thread ({@value MaildropWatch#THREAD_NAME}) only calls SpoolerNotify.
 */
final class LocalLogon extends BaseXpLogon {
    /** The address type the transport handles. */
    static final String ADDRESS_TYPE = "SMTP";
    /** Content refusals by the store after which a received file is moved to {@code bad/}. */
    static final int QUARANTINE_AFTER = 3;
    /** The SMTP-style status of a refused recipient: mailbox name not allowed (RFC 5321). */
    static final int REFUSED_STATUS = 553;

    /** Files in the own {@code tmp/} older than this are left-overs of a crashed delivery (the Maildir rule). */
    static final Duration STAGED_LIFETIME = Duration.ofHours(36);

    private static final AtomicInteger REFS = new AtomicInteger();
    /** Store errors that are about the message's content, not about the store's state. */
    private static final Set<Integer> CONTENT_ERRORS = Set.of(HResult.MAPI_E_INVALID_PARAMETER,
            HResult.MAPI_E_STRING_TOO_LONG, HResult.MAPI_E_BAD_CHARWIDTH, HResult.MAPI_E_TOO_BIG,
            HResult.MAPI_E_BAD_VALUE, HResult.MAPI_E_INVALID_TYPE, HResult.MAPI_E_UNEXPECTED_TYPE,
            HResult.MAPI_E_TYPE_NO_SUPPORT, HResult.MAPI_E_NOT_ENOUGH_MEMORY, HResult.MAPI_E_CORRUPT_DATA);

    private final LocalTransportProvider provider;
    private final LocalConfig config;
    private final Maildrop drop;
    private final MimeWriter writer = new MimeWriter();
    private final MimeReader reader = new MimeReader();
    /** EndMessage's answer per outbound reference. */
    private final Map<Integer, Integer> endAnswers = new ConcurrentHashMap<>();
    /** Content refusals per received file name. */
    private final Map<String, Integer> refusals = new ConcurrentHashMap<>();
    /** Received files that were stored but could not be deleted: never received again by this logon. */
    private final Set<String> stored = ConcurrentHashMap.newKeySet();
    /** Whether the status row says a delivery was postponed; cleared by the next complete delivery. */
    private volatile boolean postponed;
    /** The rest of the last listing of {@code new/}, oldest first. */
    private final ArrayDeque<Path> backlog = new ArrayDeque<>();
    /** The inbound reference being received now, 0 between messages. */
    private volatile int receiving;
    /** The file being read now, closed by a cancel or logoff. */
    private volatile Closeable reading;
    /** The watch of the own {@code new/} directory, or null (send only, or it cannot be watched). */
    private final MaildropWatch.Registration arrivals;

    LocalLogon(LocalTransportProvider provider, MapiSupport support, LocalConfig config, int flags) {
        super(support, LocalTransportService.DISPLAY_NAME + " ("
                + (config.address() != null ? config.address() : "send only") + ")",
                LocalTransportService.DISPLAY_NAME, flags);
        this.provider = provider;
        this.config = config;
        this.drop = new Maildrop(config.maildrop());
        MaildropWatch.Registration watch = null;
        if (config.mailbox() != null) {
            try {
                drop.ensure(config.mailbox());
                drop.cleanStaged(config.mailbox(), STAGED_LIFETIME);
                watch = MaildropWatch.watch(drop.incoming(config.mailbox()), this::arrived);
            } catch (IOException e) {
                statusString("Cannot create the Maildir of " + config.address() + ": " + e);
            }
        }
        this.arrivals = watch;
    }

    /**
     * Mail appeared in the own {@code new/} (on the watch thread): SpoolerNotify(NOTIFY_NEWMAIL), so the spooler
     * calls StartMessage now rather than at its next Poll. The spooler honours it only while inbound is enabled
     * (R-RCV-1); after logoff the support object refuses it, which is fine: nothing is to be received then.
     */
    private void arrived() {
        try {
            support().spoolerNotify(Flags.NOTIFY_NEWMAIL, null);
        } catch (MapiException e) {
            // logged off meanwhile
        }
    }

    @Override
    protected AddressTypes doAddressTypes() {
        return new AddressTypes(List.of(ADDRESS_TYPE), List.of());
    }

    // ---- sending ------------------------------------------------------------------------------------------

    @Override
    protected void doSubmitMessage(int flags, Message message, MessageRef ref) {
        int myRef = REFS.incrementAndGet();
        ref.set(myRef);
        Map<String, List<Row>> byMailbox = new LinkedHashMap<>();
        List<Row> refusedRows = new ArrayList<>();
        List<List<PropValue>> reports = new ArrayList<>();
        for (Row r : recipients(message)) {
            if (responsible(r) || !ADDRESS_TYPE.equals(string(r, PropTags.PR_ADDRTYPE))) {
                continue;
            }
            String address = address(r);
            Optional<LocalConfig.Address> a = LocalConfig.split(address);
            if (a.isEmpty() || !config.isLocal(a.get().domain())) {
                continue; // not a local address: another transport's, or the spooler's report
            }
            try {
                byMailbox.computeIfAbsent(Maildrop.mailboxName(a.get().localPart()), k -> new ArrayList<>()).add(r);
            } catch (IllegalArgumentException e) {
                refusedRows.add(r);
                reports.add(report(r, address, REFUSED_STATUS, Flags.MAPI_DIAG_OR_NAME_UNRECOGNIZED, REFUSED_STATUS
                        + " 5.1.3 <" + address + ">: mailbox name not allowed: " + e.getMessage()));
            }
        }
        if (byMailbox.isEmpty() && refusedRows.isEmpty()) {
            throw new MapiException(HResult.MAPI_E_NOT_ME, "no recipient of this message is in the local domains "
                    + config.domains());
        }
        checkCancelled(myRef);
        Map<String, String> failed = new LinkedHashMap<>();
        Set<String> delivered = Set.of();
        if (!byMailbox.isEmpty()) {
            try {
                delivered = deliver(message, byMailbox.keySet(), myRef, failed);
            } catch (MapiException e) {
                checkCancelled(myRef);
                throw e; // the store's state: the message stays queued for a later attempt
            }
        }
        List<List<PropValue>> done = new ArrayList<>();
        for (String mailbox : delivered) {
            byMailbox.get(mailbox).forEach(r -> done.add(responsible(r, true)));
        }
        refusedRows.forEach(r -> done.add(responsible(r, true)));
        if (!reports.isEmpty()) {
            support().statusRecips(message, reports); // once per message (R-XPS-5)
        }
        if (!done.isEmpty()) {
            message.modifyRecipients(Flags.MODRECIP_MODIFY, done);
        }
        if (failed.isEmpty()) {
            if (postponed) {
                postponed = false;
                statusString("Available");
            }
            endAnswers.put(myRef, 0);
            return;
        }
        postponed = true;
        if (!done.isEmpty()) {
            message.saveChanges(Flags.KEEP_OPEN_READWRITE); // END_RESEND_LATER drops unsaved edits (R-XPS-2)
        }
        statusString("Delivery postponed: " + failed.entrySet().iterator().next().getValue());
        endAnswers.put(myRef, Flags.END_RESEND_LATER);
    }

    /**
     * Stages the message for every mailbox, then (unless cancelled meanwhile) renames every staged copy into
     * {@code new/}. Staged copies not delivered are removed.
     *
     * @param failed receives the mailboxes that could not be written, with the reason
     * @return the mailboxes the message was delivered to
     */
    private Set<String> deliver(Message message, Set<String> mailboxes, int myRef, Map<String, String> failed) {
        ensureMessageId(message);
        Map<String, Path> staged = new LinkedHashMap<>();
        Set<String> delivered = new LinkedHashSet<>();
        try {
            Path source = null;
            for (String mailbox : mailboxes) {
                checkCancelled(myRef);
                try {
                    Path tmp = source == null
                            ? drop.stage(mailbox, out -> writer.write(message, new CancellableOutput(out,
                                    () -> isCancelled(myRef))))
                            : drop.stageCopy(mailbox, source);
                    staged.put(mailbox, tmp);
                    source = source == null ? tmp : source;
                } catch (IOException e) {
                    failed.put(mailbox, "cannot write to the Maildir of '" + mailbox + "': " + e);
                }
            }
            checkCancelled(myRef); // the last moment the message can be withdrawn: nothing is visible yet
            for (Map.Entry<String, Path> e : staged.entrySet()) {
                try {
                    drop.commit(e.getValue());
                    delivered.add(e.getKey());
                } catch (IOException ex) {
                    failed.put(e.getKey(), "cannot deliver into the Maildir of '" + e.getKey() + "': " + ex);
                }
            }
        } finally {
            for (Map.Entry<String, Path> e : staged.entrySet()) {
                if (!delivered.contains(e.getKey())) {
                    try {
                        Files.deleteIfExists(e.getValue());
                    } catch (IOException ignored) {
                        // a stray file in tmp/ is never read as mail
                    }
                }
            }
        }
        return delivered;
    }

    /** Gives the message a saved PR_INTERNET_MESSAGE_ID, so every copy of it, resent ones too, has the same one. */
    private void ensureMessageId(Message message) {
        Optional<PropValue> id = message.getProp(PropTags.PR_INTERNET_MESSAGE_ID);
        if (id.isPresent() && !id.get().asString().isBlank()) {
            return;
        }
        String domain = config.address() != null ? LocalConfig.split(config.address()).orElseThrow().domain()
                : config.domains().get(0);
        String messageId = "<" + UUID.randomUUID().toString().replace("-", "") + "@" + domain + ">";
        message.setProps(List.of(PropValue.ofString(PropTags.PR_INTERNET_MESSAGE_ID, messageId)));
        message.saveChanges(Flags.KEEP_OPEN_READWRITE);
    }

    @Override
    protected int doEndMessage(int ref) {
        Integer answer = endAnswers.remove(ref);
        return answer == null ? 0 : answer;
    }

    private static List<Row> recipients(Message message) {
        try (MapiTable t = message.getRecipientTable(0)) {
            t.setColumns(t.queryColumns(MapiTable.TBL_ALL_COLUMNS), 0);
            List<Row> rows = new ArrayList<>();
            for (List<Row> page = t.queryRows(256, 0); !page.isEmpty(); page = t.queryRows(256, 0)) {
                rows.addAll(page);
            }
            return rows;
        }
    }

    private static String string(Row r, int tag) {
        return r.find(tag).filter(v -> !v.isError()).map(PropValue::asString).orElse("");
    }

    private static boolean responsible(Row r) {
        return r.find(PropTags.PR_RESPONSIBILITY).filter(v -> !v.isError()).map(PropValue::asBoolean).orElse(false);
    }

    /** @return PR_EMAIL_ADDRESS, else PR_SMTP_ADDRESS */
    private static String address(Row r) {
        String a = string(r, PropTags.PR_EMAIL_ADDRESS);
        return a.isBlank() ? string(r, org.jmapi.mime.MimeProps.PR_SMTP_ADDRESS) : a;
    }

    /** @return the row's values (PR_ROWID included, errors left out) with PR_RESPONSIBILITY set */
    private static List<PropValue> responsible(Row r, boolean value) {
        List<PropValue> row = new ArrayList<>();
        for (PropValue v : r.values()) {
            if (!v.isError() && v.id() != PropTag.id(PropTags.PR_RESPONSIBILITY)) {
                row.add(v);
            }
        }
        row.add(PropValue.ofBoolean(PropTags.PR_RESPONSIBILITY, value));
        return row;
    }

    /** @return the StatusRecips row of a recipient refused permanently */
    private static List<PropValue> report(Row r, String address, int status, int diag, String text) {
        List<PropValue> row = new ArrayList<>();
        row.add(PropValue.ofString(PropTags.PR_DISPLAY_NAME, string(r, PropTags.PR_DISPLAY_NAME).isEmpty() ? address
                : string(r, PropTags.PR_DISPLAY_NAME)));
        row.add(PropValue.ofString(PropTags.PR_EMAIL_ADDRESS, address));
        row.add(PropValue.ofString(PropTags.PR_ADDRTYPE, ADDRESS_TYPE));
        row.add(PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, r.find(PropTags.PR_RECIPIENT_TYPE)
                .filter(v -> !v.isError()).map(PropValue::asInt).orElse(Flags.MAPI_TO)));
        r.find(PropTags.PR_ENTRYID).filter(v -> !v.isError()).ifPresent(row::add);
        row.add(PropValue.ofInt(PropTags.PR_NDR_REASON_CODE, Flags.MAPI_REASON_TRANSFER_IMPOSSIBLE));
        row.add(PropValue.ofInt(PropTags.PR_NDR_DIAG_CODE, diag));
        row.add(PropValue.ofInt(PropTags.PR_NDR_STATUS_CODE, status));
        row.add(PropValue.ofString(PropTags.PR_REPORT_TEXT, text));
        return row;
    }

    // ---- receiving ----------------------------------------------------------------------------------------

    @Override
    protected int doPoll() {
        if (config.mailbox() == null) {
            return 0;
        }
        try {
            drop.ensure(config.mailbox());
            int n = drop.countWaiting(config.mailbox());
            if (!stored.isEmpty()) {
                n -= (int) drop.waiting(config.mailbox()).stream()
                        .filter(p -> stored.contains(p.getFileName().toString())).count();
            }
            return Math.max(0, n);
        } catch (IOException e) {
            statusString("Cannot read the Maildir of " + config.address() + ": " + e);
            return 0;
        }
    }

    @Override
    protected void doStartMessage(Message message, MessageRef ref) {
        int myRef = REFS.incrementAndGet();
        ref.set(myRef);
        if (config.mailbox() == null) {
            return; // send only: no message
        }
        Optional<Path> next;
        try {
            next = nextWaiting();
        } catch (IOException e) {
            statusString("Cannot read the Maildir of " + config.address() + ": " + e);
            return;
        }
        if (next.isEmpty()) {
            return; // nothing waiting: no message (R-RCV-2)
        }
        Path file = next.get();
        String name = file.getFileName().toString();
        receiving = myRef;
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    quarantine(file, "it is not a regular file");
                }
                return;
            }
            try {
                convert(file, message, myRef);
            } catch (NoSuchFileException e) {
                return; // taken by another reader of this Maildir meanwhile: no message
            } catch (IOException e) {
                checkCancelled(myRef); // a cancel or logoff closed the file under the reader: the file stays
                quarantine(file, "it cannot be read: " + e);
                return;
            } catch (MapiException e) {
                checkCancelled(myRef);
                refused(file, e);
                throw e;
            } catch (RuntimeException e) {
                checkCancelled(myRef);
                quarantine(file, "it cannot be converted: " + e);
                return;
            }
            checkCancelled(myRef); // a logoff during the conversion: nothing is saved, the file stays (R-MAIL-3)
            try {
                message.saveChanges(0);
            } catch (MapiException e) {
                refused(file, e);
                throw e; // not stored: the file stays for the next attempt
            }
        } finally {
            receiving = 0;
        }
        refusals.remove(name);
        try {
            Files.delete(file); // only now: the store has it (at-least-once)
        } catch (NoSuchFileException e) {
            // another reader of this Maildir removed it too
        } catch (IOException e) {
            stored.add(name);
            statusString("Stored " + name + " but cannot remove it from " + file.getParent() + ": " + e);
        }
    }

    /**
     * @return the oldest file waiting: the next of the last listing of {@code new/} still there, else the oldest of
     *         a fresh listing (so a backlog of n files costs one listing, not n)
     */
    private Optional<Path> nextWaiting() throws IOException {
        synchronized (backlog) {
            for (int pass = 0; pass < 2; pass++) {
                while (!backlog.isEmpty()) {
                    Path p = backlog.poll();
                    if (!stored.contains(p.getFileName().toString()) && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                        return Optional.of(p);
                    }
                }
                if (pass == 0) {
                    backlog.addAll(drop.waiting(config.mailbox()));
                }
            }
            return Optional.empty();
        }
    }

    /** Reads one file into the message; the read stops with an IOException once the reference is cancelled. */
    private void convert(Path file, Message message, int myRef) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            reading = ch;
            try {
                checkCancelled(myRef);
                reader.read(new CancellableInput(Channels.newInputStream(ch), () -> isCancelled(myRef)), message);
            } finally {
                reading = null;
            }
        }
    }

    /** A store refusal: content errors count towards {@link #QUARANTINE_AFTER}; others (store state) do not. */
    private void refused(Path file, MapiException e) {
        if (!CONTENT_ERRORS.contains(e.hresult())) {
            return;
        }
        int n = refusals.merge(file.getFileName().toString(), 1, Integer::sum);
        if (n >= QUARANTINE_AFTER) {
            refusals.remove(file.getFileName().toString());
            quarantine(file, "the store refused it " + n + " times: " + HResult.name(e.hresult()) + " "
                    + e.getMessage());
        }
    }

    /** Moves a file to {@code bad/} and says so in the status row; if even that fails, says that. */
    private void quarantine(Path file, String why) {
        try {
            Path moved = drop.quarantine(config.mailbox(), file);
            statusString("Moved " + file.getFileName() + " to " + moved.getParent() + " because " + why);
        } catch (IOException e) {
            stored.add(file.getFileName().toString()); // skip it, or it would block all later mail
            statusString("Cannot receive " + file + " because " + why + ", and cannot move it: " + e);
        }
    }

    /** An output stream that fails once its send was cancelled, so a cancel or logoff stops a long write. */
    private static final class CancellableOutput extends FilterOutputStream {
        private final BooleanSupplier cancelled;

        CancellableOutput(OutputStream out, BooleanSupplier cancelled) {
            super(out);
            this.cancelled = cancelled;
        }

        @Override
        public void write(int b) throws IOException {
            if (cancelled.getAsBoolean()) {
                throw new InterruptedIOException("the send was cancelled");
            }
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (cancelled.getAsBoolean()) {
                throw new InterruptedIOException("the send was cancelled");
            }
            out.write(b, off, len);
        }
    }

    /** An input stream that fails once its receive was cancelled, so a cancel or logoff stops a read at once. */
    private static final class CancellableInput extends FilterInputStream {
        private final BooleanSupplier cancelled;

        CancellableInput(InputStream in, BooleanSupplier cancelled) {
            super(in);
            this.cancelled = cancelled;
        }

        private void check() throws IOException {
            if (cancelled.getAsBoolean()) {
                throw new InterruptedIOException("the receive was cancelled");
            }
        }

        @Override
        public int read() throws IOException {
            check();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            return super.read(b, off, len);
        }
    }

    // ---- cancel and logoff --------------------------------------------------------------------------------

    @Override
    protected void onCancel(int ref) {
        if (ref != 0 && ref == receiving) {
            closeReading();
        }
    }

    @Override
    protected void onAbandon() {
        closeReading();
    }

    private void closeReading() {
        Closeable c = reading;
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    @Override
    protected void onLogoff() {
        if (arrivals != null) {
            arrivals.close();
        }
        endAnswers.clear();
        provider.logonEnded();
    }

    @Override
    protected String describe() {
        return LocalTransportService.DISPLAY_NAME + " logon (" + (config.address() != null ? config.address()
                : config.maildrop().toString()) + ")";
    }
}
