package org.jmapi.store.provider;

import org.jmapi.AdviseSink;
import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.MapiUid;
import org.jmapi.Notification;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.prop.PropertyBag;
import org.jmapi.spi.MapiSupport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store support object for driving {@link SqliteStoreProvider} directly, without the runtime: what a test needs
 * to reach the spooler's store object (SpoolerLogon), which the runtime keeps to itself. It records what the
 * provider asks of MAPI (SetProviderUID, ModifyStatusRow, SpoolerNotify, StoreLogoffTransports), answers
 * StoreLogoffTransports with LOGOFF_COMPLETE, and implements Subscribe / Notify like MAPI: asynchronously, on one
 * thread, per key. Profile sections are in-memory bags; {@link #section} is the provider's own.
 */
final class FakeSupport extends BaseMapiObject implements MapiSupport {
    /** The MAPIUID the fake wraps store ids with. */
    static final MapiUid WRAP = MapiUid.parse("0f0e0d0c0b0a09080706050403020100");

    final FakeSection section;
    final List<MapiUid> providerUids = new CopyOnWriteArrayList<>();
    final List<List<PropValue>> statusRows = new CopyOnWriteArrayList<>();
    final List<Integer> spoolerNotifies = new CopyOnWriteArrayList<>();
    final List<Integer> sltCalls = new CopyOnWriteArrayList<>();
    private final Hub hub;
    private final Map<Integer, Sub> subs;
    private final ExecutorService dispatcher;

    private record Sub(byte[] key, int mask, AdviseSink sink) {}

    /**
     * What the support objects of one session share, as MAPI's session does: the subscriptions (a store's Notify
     * reaches sinks registered through any logon of the session) and the notification thread.
     */
    static final class Hub {
        private final Map<Integer, Sub> subs = new ConcurrentHashMap<>();
        private final AtomicInteger connections = new AtomicInteger();
        private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fake-notify");
            t.setDaemon(true);
            return t;
        });

        /** Stops the notification thread. */
        void close() {
            dispatcher.shutdown();
        }
    }

    /**
     * @param section the provider's own profile section
     * @param hub     the session's subscriptions
     */
    FakeSupport(FakeSection section, Hub hub) {
        this.section = section;
        this.hub = hub;
        this.subs = hub.subs;
        this.dispatcher = hub.dispatcher;
    }

    /** Waits until every notification queued so far was delivered. */
    void drain() {
        try {
            dispatcher.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("notification thread stuck", e);
        }
    }

    @Override
    public Kind kind() {
        return Kind.STORE;
    }

    @Override
    public MapiUid newUid() {
        return MapiUid.random();
    }

    @Override
    public ProfileSection openProfileSection(MapiUid uid, int flags) {
        checkValid();
        if (uid != null) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "the fake support has only the provider's section");
        }
        section.addRef();
        return section;
    }

    @Override
    public void makeInvalid(int flags, MapiObject object) {
        ((BaseMapiObject) object).invalidate();
    }

    @Override
    public void setProviderUid(MapiUid uid, int flags) {
        checkValid();
        providerUids.add(uid);
    }

    @Override
    public int subscribe(byte[] key, int eventMask, int flags, AdviseSink sink) {
        checkValid();
        if (sink instanceof MapiObject o) {
            o.addRef();
        }
        int c = hub.connections.incrementAndGet();
        subs.put(c, new Sub(key.clone(), eventMask, sink));
        return c;
    }

    @Override
    public void unsubscribe(int connection) {
        Sub s = subs.remove(connection);
        if (s == null) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no subscription " + connection);
        }
        dispatcher.execute(() -> {
            if (s.sink() instanceof MapiObject o) {
                o.release();
            }
        });
    }

    @Override
    public int notify(byte[] key, List<Notification> notifications) {
        checkValid();
        for (Sub s : subs.values()) {
            if (Arrays.equals(s.key(), key)) {
                List<Notification> matching = notifications.stream().filter(n -> (n.eventType() & s.mask()) != 0)
                        .toList();
                if (!matching.isEmpty()) {
                    dispatcher.execute(() -> {
                        if (subs.containsValue(s)) {
                            s.sink().onNotify(matching);
                        }
                    });
                }
            }
        }
        return 0;
    }

    @Override
    public void modifyStatusRow(List<PropValue> props, int flags) {
        checkValid();
        statusRows.add(List.copyOf(props));
    }

    @Override
    public MapiObject openEntry(EntryId entryId, int flags) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "not in the fake");
    }

    @Override
    public boolean compareEntryIds(EntryId a, EntryId b, int flags) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "not in the fake");
    }

    @Override
    public EntryId wrapStoreEntryId(EntryId unwrapped) {
        return EntryId.create(0, WRAP, unwrapped.toBytes());
    }

    @Override
    public int storeLogoffTransports(int flags) {
        checkValid();
        sltCalls.add(flags);
        return Flags.LOGOFF_COMPLETE;
    }

    @Override
    public void modifyProfile(int flags) {
        checkValid();
    }

    @Override
    public void spoolerNotify(int flags, Object data) {
        checkValid();
        spoolerNotifies.add(flags);
    }

    @Override
    public int spoolerYield(int flags) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "transport support only");
    }

    @Override
    public int prepareSubmit(org.jmapi.client.Message message, int flags) {
        return org.jmapi.spi.Recipients.prepareSubmit(message, flags);
    }

    @Override
    public int expandRecips(org.jmapi.client.Message message) {
        return org.jmapi.spi.Recipients.expandRecips(message);
    }

    @Override
    public void statusRecips(org.jmapi.client.Message message, List<List<PropValue>> recipients) {
        throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "transport support only");
    }


    /** An in-memory profile section. */
    static final class FakeSection extends BaseMapiObject implements ProfileSection {
        private final PropertyBag bag = new PropertyBag();
        private final MapiUid uid = MapiUid.random();

        /** @param values initial values */
        FakeSection(PropValue... values) {
            bag.putAll(List.of(values));
        }

        @Override
        public MapiUid uid() {
            return uid;
        }

        @Override
        public PropValues getProps(int[] tags, int flags) {
            return bag.getProps(tags, flags);
        }

        @Override
        public List<PropProblem> setProps(List<PropValue> values) {
            return bag.setProps(values);
        }

        @Override
        public List<PropProblem> deleteProps(int[] tags) {
            return bag.deleteProps(tags);
        }

        @Override
        public int[] getPropList(int flags) {
            return bag.getPropList(flags);
        }

        @Override
        public void saveChanges(int flags) {
        }

        @Override
        public int[] getIdsFromNames(List<NamedProperty> names, int flags) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "profile sections have no named properties");
        }

        @Override
        public List<NamedProperty> getNamesFromIds(int[] tags) {
            throw new MapiException(HResult.MAPI_E_NO_SUPPORT, "profile sections have no named properties");
        }
    }

    /** @return a copy of the recorded status rows */
    List<List<PropValue>> rows() {
        return new ArrayList<>(statusRows);
    }
}
