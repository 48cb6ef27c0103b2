package org.jmapi.transport.smtp;

import org.jmapi.runtime.Mapi;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child JVM of {@link SpoolerGroupCommitTest}: "the process that dies". It logs on to the profile an
 * {@link SmtpFixture} made in {@code <home>} (the only argument), with the spooler on, so the queued mail starts
 * going out through the SMTP transport; prints {@code ready} and then waits for end of input. The test kills it with
 * SIGKILL while it sends. System properties given on the command line (the group commit's delay) apply to it.
 */
public final class GroupCommitChild {
    private GroupCommitChild() {
    }

    /**
     * @param args {@code <home>}
     * @throws Exception anything: the test reads stderr when the child fails
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        SmtpFixture f = SmtpFixture.existing(Path.of(args[0])).logon();
        out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // nothing is understood: the child runs until it is killed or its input ends
        }
        f.close();
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
        System.exit(0);
    }
}
