package org.jmapi.cli;

import org.jmapi.MapiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The {@code jmapi} command: the root of every subcommand, and the program's entry point.
 *
 * <p>Every subcommand is a model MAPI client (see {@link MapiClient}): it initialises MAPI for the chosen home, logs
 * on to one profile, ends every store it opened with {@code storeLogoff} and a release, logs the session off,
 * releases it and uninitialises MAPI. Errors end the command with one line on standard error and exit code
 * {@value #EXIT_FAILURE} (a stack trace only with {@code --debug}); usage errors exit with {@value #EXIT_USAGE}.
 *
 * <p>An instance carries the environment it runs in ({@link #env}, standard input), so tests run commands in-process
 * with {@link #commandLine} and their own environment. Not thread-safe: one instance runs one command line.
 */
@Command(name = "jmapi", mixinStandardHelpOptions = true, versionProvider = Jmapi.Version.class,
        description = "The MAPI messaging subsystem for the JVM: mailboxes, mail moving between them, and the "
                + "lifecycle of every provider, from the command line.",
        subcommands = {ServeCommand.class, SendCommand.class, LsCommand.class, ShowCommand.class,
                ProfileCommand.class, StatusCommand.class, StoresCommand.class, FlushCommand.class,
                ImportCommand.class, ExportCommand.class, LogoffCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Home: --home DIR, else $JMAPI_HOME, else ~/.jmapi. Manual: docs/cli.md."})
public final class Jmapi implements Runnable {
    /** Exit code of a command that failed (a MAPI error, a file that cannot be read, a bad address, ...). */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a command line that could not be parsed (picocli's default). */
    public static final int EXIT_USAGE = 2;

    /** The options every command accepts. */
    @Mixin
    GlobalOptions global;

    /** What the options chose; shared by the root and every subcommand. */
    final Settings settings = new Settings();
    /** Environment variables (System.getenv() in production). */
    final Map<String, String> env;
    /** Standard input (for passwords when there is no console). */
    final InputStream in;

    /**
     * @param env the environment variables to use
     * @param in  standard input
     */
    public Jmapi(Map<String, String> env, InputStream in) {
        this.env = Map.copyOf(env);
        this.in = in;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a command; see jmapi --help");
    }

    /**
     * Builds the command line with jmapi's error handling: a {@link MapiException} or {@link CommandFailure} prints
     * one line ({@code jmapi: ...}) and exits {@value #EXIT_FAILURE}; {@code --debug} adds the stack trace.
     *
     * @param jmapi the root command object
     * @param out   standard output
     * @param err   standard error
     * @return the picocli command line, ready for {@code execute}
     */
    public static CommandLine commandLine(Jmapi jmapi, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(jmapi);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            PrintWriter e = line.getErr();
            e.println("jmapi: " + describe(ex));
            if (jmapi.settings.debug) {
                ex.printStackTrace(e);
            }
            e.flush();
            return EXIT_FAILURE;
        });
        return cl;
    }

    /**
     * @param ex what a command threw
     * @return one line a person can act on
     */
    static String describe(Throwable ex) {
        if (ex instanceof CommandFailure f) {
            return f.getMessage();
        }
        if (ex instanceof MapiException m) {
            return Errors.describe(m);
        }
        if (ex instanceof java.io.UncheckedIOException u) {
            return describe(u.getCause());
        }
        if (ex instanceof java.nio.file.NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (ex instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (ex instanceof java.io.IOException io) {
            return "I/O error: " + io.getMessage();
        }
        String msg = ex.getMessage();
        return ex.getClass().getSimpleName() + (msg == null ? "" : ": " + msg) + " (run with --debug for details)";
    }

    /**
     * The program: runs one command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        Logging.configure(args);
        Jmapi jmapi = new Jmapi(System.getenv(), System.in);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(jmapi, out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** The version line: the artifact version from the jar manifest, else "development build". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Jmapi.class.getPackage().getImplementationVersion();
            return new String[] {"jmapi " + (v == null ? "(development build)" : v) + ", Java "
                    + System.getProperty("java.version")};
        }
    }

    /**
     * Where the JDK's System.Logger output of the libraries goes: one short line per warning on standard error, or
     * everything with stack traces under {@code --debug}.
     */
    static final class Logging {
        private Logging() {}

        /** @param args the command line, searched for --debug */
        static void configure(String[] args) {
            boolean debug = java.util.Arrays.asList(args).contains("--debug");
            Logger root = Logger.getLogger("");
            for (var h : root.getHandlers()) {
                root.removeHandler(h);
            }
            ConsoleHandler h = new ConsoleHandler();
            h.setLevel(debug ? Level.ALL : Level.WARNING);
            h.setFormatter(debug ? new SimpleFormatter() : new SimpleFormatter() {
                @Override
                public String format(LogRecord r) {
                    return "jmapi: warning: " + formatMessage(r) + System.lineSeparator();
                }
            });
            root.addHandler(h);
            root.setLevel(debug ? Level.FINE : Level.WARNING);
            // JLine (under the progress bar) warns when there is no terminal; that is expected for pipes.
            Logger.getLogger("org.jline").setLevel(debug ? Level.FINE : Level.OFF);
        }
    }
}
