package org.jmapi.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What every jmapi subcommand shares: the global options, the root {@link Jmapi} (settings, environment), standard
 * output and error, and starting a {@link MapiClient}. A subcommand implements {@link #run()} and returns its exit
 * code.
 */
abstract class BaseCommand implements Callable<Integer> {
    /** The options every command accepts. */
    @Mixin
    GlobalOptions global;

    /** This command, as picocli built it. */
    @Spec
    CommandSpec spec;

    /** @return the root command: settings and environment */
    Jmapi jmapi() {
        return (Jmapi) spec.root().userObject();
    }

    /** @return the settings the global options chose */
    Settings settings() {
        return jmapi().settings;
    }

    /** @return standard output, as text or JSON per --json */
    Output output() {
        return new Output(spec.commandLine().getOut(), settings().json);
    }

    /** @return standard error */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** @return a started MAPI client for this command; close it */
    MapiClient start() {
        return MapiClient.start(jmapi(), err());
    }

    @Override
    public final Integer call() throws Exception {
        return run();
    }

    /**
     * @return the exit code
     * @throws Exception anything; reported as one line by {@link Jmapi#commandLine}
     */
    abstract int run() throws Exception;
}
