package org.jmapi.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Runs jmapi command lines in-process (picocli's execute with captured output), as a test would type them. */
final class Cli {
    /** The environment the commands see: USER=alice, so the default mailbox is alice@localhost. */
    static final Map<String, String> ENV = Map.of("USER", "alice");

    private Cli() {}

    /** The outcome of one command line. */
    record Result(int code, String out, String err) {
        /** @return the standard output's lines */
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\\R"));
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /**
     * @param home the jmapi home
     * @param args the arguments after {@code --home HOME}
     * @return what happened
     */
    static Result run(Path home, String... args) {
        return runEnv(ENV, "", home, args);
    }

    /**
     * @param env   the environment
     * @param stdin standard input
     * @param home  the jmapi home, or null to give no --home
     * @param args  the arguments after {@code --home HOME}
     * @return what happened
     */
    static Result runEnv(Map<String, String> env, String stdin, Path home, String... args) {
        List<String> all = new ArrayList<>(home == null ? List.of() : List.of("--home", home.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Jmapi jmapi = new Jmapi(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        int code = Jmapi.commandLine(jmapi, new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * @param home the home
     * @param args the arguments
     * @return the result, asserted to have exit code 0
     */
    static Result ok(Path home, String... args) {
        Result r = run(home, args);
        if (r.code() != 0) {
            throw new AssertionError("jmapi " + String.join(" ", args) + " failed:\n" + r);
        }
        return r;
    }

    /** Polls {@code condition} every 100 ms until it holds or {@code limit} passed. */
    static void await(Duration limit, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
