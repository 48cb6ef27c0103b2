package org.jmapi.runtime;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.runtime.profile.ProfileStore;
import org.jmapi.runtime.profile.ServiceCatalog;
import org.jmapi.runtime.trace.LifecycleTrace;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Everything that exists between the first {@code Mapi.initialize} and the final {@code Mapi.uninitialize}: the
 * home, the profile store, the installed services (the "loaded DLLs"), the notification thread and the sessions.
 */
final class Subsystem {
    final Path home;
    final LifecycleTrace trace;
    final NotificationDispatcher dispatcher = new NotificationDispatcher();
    final ProfileStore profiles;
    final ReentrantLock logonLock = new ReentrantLock();
    private final URLClassLoader plugins;
    private volatile ServiceCatalog catalog;
    private final Map<String, AtomicInteger> labels = new ConcurrentHashMap<>();
    private final List<RealSession> sessions = new CopyOnWriteArrayList<>();
    private final Map<String, Map<RealSession, Integer>> openStores = new ConcurrentHashMap<>();
    private volatile RealSession shared;
    private volatile boolean alive = true;

    Subsystem(Path home, LifecycleTrace trace) {
        this.home = home;
        this.trace = trace;
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new MapiException(HResult.MAPI_E_NOT_INITIALIZED, "cannot create the jmapi home " + home + ": " + e);
        }
        this.plugins = pluginLoader(home.resolve("plugins"));
        this.catalog = ServiceCatalog.load(plugins != null ? plugins : Mapi.class.getClassLoader());
        this.profiles = ProfileStore.open(home, catalog);
    }

    /** Provider code from {@code HOME/plugins/*.jar}, in a class loader closed at the final uninitialize (R-INIT-5). */
    private static URLClassLoader pluginLoader(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> jars = Files.list(dir)) {
            URL[] urls = jars.filter(p -> p.toString().endsWith(".jar")).map(p -> {
                try {
                    return p.toUri().toURL();
                } catch (IOException e) {
                    throw new MapiException(HResult.MAPI_E_NOT_INITIALIZED, "bad plug-in path " + p);
                }
            }).toArray(URL[]::new);
            return urls.length == 0 ? null : new URLClassLoader("jmapi-plugins", urls, Mapi.class.getClassLoader());
        } catch (IOException e) {
            throw new MapiException(HResult.MAPI_E_NOT_INITIALIZED, "cannot read plug-in folder " + dir + ": " + e);
        }
    }

    ServiceCatalog catalog() {
        ServiceCatalog c = catalog;
        if (c == null) {
            throw new MapiException(HResult.MAPI_E_NOT_INITIALIZED, "MAPI is not initialized");
        }
        return c;
    }

    String nextLabel(String prefix) {
        return prefix + ":" + labels.computeIfAbsent(prefix, p -> new AtomicInteger()).incrementAndGet();
    }

    void checkAlive() {
        if (!alive) {
            throw new MapiException(HResult.MAPI_E_NOT_INITIALIZED, "MAPI was uninitialized (R-INIT-1)");
        }
    }

    void sessionStarted(RealSession s, boolean allowOthers) {
        sessions.add(s);
        if (allowOthers) {
            shared = s;
        }
    }

    RealSession sharedSession() {
        RealSession s = shared;
        return s != null && !s.isLoggedOff() ? s : null;
    }

    boolean isShared(RealSession s) {
        return shared == s;
    }

    int sessionCount() {
        return sessions.size();
    }

    void sessionLoggedOff(RealSession s) {
        sessions.remove(s);
        if (shared == s) {
            shared = null;
        }
    }

    private static String key(RealSession s, MapiUid section) {
        return s.profile.name() + "/" + section;
    }

    void clientStoreOpened(RealSession s, MapiUid section) {
        openStores.computeIfAbsent(key(s, section), k -> new ConcurrentHashMap<>()).merge(s, 1, Integer::sum);
    }

    void clientStoreClosed(RealSession s, MapiUid section) {
        Map<RealSession, Integer> m = openStores.get(key(s, section));
        if (m != null) {
            m.computeIfPresent(s, (k, n) -> n == 1 ? null : n - 1);
            if (m.isEmpty()) {
                openStores.remove(key(s, section), m);
            }
        }
    }

    /** R-SLT-2: is the same store of the same profile open in another session? */
    boolean openElsewhere(RealSession s, MapiUid section) {
        Map<RealSession, Integer> m = openStores.get(key(s, section));
        return m != null && m.keySet().stream().anyMatch(other -> other != s);
    }

    /** The final uninitialize: every session logged off, providers shut down, provider code dropped (R-INIT-5). */
    void shutdown() {
        for (RealSession s : new ArrayList<>(sessions)) {
            s.logoffNow();
        }
        alive = false;
        dispatcher.shutdown();
        catalog = null;
        if (plugins != null) {
            try {
                plugins.close();
            } catch (IOException e) {
                // Nothing can use the plug-ins any more; a failed close only keeps a file handle.
            }
        }
    }
}
