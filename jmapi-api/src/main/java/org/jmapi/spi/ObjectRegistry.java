package org.jmapi.spi;

import org.jmapi.BaseMapiObject;
import org.jmapi.HResult;
import org.jmapi.MapiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects opened through one logon, so that its logoff can invalidate all of them at once (R-SR-2, R-INV-2).
 *
 * <p>Providers {@link #register} every folder, message, attachment, table and stream they hand out, and
 * {@link #unregister} it when its count reaches zero, so the registry holds exactly the objects still open. It holds
 * no reference counts of its own. Thread-safe.
 */
public final class ObjectRegistry {
    /** The objects registered and not yet unregistered; no references held. */
    private final Set<BaseMapiObject> open = ConcurrentHashMap.newKeySet();
    /** Set by {@link #invalidateAll()}; later registrations are refused. */
    private volatile boolean closed;

    /**
     * @param object a newly created object
     * @param <T>    its type
     * @return the object
     * @throws MapiException MAPI_E_INVALID_OBJECT when the logon was already logged off
     */
    public <T extends BaseMapiObject> T register(T object) {
        open.add(object);
        if (closed) {
            open.remove(object);
            object.invalidate();
            throw new MapiException(HResult.MAPI_E_INVALID_OBJECT, "the logon was logged off");
        }
        return object;
    }

    /** @param object an object whose count reached zero */
    public void unregister(BaseMapiObject object) {
        open.remove(object);
    }

    /** @return the number of objects open now */
    public int size() {
        return open.size();
    }

    /**
     * Closes the registry and invalidates every object still open: afterwards they answer only IUnknown.
     *
     * @return how many objects were invalidated
     */
    public int invalidateAll() {
        closed = true;
        List<BaseMapiObject> all = new ArrayList<>(open);
        open.clear();
        for (BaseMapiObject o : all) {
            o.invalidate();
        }
        return all.size();
    }

    /** @return whether {@link #invalidateAll()} ran */
    public boolean isClosed() {
        return closed;
    }
}
