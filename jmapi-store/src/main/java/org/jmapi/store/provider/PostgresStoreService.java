package org.jmapi.store.provider;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MessageService;
import org.jmapi.spi.MsProvider;
import org.jmapi.spi.ProviderInfo;
import org.jmapi.spi.ProviderKind;
import org.jmapi.store.Storage;
import org.jmapi.store.postgres.PostgresStorage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The message service {@value #NAME}: jmapi's persistent message store kept in a PostgreSQL database, where many
 * stores (mailboxes) share one database and several hosts may serve them at once (their spoolers share each store's
 * outgoing queue: every queued message is sent by exactly one of them). Found by {@link java.util.ServiceLoader}
 * (listed in {@code META-INF/services/org.jmapi.spi.MessageService}); one store provider, key {@code "store"},
 * display {@value #DISPLAY_NAME}, STATUS_DEFAULT_STORE. The provider, its logons, folders, messages and tables are
 * the same classes as {@link SqliteStoreService}'s, over {@link PostgresStorage} instead of a SQLite file.
 *
 * <p><b>Configuration</b>, in the service's (or the provider's) profile section:
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>property</th><th>tag</th><th>what</th></tr>
 *   <tr><td>{@link #PR_PG_JDBC_URL}</td><td>PT_UNICODE 0x6701</td><td>the database,
 *       {@code jdbc:postgresql://host:port/database} (required)</td></tr>
 *   <tr><td>{@link #PR_PG_USER}</td><td>PT_UNICODE 0x6702</td><td>the role to connect as (optional: the driver's
 *       default, or the URL's {@code user=})</td></tr>
 *   <tr><td>{@link #PR_PG_PASSWORD}</td><td>PT_UNICODE 0x6703</td><td>its password (optional); never appears in a
 *       message, trace or status row</td></tr>
 *   <tr><td>{@link #PR_PG_STORE_NAME}</td><td>PT_UNICODE 0x6704</td><td>the store's name in the database, unique
 *       there (required; a mailbox name, say)</td></tr>
 *   <tr><td>{@link #PR_PG_LISTEN_NOTIFY}</td><td>PT_BOOLEAN 0x6705</td><td>whether the store uses PostgreSQL's
 *       LISTEN/NOTIFY to hear of other hosts' changes at once (optional, default true). Set it to false on a
 *       PostgreSQL-compatible engine without it (YugabyteDB, CockroachDB: it also turns itself off when the server
 *       refuses LISTEN), and set it alike on every host of a store: a host with it off sends no notifications,
 *       so the others see its changes only at their safety-net poll (every 5 s). Off, every open store polls
 *       every 200 ms.</td></tr>
 * </table>
 * <pre>{@code
 * MapiUid svc = services.createMsgService("jmapi.pg-store", "Mailbox of Ann", 0, 0);
 * services.configureMsgService(svc, 0, 0, List.of(
 *         PropValue.ofString(PostgresStoreService.PR_PG_JDBC_URL, "jdbc:postgresql://db.example.org/mail"),
 *         PropValue.ofString(PostgresStoreService.PR_PG_USER, "jmapi"),
 *         PropValue.ofString(PostgresStoreService.PR_PG_PASSWORD, secret),
 *         PropValue.ofString(PostgresStoreService.PR_PG_STORE_NAME, "ann")));
 * }</pre>
 * MSG_SERVICE_CONFIGURE takes each setting from its arguments, else from what the section already holds (so a new
 * password alone can be configured), then connects: a store of that name in the database is checked (opened; pending
 * schema migrations are applied) and kept; a missing one is created with the default folder tree (its display name
 * is PR_DISPLAY_NAME when given, else the store name; the jmapi schema is created first in a database that has none).
 * Anything the engine refuses is refused with the engine's error and nothing is written to the section: a database
 * that does not exist (MAPI_E_NOT_FOUND), a refused role or password (MAPI_E_LOGON_FAILED), an unreachable server
 * (MAPI_E_NETWORK_ERROR), a URL that is not PostgreSQL's (MAPI_E_INVALID_PARAMETER), a foreign {@code jmapi} schema
 * (MAPI_E_CORRUPT_STORE), a schema of a newer jmapi (MAPI_E_VERSION). Without a URL or a store name CONFIGURE fails
 * with MAPI_E_UNCONFIGURED, and so does a logon (R-LOGON-2, R-LOGON-3); a logon never creates a store (a store that
 * was deleted from the database: MAPI_E_NOT_FOUND). Deleting the service never deletes the store.
 *
 * <p>The PostgreSQL JDBC driver and HikariCP are optional dependencies of jmapi-store: an application that configures
 * this service puts them on its class path.
 *
 * <p>Stateless, like every {@link MessageService}: each {@link #msProviderInit} returns a new provider object
 * (R-LOAD-1). <b>Threads:</b> any.
 */
public final class PostgresStoreService implements MessageService {
    /** PR_SERVICE_NAME of the service. */
    public static final String NAME = "jmapi.pg-store";
    /** Display name of the service and of its store provider. */
    public static final String DISPLAY_NAME = "jmapi PostgreSQL Message Store";
    /** PROP_TAG(PT_UNICODE, 0x6701): the database's JDBC URL ({@code jdbc:postgresql://host:port/database}). */
    public static final int PR_PG_JDBC_URL = PropTag.tag(PropType.PT_UNICODE, 0x6701);
    /** PROP_TAG(PT_UNICODE, 0x6702): the role to connect as. */
    public static final int PR_PG_USER = PropTag.tag(PropType.PT_UNICODE, 0x6702);
    /** PROP_TAG(PT_UNICODE, 0x6703): the role's password. */
    public static final int PR_PG_PASSWORD = PropTag.tag(PropType.PT_UNICODE, 0x6703);
    /** PROP_TAG(PT_UNICODE, 0x6704): the store's name in the database. */
    public static final int PR_PG_STORE_NAME = PropTag.tag(PropType.PT_UNICODE, 0x6704);
    /**
     * PROP_TAG(PT_BOOLEAN, 0x6705): whether the store uses LISTEN/NOTIFY to notice other hosts' changes at once
     * (absent: true); false for engines without it, the open store then polls every 200 ms.
     */
    public static final int PR_PG_LISTEN_NOTIFY = PropTag.tag(PropType.PT_BOOLEAN, 0x6705);

    private static final int[] SETTINGS = {PR_PG_JDBC_URL, PR_PG_USER, PR_PG_PASSWORD, PR_PG_STORE_NAME,
            PR_PG_LISTEN_NOTIFY};

    /** PR_MDB_PROVIDER of every PostgreSQL store. */
    static final byte[] MDB_PROVIDER = {'j', 'm', 'a', 'p', 'i', '.', 'p', 'o', 's', 't', 'g', 'r', 'e', 's', 'm', 1};

    /** One configured store: where, as whom, which; whether it uses LISTEN/NOTIFY. */
    record Settings(String url, String user, String password, String storeName, boolean listenNotify) {
        /** @return the engine's options for these settings */
        PostgresStorage.Options options() {
            return PostgresStorage.Options.defaults().withListenNotify(listenNotify);
        }

        /** @return "store 'name' in url" (no password) */
        String description() {
            return "PostgreSQL store '" + storeName + "' in " + url;
        }

        /** @return the store's key: the database and the store's name in it */
        String key() {
            return "postgresql\u0000" + url + "\u0000" + storeName;
        }

        @Override
        public String toString() {
            return description(); // never the password
        }
    }

    /** The PostgreSQL stores' {@link StoreBackend}. */
    static final StoreBackend BACKEND = new StoreBackend() {
        @Override
        public String serviceName() {
            return NAME;
        }

        @Override
        public String providerDisplay() {
            return DISPLAY_NAME;
        }

        @Override
        public String engine() {
            return "PostgreSQL";
        }

        @Override
        public byte[] mdbProvider() {
            return MDB_PROVIDER.clone();
        }

        @Override
        public int[] settingTags() {
            return SETTINGS.clone();
        }

        @Override
        public Location locate(PropValues settings) {
            Settings s = settings(settings.values(), List.of());
            requireDriver();
            return StoreBackend.location(s.key(), s.description(),
                    () -> PostgresStorage.open(s.url(), s.user(), s.password(), s.storeName(), s.options()));
        }
    };

    /** Creates the service; ServiceLoader calls this. */
    public PostgresStoreService() {
    }

    /** @return {@value #NAME} */
    @Override
    public String name() {
        return NAME;
    }

    /** @return {@value #DISPLAY_NAME} */
    @Override
    public String displayName() {
        return DISPLAY_NAME;
    }

    /** @return one store provider, key {@code "store"}, STATUS_DEFAULT_STORE */
    @Override
    public List<ProviderInfo> providers() {
        return List.of(new ProviderInfo("store", ProviderKind.STORE, DISPLAY_NAME, Flags.STATUS_DEFAULT_STORE));
    }

    /**
     * MSGSERVICEENTRY (R-PROF-6), see the class comment. INSTALL, DELETE and UNINSTALL do nothing;
     * PROVIDER_CREATE / PROVIDER_DELETE are refused (the service has exactly one provider).
     *
     * @param context MSG_SERVICE_*
     * @param support the service support object, valid during the call
     * @param uiFlags ignored: the service has no UI
     * @param props   the configuration values for CREATE / CONFIGURE
     * @throws MapiException MAPI_E_UNCONFIGURED without a URL or store name; the engine's error when the database
     *                       refuses (see the class comment); MAPI_E_NO_SUPPORT for PROVIDER_CREATE / DELETE
     */
    @Override
    public void serviceEntry(int context, MapiSupport support, int uiFlags, List<PropValue> props) {
        switch (context) {
            case Flags.MSG_SERVICE_INSTALL, Flags.MSG_SERVICE_DELETE, Flags.MSG_SERVICE_UNINSTALL -> {
            }
            case Flags.MSG_SERVICE_CREATE, Flags.MSG_SERVICE_CONFIGURE -> {
                List<PropValue> given = props == null ? List.of() : props;
                if (context == Flags.MSG_SERVICE_CREATE && find(given, PR_PG_JDBC_URL).isEmpty()) {
                    return;
                }
                try (ProfileSection section = support.openProfileSection(null, Flags.MAPI_MODIFY)) {
                    Settings s = settings(given, section.getProps(SETTINGS, 0).values());
                    prepare(s, find(given, PropTags.PR_DISPLAY_NAME).orElse(null));
                    List<PropValue> write = new ArrayList<>();
                    write.add(PropValue.ofString(PR_PG_JDBC_URL, s.url()));
                    write.add(PropValue.ofString(PR_PG_STORE_NAME, s.storeName()));
                    List<Integer> delete = new ArrayList<>();
                    if (s.user() != null) {
                        write.add(PropValue.ofString(PR_PG_USER, s.user()));
                    } else {
                        delete.add(PR_PG_USER);
                    }
                    if (s.password() != null) {
                        write.add(PropValue.ofString(PR_PG_PASSWORD, s.password()));
                    } else {
                        delete.add(PR_PG_PASSWORD);
                    }
                    write.add(PropValue.ofBoolean(PR_PG_LISTEN_NOTIFY, s.listenNotify()));
                    section.setProps(write);
                    if (!delete.isEmpty()) {
                        section.deleteProps(delete.stream().mapToInt(Integer::intValue).toArray());
                    }
                }
            }
            case Flags.MSG_SERVICE_PROVIDER_CREATE, Flags.MSG_SERVICE_PROVIDER_DELETE ->
                    throw new MapiException(HResult.MAPI_E_NO_SUPPORT, NAME + " has exactly one store provider");
            default -> throw new MapiException(HResult.MAPI_E_NO_SUPPORT,
                    NAME + ": unknown service entry context " + context);
        }
    }

    /**
     * @param given   values given now (they win)
     * @param current values the section holds
     * @return the settings
     * @throws MapiException MAPI_E_UNCONFIGURED when the URL or the store name is missing or blank
     */
    static Settings settings(List<PropValue> given, List<PropValue> current) {
        String url = setting(given, current, PR_PG_JDBC_URL);
        String storeName = setting(given, current, PR_PG_STORE_NAME);
        if (url == null || url.isBlank()) {
            throw unconfigured("no database is configured; configure the service with the database's JDBC URL as "
                    + PropTag.toString(PR_PG_JDBC_URL) + " (jdbc:postgresql://host:port/database)");
        }
        if (storeName == null || storeName.isBlank()) {
            throw unconfigured("no store name is configured; configure the service with the store's name in the"
                    + " database as " + PropTag.toString(PR_PG_STORE_NAME));
        }
        boolean listenNotify = flag(given, PR_PG_LISTEN_NOTIFY).or(() -> flag(current, PR_PG_LISTEN_NOTIFY))
                .orElse(true);
        return new Settings(url.strip(), blankToNull(setting(given, current, PR_PG_USER)),
                setting(given, current, PR_PG_PASSWORD), storeName, listenNotify);
    }

    /** @return the PT_BOOLEAN value with the tag's id */
    private static Optional<Boolean> flag(List<PropValue> props, int tag) {
        for (PropValue v : props) {
            if (v != null && v.id() == PropTag.id(tag) && v.type() == PropType.PT_BOOLEAN) {
                return Optional.of(v.asBoolean());
            }
        }
        return Optional.empty();
    }

    private static String setting(List<PropValue> given, List<PropValue> current, int tag) {
        return find(given, tag).or(() -> find(current, tag)).orElse(null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * @throws MapiException MAPI_E_NOT_FOUND when the PostgreSQL JDBC driver or HikariCP is not on the class path
     */
    private static void requireDriver() {
        for (String c : new String[] {"org.postgresql.Driver", "com.zaxxer.hikari.HikariDataSource"}) {
            try {
                Class.forName(c, false, PostgresStoreService.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new MapiException(HResult.MAPI_E_NOT_FOUND, NAME + " needs the PostgreSQL JDBC driver"
                        + " (org.postgresql:postgresql) and HikariCP (com.zaxxer:HikariCP) on the class path; " + c
                        + " is missing");
            }
        }
    }

    /** Checks the configured store (opening it applies pending schema migrations) or creates it. */
    private static void prepare(Settings s, String displayName) {
        requireDriver();
        String name = displayName != null && !displayName.isBlank() ? displayName : s.storeName();
        try (Storage st = PostgresStorage.create(s.url(), s.user(), s.password(), s.storeName(), name, null,
                s.options())) {
            StoreLayout.ensure(st);
            return;
        } catch (MapiException e) {
            if (e.hresult() != HResult.MAPI_E_COLLISION) {
                throw e;
            }
        }
        try (Storage st = PostgresStorage.open(s.url(), s.user(), s.password(), s.storeName(), s.options())) {
            StoreLayout.ensure(st);
        }
    }

    /** @return the string value with the tag's id, either string flavour */
    private static Optional<String> find(List<PropValue> props, int tag) {
        for (PropValue v : props) {
            if (v != null && v.id() == PropTag.id(tag) && Rows.isString(v.type())
                    && !PropType.isMultiValued(v.type())) {
                return Optional.of(v.asString());
            }
        }
        return Optional.empty();
    }

    private static MapiException unconfigured(String why) {
        return new MapiException(HResult.MAPI_E_UNCONFIGURED, NAME + " is not configured: " + why);
    }

    /**
     * MSProviderInit.
     *
     * @param mapiSpiVersion the runtime's SPI version
     * @return a new provider object (R-LOAD-1); one reference owned by the runtime
     * @throws MapiException MAPI_E_VERSION when the runtime's SPI is older than this provider needs (R-LOAD-2)
     */
    @Override
    public MsProvider msProviderInit(int mapiSpiVersion) {
        if (mapiSpiVersion < Flags.CURRENT_SPI_VERSION) {
            throw new MapiException(HResult.MAPI_E_VERSION, NAME + " needs SPI version "
                    + HResult.hex(Flags.CURRENT_SPI_VERSION) + ", MAPI offers " + HResult.hex(mapiSpiVersion));
        }
        return new SqliteStoreProvider(BACKEND);
    }
}
