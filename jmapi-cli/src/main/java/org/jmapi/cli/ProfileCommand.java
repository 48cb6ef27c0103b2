package org.jmapi.cli;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.client.ProfileSection;
import org.jmapi.client.ProviderAdmin;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.runtime.Mapi;
import org.jmapi.store.provider.SqliteStoreService;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.jmapi.transport.smtp.SmtpTransportService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code jmapi profile create|list|show|delete}: the profiles of the home, through MAPIAdminProfiles
 * (IProfAdmin, IMsgServiceAdmin, IProviderAdmin). Profiles live in {@code <home>/profiles/}, one file per profile,
 * mode 0600, since they hold server passwords. Passwords are read from an environment variable or asked for
 * without echo on the terminal, and are never printed.
 */
@Command(name = "profile", mixinStandardHelpOptions = true, description = "Create, list, show and delete profiles.",
        subcommands = {ProfileCommand.Create.class, ProfileCommand.ListProfiles.class, ProfileCommand.Show.class,
                ProfileCommand.Delete.class})
final class ProfileCommand extends BaseCommand {
    @Override
    int run() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@code profile create}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a profile: a SQLite store, local delivery, and optionally SMTP / POP3 / IMAP.")
    static final class Create extends BaseCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The profile's name.")
        String name;

        @Option(names = "--store", paramLabel = "FILE", description = "The store file. Default: <home>/mailboxes/NAME.jmapi.")
        Path storeFile;

        @Option(names = "--address", paramLabel = "ADDRESS", description = "The sender address. Default: NAME@localhost.")
        String address;

        @Option(names = "--display-name", paramLabel = "TEXT", description = "The sender's name. Default: NAME.")
        String displayName;

        @Option(names = "--no-local", description = "No local delivery transport.")
        boolean noLocal;

        @Option(names = "--smtp", paramLabel = "HOST[:PORT]", description = "Send through this SMTP server (port default 587, 465 with tls).")
        String smtp;
        @Option(names = "--smtp-security", paramLabel = "MODE", description = "none, starttls (default) or tls.")
        String smtpSecurity;
        @Option(names = "--smtp-user", paramLabel = "USER", description = "SMTP AUTH user.")
        String smtpUser;
        @Option(names = "--smtp-password-env", paramLabel = "VAR", description = "Read the SMTP password from environment variable VAR (else it is asked for).")
        String smtpPasswordEnv;
        @Option(names = "--smtp-trust-store", paramLabel = "FILE", description = "Trust the SMTP server's certificate if it leads to one in FILE (PEM / DER certificates, PKCS12 or JKS) instead of the JDK's trust anchors; the host name is checked.")
        Path smtpTrustStore;
        @Option(names = "--smtp-trust-store-password-env", paramLabel = "VAR", description = "Read the password of the --smtp-trust-store key store from environment variable VAR.")
        String smtpTrustStorePasswordEnv;
        @Option(names = "--smtp-cert-fingerprint", paramLabel = "SHA256", description = "Trust exactly the SMTP server certificate with this SHA-256 fingerprint (64 hex digits, colons allowed), e.g. a self-signed one.")
        String smtpCertFingerprint;
        @Option(names = "--smtp-connections", paramLabel = "N", description = "Send up to N messages at once, each over a connection of its own (1 to " + SmtpTransportService.MAX_CONNECTIONS + "). Default: 1.")
        Integer smtpConnections;

        @Option(names = "--pop3", paramLabel = "HOST[:PORT]", description = "Fetch from this POP3 server (port default 110, 995 with tls).")
        String pop3;
        @Option(names = "--pop3-security", paramLabel = "MODE", description = "none, starttls (default) or tls.")
        String pop3Security;
        @Option(names = "--pop3-user", paramLabel = "USER", description = "POP3 user.")
        String pop3User;
        @Option(names = "--pop3-password-env", paramLabel = "VAR", description = "Read the POP3 password from environment variable VAR.")
        String pop3PasswordEnv;
        @Option(names = "--pop3-trust-store", paramLabel = "FILE", description = "Trust the POP3 server's certificate if it leads to one in FILE (PEM / DER certificates, PKCS12 or JKS) instead of the JDK's trust anchors; the host name is checked.")
        Path pop3TrustStore;
        @Option(names = "--pop3-trust-store-password-env", paramLabel = "VAR", description = "Read the password of the --pop3-trust-store key store from environment variable VAR.")
        String pop3TrustStorePasswordEnv;
        @Option(names = "--pop3-cert-fingerprint", paramLabel = "SHA256", description = "Trust exactly the POP3 server certificate with this SHA-256 fingerprint (64 hex digits, colons allowed), e.g. a self-signed one.")
        String pop3CertFingerprint;

        @Option(names = "--imap", paramLabel = "HOST[:PORT]", description = "Fetch from this IMAP server (port default 143, 993 with tls).")
        String imap;
        @Option(names = "--imap-security", paramLabel = "MODE", description = "none, starttls (default) or tls.")
        String imapSecurity;
        @Option(names = "--imap-user", paramLabel = "USER", description = "IMAP user.")
        String imapUser;
        @Option(names = "--imap-password-env", paramLabel = "VAR", description = "Read the IMAP password from environment variable VAR.")
        String imapPasswordEnv;
        @Option(names = "--imap-folder", paramLabel = "FOLDER", description = "The IMAP folder to fetch from. Default: INBOX.")
        String imapFolder;
        @Option(names = "--imap-trust-store", paramLabel = "FILE", description = "Trust the IMAP server's certificate if it leads to one in FILE (PEM / DER certificates, PKCS12 or JKS) instead of the JDK's trust anchors; the host name is checked.")
        Path imapTrustStore;
        @Option(names = "--imap-trust-store-password-env", paramLabel = "VAR", description = "Read the password of the --imap-trust-store key store from environment variable VAR.")
        String imapTrustStorePasswordEnv;
        @Option(names = "--imap-cert-fingerprint", paramLabel = "SHA256", description = "Trust exactly the IMAP server certificate with this SHA-256 fingerprint (64 hex digits, colons allowed), e.g. a self-signed one.")
        String imapCertFingerprint;

        @Option(names = "--poll", paramLabel = "SECONDS", description = "How often POP3 / IMAP are polled.")
        Integer poll;

        @Option(names = "--default", description = "Make it the home's default profile.")
        boolean makeDefault;

        @Override
        int run() throws IOException {
            String sender = address != null ? address : Mailboxes.address(name);
            List<SendCommand.Recipient> parsed = new ArrayList<>();
            SendCommand.parse(List.of(sender), Flags.MAPI_ORIG, parsed);
            sender = parsed.get(0).address();
            // Everything that can fail without touching the home is checked first: nothing half-made stays behind.
            List<PropValue> smtpProps = server(ServiceProps.SMTP_SERVER, "SMTP", smtp, smtpSecurity, smtpUser,
                    smtpPasswordEnv, 587, 465, null, new Trust(smtpTrustStore, smtpTrustStorePasswordEnv,
                            smtpCertFingerprint));
            if (smtpConnections != null) {
                if (smtp == null) {
                    throw new CommandFailure("--smtp HOST is missing for --smtp-connections");
                }
                if (smtpConnections < 1 || smtpConnections > SmtpTransportService.MAX_CONNECTIONS) {
                    throw new CommandFailure("--smtp-connections must be from 1 to "
                            + SmtpTransportService.MAX_CONNECTIONS);
                }
                smtpProps = new ArrayList<>(smtpProps);
                smtpProps.add(PropValue.ofInt(SmtpTransportService.PR_SMTP_MAX_CONNECTIONS, smtpConnections));
            }
            List<PropValue> pop3Props = server(ServiceProps.POP3_SERVER, "POP3", pop3, pop3Security, pop3User,
                    pop3PasswordEnv, 110, 995, null, new Trust(pop3TrustStore, pop3TrustStorePasswordEnv,
                            pop3CertFingerprint));
            List<PropValue> imapProps = server(ServiceProps.IMAP_SERVER, "IMAP", imap, imapSecurity, imapUser,
                    imapPasswordEnv, 143, 993, imapFolder, new Trust(imapTrustStore, imapTrustStorePasswordEnv,
                            imapCertFingerprint));
            try (MapiClient client = start();
                 ProfileAdmin admin = Mapi.adminProfiles(0)) {
                Mailboxes mailboxes = client.mailboxes();
                Path file = storeFile != null ? storeFile.toAbsolutePath().normalize() : mailboxes.storeFile(name);
                Files.createDirectories(file.getParent());
                try {
                    admin.createProfile(name, null, 0, 0);
                } catch (MapiException e) {
                    if (e.hresult() == HResult.MAPI_E_NO_ACCESS) {
                        throw new CommandFailure("profile " + name + " already exists");
                    }
                    throw e;
                }
                try (MsgServiceAdmin services = admin.adminServices(name, 0)) {
                    MapiUid store = services.createMsgService(ServiceProps.STORE, name, 0, 0);
                    services.configureMsgService(store, 0, 0, List.of(
                            PropValue.ofString(SqliteStoreService.PR_STORE_PATH, file.toString()),
                            PropValue.ofString(PropTags.PR_DISPLAY_NAME, name)));
                    if (!noLocal) {
                        Files.createDirectories(mailboxes.maildrop());
                        MapiUid local = services.createMsgService(ServiceProps.LOCAL, "Local delivery", 0, 0);
                        services.configureMsgService(local, 0, 0, List.of(
                                PropValue.ofString(ServiceProps.PR_LOCAL_MAILDROP, mailboxes.maildrop().toString()),
                                PropValue.ofString(ServiceProps.PR_LOCAL_ADDRESS, sender)));
                    }
                    configure(services, ServiceProps.SMTP, "SMTP", smtpProps);
                    configure(services, ServiceProps.POP3, "POP3", pop3Props);
                    configure(services, ServiceProps.IMAP, "IMAP", imapProps);
                    Mailboxes.writeIdentity(services, displayName != null ? displayName : name, sender);
                } catch (RuntimeException | IOException e) {
                    try {
                        admin.deleteProfile(name, 0);
                    } catch (MapiException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                }
                if (makeDefault || Mailboxes.defaultProfile(admin).isEmpty()) {
                    admin.setDefaultProfile(name);
                }
                Output o = output();
                if (o.json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("created", name);
                    m.put("store", file.toString());
                    m.put("address", sender);
                    o.json(m);
                } else {
                    o.line("created profile " + name + " (" + sender + ", store " + file + ")");
                }
            }
            return 0;
        }

        private static void configure(MsgServiceAdmin services, String service, String display, List<PropValue> props) {
            if (props.isEmpty()) {
                return;
            }
            MapiUid uid = services.createMsgService(service, display, 0, 0);
            services.configureMsgService(uid, 0, 0, props);
        }

        /** The trust options of one server, each null when not given. */
        record Trust(Path store, String storePasswordEnv, String fingerprint) {
            boolean given() {
                return store != null || storePasswordEnv != null || fingerprint != null;
            }
        }

        /** @return the server's configuration properties, empty when no host was given */
        private List<PropValue> server(ServiceProps.Server tags, String label, String hostPort, String security,
                                       String user, String passwordEnv, int plainPort, int tlsPort, String folder,
                                       Trust trust) {
            String option = "--" + label.toLowerCase(Locale.ROOT);
            if (hostPort == null) {
                if (security != null || user != null || passwordEnv != null || folder != null || trust.given()) {
                    throw new CommandFailure(option + " HOST is missing for the other " + label + " options");
                }
                return List.of();
            }
            String mode = security == null ? "starttls" : security.strip().toLowerCase(Locale.ROOT);
            if (!List.of("none", "starttls", "tls").contains(mode)) {
                throw new CommandFailure("unknown " + label + " security '" + security + "': use none, starttls or tls");
            }
            String host = hostPort;
            int port = mode.equals("tls") ? tlsPort : plainPort;
            int colon = hostPort.lastIndexOf(':');
            if (colon > 0 && !hostPort.endsWith("]")) {
                host = hostPort.substring(0, colon);
                try {
                    port = Integer.parseInt(hostPort.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 1 || port > 65535) {
                    throw new CommandFailure("bad " + label + " port in '" + hostPort + "': a number from 1 to 65535");
                }
            }
            if (host.isBlank()) {
                throw new CommandFailure("no " + label + " host in '" + hostPort + "'");
            }
            List<PropValue> props = new ArrayList<>(List.of(PropValue.ofString(tags.host(), host),
                    PropValue.ofInt(tags.port(), port), PropValue.ofString(tags.security(), mode)));
            if (user != null) {
                props.add(PropValue.ofString(tags.user(), user));
                props.add(PropValue.ofString(tags.password(), password(label, user, passwordEnv)));
            } else if (passwordEnv != null) {
                throw new CommandFailure("a " + label + " password needs a user: give " + option + "-user");
            }
            if (poll != null && tags.poll() != 0) {
                if (poll < 1) {
                    throw new CommandFailure("--poll must be at least 1 second");
                }
                props.add(PropValue.ofInt(tags.poll(), poll));
            }
            if (folder != null && tags.folder() != 0) {
                props.add(PropValue.ofString(tags.folder(), folder));
            }
            if (trust.given() && mode.equals("none")) {
                throw new CommandFailure(option + "-trust-store and " + option + "-cert-fingerprint are for TLS: give "
                        + option + "-security starttls or tls");
            }
            if (trust.storePasswordEnv() != null && trust.store() == null) {
                throw new CommandFailure(option + "-trust-store-password-env needs " + option + "-trust-store FILE");
            }
            if (trust.store() != null) {
                // the transport checks the file (readable, certificates or a key store the password opens)
                props.add(PropValue.ofString(tags.trustStore(), trust.store().toAbsolutePath().normalize().toString()));
            }
            if (trust.storePasswordEnv() != null) {
                props.add(PropValue.ofString(tags.trustStorePassword(),
                        env(trust.storePasswordEnv(), label + " trust store password")));
            }
            if (trust.fingerprint() != null) {
                props.add(PropValue.ofString(tags.certFingerprint(), trust.fingerprint()));
            }
            return props;
        }

        /** @return the value of environment variable {@code var}, which holds {@code what}; an error when unset */
        private String env(String var, String what) {
            String v = jmapi().env.get(var);
            if (v == null) {
                throw new CommandFailure("environment variable " + var + " (the " + what + ") is not set");
            }
            return v;
        }

        /** @return the password from the environment variable, else asked for on the terminal without echo */
        private String password(String label, String user, String env) {
            if (env != null) {
                return env(env, label + " password");
            }
            Console console = System.console();
            if (console == null) {
                throw new CommandFailure("no " + label + " password: give --" + label.toLowerCase(Locale.ROOT)
                        + "-password-env VAR (there is no terminal to ask on)");
            }
            char[] p = console.readPassword("%s password for %s: ", label, user);
            if (p == null) {
                throw new CommandFailure("no " + label + " password given");
            }
            return new String(p);
        }
    }

    /** {@code profile list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the profiles of the home.")
    static final class ListProfiles extends BaseCommand {
        @Override
        int run() {
            List<Map<String, Object>> profiles = new ArrayList<>();
            try (MapiClient client = start(); ProfileAdmin admin = Mapi.adminProfiles(0)) {
                String def = Mailboxes.defaultProfile(admin).orElse(null);
                for (String n : Mailboxes.profileNames(admin)) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", n);
                    m.put("default", n.equals(def));
                    try (MsgServiceAdmin services = admin.adminServices(n, 0)) {
                        m.put("services", services(services).stream().map(ServiceRow::service).toList());
                        m.put("address", Mailboxes.identity(services).map(Mailboxes.Identity::address).orElse(null));
                    }
                    profiles.add(m);
                }
            }
            Output o = output();
            if (o.json) {
                o.json(Map.of("profiles", profiles));
                return 0;
            }
            if (profiles.isEmpty()) {
                o.line("(no profiles; the first command creates the default mailbox)");
                return 0;
            }
            List<List<String>> cells = new ArrayList<>();
            for (Map<String, Object> m : profiles) {
                @SuppressWarnings("unchecked")
                List<String> svcs = (List<String>) m.get("services");
                cells.add(List.of((String) m.get("name"), (Boolean) m.get("default") ? "yes" : "",
                        m.get("address") == null ? "" : (String) m.get("address"), String.join(", ", svcs)));
            }
            o.table(List.of("profile", "default", "address", "services"), cells);
            return 0;
        }
    }

    /** One row of a profile's service table. */
    record ServiceRow(MapiUid uid, String service, String displayName) {}

    static List<ServiceRow> services(MsgServiceAdmin services) {
        List<ServiceRow> out = new ArrayList<>();
        try (MapiTable t = services.getMsgServiceTable(0)) {
            t.setColumns(new int[] {PropTags.PR_SERVICE_UID, PropTags.PR_SERVICE_NAME, PropTags.PR_DISPLAY_NAME}, 0);
            for (Row r : Tables.all(t)) {
                out.add(new ServiceRow(MapiUid.of(r.get(PropTags.PR_SERVICE_UID).asBinary()),
                        r.find(PropTags.PR_SERVICE_NAME).map(PropValue::asString).orElse("?"),
                        r.find(PropTags.PR_DISPLAY_NAME).map(PropValue::asString).orElse("")));
            }
        }
        return out;
    }

    /** {@code profile show}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a profile's services and settings (passwords are never shown).")
    static final class Show extends BaseCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The profile. Default: the default profile.")
        String name;

        @Override
        int run() {
            Map<String, Object> doc = new LinkedHashMap<>();
            try (MapiClient client = start(); ProfileAdmin admin = Mapi.adminProfiles(0)) {
                String n = name != null ? name : client.resolveProfile();
                if (!Mailboxes.profileNames(admin).contains(n)) {
                    throw new CommandFailure("no profile named " + n + " ('jmapi profile list' shows them)");
                }
                doc.put("profile", n);
                doc.put("default", Mailboxes.defaultProfile(admin).map(n::equals).orElse(false));
                try (MsgServiceAdmin services = admin.adminServices(n, 0)) {
                    Mailboxes.identity(services).ifPresent(id -> doc.put("address", id.address()));
                    List<Map<String, Object>> list = new ArrayList<>();
                    for (ServiceRow s : services(services)) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("service", s.service());
                        m.put("displayName", s.displayName());
                        m.put("settings", settings(services, s));
                        list.add(m);
                    }
                    doc.put("services", list);
                }
            }
            Output o = output();
            if (o.json) {
                o.json(doc);
                return 0;
            }
            o.line("profile " + doc.get("profile") + (Boolean.TRUE.equals(doc.get("default")) ? " (default)" : "")
                    + (doc.containsKey("address") ? ", sender " + doc.get("address") : ""));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> list = (List<Map<String, Object>>) doc.get("services");
            for (Map<String, Object> m : list) {
                o.line("  " + m.get("service") + " (" + m.get("displayName") + ")");
                @SuppressWarnings("unchecked")
                Map<String, Object> settings = (Map<String, Object>) m.get("settings");
                settings.forEach((k, v) -> o.line("    " + k + ": " + v));
            }
            return 0;
        }

        /** @return the service's settings the CLI knows, by label; passwords (the trust store's too) as "(set)" */
        private static Map<String, Object> settings(MsgServiceAdmin services, ServiceRow s) {
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Integer> tags = new LinkedHashMap<>();
            switch (s.service()) {
                case ServiceProps.STORE -> tags.put("path", SqliteStoreService.PR_STORE_PATH);
                case ServiceProps.LOCAL -> {
                    tags.put("maildrop", ServiceProps.PR_LOCAL_MAILDROP);
                    tags.put("address", ServiceProps.PR_LOCAL_ADDRESS);
                    tags.put("domains", ServiceProps.PR_LOCAL_DOMAINS);
                }
                case ServiceProps.SMTP -> {
                    server(tags, ServiceProps.SMTP_SERVER);
                    tags.put("connections", SmtpTransportService.PR_SMTP_MAX_CONNECTIONS);
                }
                case ServiceProps.POP3 -> server(tags, ServiceProps.POP3_SERVER);
                case ServiceProps.IMAP -> {
                    server(tags, ServiceProps.IMAP_SERVER);
                    tags.put("folder", ServiceProps.IMAP_SERVER.folder());
                }
                default -> { }
            }
            if (tags.isEmpty()) {
                return out;
            }
            try (ProviderAdmin providers = services.adminProviders(s.uid(), 0);
                 ProfileSection section = providers.openProfileSection(null, 0)) {
                PropValues v = section.getProps(tags.values().stream().mapToInt(Integer::intValue).toArray(), 0);
                int i = 0;
                for (Map.Entry<String, Integer> e : tags.entrySet()) {
                    PropValue value = v.values().get(i++);
                    if (value.isError()) {
                        continue;
                    }
                    out.put(e.getKey(), e.getKey().endsWith("password") ? "(set)" : PropText.json(value));
                }
            }
            return out;
        }

        private static void server(Map<String, Integer> tags, ServiceProps.Server s) {
            tags.put("host", s.host());
            tags.put("port", s.port());
            tags.put("security", s.security());
            tags.put("user", s.user());
            tags.put("password", s.password());
            if (s.poll() != 0) {
                tags.put("poll", s.poll());
            }
            tags.put("trust-store", s.trustStore());
            tags.put("trust-store-password", s.trustStorePassword());
            tags.put("cert-fingerprint", s.certFingerprint());
        }
    }

    /** {@code profile delete}. */
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a profile (its store file is kept: delete it yourself if you mean to).")
    static final class Delete extends BaseCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The profile.")
        String name;

        @Override
        int run() {
            try (MapiClient client = start(); ProfileAdmin admin = Mapi.adminProfiles(0)) {
                try {
                    admin.deleteProfile(name, 0);
                } catch (MapiException e) {
                    if (e.hresult() == HResult.MAPI_E_NOT_FOUND) {
                        throw new CommandFailure("no profile named " + name + " ('jmapi profile list' shows them)");
                    }
                    throw e;
                }
            }
            Output o = output();
            if (o.json) {
                o.json(Map.of("deleted", name));
            } else {
                o.line("deleted profile " + name + " (store files are kept)");
            }
            return 0;
        }
    }
}
