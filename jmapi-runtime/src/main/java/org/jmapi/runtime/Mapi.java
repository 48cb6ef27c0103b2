package org.jmapi.runtime;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.MapiSession;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.runtime.profile.Profile;
import org.jmapi.runtime.trace.LifecycleTrace;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The front door of jmapi: MAPIInitialize, MAPIUninitialize, MAPILogonEx and MAPIAdminProfiles.
 *
 * <p><b>Lifetime.</b> Initialisation is reference-counted per process (R-INIT-2): every successful
 * {@link #initialize} must be matched by one {@link #uninitialize}; the final one logs off every session still
 * open, shuts every provider down and drops provider code (R-INIT-5). Before the first and after the final call,
 * everything else fails with MAPI_E_NOT_INITIALIZED (R-INIT-1).
 *
 * <p><b>Threads.</b> All methods are thread-safe. Notifications are delivered on one dispatcher thread,
 * {@code jmapi-notify}, that lives while MAPI is initialised (R-INIT-4). Do not call these methods from static
 * initialisers or shutdown hooks.
 */
public final class Mapi {
    private static final Object LOCK = new Object();
    private static final LifecycleTrace TRACE = new LifecycleTrace();
    private static final int MAX_SESSIONS = 255;
    private static final int LOGON_FLAGS = Flags.MAPI_LOGON_UI | Flags.MAPI_NEW_SESSION | Flags.MAPI_ALLOW_OTHERS
            | Flags.MAPI_EXPLICIT_PROFILE | Flags.MAPI_EXTENDED | Flags.MAPI_USE_DEFAULT | Flags.MAPI_FORCE_DOWNLOAD
            | Flags.MAPI_SERVICE_UI_ALWAYS | Flags.MAPI_NO_MAIL | Flags.MAPI_NT_SERVICE | Flags.MAPI_TIMEOUT_SHORT
            | Flags.MAPI_UNICODE;
    private static int initCount;
    private static Subsystem current;

    private Mapi() {}

    /**
     * MAPIInitialize (R-INIT-1..3): the first call brings the subsystem up for {@code init.home()}; later calls
     * only count.
     *
     * @param init version 0 and flags, or null for {@link MapiInit#defaults()}
     * @return S_OK
     * @throws MapiException MAPI_E_INVALID_PARAMETER for a version other than 0, or a home other than the one
     *                       already initialised; MAPI_E_UNKNOWN_FLAGS for flags other than
     *                       MAPI_MULTITHREAD_NOTIFICATIONS and MAPI_NT_SERVICE
     */
    public static int initialize(MapiInit init) {
        MapiInit i = init == null ? MapiInit.defaults() : init;
        if (i.version() != Flags.MAPI_INIT_VERSION) {
            throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER,
                    "MAPIINIT_0.ulVersion must be MAPI_INIT_VERSION (0), got " + i.version());
        }
        Flags.checkKnown(i.flags(), Flags.MAPI_MULTITHREAD_NOTIFICATIONS | Flags.MAPI_NT_SERVICE, "MAPIInitialize");
        Path home = (i.home() == null ? MapiInit.defaultHome() : i.home()).toAbsolutePath().normalize();
        synchronized (LOCK) {
            if (initCount > 0) {
                if (!current.home.equals(home)) {
                    throw new MapiException(HResult.MAPI_E_INVALID_PARAMETER, "MAPI is already initialised with home "
                            + current.home + "; uninitialise it before using " + home);
                }
                initCount++;
                return HResult.S_OK;
            }
            current = new Subsystem(home, TRACE);
            initCount = 1;
            TRACE.call("MAPIInitialize", "mapi", i.flags());
            TRACE.ret("MAPIInitialize", "mapi", 0, HResult.S_OK);
            return HResult.S_OK;
        }
    }

    /**
     * MAPIUninitialize (R-INIT-2, R-INIT-5): the call matching the first initialize logs every remaining session
     * off and shuts the subsystem down; a surplus call is a no-op.
     */
    public static void uninitialize() {
        Subsystem ending;
        synchronized (LOCK) {
            if (initCount == 0) {
                return;
            }
            if (--initCount > 0) {
                return;
            }
            ending = current;
            current = null;
        }
        TRACE.call("MAPIUninitialize", "mapi", 0);
        ending.shutdown();
        TRACE.ret("MAPIUninitialize", "mapi", 0, HResult.S_OK);
    }

    /** @return how many initialize calls are not yet matched by uninitialize */
    public static int initCount() {
        synchronized (LOCK) {
            return initCount;
        }
    }

    /**
     * @return the home of the initialised subsystem
     * @throws MapiException MAPI_E_NOT_INITIALIZED
     */
    public static Path home() {
        return subsystem().home;
    }

    /** @return the process's lifecycle trace; add a listener to record it (works whether or not MAPI is initialised) */
    public static LifecycleTrace trace() {
        return TRACE;
    }

    static Subsystem subsystem() {
        synchronized (LOCK) {
            if (initCount == 0) {
                throw new MapiException(HResult.MAPI_E_NOT_INITIALIZED,
                        "call Mapi.initialize first (R-INIT-1)");
            }
            return current;
        }
    }

    /**
     * MAPIAdminProfiles: the profiles of the home.
     *
     * @param flags 0
     * @return the admin object; one reference owned by the caller
     */
    public static ProfileAdmin adminProfiles(int flags) {
        Subsystem s = subsystem();
        Flags.checkKnown(flags, 0, "MAPIAdminProfiles");
        return s.profiles.admin();
    }

    /**
     * MAPILogonEx (R-SES-1..4): logs on to a profile. Transports are logged on by the spooler after this returns.
     *
     * @param uiParam  parent window handle; jmapi shows no UI
     * @param profile  the profile name, or null with MAPI_USE_DEFAULT
     * @param password must be null
     * @param flags    MAPI_* logon flags (spec &sect;1.2)
     * @return the session; one reference owned by the caller
     * @throws MapiException MAPI_E_LOGON_FAILED for invalid arguments, an unknown profile or too many sessions;
     *                       MAPI_E_TIMEOUT with MAPI_TIMEOUT_SHORT when another logon holds the lock
     */
    public static MapiSession logonEx(long uiParam, String profile, String password, int flags) {
        Subsystem s = subsystem();
        if ((flags & ~LOGON_FLAGS) != 0) {
            throw new MapiException(HResult.MAPI_E_LOGON_FAILED, "unknown MAPILogonEx flags "
                    + HResult.hex(flags & ~LOGON_FLAGS));
        }
        if (password != null) {
            throw new MapiException(HResult.MAPI_E_LOGON_FAILED, "MAPILogonEx: the password must be null");
        }
        lockLogons(s, flags);
        try {
            TRACE.call("MAPILogonEx", "mapi", flags);
            RealSession shared = (flags & Flags.MAPI_NEW_SESSION) == 0 ? s.sharedSession() : null;
            if (shared != null) {
                shared.addRef();
                TRACE.ret("MAPILogonEx", shared.label, 0, HResult.S_OK);
                return shared;
            }
            String name = resolveProfile(s, profile, flags);
            if (s.sessionCount() >= MAX_SESSIONS) {
                throw logonFailed("too many sessions are open (" + MAX_SESSIONS + ")");
            }
            Profile p;
            try {
                p = s.profiles.load(name);
            } catch (MapiException e) {
                throw logonFailed("no profile named '" + name + "'");
            }
            RealSession session = new RealSession(s, p, flags);
            s.sessionStarted(session, (flags & Flags.MAPI_ALLOW_OTHERS) != 0);
            TRACE.ret("MAPILogonEx", session.label, 0, HResult.S_OK);
            session.start();
            return session;
        } catch (MapiException e) {
            TRACE.ret("MAPILogonEx", "mapi", 0, e.hresult());
            throw e;
        } finally {
            s.logonLock.unlock();
        }
    }

    private static void lockLogons(Subsystem s, int flags) {
        if ((flags & Flags.MAPI_TIMEOUT_SHORT) == 0) {
            s.logonLock.lock();
            return;
        }
        try {
            if (!s.logonLock.tryLock(3, TimeUnit.SECONDS)) {
                throw new MapiException(HResult.MAPI_E_TIMEOUT, "another logon holds the logon lock");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MapiException(HResult.MAPI_E_TIMEOUT, "interrupted while waiting for the logon lock");
        }
    }

    private static String resolveProfile(Subsystem s, String profile, int flags) {
        boolean useDefault = (flags & Flags.MAPI_USE_DEFAULT) != 0;
        if (profile == null || profile.isEmpty()) {
            if (!useDefault) {
                throw logonFailed("no profile name given and MAPI_USE_DEFAULT not set (jmapi cannot ask)");
            }
            return s.profiles.defaultProfile().orElseThrow(() -> logonFailed("there is no default profile"));
        }
        if (profile.length() > 64 || !profile.equals(profile.strip())) {
            throw logonFailed("a profile name has at most 64 characters and no leading or trailing space");
        }
        if (!s.profiles.exists(profile) && useDefault && (flags & Flags.MAPI_EXPLICIT_PROFILE) == 0) {
            return s.profiles.defaultProfile().orElseThrow(() -> logonFailed("no profile named '" + profile + "'"));
        }
        return profile;
    }

    private static MapiException logonFailed(String why) {
        return new MapiException(HResult.MAPI_E_LOGON_FAILED, why);
    }
}
