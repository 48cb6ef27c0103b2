package org.jmapi.bench.mime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code .eml} files the {@code mime.*} rows convert: every file of {@code shared/testdata/eml} (real messages
 * written by other software: Apache James mime4j's and RubyMail's test messages, several deliberately malformed),
 * read once into memory, in file-name order.
 *
 * <p>The folder is found through the system property {@value #PROPERTY} (the {@code testdata} folder), else by
 * walking up from the repository root to a directory holding {@code shared/testdata/eml} (in this checkout layout:
 * {@code ../shared} next to the worktrees). Missing data is an error naming where it looked, never a silently empty
 * corpus.
 *
 * @param dir      the eml folder
 * @param names    the file names
 * @param messages the files' bytes, in {@code names} order
 */
public record MimeCorpus(Path dir, List<String> names, List<byte[]> messages) {
    /** The system property naming the testdata folder (the one holding {@code eml/}). */
    public static final String PROPERTY = "jmapi.testdata";

    /** Copies the lists. */
    public MimeCorpus {
        names = List.copyOf(names);
        messages = List.copyOf(messages);
    }

    /**
     * @param root the repository root (where the search for {@code shared/testdata} starts)
     * @return the corpus
     * @throws IllegalStateException when the folder is missing or holds no {@code .eml} file
     */
    public static MimeCorpus load(Path root) {
        Path eml = find(root);
        List<String> names = new ArrayList<>();
        List<byte[]> messages = new ArrayList<>();
        try (Stream<Path> files = Files.list(eml)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".eml")).sorted().toList()) {
                names.add(p.getFileName().toString());
                messages.add(Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the corpus in " + eml + " failed", e);
        }
        if (messages.isEmpty()) {
            throw new IllegalStateException("no .eml file in " + eml);
        }
        return new MimeCorpus(eml, names, messages);
    }

    private static Path find(Path root) {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            Path p = Path.of(prop).toAbsolutePath().normalize().resolve("eml");
            if (!Files.isDirectory(p)) {
                throw new IllegalStateException("-D" + PROPERTY + "=" + prop + " has no eml/ folder");
            }
            return p;
        }
        List<Path> tried = new ArrayList<>();
        for (Path d = root.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("testdata").resolve("eml");
            tried.add(candidate);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the shared test data is missing: no shared/testdata/eml above " + root
                + " (looked at " + tried + "); check out ../shared beside the project or pass -D" + PROPERTY
                + "=<path to shared/testdata>");
    }

    /** @return the number of messages */
    public int size() {
        return messages.size();
    }

    /** @return the corpus's total size in bytes */
    public long bytes() {
        long n = 0;
        for (byte[] m : messages) {
            n += m.length;
        }
        return n;
    }
}
