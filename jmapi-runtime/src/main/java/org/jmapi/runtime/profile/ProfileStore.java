package org.jmapi.runtime.profile;

import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.spi.MessageService;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every profile under one jmapi home: the profile provider of jmapi.
 *
 * <p><b>Layout.</b> {@code home/profiles/} (created, owner-only, when missing) holds one JSON file per profile,
 * named by a file-system-safe encoding of the profile name, the {@code default} marker naming the default profile,
 * {@code installed-services.json} (the services whose MSG_SERVICE_INSTALL already ran under this home) and
 * {@code .lock}. Files are replaced atomically under an exclusive lock on {@code .lock}, so several processes may
 * share one home; on POSIX file systems every file is 0600, since sections may hold passwords.
 *
 * <p><b>Profiles.</b> Names are 1..64 characters with no leading or trailing white space (R-SES-1); other names
 * give MAPI_E_INVALID_PARAMETER where a name is created or administered. {@link #load} returns one {@link Profile}
 * per profile per store (re-read from disk on every load), so every part of a process using this store sees the
 * same in-memory state.
 *
 * <p><b>Threads.</b> Thread-safe.
 */
public final class ProfileStore {
    /** The longest profile name MAPI accepts (R-SES-1). */
    static final int MAX_NAME = 64;

    private final ProfileDirectory directory;
    private final ServiceCatalog catalog;
    private final ConcurrentHashMap<String, Profile> profiles = new ConcurrentHashMap<>();

    private ProfileStore(ProfileDirectory directory, ServiceCatalog catalog) {
        this.directory = directory;
        this.catalog = catalog;
    }

    /**
     * Opens the profiles of a jmapi home.
     *
     * @param home    the jmapi home directory; it and {@code home/profiles} are created when missing
     * @param catalog the installed message services
     * @return the store
     * @throws MapiException MAPI_E_INVALID_PARAMETER for a null argument; MAPI_E_DISK_ERROR when the directory
     *                       cannot be created
     */
    public static ProfileStore open(Path home, ServiceCatalog catalog) {
        if (home == null || catalog == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "ProfileStore.open: home and catalog are required");
        }
        return new ProfileStore(new ProfileDirectory(home), catalog);
    }

    /**
     * MAPIAdminProfiles.
     *
     * @return a new IProfAdmin over this store; the caller owns its one reference
     */
    public ProfileAdmin admin() {
        return new LocalProfileAdmin(this);
    }

    /**
     * Loads a profile, re-reading its file.
     *
     * @param name the profile name
     * @return the profile; the same object for every load of the same profile from this store
     * @throws MapiException MAPI_E_INVALID_PARAMETER for null; MAPI_E_NOT_FOUND when there is no such profile
     *                       (names no profile can have included); MAPI_E_CORRUPT_DATA, naming the file, when it
     *                       cannot be read (the file is left untouched)
     */
    public Profile load(String name) {
        if (name == null) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "null profile name");
        }
        if (!isValidName(name)) {
            throw notFound(name);
        }
        Path file = directory.fileFor(name);
        return directory.locked(() -> {
            ProfileData d;
            try {
                d = directory.readProfile(file);
            } catch (MapiException e) {
                if (e.hresult() == HResult.MAPI_E_NOT_FOUND) {
                    throw notFound(name);
                }
                throw e;
            }
            if (!d.name.equals(name)) {
                throw ProfileDirectory.corrupt(file, "the file holds profile \"" + d.name + "\", not \"" + name + "\"",
                        null);
            }
            return profiles.compute(name, (k, cur) -> cur != null && cur.generation().equals(d.generation)
                    ? cur.publish(d) : new Profile(this, file, d));
        });
    }

    /**
     * @param name a profile name
     * @return whether the profile exists; false for null and for names no profile can have
     */
    public boolean exists(String name) {
        return name != null && isValidName(name) && directory.exists(name);
    }

    /**
     * @return the default profile (IProfAdmin::SetDefaultProfile), if one is set and still exists
     * @throws MapiException MAPI_E_DISK_ERROR when the marker cannot be read
     */
    public Optional<String> defaultProfile() {
        return directory.readDefault().filter(this::exists);
    }

    /** @return the installed message services this store creates services from */
    public ServiceCatalog catalog() {
        return catalog;
    }

    @Override
    public String toString() {
        return "ProfileStore[" + directory.dir() + "]";
    }

    // ---- package-private ------------------------------------------------------------------------------------

    ProfileDirectory directory() {
        return directory;
    }

    static boolean isValidName(String name) {
        return name != null && !name.isEmpty() && name.length() <= MAX_NAME
                && !Character.isWhitespace(name.charAt(0)) && !Character.isWhitespace(name.charAt(name.length() - 1));
    }

    /** @throws MapiException MAPI_E_INVALID_PARAMETER unless the name is 1..64 characters without outer spaces */
    static void checkName(String name) {
        if (!isValidName(name)) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "invalid profile name "
                    + (name == null ? "null" : "\"" + name + "\"")
                    + ": 1 to 64 characters, no leading or trailing space");
        }
    }

    private static MapiException notFound(String name) {
        return new MapiException(HResult.MAPI_E_NOT_FOUND, "no profile named \"" + name + "\"");
    }

    /** IProfAdmin::CreateProfile after argument checks: MAPI_E_NO_ACCESS when the profile exists. */
    void createProfile(String name) {
        Path file = directory.fileFor(name);
        directory.locked(() -> {
            if (directory.exists(name)) {
                throw new MapiException(HResult.MAPI_E_NO_ACCESS, "profile \"" + name + "\" already exists");
            }
            directory.writeProfile(file, new ProfileData(name, MapiUid.random()));
            return null;
        });
    }

    /**
     * IProfAdmin::DeleteProfile after argument checks: deletes every service as DeleteMsgService does (a service
     * whose MSG_SERVICE_DELETE fails stops the deletion, with the services before it already gone), then the file
     * and, if it named this profile, the default marker.
     */
    void deleteProfile(String name) {
        Profile p = load(name);
        for (ServiceRecord s : p.services()) {
            p.deleteService(s.uid());
        }
        directory.locked(() -> {
            p.reload();
            if (!p.services().isEmpty()) {
                throw new MapiException(HResult.MAPI_E_BUSY,
                        "profile \"" + name + "\" gained services while it was being deleted");
            }
            directory.deleteProfile(directory.fileFor(name));
            if (directory.readDefault().filter(name::equals).isPresent()) {
                directory.writeDefault(null);
            }
            profiles.remove(name, p);
            return null;
        });
    }

    /** @return every profile name, sorted */
    List<String> profileNames() {
        return directory.listNames();
    }

    /** IProfAdmin::SetDefaultProfile: null clears the default; MAPI_E_NOT_FOUND for a profile that does not exist. */
    void setDefaultProfile(String name) {
        directory.locked(() -> {
            if (name != null) {
                checkName(name);
                if (!directory.exists(name)) {
                    throw notFound(name);
                }
            }
            directory.writeDefault(name);
            return null;
        });
    }

    /**
     * Runs {@code install} (the MSG_SERVICE_INSTALL call) unless the service was installed under this home before,
     * and records the installation once it succeeded. The entry point runs without the home lock; two processes
     * racing may both install, which MSG_SERVICE_INSTALL tolerates.
     */
    void ensureInstalled(MessageService service, Runnable install) {
        if (directory.readInstalled().contains(service.name())) {
            return;
        }
        install.run();
        directory.locked(() -> {
            Set<String> installed = directory.readInstalled();
            if (installed.add(service.name())) {
                directory.writeInstalled(installed);
            }
            return null;
        });
    }
}
