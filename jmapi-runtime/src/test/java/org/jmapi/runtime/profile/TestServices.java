package org.jmapi.runtime.profile;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MessageService;
import org.jmapi.spi.ProviderInfo;
import org.jmapi.spi.ProviderKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Small real message services for the profile tests. Public with no-arg constructors so ServiceLoader can load them. */
public final class TestServices {
    /** A non-secure configuration property: the server name the config service requires. */
    static final int PR_TEST_SERVER = PropTag.tag(PropType.PT_UNICODE, 0x6800);
    /** A secure (0x6600..0x67FF) configuration property: a password. */
    static final int PR_TEST_PASSWORD = PropTag.tag(PropType.PT_UNICODE, 0x6601);

    private TestServices() {}

    /** Base: a service whose entry point accepts every context except provider create/delete. */
    abstract static class Simple implements MessageService {
        private final String name;
        private final int flags;
        private final List<ProviderInfo> providers;

        Simple(String name, int flags, ProviderInfo... providers) {
            this.name = name;
            this.flags = flags;
            this.providers = List.of(providers);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String displayName() {
            return name + " (display)";
        }

        @Override
        public int serviceFlags() {
            return flags;
        }

        @Override
        public List<ProviderInfo> providers() {
            return providers;
        }

        @Override
        public void serviceEntry(int context, MapiSupport support, int uiFlags, List<PropValue> props) {
            if (context == Flags.MSG_SERVICE_PROVIDER_CREATE || context == Flags.MSG_SERVICE_PROVIDER_DELETE) {
                throw new MapiException(HResult.MAPI_E_NO_SUPPORT, name + " has a fixed set of providers");
            }
        }
    }

    /** "test.store": one store provider flagged STATUS_DEFAULT_STORE. */
    public static final class StoreService extends Simple {
        /** For ServiceLoader. */
        public StoreService() {
            super("test.store", 0, new ProviderInfo("store", ProviderKind.STORE, "Test Store",
                    Flags.STATUS_DEFAULT_STORE));
        }
    }

    /** "test.transport": one transport provider. */
    public static final class TransportService extends Simple {
        /** For ServiceLoader. */
        public TransportService() {
            super("test.transport", 0, new ProviderInfo("xp", ProviderKind.TRANSPORT, "Test Transport", 0));
        }
    }

    /** "test.transport.last": one transport provider flagged STATUS_XP_PREFER_LAST. */
    public static final class PreferLastTransportService extends Simple {
        /** For ServiceLoader. */
        public PreferLastTransportService() {
            super("test.transport.last", 0, new ProviderInfo("xp", ProviderKind.TRANSPORT, "Last Transport",
                    Flags.STATUS_XP_PREFER_LAST));
        }
    }

    /** "test.single": a SERVICE_SINGLE_COPY service with an address book. */
    public static final class SingleCopyService extends Simple {
        /** For ServiceLoader. */
        public SingleCopyService() {
            super("test.single", Flags.SERVICE_SINGLE_COPY, new ProviderInfo("ab", ProviderKind.ADDRESS_BOOK,
                    "Test Address Book", 0));
        }
    }

    /**
     * "test.config": creation succeeds, MSG_SERVICE_CONFIGURE needs {@link #PR_TEST_SERVER} and fails with
     * MAPI_E_UNCONFIGURED without it.
     */
    public static final class ConfigService extends Simple {
        /** For ServiceLoader. */
        public ConfigService() {
            super("test.config", 0, new ProviderInfo("store", ProviderKind.STORE, "Configured Store", 0));
        }

        @Override
        public void serviceEntry(int context, MapiSupport support, int uiFlags, List<PropValue> props) {
            super.serviceEntry(context, support, uiFlags, props);
            if (context == Flags.MSG_SERVICE_CONFIGURE
                    && props.stream().noneMatch(p -> p.tag() == PR_TEST_SERVER && !p.asString().isEmpty())) {
                throw new MapiException(HResult.MAPI_E_UNCONFIGURED, "test.config needs a server name");
            }
        }
    }

    /** One recorded entry-point call. */
    record Call(int context, MapiSupport.Kind kind, int uiFlags, List<PropValue> props, MapiSupport support) {}

    /**
     * "test.recording" (or any name): a store, a transport and an address book; records every entry-point call,
     * keeps the support object it was given (which it must not, to test R-PROF-6), runs per-context actions and
     * throws per-context failures after running them.
     */
    public static final class RecordingService implements MessageService {
        final List<Call> calls = new ArrayList<>();
        final Map<Integer, Consumer<MapiSupport>> actions = new HashMap<>();
        final Map<Integer, MapiException> failures = new HashMap<>();
        private final String name;

        /** For ServiceLoader. */
        public RecordingService() {
            this("test.recording");
        }

        RecordingService(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String displayName() {
            return "Recording Service";
        }

        @Override
        public List<ProviderInfo> providers() {
            return List.of(new ProviderInfo("store", ProviderKind.STORE, "Recording Store", 0),
                    new ProviderInfo("xp", ProviderKind.TRANSPORT, "Recording Transport", 0),
                    new ProviderInfo("ab", ProviderKind.ADDRESS_BOOK, "Recording Address Book", 0));
        }

        @Override
        public synchronized void serviceEntry(int context, MapiSupport support, int uiFlags, List<PropValue> props) {
            calls.add(new Call(context, support.kind(), uiFlags, List.copyOf(props), support));
            Consumer<MapiSupport> action = actions.get(context);
            if (action != null) {
                action.accept(support);
            }
            MapiException failure = failures.get(context);
            if (failure != null) {
                throw failure;
            }
        }

        synchronized List<Integer> contexts() {
            return calls.stream().map(Call::context).toList();
        }

        synchronized Call last(int context) {
            for (int i = calls.size() - 1; i >= 0; i--) {
                if (calls.get(i).context() == context) {
                    return calls.get(i);
                }
            }
            throw new AssertionError("no call with context " + context + " in " + contexts());
        }
    }
}
