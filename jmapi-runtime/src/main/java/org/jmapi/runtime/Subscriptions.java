package org.jmapi.runtime;

import org.jmapi.AdviseSink;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.Notification;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * IMAPISupport::Subscribe / Unsubscribe / Notify for one session (R-NTF-1..3): registrations keyed by an advise
 * source key, delivered asynchronously on the dispatcher thread unless NOTIFY_SYNC.
 *
 * <p>Each registration remembers its owner (the support object or session that made it) so that a logoff drops
 * every registration of that logon at once and its sinks receive nothing more (R-INV-2). Thread-safe.
 */
final class Subscriptions {
    private final NotificationDispatcher dispatcher;
    private final Map<Integer, Registration> registrations = new ConcurrentHashMap<>();
    private final AtomicInteger nextConnection = new AtomicInteger();

    private static final class Registration {
        final int connection;
        final byte[] key;
        final int mask;
        final boolean sync;
        final AdviseSink sink;
        final Object owner;
        int running;
        boolean removed;

        Registration(int connection, byte[] key, int mask, boolean sync, AdviseSink sink, Object owner) {
            this.connection = connection;
            this.key = key;
            this.mask = mask;
            this.sync = sync;
            this.sink = sink;
            this.owner = owner;
        }
    }

    Subscriptions(NotificationDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    int subscribe(byte[] key, int mask, int flags, AdviseSink sink, Object owner) {
        if (key == null || key.length == 0 || sink == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "Subscribe: the key and the sink are required");
        }
        Flags.checkKnown(flags, Flags.NOTIFY_SYNC, "IMAPISupport::Subscribe");
        if ((mask & Flags.fnevStatusObjectModified) != 0) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "fnevStatusObjectModified is MAPI-internal and cannot be registered (R-NTF-5)");
        }
        int connection = nextConnection.incrementAndGet();
        if (sink instanceof MapiObject o) {
            o.addRef();
        }
        registrations.put(connection, new Registration(connection, key.clone(), mask,
                (flags & Flags.NOTIFY_SYNC) != 0, sink, owner));
        return connection;
    }

    /** @return a fresh non-zero connection number shared with this session's registrations */
    int reserveConnection() {
        return nextConnection.incrementAndGet();
    }

    void unsubscribe(int connection) {
        Registration r = registrations.remove(connection);
        if (r == null) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no subscription with connection " + connection);
        }
        retire(r);
    }

    /** Waits out a delivery running on another thread (R-NTF-1), then releases the sink. */
    private void retire(Registration r) {
        synchronized (r) {
            r.removed = true;
            while (r.running > 0 && !dispatcher.onDispatcherThread()) {
                try {
                    r.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (r.sink instanceof MapiObject o) {
            o.release();
        }
    }

    /** Drops every registration of {@code owner} (its logon ended). @return how many */
    int dropOwner(Object owner) {
        List<Registration> mine = new ArrayList<>();
        registrations.values().removeIf(r -> {
            if (r.owner == owner) {
                mine.add(r);
                return true;
            }
            return false;
        });
        mine.forEach(this::retire);
        return mine.size();
    }

    int size() {
        return registrations.size();
    }

    /**
     * IMAPISupport::Notify.
     *
     * @return 0 or NOTIFY_CANCELED
     */
    int notify(byte[] key, List<Notification> notifications) {
        if (key == null || notifications == null || notifications.isEmpty()) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "Notify: the key and the notifications are required");
        }
        List<Notification> copy = List.copyOf(notifications);
        int result = 0;
        for (Registration r : registrations.values()) {
            if (!Arrays.equals(r.key, key)) {
                continue;
            }
            List<Notification> matching = copy.stream().filter(n -> (n.eventType() & r.mask) != 0).toList();
            if (matching.isEmpty()) {
                continue;
            }
            if (r.sync) {
                if ((deliver(r, matching) & Flags.CALLBACK_DISCONTINUE) != 0) {
                    result = Flags.NOTIFY_CANCELED;
                }
            } else {
                dispatcher.execute(() -> deliver(r, matching));
            }
        }
        return result;
    }

    private int deliver(Registration r, List<Notification> batch) {
        synchronized (r) {
            if (r.removed) {
                return 0;
            }
            r.running++;
        }
        try {
            return r.sink.onNotify(batch);
        } finally {
            synchronized (r) {
                r.running--;
                r.notifyAll();
            }
        }
    }
}
