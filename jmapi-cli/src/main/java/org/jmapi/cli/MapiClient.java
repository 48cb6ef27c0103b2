package org.jmapi.cli;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.prop.PropTags;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.MapiInit;
import org.jmapi.runtime.trace.JsonLinesTraceWriter;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One command's life as a MAPI client, in the order the MAPI reference asks of a well-behaved client
 * (spec R-SESOFF-4): MAPIInitialize for the home; MAPILogonEx; OpenMsgStore; ... ; for every store it opened
 * {@code StoreLogoff} with the flag the command chose, then the store's final {@code Release} (which runs the release
 * chain, R-SR-1); {@code IMAPISession::Logoff}; the session's {@code Release}; MAPIUninitialize. {@link #close}
 * does the second half, whatever happened before, so an error never skips it.
 *
 * <p>With {@code --trace FILE} the lifecycle trace is written to FILE from before MAPIInitialize to after
 * MAPIUninitialize.
 *
 * <p>One thread: the command's. Not reusable.
 */
final class MapiClient implements AutoCloseable {
    private final Jmapi jmapi;
    private final PrintWriter err;
    private final Path home;
    private final Mailboxes mailboxes;
    private final JsonLinesTraceWriter traceWriter;
    private final Runnable traceStop;
    private final List<OpenStore> stores = new ArrayList<>();
    private MapiSession session;
    private String profile;
    private boolean initialized;

    /** A store this client opened, and the LOGOFF_* flag it will be ended with. */
    static final class OpenStore {
        final MsgStore store;
        final String name;
        int logoffFlag;
        boolean ended;

        OpenStore(MsgStore store, String name, int logoffFlag) {
            this.store = store;
            this.name = name;
            this.logoffFlag = logoffFlag;
        }
    }

    private MapiClient(Jmapi jmapi, PrintWriter err) {
        this.jmapi = jmapi;
        this.err = err;
        this.home = jmapi.settings.home(jmapi.env);
        this.mailboxes = new Mailboxes(home);
        Path trace = jmapi.settings.trace;
        if (trace != null) {
            try {
                traceWriter = new JsonLinesTraceWriter(trace);
            } catch (IOException e) {
                throw new CommandFailure("cannot write the trace file " + trace + ": " + e.getMessage());
            }
            traceStop = Mapi.trace().addListener(traceWriter);
        } else {
            traceWriter = null;
            traceStop = null;
        }
    }

    /**
     * MAPIInitialize for the command's home (and the trace, if asked for).
     *
     * @param jmapi the root command (settings, environment)
     * @param err   where notes go (the first-run note)
     * @return the client; close it
     */
    static MapiClient start(Jmapi jmapi, PrintWriter err) {
        MapiClient c = new MapiClient(jmapi, err);
        try {
            Mapi.initialize(MapiInit.home(c.home));
            c.initialized = true;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** @return the jmapi home */
    Path home() {
        return home;
    }

    /** @return the home's mailboxes */
    Mailboxes mailboxes() {
        return mailboxes;
    }

    /**
     * The profile the command uses: --mailbox NAME (created when missing), --profile NAME, else the home's default
     * profile. A home without any profile gets its default mailbox now (named after $USER, else "me").
     *
     * @return the profile name
     * @throws CommandFailure when the home has profiles but none is the default and none was named
     */
    String resolveProfile() {
        Settings s = jmapi.settings;
        if (s.mailbox != null) {
            if (mailboxes.ensure(s.mailbox)) {
                note("created mailbox " + s.mailbox + " (" + Mailboxes.address(s.mailbox) + ")");
            }
            return s.mailbox;
        }
        if (s.profile != null) {
            return s.profile;
        }
        try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
            Optional<String> def = Mailboxes.defaultProfile(admin);
            if (def.isPresent()) {
                return def.get();
            }
            List<String> names = Mailboxes.profileNames(admin);
            if (!names.isEmpty()) {
                throw new CommandFailure("this home has no default profile: name one with --profile ("
                        + String.join(", ", names) + ") or set one with 'jmapi profile create --default'");
            }
            String name = Mailboxes.defaultName(jmapi.env);
            mailboxes.ensure(name);
            admin.setDefaultProfile(name);
            note("first run: created the default mailbox " + name + " (" + Mailboxes.address(name) + ") in " + home);
            return name;
        }
    }

    /**
     * Creates the default mailbox when the home has no profile at all (what {@code serve} does on first run).
     */
    void ensureDefaultMailbox() {
        try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
            if (!Mailboxes.profileNames(admin).isEmpty()) {
                return;
            }
        }
        Settings s = jmapi.settings;
        if (s.mailbox == null && s.profile == null) {
            resolveProfile();
        }
    }

    private void note(String line) {
        if (!jmapi.settings.json) {
            err.println("jmapi: " + line);
            err.flush();
        }
    }

    /**
     * MAPILogonEx(MAPI_EXTENDED | MAPI_NEW_SESSION [| MAPI_NO_MAIL]) to {@link #resolveProfile()}.
     *
     * @param mail whether the session's spooler runs (false: MAPI_NO_MAIL, no transports, no spooler logons)
     * @return the session, owned by this client
     */
    MapiSession logon(boolean mail) {
        return logon(resolveProfile(), mail);
    }

    /**
     * MAPILogonEx to a named profile.
     *
     * @param profileName the profile
     * @param mail        whether the session's spooler runs
     * @return the session, owned by this client
     */
    MapiSession logon(String profileName, boolean mail) {
        if (session != null) {
            throw new IllegalStateException("already logged on");
        }
        int flags = Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION | Flags.MAPI_EXPLICIT_PROFILE
                | (mail ? 0 : Flags.MAPI_NO_MAIL);
        session = Mapi.logonEx(0, profileName, null, flags);
        profile = profileName;
        return session;
    }

    /** @return the session */
    MapiSession session() {
        if (session == null) {
            throw new IllegalStateException("not logged on");
        }
        return session;
    }

    /** @return the profile logged on to */
    String profile() {
        return profile;
    }

    /**
     * A row of the message-store table.
     *
     * @param name      PR_DISPLAY_NAME
     * @param entryId   PR_ENTRYID
     * @param isDefault PR_DEFAULT_STORE
     * @param row       the whole row
     */
    record StoreRow(String name, EntryId entryId, boolean isDefault, Row row) {}

    /** @return the message-store table's rows (IMAPISession::GetMsgStoresTable) */
    List<StoreRow> storeRows() {
        List<StoreRow> out = new ArrayList<>();
        try (MapiTable t = session().getMsgStoresTable(0)) {
            t.setColumns(new int[] {PropTags.PR_DISPLAY_NAME, PropTags.PR_ENTRYID, PropTags.PR_DEFAULT_STORE,
                    PropTags.PR_PROVIDER_DISPLAY, PropTags.PR_RESOURCE_FLAGS, PropTags.PR_RECORD_KEY}, 0);
            for (Row r : Tables.all(t)) {
                out.add(new StoreRow(r.find(PropTags.PR_DISPLAY_NAME).map(v -> v.asString()).orElse(""),
                        EntryId.of(r.get(PropTags.PR_ENTRYID).asBinary()),
                        r.find(PropTags.PR_DEFAULT_STORE).map(v -> v.asBoolean()).orElse(false), r));
            }
        }
        return out;
    }

    /**
     * Opens a store of the profile: the one named, else the default store, else the only one.
     *
     * @param name       a store's display name, or null
     * @param write      MDB_WRITE
     * @param logoffFlag the LOGOFF_* flag {@link #close} ends it with
     * @return the store, owned by this client
     * @throws CommandFailure when there is no such store
     */
    OpenStore openStore(String name, boolean write, int logoffFlag) {
        List<StoreRow> rows = storeRows();
        StoreRow chosen = null;
        if (name != null) {
            chosen = rows.stream().filter(r -> r.name().equalsIgnoreCase(name)).findFirst().orElseThrow(() ->
                    new CommandFailure("profile " + profile + " has no store named '" + name + "' (it has: "
                            + String.join(", ", rows.stream().map(StoreRow::name).toList()) + ")"));
        } else {
            chosen = rows.stream().filter(StoreRow::isDefault).findFirst()
                    .orElse(rows.size() == 1 ? rows.get(0) : null);
            if (chosen == null) {
                throw new CommandFailure(rows.isEmpty() ? "profile " + profile + " has no message store"
                        : "profile " + profile + " has several stores and no default: choose one with --store");
            }
        }
        return openStore(chosen, write, logoffFlag);
    }

    /**
     * Opens one store of the message-store table.
     *
     * @param row        its row
     * @param write      MDB_WRITE
     * @param logoffFlag the LOGOFF_* flag {@link #close} ends it with
     * @return the store, owned by this client
     */
    OpenStore openStore(StoreRow row, boolean write, int logoffFlag) {
        MsgStore store = session().openMsgStore(0, row.entryId(), Flags.MDB_NO_DIALOG | (write ? Flags.MDB_WRITE : 0));
        OpenStore o = new OpenStore(store, row.name(), logoffFlag);
        stores.add(o);
        return o;
    }

    /**
     * Ends one store now: {@code StoreLogoff(flag)}, then the final {@code Release}.
     *
     * @param o    the store
     * @param flag the LOGOFF_* flag
     * @return StoreLogoff's output flags
     */
    int endStore(OpenStore o, int flag) {
        if (o.ended) {
            throw new IllegalStateException("store already ended");
        }
        o.ended = true;
        stores.remove(o);
        try {
            return o.store.storeLogoff(flag);
        } finally {
            o.store.release();
        }
    }

    /**
     * Ends the command's MAPI life in order: every store still open (StoreLogoff with its flag, Release), the
     * session (Logoff, Release), MAPIUninitialize, then the trace file. Safe to call more than once.
     */
    @Override
    public void close() {
        RuntimeException failure = null;
        List<OpenStore> open = new ArrayList<>(stores);
        java.util.Collections.reverse(open);
        for (OpenStore o : open) {
            try {
                endStore(o, o.logoffFlag);
            } catch (MapiException e) {
                if (e.hresult() != HResult.MAPI_E_INVALID_OBJECT) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        if (session != null) {
            try {
                session.logoff(0, 0, 0);
            } catch (MapiException e) {
                if (e.hresult() != HResult.MAPI_E_INVALID_OBJECT) {
                    failure = failure == null ? e : failure;
                }
            } finally {
                session.release();
                session = null;
            }
        }
        if (initialized) {
            initialized = false;
            Mapi.uninitialize();
        }
        if (traceStop != null) {
            traceStop.run();
            traceWriter.close();
            if (traceWriter.error() != null) {
                err.println("jmapi: warning: the trace file is incomplete: " + traceWriter.error().getMessage());
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** @return the environment */
    Map<String, String> env() {
        return jmapi.env;
    }
}
