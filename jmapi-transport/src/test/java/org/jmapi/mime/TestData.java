package org.jmapi.mime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared test data of ../shared/testdata (see its README): found through the system property
 * {@code jmapi.testdata}, or by walking up from the working directory to a folder holding {@code shared/testdata}.
 * A missing folder is an error with a message saying where it was looked for, never a skipped test.
 */
final class TestData {
    /** Not instantiable. */
    private TestData() {}

    /** The system property that names the testdata folder. */
    static final String PROPERTY = "jmapi.testdata";

    /**
     * @return the testdata folder
     * @throws AssertionError when it cannot be found
     */
    static Path root() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            Path p = Paths.get(prop).toAbsolutePath().normalize();
            if (!Files.isDirectory(p.resolve("eml"))) {
                throw new AssertionError("-D" + PROPERTY + "=" + prop + " does not point at a testdata folder with eml/");
            }
            return p;
        }
        Path start = Paths.get("").toAbsolutePath();
        List<Path> tried = new ArrayList<>();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("testdata");
            tried.add(candidate);
            if (Files.isDirectory(candidate.resolve("eml"))) {
                return candidate;
            }
        }
        throw new AssertionError("the shared test data is missing: no shared/testdata/eml above " + start
                + " (looked at " + tried + "); check out ../shared beside the project or pass -D" + PROPERTY
                + "=<path to shared/testdata>");
    }

    /** @return the eml folder */
    static Path emlDir() {
        return root().resolve("eml");
    }

    /** @return eml/manifest.json, parsed */
    static JsonNode manifest() {
        try {
            return new ObjectMapper().readTree(emlDir().resolve("manifest.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + emlDir().resolve("manifest.json"), e);
        }
    }

    /** @return the .eml file names, sorted */
    static List<String> emlFiles() {
        try (Stream<Path> s = Files.list(emlDir())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".eml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + emlDir(), e);
        }
    }

    /**
     * @param name a file name in eml/
     * @return its bytes
     */
    static byte[] eml(String name) {
        try {
            return Files.readAllBytes(emlDir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /**
     * @param relative a path below eml/, e.g. {@code expected/mime4j/qp-body/qp-body_decoded_1.txt}
     * @return its bytes
     */
    static byte[] expected(String relative) {
        try {
            return Files.readAllBytes(emlDir().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relative, e);
        }
    }
}
