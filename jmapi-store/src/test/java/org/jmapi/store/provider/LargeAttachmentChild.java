package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.client.Attach;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiStream;
import org.jmapi.client.Message;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;

import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@code StreamsTest}'s 50 MB test, started with a heap much smaller than the attachment: writes
 * the attachment's PR_ATTACH_DATA_BIN through a stream in 64 KiB pieces, saves attachment and message, reopens them
 * read-only and compares the stored value piece by piece with the generator, then the tail after a seek. Prints
 * {@code HEAP-MAX}, {@code WRITTEN}, {@code GETPROPS}, {@code COMPARED} and {@code TAIL-COMPARED} lines, and how many
 * stream buffer files its {@code java.io.tmpdir} holds before the save and after everything was released; exits 2 at
 * the first differing byte.
 */
public final class LargeAttachmentChild {
    /** The attachment's size: 50 MiB. */
    static final long SIZE = 50L * 1024 * 1024;
    /** How many bytes the tail check reads after seeking. */
    static final int TAIL = 10_000;
    private static final int PIECE = 64 * 1024;

    private LargeAttachmentChild() {}

    /** @return the generator's byte at {@code p}: a function of the position only (splitmix64 of p / 8) */
    static byte at(long p) {
        long z = (p >>> 3) + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (byte) (z >>> ((p & 7) * 8));
    }

    /**
     * @param args the directory for the store file, the attachment size
     */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        System.out.println("HEAP-MAX " + Runtime.getRuntime().maxMemory());
        byte[] piece = new byte[PIECE];
        try (Direct d = Direct.open(dir); MapiFolder drafts = StoreFixture.folder(d.store(),
                PropTags.PR_IPM_DRAFTS_ENTRYID)) {
            EntryId id;
            try (Message m = drafts.createMessage(0)) {
                m.setProps(List.of(PropValue.ofString(PropTags.PR_SUBJECT, "fifty megabytes")));
                try (Attach a = m.createAttach(0)) {
                    a.setProps(List.of(PropValue.ofInt(PropTags.PR_ATTACH_METHOD, Flags.ATTACH_BY_VALUE)));
                    try (MapiStream s = a.openProperty(PropTags.PR_ATTACH_DATA_BIN, Flags.STGM_WRITE,
                            Flags.MAPI_CREATE | Flags.MAPI_MODIFY)) {
                        long written = 0;
                        while (written < size) {
                            int n = (int) Math.min(PIECE, size - written);
                            for (int i = 0; i < n; i++) {
                                piece[i] = at(written + i);
                            }
                            written += s.write(piece, 0, n);
                        }
                        s.commit(Flags.STGC_DEFAULT);
                        System.out.println("WRITTEN " + written);
                        System.out.println("TEMP-FILES-BEFORE-SAVE " + tempFiles());
                    }
                    a.saveChanges(0);
                }
                m.saveChanges(Flags.KEEP_OPEN_READWRITE);
                id = StoreFixture.entryId(m, PropTags.PR_ENTRYID);
            }
            try (Message m = (Message) drafts.openEntry(id, 0); Attach a = m.openAttach(0, 0)) {
                PropValues v = a.getProps(new int[] {PropTags.PR_ATTACH_DATA_BIN}, 0);
                System.out.println("GETPROPS " + HResult.name(v.values().get(0).errorCode()));
                try (MapiStream s = a.openProperty(PropTags.PR_ATTACH_DATA_BIN, 0, 0)) {
                    long compared = 0;
                    for (int n; (n = s.read(piece, 0, PIECE)) > 0; ) {
                        for (int i = 0; i < n; i++) {
                            if (piece[i] != at(compared + i)) {
                                System.out.println("DIFFERS AT " + (compared + i));
                                System.exit(2);
                            }
                        }
                        compared += n;
                    }
                    System.out.println("COMPARED " + compared);
                    long from = s.seek(-TAIL, Flags.STREAM_SEEK_END);
                    int n = s.read(piece, 0, TAIL);
                    for (int i = 0; i < n; i++) {
                        if (piece[i] != at(from + i)) {
                            System.out.println("TAIL DIFFERS AT " + (from + i));
                            System.exit(2);
                        }
                    }
                    System.out.println("TAIL-COMPARED " + n);
                }
            }
        }
        System.out.println("TEMP-FILES-AFTER " + tempFiles());
        System.out.flush();
        System.exit(0);
    }

    /** @return how many of the store's stream buffer files are in java.io.tmpdir now */
    private static long tempFiles() {
        try (var files = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("jmapi-value-")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
