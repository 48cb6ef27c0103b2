package org.jmapi.transport.local;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MapiStream;
import org.jmapi.client.Message;
import org.jmapi.client.MsgStore;
import org.jmapi.mime.MimeProps;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.jmapi.transport.local.LocalFixture.*;

/**
 * The child JVM of {@link LocalLargeMailTest}, started with a heap much smaller than the attachment: in one jmapi
 * home (see {@link LocalFixture}) alice composes a message whose attachment (generated, written through a stream in
 * 64 KiB pieces) and ASCII body (over 1 MiB, also streamed) cannot be held in the heap, submits it to
 * bob@localhost, and bob's session receives it; then bob's copy is read back through streams. Prints
 * {@code HEAP-MAX}, the SHA-256 and size of what was sent ({@code SENT-ATTACHMENT}, {@code SENT-BODY}) and received
 * ({@code RECEIVED-ATTACHMENT}, {@code RECEIVED-BODY}), {@code GETPROPS} (bob's attachment through GetProps),
 * {@code ALICE-INBOX} (reports alice got), and {@code TEMP-FILES-AFTER} (the converters' and the store's temporary
 * files left in {@code java.io.tmpdir} once everything is released).
 */
public final class LocalLargeMailChild {
    /** The attachment's size: 50 MiB. */
    static final long SIZE = 50L * 1024 * 1024;
    /** The body's length in characters (2 MB of UTF-16: over the GetProps limit; ASCII, so labelled us-ascii). */
    static final int BODY_CHARS = 1_000_000;
    /** The subject. */
    static final String SUBJECT = "Fifty megabytes";
    /** How long the child waits for the mail to move before it gives up. */
    private static final long WAIT_MINUTES = 4;
    private static final int PIECE = 64 * 1024;

    private LocalLargeMailChild() {
    }

    /** @return the attachment's byte at {@code p}: a function of the position only (splitmix64 of p / 8) */
    static byte at(long p) {
        long z = (p >>> 3) + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (byte) (z >>> ((p & 7) * 8));
    }

    /**
     * @param args the jmapi home, the attachment size
     * @throws Exception anything: the test prints the child's output when it fails
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path home = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        out.println("HEAP-MAX " + Runtime.getRuntime().maxMemory());
        try (LocalFixture fixture = LocalFixture.start(home, "alice", "bob")) {
            MapiSession alice = logon("alice");
            MsgStore aliceStore = open(alice);
            EntryId sent = entryId(aliceStore, PropTags.PR_IPM_SENTMAIL_ENTRYID);
            try (MapiFolder outbox = folder(aliceStore, PropTags.PR_IPM_OUTBOX_ENTRYID);
                 Message m = outbox.createMessage(0)) {
                m.setProps(List.of(PropValue.ofString(PropTags.PR_MESSAGE_CLASS, "IPM.Note"),
                        PropValue.ofString(PropTags.PR_SUBJECT, SUBJECT),
                        PropValue.ofString(PropTags.PR_SENDER_NAME, "alice@localhost"),
                        PropValue.ofString(PropTags.PR_SENDER_EMAIL_ADDRESS, "alice@localhost"),
                        PropValue.ofString(PropTags.PR_SENDER_ADDRTYPE, "SMTP"),
                        PropValue.ofString(PropTags.PR_SENT_REPRESENTING_NAME, "alice@localhost"),
                        PropValue.ofString(PropTags.PR_SENT_REPRESENTING_EMAIL_ADDRESS, "alice@localhost"),
                        PropValue.ofString(MimeProps.PR_SENT_REPRESENTING_ADDRTYPE, "SMTP"),
                        PropValue.ofBinary(PropTags.PR_SENTMAIL_ENTRYID, sent.toBytes())));
                m.modifyRecipients(Flags.MODRECIP_ADD, List.of(recipient("bob@localhost", Flags.MAPI_TO)));
                out.println("SENT-BODY " + writeBody(m));
                try (Attach a = m.createAttach(0)) {
                    a.setProps(List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, MimeProps.ATTACH_BY_VALUE),
                            PropValue.ofString(PropTags.PR_ATTACH_LONG_FILENAME, "fifty.bin"),
                            PropValue.ofString(PropTags.PR_ATTACH_MIME_TAG, "application/octet-stream")));
                    out.println("SENT-ATTACHMENT " + writeAttachment(a, size));
                    a.saveChanges(0);
                }
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                m.submitMessage(0);
            }
            out.println("SUBMITTED");
            waitFor(() -> contents(aliceStore, PropTags.PR_IPM_SENTMAIL_ENTRYID).size() == 1, "the message sent");
            out.println("SENT");

            MapiSession bob = logon("bob");
            MsgStore bobStore = open(bob);
            Item[] item = new Item[1];
            waitFor(() -> {
                Optional<Item> i = inboxContents(bobStore).stream().filter(x -> SUBJECT.equals(x.subject()))
                        .findFirst();
                i.ifPresent(x -> item[0] = x);
                return i.isPresent();
            }, "the message in bob's Inbox");
            try (Message m = (Message) bobStore.openEntry(item[0].id(), 0); Attach a = m.openAttach(0, 0)) {
                out.println("GETPROPS " + HResult.name(a.getProps(new int[] {PropTags.PR_ATTACH_DATA_BIN}, 0)
                        .values().get(0).errorCode()));
                out.println("RECEIVED-ATTACHMENT " + digest(a.openProperty(PropTags.PR_ATTACH_DATA_BIN,
                        Flags.STGM_READ, 0)));
                out.println("RECEIVED-BODY " + digest(m.openProperty(PropTags.PR_BODY, Flags.STGM_READ, 0)));
            }
            out.println("ALICE-INBOX " + inboxContents(aliceStore).size());
            endSession(bob, bobStore);
            endSession(alice, aliceStore);
        }
        out.println("TEMP-FILES-AFTER " + tempFiles());
        System.exit(0);
    }

    /** Writes the body (ASCII lines, CRLF) through a PR_BODY stream; @return its UTF-16LE SHA-256 and size */
    private static String writeBody(Message m) {
        MessageDigest sha = sha256();
        long total = 0;
        try (MapiStream s = m.openProperty(PropTags.PR_BODY, Flags.STGM_WRITE,
                Flags.MAPI_CREATE | Flags.MAPI_MODIFY)) {
            StringBuilder piece = new StringBuilder();
            for (int line = 0, chars = 0; chars < BODY_CHARS; line++) {
                String l = "body line " + line + " of a large plain-text body, ASCII only\r\n";
                piece.append(l);
                chars += l.length();
                if (piece.length() > 16_000 || chars >= BODY_CHARS) {
                    byte[] b = piece.toString().getBytes(StandardCharsets.UTF_16LE);
                    s.write(b, 0, b.length);
                    sha.update(b);
                    total += b.length;
                    piece.setLength(0);
                }
            }
            s.commit(Flags.STGC_DEFAULT);
        }
        return HexFormat.of().formatHex(sha.digest()) + "/" + total;
    }

    /** Writes {@code size} generated bytes through a PR_ATTACH_DATA_BIN stream; @return their SHA-256 and size */
    private static String writeAttachment(Attach a, long size) {
        MessageDigest sha = sha256();
        byte[] piece = new byte[PIECE];
        try (MapiStream s = a.openProperty(PropTags.PR_ATTACH_DATA_BIN, Flags.STGM_WRITE,
                Flags.MAPI_CREATE | Flags.MAPI_MODIFY)) {
            for (long written = 0; written < size; ) {
                int n = (int) Math.min(PIECE, size - written);
                for (int i = 0; i < n; i++) {
                    piece[i] = at(written + i);
                }
                s.write(piece, 0, n);
                sha.update(piece, 0, n);
                written += n;
            }
            s.commit(Flags.STGC_DEFAULT);
        }
        return HexFormat.of().formatHex(sha.digest()) + "/" + size;
    }

    /** @return the SHA-256 and size of a stream's value, read in pieces; the stream is released */
    private static String digest(MapiStream s) {
        try (s) {
            MessageDigest sha = sha256();
            byte[] piece = new byte[PIECE];
            long total = 0;
            for (int n; (n = s.read(piece, 0, PIECE)) > 0; ) {
                sha.update(piece, 0, n);
                total += n;
            }
            return HexFormat.of().formatHex(sha.digest()) + "/" + total;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(WAIT_MINUTES);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** @return how many temporary files of the MIME reader and the store's streams are in java.io.tmpdir */
    private static long tempFiles() {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("jmapi-mime-") || n.startsWith("jmapi-value-")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
