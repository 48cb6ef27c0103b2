package org.jmapi.store.provider;

import org.jmapi.prop.PropValues;
import org.jmapi.store.Storage;

import java.util.function.Supplier;

/**
 * Where the stores of one message service live and how a provider object opens them: the one thing that differs
 * between {@link SqliteStoreService} (a SQLite file per store) and {@link PostgresStoreService} (a store in a
 * PostgreSQL database). Everything above it — {@link SqliteStoreProvider}, {@link SqliteMsgStore}, the folders,
 * messages and tables — works on any {@link Storage} and is shared by both services.
 *
 * <p>Implementations are stateless constants of their service. <b>Threads:</b> any.
 */
interface StoreBackend {

    /** One configured store. */
    interface Location {
        /**
         * @return what names the store uniquely: two locations with the same key are the same store (the provider
         *         object shares one open {@link Storage} between them, and copies within it go by reference)
         */
        String key();

        /** @return the store as a person reads it in messages (a path; a store name and database); no secrets */
        String description();

        /**
         * Opens the store; a logon never creates one.
         *
         * @return the open storage, owned by the caller
         * @throws org.jmapi.MapiException the engine's error when the store is missing, unreachable, damaged or
         *                                 of a newer version
         */
        Storage open();
    }

    /** @return PR_SERVICE_NAME of the service ({@code jmapi.sqlite-store}), for messages */
    String serviceName();

    /** @return PR_PROVIDER_DISPLAY of the store provider, its logons and its status row */
    String providerDisplay();

    /** @return the engine's name ("SQLite", "PostgreSQL") for the objects' descriptions */
    String engine();

    /** @return PR_MDB_PROVIDER: the provider-type UID, the same for every store of this service (16 bytes) */
    byte[] mdbProvider();

    /**
     * @return the profile-section properties that configure a store; the first one is required and says whether a
     *         section holds a configuration at all (the provider falls back to its service's section without it)
     */
    int[] settingTags();

    /**
     * @param settings the values of {@link #settingTags()} from a profile section, in that order
     * @return the store they name
     * @throws org.jmapi.MapiException MAPI_E_UNCONFIGURED when a required setting is missing or malformed;
     *                                 MAPI_E_NOT_FOUND when it names a place that cannot exist (a missing directory)
     */
    Location locate(PropValues settings);

    /**
     * A location from its parts.
     *
     * @param key         see {@link Location#key()}
     * @param description see {@link Location#description()}
     * @param opener      see {@link Location#open()}
     * @return the location
     */
    static Location location(String key, String description, Supplier<Storage> opener) {
        return new Location() {
            @Override
            public String key() {
                return key;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public Storage open() {
                return opener.get();
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
