package org.jmapi.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./jmapi} launcher, run in child processes in a fresh copy of the sources: the first use builds (with a
 * short message), later uses do not, a changed source file builds again (once, when two launches want it at the same
 * time), and the command runs against a home.
 */
class LauncherTest {
    @Test
    void firstUseBuilds_secondUseDoesNot(@TempDir Path home) throws Exception {
        Launcher l = Launcher.get();
        assertThat(l.firstRun.code()).as(l.firstRun.toString()).isZero();
        assertThat(l.firstRun.err()).contains("jmapi: building jmapi");
        assertThat(l.firstRun.out()).startsWith("jmapi ");

        Launcher.Run second = l.run(Map.of(), 120, "--version");
        assertThat(second.code()).as(second.toString()).isZero();
        assertThat(second.err()).doesNotContain("building");
        assertThat(second.out()).isEqualTo(l.firstRun.out());

        Launcher.Run ls = l.run(Map.of("JMAPI_HOME", home.toString()), 120, "ls");
        assertThat(ls.code()).as(ls.toString()).isZero();
        assertThat(ls.out()).contains("Inbox", "Outbox");
        assertThat(ls.err()).contains("created the default mailbox alice").doesNotContain("building");
    }

    @Test
    void aChangedSourceFileBuildsAgain() throws Exception {
        Launcher l = Launcher.get();
        assertThat(l.firstRun.code()).as(l.firstRun.toString()).isZero();
        Path source = l.root.resolve("jmapi-cli/src/main/java/org/jmapi/cli/Jmapi.java");
        Files.setLastModifiedTime(source, FileTime.from(Instant.now()));
        Launcher.Run rebuilt = l.run(Map.of(), 900, "--version");
        assertThat(rebuilt.code()).as(rebuilt.toString()).isZero();
        assertThat(rebuilt.err()).contains("jmapi: building jmapi");
        assertThat(l.run(Map.of(), 120, "--version").err()).doesNotContain("building");
    }

    @Test
    void twoLaunchesThatBothNeedABuild_buildOnce_theSecondWaits() throws Exception {
        Launcher l = Launcher.get();
        assertThat(l.firstRun.code()).as(l.firstRun.toString()).isZero();
        Path source = l.root.resolve("jmapi-cli/src/main/java/org/jmapi/cli/Jmapi.java");
        Files.setLastModifiedTime(source, FileTime.from(Instant.now()));
        Process a = l.start(Map.of(), "--version");
        Process b = l.start(Map.of(), "--version");
        for (Process p : List.of(a, b)) {
            if (!p.waitFor(900, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("a launcher did not end within 900 s");
            }
        }
        List<String> errs = new ArrayList<>();
        for (Process p : List.of(a, b)) {
            assertThat(p.exitValue()).as(Files.readString(l.err(p))).isZero();
            assertThat(Files.readString(l.out(p))).isEqualTo(l.firstRun.out());
            errs.add(Files.readString(l.err(p)));
        }
        // with util-linux's flock (as on this project's CI) one builds, the other waits for it and builds nothing
        assertThat(errs.stream().filter(e -> e.contains("jmapi: building jmapi"))).as(errs.toString()).hasSize(1);
        assertThat(errs.stream().filter(e -> e.contains("waiting for another ./jmapi to finish building")))
                .as(errs.toString()).hasSize(1);
    }

    @Test
    void errorsComeThroughTheLauncher_oneLine_nonZero(@TempDir Path home) throws Exception {
        Launcher l = Launcher.get();
        Launcher.Run r = l.run(Map.of(), 120, "--home", home.toString(), "--profile", "nobody", "ls");
        assertThat(r.code()).isEqualTo(Jmapi.EXIT_FAILURE);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("jmapi: no profile named 'nobody'");
    }
}
