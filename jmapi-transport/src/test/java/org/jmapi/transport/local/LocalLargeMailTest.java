package org.jmapi.transport.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 50 MB attachment through the local transport end to end, alice to bob in one jmapi home, in a JVM whose heap
 * (48 MB) cannot hold it: the MIME writer reads it through OpenProperty and encodes it while it streams to the
 * maildrop, the reader decodes it into bob's store through a stream. Bob's copy (and the 2 MB body) match byte for
 * byte, compared by SHA-256 computed through streams.
 */
class LocalLargeMailTest {
    @Test
    void R_XPS_1_fiftyMegabyteAttachment_sentAndReceived_inAJvmWithA48MegabyteHeap(@TempDir Path dir)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path output = dir.resolve("child-output.txt");
        Process child = new ProcessBuilder(java, "-Xmx48m", "-Djava.io.tmpdir=" + tmp, "-cp",
                System.getProperty("java.class.path"), LocalLargeMailChild.class.getName(), home.toString(),
                Long.toString(LocalLargeMailChild.SIZE))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = child.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(ended).as("the child ended; its output: %s", out).isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        List<String> lines = out.lines().toList();
        long heap = Long.parseLong(value(lines, "HEAP-MAX", out));
        assertThat(heap).as("the child's heap cannot hold the attachment").isLessThan(LocalLargeMailChild.SIZE);
        String sent = value(lines, "SENT-ATTACHMENT", out);
        assertThat(sent).endsWith("/" + LocalLargeMailChild.SIZE);
        assertThat(value(lines, "RECEIVED-ATTACHMENT", out)).as("bob's copy of the attachment").isEqualTo(sent);
        String body = value(lines, "SENT-BODY", out);
        assertThat(Long.parseLong(body.substring(body.indexOf('/') + 1))).as("a body over the GetProps limit")
                .isGreaterThan(1 << 20);
        assertThat(value(lines, "RECEIVED-BODY", out)).as("bob's copy of the body").isEqualTo(body);
        assertThat(value(lines, "GETPROPS", out)).isEqualTo("MAPI_E_NOT_ENOUGH_MEMORY");
        assertThat(value(lines, "ALICE-INBOX", out)).as("no non-delivery report").isEqualTo("0");
        assertThat(value(lines, "TEMP-FILES-AFTER", out)).as("temporary files left").isEqualTo("0");
    }

    /** @return the value of the child's line {@code key value} */
    private static String value(List<String> lines, String key, String out) {
        return lines.stream().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("no " + key + " line in the child's output: "
                        + out));
    }
}
