package org.jmapi.transport.local;

import org.jmapi.Flags;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgStore;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.MapiInit;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link LocalCrashTest}: a real session with its spooler on a profile of the test's jmapi home,
 * moving mail until the test kills it with SIGKILL. Each line it prints on stdout acknowledges something that has
 * returned:
 * <ul>
 *   <li>{@code send <home> <profile> <to> <count>}: submits messages {@link #subject}(0..count-1) to {@code to},
 *       printing {@code submitted N} after each SubmitMessage returned, then keeps the spooler running.</li>
 *   <li>{@code receive <home> <profile>}: lets the spooler receive, printing {@code received K} whenever the Inbox
 *       holds K messages (K growing).</li>
 * </ul>
 */
public final class LocalMailChild {
    private LocalMailChild() {
    }

    /** @return the subject of message {@code n} of a stream */
    static String subject(String stream, int n) {
        return stream + " " + n;
    }

    /** @return the body of message {@code n}: a few short lines, so a cut-off copy is recognisable */
    static String body(String stream, int n) {
        StringBuilder b = new StringBuilder();
        for (int line = 0; line < 40; line++) {
            b.append(stream).append(' ').append(n).append(" line ").append(line).append(" of 40\r\n");
        }
        return b.append("end of ").append(stream).append(' ').append(n).append("\r\n").toString();
    }

    /**
     * @param args see the class comment
     * @throws Exception anything: the test reads stderr when the child fails
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        LocalFixture.spoolerTiming();
        Mapi.initialize(MapiInit.home(Path.of(args[1])));
        MapiSession session = LocalFixture.logon(args[2]);
        MsgStore store = LocalFixture.open(session);
        switch (args[0]) {
            case "send" -> {
                String from = args[2] + "@localhost";
                int count = Integer.parseInt(args[4]);
                for (int n = 0; n < count; n++) {
                    LocalFixture.submit(store, from, subject("out", n), body("out", n),
                            List.of(LocalFixture.recipient(args[3], Flags.MAPI_TO)));
                    out.println("submitted " + n);
                }
                out.println("all submitted");
                Thread.sleep(Long.MAX_VALUE); // the spooler goes on sending until the kill
            }
            case "receive" -> {
                int seen = 0;
                while (true) {
                    int now = LocalFixture.inboxContents(store).size();
                    if (now > seen) {
                        seen = now;
                        out.println("received " + seen);
                    }
                    Thread.sleep(5);
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
