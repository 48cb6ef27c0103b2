package org.jmapi.store.provider;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.MessageService;
import org.jmapi.spi.MsProvider;
import org.jmapi.spi.ProviderInfo;
import org.jmapi.spi.ProviderKind;
import org.jmapi.store.Storage;
import org.jmapi.store.sqlite.SqliteStorage;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The message service {@value #NAME}: jmapi's persistent message store, one SQLite file per store. Found by
 * {@link java.util.ServiceLoader} (listed in {@code META-INF/services/org.jmapi.spi.MessageService}); it has one
 * store provider, key {@code "store"}, display {@value #DISPLAY_NAME}, STATUS_DEFAULT_STORE.
 *
 * <p><b>Configuration.</b> The store file's path is the service property {@link #PR_STORE_PATH}
 * (PROP_TAG(PT_UNICODE, 0x6700), like Outlook's PR_PST_PATH). Give it to {@code ConfigureMsgService}:
 * <pre>{@code
 * MapiUid svc = services.createMsgService("jmapi.sqlite-store", "Personal Folders", 0, 0);
 * services.configureMsgService(svc, 0, 0, List.of(
 *         PropValue.ofString(SqliteStoreService.PR_STORE_PATH, "/home/me/mail/personal.jmapi")));
 * }</pre>
 * MSG_SERVICE_CONFIGURE (and MSG_SERVICE_CREATE when given a path) checks the path: its directory must exist; a file
 * already there must be a jmapi store this version can open (else the storage's MAPI_E_CORRUPT_STORE or
 * MAPI_E_VERSION, with the path in the message, and the file is left untouched); a missing file is created as an
 * empty store with the default folder tree ({@code SqliteStorage.create}). PR_DISPLAY_NAME, when given with the
 * path, names a newly created store (default: the file name). CONFIGURE without a path fails with
 * MAPI_E_UNCONFIGURED; so does a logon of a provider whose service has no path (R-LOGON-2, R-LOGON-3). Deleting the
 * service never deletes the file.
 *
 * <p>Stateless, like every {@link MessageService}: each {@link #msProviderInit} returns a new
 * {@link SqliteStoreProvider} (R-LOAD-1). <b>Threads:</b> any.
 */
public final class SqliteStoreService implements MessageService {
    /** PR_SERVICE_NAME of the service. */
    public static final String NAME = "jmapi.sqlite-store";
    /** Display name of the service and of its store provider. */
    public static final String DISPLAY_NAME = "jmapi SQLite Message Store";
    /** PROP_TAG(PT_UNICODE, 0x6700): the store file's path, in the service's (or the provider's) profile section. */
    public static final int PR_STORE_PATH = PropTag.tag(PropType.PT_UNICODE, 0x6700);

    /** PR_MDB_PROVIDER of every SQLite store. */
    static final byte[] MDB_PROVIDER = {'j', 'm', 'a', 'p', 'i', '.', 's', 'q', 'l', 'i', 't', 'e', '-', 'm', 's', 1};

    /** The SQLite stores' {@link StoreBackend}: one file per store, named by {@link #PR_STORE_PATH}. */
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
            return "SQLite";
        }

        @Override
        public byte[] mdbProvider() {
            return MDB_PROVIDER.clone();
        }

        @Override
        public int[] settingTags() {
            return new int[] {PR_STORE_PATH};
        }

        @Override
        public Location locate(org.jmapi.prop.PropValues settings) {
            Optional<PropValue> p = settings.find(PR_STORE_PATH);
            if (p.isEmpty() || !Rows.isString(p.get().type()) || p.get().asString().isBlank()) {
                throw new MapiException(HResult.MAPI_E_UNCONFIGURED, NAME + ": no store file is configured;"
                        + " configure the service with the file's path as " + PropTag.toString(PR_STORE_PATH));
            }
            Path file = checkPath(p.get().asString());
            return StoreBackend.location(file.toString(), "store file " + file, () -> SqliteStorage.open(file));
        }
    };

    /** Creates the service; ServiceLoader calls this. */
    public SqliteStoreService() {
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
     * @throws MapiException MAPI_E_UNCONFIGURED for CONFIGURE without a usable path; MAPI_E_NOT_FOUND when the
     *                       directory does not exist; MAPI_E_CORRUPT_STORE / MAPI_E_VERSION for a file that is not
     *                       a store this version can open; MAPI_E_NO_SUPPORT for PROVIDER_CREATE / DELETE
     */
    @Override
    public void serviceEntry(int context, MapiSupport support, int uiFlags, List<PropValue> props) {
        switch (context) {
            case Flags.MSG_SERVICE_INSTALL, Flags.MSG_SERVICE_DELETE, Flags.MSG_SERVICE_UNINSTALL -> {
            }
            case Flags.MSG_SERVICE_CREATE, Flags.MSG_SERVICE_CONFIGURE -> {
                Optional<String> path = find(props, PR_STORE_PATH);
                if (path.isEmpty()) {
                    if (context == Flags.MSG_SERVICE_CONFIGURE) {
                        throw unconfigured("ConfigureMsgService needs the store file's path as "
                                + PropTag.toString(PR_STORE_PATH));
                    }
                    return;
                }
                Path file = checkPath(path.get());
                prepare(file, find(props, PropTags.PR_DISPLAY_NAME).orElse(null));
                try (ProfileSection section = support.openProfileSection(null, Flags.MAPI_MODIFY)) {
                    section.setProps(List.of(PropValue.ofString(PR_STORE_PATH, file.toString())));
                }
            }
            case Flags.MSG_SERVICE_PROVIDER_CREATE, Flags.MSG_SERVICE_PROVIDER_DELETE ->
                    throw new MapiException(HResult.MAPI_E_NO_SUPPORT, NAME + " has exactly one store provider");
            default -> throw new MapiException(HResult.MAPI_E_NO_SUPPORT,
                    NAME + ": unknown service entry context " + context);
        }
    }

    /**
     * @param text a configured path
     * @return it, absolute and normalised
     * @throws MapiException MAPI_E_UNCONFIGURED for a blank or malformed path; MAPI_E_NOT_FOUND when its directory
     *                       does not exist
     */
    static Path checkPath(String text) {
        if (text == null || text.isBlank()) {
            throw unconfigured("the store file path is empty");
        }
        Path file;
        try {
            file = Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw unconfigured("'" + text + "' is not a valid file path: " + e.getMessage());
        }
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "cannot use store file " + file + ": directory "
                    + dir + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw unconfigured(file + " is a directory, not a store file");
        }
        return file;
    }

    /**
     * Checks an existing store file (opening it changes nothing but pending schema upgrades) or creates a new one
     * with its default folders.
     *
     * @param file        the absolute path
     * @param displayName the name of a new store, or null for the file name
     */
    private static void prepare(Path file, String displayName) {
        if (Files.exists(file)) {
            try (Storage s = SqliteStorage.open(file)) {
                StoreLayout.ensure(s);
            }
            return;
        }
        String name = displayName != null && !displayName.isBlank() ? displayName
                : file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        try (Storage s = SqliteStorage.create(file, name, null)) {
            StoreLayout.ensure(s);
        }
    }

    /** @return the string value with the tag's id, either string flavour */
    private static Optional<String> find(List<PropValue> props, int tag) {
        if (props == null) {
            return Optional.empty();
        }
        for (PropValue v : props) {
            if (v != null && v.id() == PropTag.id(tag) && Rows.isString(v.type()) && !PropType.isMultiValued(v.type())) {
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
