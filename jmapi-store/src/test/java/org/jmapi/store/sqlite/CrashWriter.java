package org.jmapi.store.sqlite;

import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.Attachment;
import org.jmapi.store.MessageImage;
import org.jmapi.store.MessageInfo;
import org.jmapi.store.Recipient;
import org.jmapi.store.SaveRequest;
import org.jmapi.store.ValueStream;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * The child process of {@link SqliteCrashTest}: opens a store and saves messages in a loop until it is killed,
 * printing {@code ACK <n> <id> <submitted>} on stdout after each save returned (the moment the save is
 * acknowledged). Every third message is saved and submitted in one call; every fifth submitted message is then
 * locked, so that the kill also catches messages locked by this (dying) spooler. Message {@code n}'s content is a
 * pure function of {@code n} ({@link #image}), so the parent can check what it finds.
 */
public final class CrashWriter {
    private CrashWriter() {}

    /** Stream size of the large body every fourth message carries. */
    static final int LARGE = 20_000;

    /**
     * @param args the store file and the folder to write into
     */
    public static void main(String[] args) {
        Path store = Path.of(args[0]);
        long folder = Long.parseLong(args[1]);
        PrintStream out = System.out;
        try (SqliteStorage s = SqliteStorage.open(store)) {
            out.println("READY " + s.ownerId());
            out.flush();
            for (int n = 0; ; n++) {
                SaveRequest r = SaveRequest.create(folder, image(n));
                boolean submit = n % 3 == 0;
                if (submit) {
                    r = r.withSubmit(Instant.ofEpochSecond(1_700_000_000L + n), 0);
                }
                MessageInfo saved = s.saveMessage(r);
                if (submit && n % 5 == 0) {
                    s.lockMessage(saved.id());
                }
                out.println("ACK " + n + " " + saved.id() + " " + submit);
                out.flush();
            }
        }
    }

    /**
     * @param n the message number
     * @return message {@code n}'s image: subject, flags, time, a body (large, out of line, for every fourth), two
     *         recipients and an attachment written from a stream
     */
    static MessageImage image(int n) {
        MessageImage.Builder b = MessageImage.builder()
                .set(PropValue.ofString(PropTags.PR_SUBJECT, "crash test message " + n))
                .set(PropValue.ofInt(PropTags.PR_MESSAGE_FLAGS, n % 2))
                .set(PropValue.ofTime(PropTags.PR_MESSAGE_DELIVERY_TIME, Instant.ofEpochSecond(1_600_000_000L + n)))
                .recipient(new Recipient(0, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "To " + n),
                        PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, 1))))
                .recipient(new Recipient(1, List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Cc " + n),
                        PropValue.ofInt(PropTags.PR_RECIPIENT_TYPE, 2))))
                .attachment(Attachment.of(0, List.of(PropValue.ofString(PropTags.PR_ATTACH_FILENAME, n + ".bin")))
                        .withStream(new ValueStream(PropTags.PR_ATTACH_DATA_BIN, () -> bytes(n, 1000 + n * 37 % 9000))));
        if (n % 4 == 0) {
            b.stream(PropTags.PR_BODY, () -> bytes(n, LARGE));
        } else {
            b.set(PropValue.ofString(PropTags.PR_BODY, "short body " + n));
        }
        return b.build();
    }

    /** Deterministic pseudo-random bytes for message {@code n} (an even count, valid as UTF-16LE too). */
    static InputStream bytes(int n, int size) {
        byte[] b = new byte[size];
        new Random(n).nextBytes(b);
        return new java.io.ByteArrayInputStream(b);
    }
}
