package org.jmapi.cli;

import org.jmapi.runtime.MapiInit;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the global options chose for one command line (see {@link GlobalOptions}). Plain mutable fields, written
 * while picocli parses and read by the command that runs; one instance per {@link Jmapi}, one thread.
 */
final class Settings {
    /** --home, or null. */
    Path home;
    /** --profile, or null. */
    String profile;
    /** --mailbox, or null. */
    String mailbox;
    /** --json. */
    boolean json;
    /** --trace, or null. */
    Path trace;
    /** --debug. */
    boolean debug;

    /**
     * @param env the environment
     * @return the jmapi home: --home, else $JMAPI_HOME, else ~/.jmapi; absolute
     */
    Path home(Map<String, String> env) {
        if (home != null) {
            return home.toAbsolutePath().normalize();
        }
        String e = env.get("JMAPI_HOME");
        if (e != null && !e.isBlank()) {
            return Path.of(e).toAbsolutePath().normalize();
        }
        return MapiInit.defaultHome().toAbsolutePath().normalize();
    }
}
