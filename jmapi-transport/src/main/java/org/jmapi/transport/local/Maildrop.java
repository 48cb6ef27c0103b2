package org.jmapi.transport.local;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A maildrop: one directory holding a Maildir per local mailbox ({@code <root>/<mailbox>/tmp} and {@code new},
 * created on demand, plus {@code bad} for mail that could not be read). Files are the interface between processes:
 * a message is written to {@code tmp/<unique>}, forced to disk, then renamed into {@code new/} in one atomic step,
 * so a reader never sees a partial message, and a crash leaves at most a stray file in {@code tmp/}. Unique names
 * follow the Maildir convention {@code <seconds>.<pid>_<counter>.<host>}. Names starting with a dot are not mail.
 *
 * <p>Mailbox names come from the local part of an address, lower-cased and checked by {@link #mailboxName} so that
 * no address can name a directory outside the maildrop. <b>Threads:</b> any; the methods keep no state but the
 * process-wide name counter.
 */
final class Maildrop {
    /** The most characters a local part may have (RFC 5321 &sect;4.5.3.1.1). */
    static final int MAX_LOCAL_PART = 64;

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();

    private final Path root;

    /** @param root the maildrop directory, absolute and normalised */
    Maildrop(Path root) {
        this.root = root;
    }

    /** @return the maildrop directory */
    Path root() {
        return root;
    }

    /**
     * The directory name of a local part: lower-cased (Locale.ROOT), a quoted local part unquoted.
     *
     * @param localPart the part of an address before its last {@code @}
     * @return the mailbox name
     * @throws IllegalArgumentException with the reason, when the local part is empty, longer than
     *                                  {@value #MAX_LOCAL_PART} characters, made of dots only, starts with a dot, or
     *                                  holds a path separator, a NUL or another control character
     */
    static String mailboxName(String localPart) {
        String s = localPart == null ? "" : localPart.trim();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        s = s.toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("the local part is empty");
        }
        if (s.length() > MAX_LOCAL_PART) {
            throw new IllegalArgumentException("the local part is longer than " + MAX_LOCAL_PART + " characters");
        }
        if (s.chars().allMatch(c -> c == '.')) {
            throw new IllegalArgumentException("the local part is made of dots only");
        }
        if (s.startsWith(".")) {
            throw new IllegalArgumentException("the local part starts with a dot");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '\\') {
                throw new IllegalArgumentException("the local part holds a path separator");
            }
            if (c < 0x20 || c == 0x7F) {
                throw new IllegalArgumentException("the local part holds a control character");
            }
        }
        return s;
    }

    /**
     * @param mailbox a name from {@link #mailboxName}
     * @return its Maildir directory
     * @throws IllegalArgumentException when the name would leave the maildrop (never for a checked name)
     */
    Path mailbox(String mailbox) {
        Path dir = root.resolve(mailbox).normalize();
        if (!root.equals(dir.getParent())) {
            throw new IllegalArgumentException("mailbox '" + mailbox + "' is not a directory of " + root);
        }
        return dir;
    }

    /** @return the mailbox's {@code new} directory, where delivered mail waits */
    Path incoming(String mailbox) {
        return mailbox(mailbox).resolve("new");
    }

    /** @return the mailbox's {@code bad} directory, where mail that could not be read is kept */
    Path bad(String mailbox) {
        return mailbox(mailbox).resolve("bad");
    }

    /**
     * Creates the mailbox's {@code tmp} and {@code new} directories when missing.
     *
     * @param mailbox a checked name
     * @throws IOException when they cannot be created
     */
    void ensure(String mailbox) throws IOException {
        Path dir = mailbox(mailbox);
        Files.createDirectories(dir.resolve("tmp"));
        Files.createDirectories(dir.resolve("new"));
    }

    /** Writes a message's bytes to a stream. */
    interface Content {
        /**
         * @param out where the message goes; not to be closed
         * @throws IOException when writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * First step of a delivery: the message in {@code <mailbox>/tmp/<unique>}, forced to disk. Nothing is visible
     * to a reader yet; {@link #commit} makes it so. On failure nothing is left behind.
     *
     * @param mailbox a checked name; its directories are created when missing
     * @param content the message
     * @return the file in {@code tmp}
     * @throws IOException when the file cannot be written
     */
    Path stage(String mailbox, Content content) throws IOException {
        ensure(mailbox);
        Path tmp = createUnique(mailbox(mailbox).resolve("tmp"));
        boolean done = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            // not closed: the try block closes the channel, after force
            BufferedOutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
            content.writeTo(out);
            out.flush();
            ch.force(true);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        return tmp;
    }

    /**
     * {@link #stage} with the bytes of a file already staged for another mailbox.
     *
     * @param mailbox a checked name
     * @param source  a staged file
     * @return the new file in {@code tmp}
     * @throws IOException when the copy fails
     */
    Path stageCopy(String mailbox, Path source) throws IOException {
        return stage(mailbox, out -> Files.copy(source, out));
    }

    /**
     * Second step of a delivery: renames a staged file into {@code new/} under the same name (atomic on one file
     * system) and forces the directory, so the message is visible to readers and survives a crash.
     *
     * @param staged a file returned by {@link #stage}
     * @return the file in {@code new}
     * @throws IOException when the rename fails; the staged file is then still there
     */
    Path commit(Path staged) throws IOException {
        Path dir = staged.getParent().resolveSibling("new");
        Path target = dir.resolve(staged.getFileName());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(dir);
        return target;
    }

    /**
     * @param mailbox a checked name
     * @return the mail waiting in its {@code new} directory, oldest first (modification time, then name); empty
     *         when the directory does not exist
     * @throws IOException when the directory cannot be listed
     */
    List<Path> waiting(String mailbox) throws IOException {
        record Entry(Path path, FileTime time) {}
        List<Entry> entries = new ArrayList<>();
        Path dir = incoming(mailbox);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> !p.getFileName().toString().startsWith("."))) {
            for (Path p : ds) {
                try {
                    entries.add(new Entry(p, Files.readAttributes(p, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS).lastModifiedTime()));
                } catch (NoSuchFileException e) {
                    // taken by another reader meanwhile
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::time).thenComparing(e -> e.path().getFileName().toString()));
        return entries.stream().map(Entry::path).toList();
    }

    /**
     * @param mailbox a checked name
     * @return the number of entries in its {@code new} directory (names starting with a dot excluded); 0 when the
     *         directory does not exist
     * @throws IOException when the directory cannot be listed
     */
    int countWaiting(String mailbox) throws IOException {
        Path dir = incoming(mailbox);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> !p.getFileName().toString().startsWith("."))) {
            for (Path ignored : ds) {
                n++;
            }
        }
        return n;
    }

    /**
     * Moves a file out of {@code new} into the mailbox's {@code bad} directory (under a new name if that one is
     * taken), where a person can look at it; nothing is deleted.
     *
     * @param mailbox a checked name
     * @param file    an entry of its {@code new} directory
     * @return where it is now
     * @throws IOException when it cannot be moved
     */
    Path quarantine(String mailbox, Path file) throws IOException {
        Path dir = bad(mailbox);
        Files.createDirectories(dir);
        Path target = dir.resolve(file.getFileName());
        for (int i = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); i++) {
            target = dir.resolve(file.getFileName() + "." + i);
        }
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(dir);
        return target;
    }

    /**
     * Removes files of the mailbox's {@code tmp} directory older than {@code lifetime}: deliveries a crash
     * interrupted before their rename (the Maildir rule: 36 hours). Files that cannot be removed are left.
     *
     * @param mailbox  a checked name
     * @param lifetime how old a staged file must be to be a left-over
     * @return the number of files removed
     * @throws IOException when the directory cannot be listed
     */
    int cleanStaged(String mailbox, Duration lifetime) throws IOException {
        Path dir = mailbox(mailbox).resolve("tmp");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        FileTime limit = FileTime.from(Instant.now().minus(lifetime));
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile() && a.lastModifiedTime().compareTo(limit) < 0) {
                        Files.delete(p);
                        removed++;
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to remove: left alone
                }
            }
        }
        return removed;
    }

    /** @return a new file (created empty, exclusively) with a unique Maildir name in {@code dir} */
    private static Path createUnique(Path dir) throws IOException {
        Path incoming = dir.resolveSibling("new");
        while (true) {
            String name = uniqueName();
            if (Files.exists(incoming.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                return Files.createFile(dir.resolve(name));
            } catch (FileAlreadyExistsException e) {
                // a left-over of an earlier process with the same pid: take the next counter value
            }
        }
    }

    /** @return {@code <seconds>.<pid>_<counter>.<host>}, unique among the processes of this host */
    static String uniqueName() {
        return (System.currentTimeMillis() / 1000) + "." + PID + "_" + COUNTER.incrementAndGet() + "." + Host.NAME;
    }

    /** Forces a directory's entries to disk where the platform allows it (Linux, macOS); elsewhere nothing. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory as a channel; NTFS journals the rename itself.
        }
    }

    /** The host part of unique names, looked up once, with the characters Maildir forbids escaped. */
    private static final class Host {
        static final String NAME = lookup();

        private static String lookup() {
            String name;
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "localhost";
            }
            if (name == null || name.isBlank()) {
                name = "localhost";
            }
            return name.replace("/", "\\057").replace(":", "\\072");
        }
    }
}
