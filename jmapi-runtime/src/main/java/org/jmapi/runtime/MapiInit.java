package org.jmapi.runtime;

import java.nio.file.Path;

/**
 * MAPIINIT_0 plus the one thing a JVM process needs that Windows keeps in the registry: the jmapi home folder,
 * where profiles (and, with the real providers, stores) live.
 *
 * @param version MAPI_INIT_VERSION (0); anything else is malformed (R-INIT-3)
 * @param flags   MAPI_MULTITHREAD_NOTIFICATIONS and/or MAPI_NT_SERVICE (R-INIT-3)
 * @param home    the jmapi home; null means {@link #defaultHome()}
 */
public record MapiInit(int version, int flags, Path home) {

    /** @return version 0, no flags, the default home */
    public static MapiInit defaults() {
        return new MapiInit(0, 0, null);
    }

    /**
     * @param home the jmapi home
     * @return version 0, no flags, that home
     */
    public static MapiInit home(Path home) {
        return new MapiInit(0, 0, home);
    }

    /**
     * The default home: the {@code jmapi.home} system property, else the {@code JMAPI_HOME} environment variable,
     * else {@code ~/.jmapi}.
     *
     * @return the path
     */
    public static Path defaultHome() {
        String p = System.getProperty("jmapi.home");
        if (p == null || p.isBlank()) {
            p = System.getenv("JMAPI_HOME");
        }
        if (p == null || p.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".jmapi");
        }
        return Path.of(p);
    }
}
