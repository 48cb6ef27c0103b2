package org.jmapi.transport.shared;

import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgStore;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.MapiInit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child JVM of {@link SpoolersOnOneQueueTest}: one "host" serving a shared PostgreSQL mailbox. It creates its
 * profile ({@link SharedMailbox}) in its own jmapi home, logs on, opens the store — from then on the session's spooler
 * sends the mailbox's queued mail through the SMTP transport — prints {@code ready}, and keeps going until it reads
 * {@code stop} (or end of input) on stdin; then it logs off cleanly and prints {@code stopped}. The test may instead
 * kill it with SIGKILL at any moment.
 *
 * <p>Arguments: {@code <home> <jdbc url> <store name> <smtp port> <smtp user>}.
 */
public final class SpoolerChild {
    private SpoolerChild() {
    }

    /**
     * @param args see the class comment
     * @throws Exception anything: the test reads stderr when the child fails
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setProperty("jmapi.spooler.poll", "200");
        System.setProperty("jmapi.spooler.retry", "1000");
        Mapi.initialize(MapiInit.home(Path.of(args[0])));
        SharedMailbox.createProfile(args[1], args[2], Integer.parseInt(args[3]), args[4]);
        MapiSession session = SharedMailbox.logon(0);
        MsgStore store = SharedMailbox.open(session);
        out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("stop"); line = in.readLine()) {
            // nothing else is understood
        }
        store.release();
        session.logoff(0, 0, 0);
        session.release();
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
        out.println("stopped");
        System.exit(0);
    }
}
