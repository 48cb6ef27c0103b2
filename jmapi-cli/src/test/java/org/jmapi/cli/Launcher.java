package org.jmapi.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A fresh copy of this repository's sources (no build output, no tests) in a temporary directory, and the real
 * {@code ./jmapi} launcher run there in child processes, as a person does after a fresh clone. The copy is made
 * once per test JVM; its first launcher run (which builds) is recorded in {@link #firstRun}.
 */
final class Launcher {
    private static Launcher instance;

    /** The root of the copy. */
    final Path root;
    /** The first {@code ./jmapi --version} in the copy: the one that built it. */
    final Run firstRun;

    /** One launcher run. */
    record Run(int code, String out, String err) {
        /** @return the standard output's lines */
        List<String> lines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private Launcher(Path root) throws IOException, InterruptedException {
        this.root = root;
        this.firstRun = run(Map.of(), 900, "--version");
    }

    /** @return the copy, made (and built by its first launcher run) on first use */
    static synchronized Launcher get() throws IOException, InterruptedException {
        if (instance == null) {
            Path repo = Path.of("..").toAbsolutePath().normalize();
            if (!Files.isRegularFile(repo.resolve("jmapi")) || !Files.isRegularFile(repo.resolve("mvnw"))) {
                throw new AssertionError("not run from jmapi-cli inside the repository: no ../jmapi at " + repo);
            }
            Path copy = Files.createTempDirectory("jmapi-clone");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(copy), "jmapi-clone-cleanup"));
            copy(repo, copy);
            instance = new Launcher(copy);
        }
        return instance;
    }

    /** Deletes the copy when the test JVM ends (best effort: a file that cannot be deleted is left). */
    private static void delete(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // nothing more to do at JVM exit
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Set<String> skip = Set.of("target", ".git", ".idea", "results");
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                boolean testSources = name.equals("test") && dir.getParent() != null
                        && dir.getParent().getFileName().toString().equals("src");
                if (!dir.equals(from) && (skip.contains(name) || testSources)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Runs {@code ./jmapi ARGS} in the copy and waits for it.
     *
     * @param env     extra environment variables
     * @param seconds how long it may take
     * @param args    the arguments
     * @return what happened
     */
    Run run(Map<String, String> env, int seconds, String... args) throws IOException, InterruptedException {
        Process p = start(env, args);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./jmapi " + String.join(" ", args) + " did not end within " + seconds + " s");
        }
        return new Run(p.exitValue(), Files.readString(out(p)), Files.readString(err(p)));
    }

    private final Map<Process, Path[]> files = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Starts {@code ./jmapi ARGS} in the copy, output to files.
     *
     * @param env  extra environment variables (USER=alice unless given)
     * @param args the arguments
     * @return the process (the JVM itself: the launcher execs java)
     */
    Process start(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("jmapi").toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(root, "run", ".out");
        Path err = Files.createTempFile(root, "run", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("USER", "alice");
        pb.environment().remove("JMAPI_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        files.put(p, new Path[] {out, err});
        return p;
    }

    /** @return the file holding the process's standard output */
    Path out(Process p) {
        return files.get(p)[0];
    }

    /** @return the file holding the process's standard error */
    Path err(Process p) {
        return files.get(p)[1];
    }
}
