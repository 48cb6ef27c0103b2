package org.jmapi.transport.local;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells local logons at once when mail arrives in their Maildir's {@code new/} directory, so that a local delivery
 * is received in milliseconds instead of at the spooler's next Poll. One {@link WatchService} (inotify on Linux)
 * and one daemon thread, {@value #THREAD_NAME}, serve every logon of the JVM; both exist only while some logon
 * watches, so nothing is left running once every session logged off.
 *
 * <p>A wake-up is a hint, never the only way mail is found: the logon is still polled (LOGON_SP_POLL), so an event
 * the file system drops (an overflow, a file system without change events) costs only latency.
 *
 * <p><b>Threads:</b> {@link #watch} and {@link Registration#close()} from any thread; the callbacks run on the
 * watch thread, must be quick and must not throw.
 */
final class MaildropWatch {
    /** The name of the watch thread. */
    static final String THREAD_NAME = "jmapi-local-watch";

    /** A logon's watch; closing it stops the callbacks (and, with the last one, the thread). */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private static final Object LOCK = new Object();
    /** The running service, or null while nobody watches; guarded by {@link #LOCK}. */
    private static WatchService service;
    /** The callbacks per watched directory; guarded by {@link #LOCK}. */
    private static final Map<WatchKey, List<Runnable>> LISTENERS = new HashMap<>();

    private MaildropWatch() {
    }

    /**
     * Calls {@code onArrival} whenever an entry appears in {@code dir}, until the registration is closed.
     *
     * @param dir       an existing directory (a mailbox's {@code new/})
     * @param onArrival quick, never throws
     * @return the registration, owned by the caller
     * @throws IOException when the directory cannot be watched
     */
    static Registration watch(Path dir, Runnable onArrival) throws IOException {
        synchronized (LOCK) {
            boolean started = false;
            if (service == null) {
                service = dir.getFileSystem().newWatchService();
                started = true;
            }
            WatchService current = service;
            WatchKey key;
            try {
                key = dir.register(current, StandardWatchEventKinds.ENTRY_CREATE);
            } catch (IOException | RuntimeException e) {
                if (started) {
                    stop();
                }
                throw e;
            }
            LISTENERS.computeIfAbsent(key, k -> new ArrayList<>()).add(onArrival);
            if (started) {
                Thread t = new Thread(() -> run(current), THREAD_NAME);
                t.setDaemon(true);
                t.start();
            }
            boolean[] closed = {false};
            return () -> {
                synchronized (LOCK) {
                    if (closed[0]) {
                        return;
                    }
                    closed[0] = true;
                    List<Runnable> l = LISTENERS.get(key);
                    if (l != null) {
                        l.remove(onArrival);
                        if (l.isEmpty()) {
                            LISTENERS.remove(key);
                            key.cancel();
                        }
                    }
                    if (LISTENERS.isEmpty() && service == current) {
                        stop();
                    }
                }
            };
        }
    }

    /** @return whether the watch thread is running (tests) */
    static boolean running() {
        synchronized (LOCK) {
            return service != null;
        }
    }

    /** Closes the service; its thread ends. Holding {@link #LOCK}. */
    private static void stop() {
        try {
            service.close();
        } catch (IOException e) {
            // closing only releases the inotify descriptor: nothing to do about a failure
        }
        service = null;
    }

    private static void run(WatchService ws) {
        while (true) {
            WatchKey key;
            try {
                key = ws.take();
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return; // nobody watches any more
            }
            boolean arrived = !key.pollEvents().isEmpty(); // ENTRY_CREATE, or OVERFLOW: something may be there
            List<Runnable> targets;
            synchronized (LOCK) {
                List<Runnable> l = LISTENERS.get(key);
                targets = l == null ? List.of() : List.copyOf(l);
            }
            if (arrived) {
                for (Runnable r : targets) {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        // a logon that went away meanwhile: the others still hear of their mail
                    }
                }
            }
            key.reset();
        }
    }
}
