package org.jmapi.transport.local;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropTags;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.MapiInit;
import org.jmapi.store.provider.SqliteStoreService;
import org.jmapi.table.MapiTable;
import org.jmapi.transport.ServerProps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jmapi.transport.local.LocalFixture.*;

/**
 * ConfigureMsgService of {@value LocalTransportService#NAME} and what a logon makes of the configuration: required
 * maildrop, own address and local domains, merged configuration, send-only transports, and the checks on names.
 */
class LocalConfigurationTest {
    @TempDir
    Path home;

    @AfterEach
    void end() {
        while (Mapi.initCount() > 0) {
            Mapi.uninitialize();
        }
    }

    /** Creates profile {@code p} with a store, and the local service; @return the local service's UID */
    private MapiUid profile(String p) {
        try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
            admin.createProfile(p, null, 0, 0);
            try (MsgServiceAdmin services = admin.adminServices(p, 0)) {
                services.configureMsgService(services.createMsgService(SqliteStoreService.NAME, "Personal Folders",
                        0, 0), 0, 0, List.of(PropValue.ofString(SqliteStoreService.PR_STORE_PATH,
                        home.resolve(p + ".jmapi").toString())));
                return services.createMsgService(LocalTransportService.NAME, "Local mail", 0, 0);
            }
        }
    }

    private void configure(String p, MapiUid service, PropValue... values) {
        try (ProfileAdmin admin = Mapi.adminProfiles(0);
             MsgServiceAdmin services = admin.adminServices(p, 0)) {
            services.configureMsgService(service, 0, 0, List.of(values));
        }
    }

    private List<PropValue> section(String p, MapiUid service) {
        try (ProfileAdmin admin = Mapi.adminProfiles(0);
             MsgServiceAdmin services = admin.adminServices(p, 0);
             ProfileSection s = services.openProfileSection(service, 0)) {
            return s.getProps(LocalConfig.TAGS, 0).values().stream().filter(v -> !v.isError()).toList();
        }
    }

    private static void assertCode(int hresult, org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
            String... inMessage) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MapiException.class, e -> {
            assertThat(HResult.name(e.hresult())).as(e.getMessage()).isEqualTo(HResult.name(hresult));
            assertThat(e.getMessage()).contains(inMessage);
        });
    }

    /** @return the PR_DISPLAY_NAME of every status row */
    private static List<String> statusRows(MapiSession session) {
        try (MapiTable t = session.getStatusTable(0)) {
            t.setColumns(new int[] {PropTags.PR_DISPLAY_NAME}, 0);
            return t.queryRows(100, 0).stream().map(r -> r.get(PropTags.PR_DISPLAY_NAME).asString()).toList();
        }
    }

    @Test
    void configure_withoutMaildrop_isUnconfigured_andBadValuesAreRefused_sectionUnchanged() {
        Mapi.initialize(MapiInit.home(home));
        MapiUid svc = profile("p");
        assertCode(HResult.MAPI_E_UNCONFIGURED, () -> configure("p", svc,
                PropValue.ofString(ServerProps.PR_LOCAL_ADDRESS, "p@localhost")), "PR_LOCAL_MAILDROP", "0x6710");
        assertThat(section("p", svc)).isEmpty();
        Path drop = home.resolve("a").resolve("maildrop");
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> configure("p", svc,
                PropValue.ofString(ServerProps.PR_LOCAL_MAILDROP, drop.toString()),
                PropValue.ofString(ServerProps.PR_LOCAL_ADDRESS, "p@example.org")), "example.org", "local domain");
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> configure("p", svc,
                PropValue.ofString(ServerProps.PR_LOCAL_MAILDROP, drop.toString()),
                PropValue.ofString(ServerProps.PR_LOCAL_ADDRESS, "no-at-sign")), "local@domain");
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> configure("p", svc,
                PropValue.ofString(ServerProps.PR_LOCAL_MAILDROP, "relative/maildrop")), "absolute path");
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> configure("p", svc,
                PropValue.ofString(ServerProps.PR_LOCAL_MAILDROP, drop.toString()),
                PropValue.ofString(ServerProps.PR_LOCAL_ADDRESS, "../p@localhost")), "cannot be a mailbox");
        assertCode(HResult.MAPI_E_INVALID_PARAMETER, () -> configure("p", svc,
                PropValue.ofString(ServerProps.PR_LOCAL_MAILDROP, drop.toString()),
                PropValue.of(ServerProps.PR_LOCAL_DOMAINS, List.of("ok.test", "not a domain"))), "not a domain");
        assertThat(section("p", svc)).isEmpty();
        assertThat(drop).doesNotExist();
    }

    @Test
    void configure_mergesOverTheSection_createsTheMaildrop_emptyAddressRemovesIt() {
        Mapi.initialize(MapiInit.home(home));
        MapiUid svc = profile("p");
        Path drop = home.resolve("a").resolve("maildrop");
        configure("p", svc, PropValue.ofString(ServerProps.PR_LOCAL_MAILDROP, drop.toString()));
        assertThat(drop).isDirectory();
        configure("p", svc, PropValue.ofString(ServerProps.PR_LOCAL_ADDRESS, "P@Example.Test"),
                PropValue.of(ServerProps.PR_LOCAL_DOMAINS, List.of("Example.Test.", "localhost")));
        LocalConfig c = LocalConfig.check(LocalConfig.Raw.of(section("p", svc)));
        assertThat(c.maildrop()).isEqualTo(drop);
        assertThat(c.address()).isEqualTo("P@Example.Test");
        assertThat(c.mailbox()).isEqualTo("p");
        assertThat(c.domains()).containsExactly("example.test", "localhost");
        assertThat(c.isLocal("EXAMPLE.test.")).isTrue();
        assertThat(c.isLocal("example.org")).isFalse();
        configure("p", svc, PropValue.ofString(ServerProps.PR_LOCAL_ADDRESS, ""));
        c = LocalConfig.check(LocalConfig.Raw.of(section("p", svc)));
        assertThat(c.address()).as("an empty address means none").isNull();
        assertThat(c.mailbox()).isNull();
        assertThat(c.domains()).containsExactly("example.test", "localhost");
    }

    @Test
    void R_LOGON_2_unconfiguredService_transportNotLoggedOn_theSessionStillWorks() {
        spoolerTiming();
        Mapi.initialize(MapiInit.home(home));
        profile("p");
        MapiSession s = logon("p");
        MsgStore store = open(s);
        assertThat(statusRows(s)).noneMatch(n -> n.startsWith(LocalTransportService.DISPLAY_NAME));
        endSession(s, store);
    }

    @Test
    void withoutOwnAddress_sendOnly_otherDomainsConfigured_onlyThoseAreLocal() throws Exception {
        LocalFixture f = LocalFixture.start(home, "bob");
        MapiUid svc = profile("sender");
        configure("sender", svc, PropValue.ofString(ServerProps.PR_LOCAL_MAILDROP, f.maildrop.toString()),
                PropValue.of(ServerProps.PR_LOCAL_DOMAINS, List.of("LOCALHOST", "example.test")));
        MapiSession s = logon("sender");
        MsgStore store = open(s);
        assertThat(statusRows(s)).contains(LocalTransportService.DISPLAY_NAME + " (send only)");
        submit(store, "sender@example.test", "To two domains", "body", List.of(recipient("bob@localhost",
                Flags.MAPI_TO), recipient("carol@example.test", Flags.MAPI_TO), recipient("dan@elsewhere.test",
                Flags.MAPI_TO)));
        Item report = awaitInbox(store, "Undeliverable: To two domains");
        try (org.jmapi.client.Message m = (org.jmapi.client.Message) store.openEntry(report.id(), 0)) {
            assertThat(recipients(m)).extracting(r -> r.get(PropTags.PR_EMAIL_ADDRESS).asString())
                    .containsExactly("dan@elsewhere.test");
        }
        assertThat(entries(f.maildrop.resolve("bob").resolve("new"))).hasSize(1);
        assertThat(entries(f.maildrop.resolve("carol").resolve("new"))).hasSize(1);
        assertThat(f.maildrop.resolve("sender")).as("a send-only transport has no Maildir").doesNotExist();
        endSession(s, store);
        f.close();
    }

    @Test
    void mailboxNames_lowerCased_unquoted_andEveryEscapeRefused() {
        assertThat(Maildrop.mailboxName("Bob")).isEqualTo("bob");
        assertThat(Maildrop.mailboxName("\"john doe\"")).isEqualTo("john doe");
        assertThat(Maildrop.mailboxName("first.last+tag")).isEqualTo("first.last+tag");
        for (String bad : List.of("", " ", ".", "..", "...", ".hidden", "a/b", "a\\b", "..\\..", "a\u0000b", "a\nb",
                "\"a/b\"", "x".repeat(65))) {
            assertThatThrownBy(() -> Maildrop.mailboxName(bad)).as("'%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        Maildrop drop = new Maildrop(home.toAbsolutePath());
        assertThat(drop.mailbox("bob")).isEqualTo(home.toAbsolutePath().resolve("bob"));
        assertThat(LocalConfig.split("Bob <bob@LocalHost.>")).contains(new LocalConfig.Address("bob", "localhost"));
        assertThat(LocalConfig.split("\"a@b\"@localhost")).contains(new LocalConfig.Address("\"a@b\"", "localhost"));
        assertThat(LocalConfig.split("nobody")).isEmpty();
        assertThat(LocalConfig.split("@localhost")).isEmpty();
        assertThat(LocalConfig.split("bob@")).isEmpty();
        assertThat(PropTag.type(LocalConfig.TAGS[0])).isEqualTo(PropType.PT_UNSPECIFIED);
    }

    @Test
    void uniqueNames_followTheMaildirForm_andDiffer() {
        String a = Maildrop.uniqueName();
        String b = Maildrop.uniqueName();
        assertThat(a).matches("\\d+\\." + ProcessHandle.current().pid() + "_\\d+\\.[^/:]+");
        assertThat(a).isNotEqualTo(b);
    }
}
