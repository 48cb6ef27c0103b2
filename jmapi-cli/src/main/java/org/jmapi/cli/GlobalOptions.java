package org.jmapi.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/**
 * The options every jmapi command accepts, before or after the command name ({@code jmapi --home h ls} and
 * {@code jmapi ls --home h} are the same). Mixed into the root and every subcommand; each setter writes into the
 * one {@link Settings} of the root command, so a value given at any level is seen by the command that runs.
 */
public final class GlobalOptions {
    /** The command this mixin is part of; its root is the {@link Jmapi} object. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private Settings settings() {
        return ((Jmapi) mixee.root().userObject()).settings;
    }

    /** @param home the jmapi home */
    @Option(names = "--home", paramLabel = "DIR",
            description = "The jmapi home (profiles, mailboxes, maildrop). Default: $JMAPI_HOME, else ~/.jmapi.")
    void home(Path home) {
        settings().home = home;
    }

    /** @param profile the profile */
    @Option(names = {"-p", "--profile"}, paramLabel = "NAME",
            description = "The profile to log on to. Default: the home's default profile (created on first run).")
    void profile(String profile) {
        settings().profile = profile;
    }

    /** @param mailbox the mailbox */
    @Option(names = {"-m", "--mailbox"}, paramLabel = "NAME",
            description = "A local mailbox: the profile NAME with the store <home>/mailboxes/NAME.jmapi and local "
                    + "delivery for NAME@localhost; created when missing.")
    void mailbox(String mailbox) {
        settings().mailbox = mailbox;
    }

    /** @param json whether to print JSON */
    @Option(names = "--json", description = "Machine-readable output: JSON (one object per line for serve).")
    void json(boolean json) {
        settings().json = json;
    }

    /** @param trace the trace file */
    @Option(names = "--trace", paramLabel = "FILE",
            description = "Write the lifecycle trace (one JSON line per MAPI call; docs/trace.md) to FILE.")
    void trace(Path trace) {
        settings().trace = trace;
    }

    /** @param debug whether to print stack traces */
    @Option(names = "--debug", description = "Print stack traces and library log output.")
    void debug(boolean debug) {
        settings().debug = debug;
    }
}
