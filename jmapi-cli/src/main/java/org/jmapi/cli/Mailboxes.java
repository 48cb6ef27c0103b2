package org.jmapi.cli;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.store.provider.SqliteStoreService;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The CLI's mailboxes: a mailbox {@code NAME} is the profile {@code NAME} of the jmapi home with
 * <ul>
 * <li>a {@code jmapi.sqlite-store} service on {@code <home>/mailboxes/NAME.jmapi},</li>
 * <li>a {@code jmapi.local} transport with maildrop {@code <home>/maildrop} and address {@code NAME@localhost}
 *     (inbound: {@code <home>/maildrop/NAME/new}),</li>
 * <li>the sender identity section ({@link #IDENTITY_SECTION}): PR_DISPLAY_NAME and PR_EMAIL_ADDRESS.</li>
 * </ul>
 * Provisioning goes through the profile administration API only (CreateProfile, CreateMsgService,
 * ConfigureMsgService, OpenProfileSection), as any MAPI client would. Must be used while MAPI is initialised for
 * {@link #home}. Thread-safe as far as the profile store is.
 */
final class Mailboxes {
    /** The profile section holding the profile's own sender identity (PR_DISPLAY_NAME, PR_EMAIL_ADDRESS). */
    static final MapiUid IDENTITY_SECTION = MapiUid.parse("6a6d6170692d636c692d73656e646572");
    /** The domain of local mailboxes. */
    static final String LOCAL_DOMAIN = "localhost";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._+-]{0,63}");

    /** The jmapi home. */
    final Path home;

    /** @param home the jmapi home (absolute) */
    Mailboxes(Path home) {
        this.home = home;
    }

    /** @return {@code <home>/maildrop}, the local transports' maildrop root */
    Path maildrop() {
        return home.resolve("maildrop");
    }

    /** @return {@code <home>/mailboxes}, where mailbox store files live */
    Path storeDir() {
        return home.resolve("mailboxes");
    }

    /**
     * @param name a mailbox name
     * @return its store file
     */
    Path storeFile(String name) {
        return storeDir().resolve(name + ".jmapi");
    }

    /**
     * @param name a candidate mailbox name
     * @return whether it can name a mailbox: 1..64 of a-z 0-9 . _ + -, starting with a letter or digit
     */
    static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * @param env the environment
     * @return the default mailbox's name: $USER in lower case when it is a valid name, else "me"
     */
    static String defaultName(Map<String, String> env) {
        String user = env.get("USER");
        String n = user == null ? "" : user.toLowerCase(Locale.ROOT);
        return isValidName(n) ? n : "me";
    }

    /**
     * @param name a mailbox name
     * @return its address, {@code name@localhost}
     */
    static String address(String name) {
        return name + "@" + LOCAL_DOMAIN;
    }

    /**
     * @param admin the profile admin
     * @return every profile name of the home, in the profile table's order
     */
    static List<String> profileNames(ProfileAdmin admin) {
        List<String> names = new ArrayList<>();
        try (MapiTable t = admin.getProfileTable(0)) {
            t.setColumns(new int[] {PropTags.PR_DISPLAY_NAME}, 0);
            for (Row r : Tables.all(t)) {
                r.find(PropTags.PR_DISPLAY_NAME).ifPresent(v -> names.add(v.asString()));
            }
        }
        return names;
    }

    /**
     * @param admin the profile admin
     * @return the default profile, if one is set
     */
    static Optional<String> defaultProfile(ProfileAdmin admin) {
        int prDefault = 0x3D04000B;
        try (MapiTable t = admin.getProfileTable(0)) {
            t.setColumns(new int[] {PropTags.PR_DISPLAY_NAME, prDefault}, 0);
            for (Row r : Tables.all(t)) {
                if (r.find(prDefault).map(v -> v.asBoolean()).orElse(false)) {
                    return r.find(PropTags.PR_DISPLAY_NAME).map(v -> v.asString());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Creates the mailbox profile {@code name} unless a profile of that name exists. Nothing half-made stays
     * behind: when a step fails the new profile is deleted again (the store file, if created, is kept).
     *
     * @param name the mailbox name
     * @return whether it was created now
     * @throws CommandFailure for an invalid name
     */
    boolean ensure(String name) {
        if (!isValidName(name)) {
            throw new CommandFailure("'" + name + "' cannot name a mailbox: use 1 to 64 of a-z 0-9 . _ + -, "
                    + "starting with a letter or digit");
        }
        try (ProfileAdmin admin = org.jmapi.runtime.Mapi.adminProfiles(0)) {
            if (profileNames(admin).contains(name)) {
                awaitConfigured(admin, name);
                return false;
            }
            try {
                admin.createProfile(name, null, 0, 0);
            } catch (MapiException e) {
                if (e.hresult() == HResult.MAPI_E_NO_ACCESS) {
                    awaitConfigured(admin, name); // another process created it a moment ago
                    return false;
                }
                throw e;
            }
            try {
                configure(admin, name);
            } catch (RuntimeException e) {
                try {
                    admin.deleteProfile(name, 0);
                } catch (MapiException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return true;
        }
    }

    /** How long a profile another process is still setting up is waited for. */
    private static final long CONFIGURE_WAIT_MS = 3_000;

    /**
     * Waits (a few seconds at most) until a profile has its sender identity, the last thing {@link #ensure} and
     * {@code profile create} write: another process that just created the profile may still be adding its
     * services. Returns when the identity is there or the time is up.
     *
     * @param admin the profile admin
     * @param name  the profile
     */
    static void awaitConfigured(ProfileAdmin admin, String name) {
        long deadline = System.nanoTime() + CONFIGURE_WAIT_MS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            try (MsgServiceAdmin services = admin.adminServices(name, 0)) {
                if (identity(services).isPresent()) {
                    return;
                }
            } catch (MapiException e) {
                if (e.hresult() != HResult.MAPI_E_NOT_FOUND) {
                    throw e;
                }
                return; // deleted meanwhile: the logon will say so
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void configure(ProfileAdmin admin, String name) {
        try {
            Files.createDirectories(storeDir());
            Files.createDirectories(maildrop().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (MsgServiceAdmin services = admin.adminServices(name, 0)) {
            MapiUid store = services.createMsgService(ServiceProps.STORE, name, 0, 0);
            services.configureMsgService(store, 0, 0, List.of(
                    PropValue.ofString(SqliteStoreService.PR_STORE_PATH, storeFile(name).toString()),
                    PropValue.ofString(PropTags.PR_DISPLAY_NAME, name)));
            MapiUid local = services.createMsgService(ServiceProps.LOCAL, "Local delivery", 0, 0);
            services.configureMsgService(local, 0, 0, List.of(
                    PropValue.ofString(ServiceProps.PR_LOCAL_MAILDROP, maildrop().toString()),
                    PropValue.ofString(ServiceProps.PR_LOCAL_ADDRESS, address(name))));
            writeIdentity(services, name, address(name));
        }
    }

    /**
     * Writes the profile's sender identity.
     *
     * @param services the profile's service admin
     * @param name     the display name
     * @param address  the SMTP address
     */
    static void writeIdentity(MsgServiceAdmin services, String name, String address) {
        try (ProfileSection s = services.openProfileSection(IDENTITY_SECTION, Flags.MAPI_MODIFY)) {
            s.setProps(List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, name),
                    PropValue.ofString(PropTags.PR_EMAIL_ADDRESS, address),
                    PropValue.ofString(PropTags.PR_ADDRTYPE, "SMTP")));
        }
    }

    /**
     * @param services a profile's service admin
     * @return the profile's sender identity, if it has one
     */
    static Optional<Identity> identity(MsgServiceAdmin services) {
        try (ProfileSection s = services.openProfileSection(IDENTITY_SECTION, 0)) {
            var v = s.getProps(new int[] {PropTags.PR_DISPLAY_NAME, PropTags.PR_EMAIL_ADDRESS}, 0);
            Optional<String> address = v.find(PropTags.PR_EMAIL_ADDRESS).map(x -> x.asString());
            if (address.isEmpty()) {
                return Optional.empty();
            }
            String name = v.find(PropTags.PR_DISPLAY_NAME).map(x -> x.asString()).orElse(address.get());
            return Optional.of(new Identity(name, address.get()));
        } catch (MapiException e) {
            if (e.hresult() == HResult.MAPI_E_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * A profile's sender.
     *
     * @param name    the display name
     * @param address the SMTP address
     */
    record Identity(String name, String address) {}
}
