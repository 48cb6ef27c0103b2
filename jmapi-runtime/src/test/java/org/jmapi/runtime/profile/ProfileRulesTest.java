package org.jmapi.runtime.profile;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.ProfileSection;
import org.jmapi.client.ProviderAdmin;
import org.jmapi.prop.NamedProperty;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.spi.MapiSupport;
import org.jmapi.spi.ProviderKind;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** One test (or a few) per rule R-PROF-1..7 of spec &sect;3. */
class ProfileRulesTest extends ProfileFixture {
    private static final int PR_CUSTOM = PropTag.tag(PropType.PT_UNICODE, 0x6810);

    // ---- R-PROF-1: sections are not transacted --------------------------------------------------------------

    @Test
    void R_PROF_1_setPropsAndDeletePropsTakeEffectAndPersistWithoutSaveChanges() {
        ProfileStore store = store();
        Profile p = newProfile(store, "P");
        MapiUid service = addService(p, "test.store");
        MapiUid provider = p.providers().get(0).uid();
        try (ProfileSection a = p.openSection(provider, Flags.MAPI_MODIFY, false);
             ProfileSection b = p.openSection(provider, 0, false)) {
            assertThat(a.setProps(List.of(PropValue.ofString(PR_CUSTOM, "v1")))).isEmpty();
            // Visible at once through another handle on the same section...
            assertThat(b.getProp(PR_CUSTOM)).contains(PropValue.ofString(PR_CUSTOM, "v1"));
            // ...and on disk, seen by a second store on the same home, without any SaveChanges.
            Profile other = store().load("P");
            try (ProfileSection c = other.openSection(provider, 0, false)) {
                assertThat(c.getProp(PR_CUSTOM)).contains(PropValue.ofString(PR_CUSTOM, "v1"));
            }
            assertThat(a.deleteProps(new int[] {PR_CUSTOM})).isEmpty();
            assertThat(b.getProp(PR_CUSTOM)).isEmpty();
            try (ProfileSection c = store().load("P").openSection(provider, 0, false)) {
                assertThat(c.getProp(PR_CUSTOM)).isEmpty();
            }
        }
        assertThat(p.service(service)).isPresent();
    }

    @Test
    void R_PROF_1_saveChangesIsASuccessfulNoOp() {
        Profile p = newProfile(store(), "P");
        addService(p, "test.store");
        MapiUid provider = p.providers().get(0).uid();
        byte[] before = bytes(profileFile("P"));
        try (ProfileSection rw = p.openSection(provider, Flags.MAPI_MODIFY, false);
             ProfileSection ro = p.openSection(provider, 0, false)) {
            rw.saveChanges(0);
            rw.saveChanges(Flags.KEEP_OPEN_READWRITE);
            rw.saveChanges(Flags.KEEP_OPEN_READONLY | Flags.FORCE_SAVE);
            ro.saveChanges(0);
            assertThat(bytes(profileFile("P"))).isEqualTo(before);
            // The section stays writable after KEEP_OPEN_READONLY: nothing was committed or locked.
            assertThat(rw.setProps(List.of(PropValue.ofString(PR_CUSTOM, "after")))).isEmpty();
            assertMapiError(() -> rw.saveChanges(0x100), HResult.MAPI_E_UNKNOWN_FLAGS);
        }
    }

    @Test
    void R_PROF_1_namedPropertyMethodsAreNoSupport() {
        Profile p = newProfile(store(), "P");
        MapiUid service = addService(p, "test.store");
        try (ProfileSection s = p.openSection(service, Flags.MAPI_MODIFY, false)) {
            assertMapiError(() -> s.getIdsFromNames(List.of(NamedProperty.ofName(MapiUid.random(), "x")),
                    Flags.MAPI_CREATE), HResult.MAPI_E_NO_SUPPORT);
            assertMapiError(() -> s.getNamesFromIds(new int[] {0x8001001F}), HResult.MAPI_E_NO_SUPPORT);
        }
    }

    // ---- R-PROF-2: opening sections --------------------------------------------------------------------------

    @Test
    void R_PROF_2_sectionsAreReadOnlyWithoutMapiModify() {
        Profile p = newProfile(store(), "P");
        MapiUid service = addService(p, "test.store");
        byte[] before = bytes(profileFile("P"));
        try (ProfileSection s = p.openSection(service, 0, false)) {
            assertMapiError(() -> s.setProps(List.of(PropValue.ofString(PR_CUSTOM, "x"))), HResult.MAPI_E_NO_ACCESS);
            assertMapiError(() -> s.deleteProps(new int[] {PropTags.PR_DISPLAY_NAME}), HResult.MAPI_E_NO_ACCESS);
            assertThat(s.getProp(PropTags.PR_DISPLAY_NAME)).isPresent();
        }
        assertThat(bytes(profileFile("P"))).isEqualTo(before);
    }

    @Test
    void R_PROF_2_missingSectionIsNotFoundReadOnlyAndCreatedWithMapiModify() {
        ProfileStore store = store();
        Profile p = newProfile(store, "P");
        MapiUid uid = MapiUid.random();
        assertMapiError(() -> p.openSection(uid, 0, false), HResult.MAPI_E_NOT_FOUND);
        try (ProfileSection s = p.openSection(uid, Flags.MAPI_MODIFY, false)) {
            assertThat(s.uid()).isEqualTo(uid);
            PropValues all = s.getProps(null, 0);
            assertThat(all.hresult()).isEqualTo(HResult.S_OK);
            assertThat(all.values()).isEmpty();
            assertThat(s.getPropList(0)).isEmpty();
        }
        // Created for good: read-only opens now work, also from another store on the same home.
        try (ProfileSection s = store().load("P").openSection(uid, 0, false)) {
            assertThat(s.getProps(null, 0).values()).isEmpty();
        }
    }

    @Test
    void R_PROF_2_unknownFlagsAreRejected() {
        Profile p = newProfile(store(), "P");
        MapiUid service = addService(p, "test.store");
        assertMapiError(() -> p.openSection(service, Flags.MAPI_CREATE, false), HResult.MAPI_E_UNKNOWN_FLAGS);
        assertMapiError(() -> p.openSection(service, 0x80000000, false), HResult.MAPI_E_UNKNOWN_FLAGS);
        try (MsgServiceAdmin admin = p.serviceAdmin(); ProviderAdmin pa = admin.adminProviders(service, 0)) {
            assertMapiError(() -> admin.openProfileSection(service, 0x4), HResult.MAPI_E_UNKNOWN_FLAGS);
            assertMapiError(() -> pa.openProfileSection(null, 0x4), HResult.MAPI_E_UNKNOWN_FLAGS);
        }
        List<Integer> seen = new ArrayList<>();
        recording.actions.put(Flags.MSG_SERVICE_CONFIGURE, support -> {
            try {
                support.openProfileSection(null, 0x4);
            } catch (MapiException e) {
                seen.add(e.hresult());
            }
        });
        MapiUid rec = addService(p, "test.recording");
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            admin.configureMsgService(rec, 0, 0, List.of());
        }
        assertThat(seen).containsExactly(HResult.MAPI_E_UNKNOWN_FLAGS);
    }

    @Test
    void R_PROF_2_nullUidOpensTheServicesOwnSectionAndOnlyItsOwnSectionsAreReachable() {
        Profile p = newProfile(store(), "P");
        MapiUid storeService = addService(p, "test.store");
        MapiUid rec = addService(p, "test.recording");
        MapiUid recProvider = p.providers().stream().filter(x -> x.serviceUid().equals(rec)).findFirst()
                .orElseThrow().uid();
        MapiUid otherProvider = p.providers().get(0).uid();
        List<Object> seen = new ArrayList<>();
        recording.actions.put(Flags.MSG_SERVICE_CONFIGURE, support -> {
            try (ProfileSection own = support.openProfileSection(null, 0)) {
                seen.add(MapiUid.of(own.getProp(PropTags.PR_SERVICE_UID).orElseThrow().asBinary()));
                seen.add(own.uid());
            }
            try (ProfileSection prov = support.openProfileSection(recProvider, Flags.MAPI_MODIFY)) {
                seen.add(prov.getProp(PropTags.PR_PROVIDER_DLL_NAME).orElseThrow().asString());
            }
            for (MapiUid foreign : List.of(storeService, otherProvider)) {
                try {
                    support.openProfileSection(foreign, 0);
                    seen.add("opened a foreign section");
                } catch (MapiException e) {
                    seen.add(HResult.name(e.hresult()));
                }
            }
            try {
                support.openProfileSection(MapiUid.random(), 0);
            } catch (MapiException e) {
                seen.add(HResult.name(e.hresult()));
            }
        });
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            admin.configureMsgService(rec, 0, 0, List.of());
        }
        assertThat(seen).containsExactly(rec, rec, "test.recording", "MAPI_E_NO_ACCESS", "MAPI_E_NO_ACCESS",
                "MAPI_E_NOT_FOUND");
    }

    // ---- R-PROF-3: secure properties -------------------------------------------------------------------------

    @Test
    void R_PROF_3_secureIdsAreHiddenFromGetPropsNullAndPropListButReturnedByTag() {
        Profile p = newProfile(store(), "P");
        MapiUid service = addService(p, "test.store");
        int secureLow = PropTag.tag(PropType.PT_UNICODE, 0x6600);
        int secureHigh = PropTag.tag(PropType.PT_LONG, 0x67FF);
        int justAbove = PropTag.tag(PropType.PT_LONG, 0x6800);
        try (ProfileSection s = p.openSection(service, Flags.MAPI_MODIFY, false)) {
            s.setProps(List.of(PropValue.ofString(secureLow, "secret"), PropValue.ofInt(secureHigh, 7),
                    PropValue.ofInt(justAbove, 8)));
            assertVisibility(s, secureLow, secureHigh, justAbove);
        }
        try (ProfileSection s = store().load("P").openSection(service, 0, false)) {
            assertVisibility(s, secureLow, secureHigh, justAbove);
        }
    }

    private static void assertVisibility(ProfileSection s, int secureLow, int secureHigh, int justAbove) {
        List<Integer> allTags = s.getProps(null, 0).values().stream().map(PropValue::tag).toList();
        assertThat(allTags).contains(justAbove, PropTags.PR_DISPLAY_NAME).doesNotContain(secureLow, secureHigh);
        assertThat(Arrays.stream(s.getPropList(0)).boxed().toList()).isEqualTo(allTags);
        PropValues byTag = s.getProps(new int[] {secureLow, secureHigh}, 0);
        assertThat(byTag.hresult()).isEqualTo(HResult.S_OK);
        assertThat(byTag.values()).containsExactly(PropValue.ofString(secureLow, "secret"),
                PropValue.ofInt(secureHigh, 7));
    }

    // ---- R-PROF-4: a provider's own section at logon ---------------------------------------------------------

    @Test
    void R_PROF_4_providerCannotSetOrDeleteResourceFlagsOrDllNameInItsOwnSection() {
        Profile p = newProfile(store(), "P");
        addService(p, "test.store");
        ProviderRecord provider = p.providers().get(0);
        try (ProfileSection s = p.openSection(provider.uid(), Flags.MAPI_MODIFY, true)) {
            List<PropProblem> problems = s.setProps(List.of(
                    PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, 0),
                    PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Renamed by provider"),
                    PropValue.ofString(PropTags.PR_PROVIDER_DLL_NAME_A, "evil.dll")));
            assertThat(problems).containsExactly(
                    new PropProblem(0, PropTags.PR_RESOURCE_FLAGS, HResult.MAPI_E_NO_ACCESS),
                    new PropProblem(2, PropTags.PR_PROVIDER_DLL_NAME_A, HResult.MAPI_E_NO_ACCESS));
            assertThat(s.deleteProps(new int[] {PropTags.PR_RESOURCE_FLAGS, PropTags.PR_PROVIDER_DLL_NAME}))
                    .containsExactly(new PropProblem(0, PropTags.PR_RESOURCE_FLAGS, HResult.MAPI_E_NO_ACCESS),
                            new PropProblem(1, PropTags.PR_PROVIDER_DLL_NAME, HResult.MAPI_E_NO_ACCESS));
        }
        try (ProfileSection s = store().load("P").openSection(provider.uid(), 0, false)) {
            assertThat(s.getProp(PropTags.PR_RESOURCE_FLAGS)).contains(
                    PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, Flags.STATUS_DEFAULT_STORE));
            assertThat(s.getProp(PropTags.PR_PROVIDER_DLL_NAME)).contains(
                    PropValue.ofString(PropTags.PR_PROVIDER_DLL_NAME, "test.store"));
            assertThat(s.getProp(PropTags.PR_DISPLAY_NAME)).contains(
                    PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Renamed by provider"));
        }
        assertThat(p.provider(provider.uid()).resourceFlags()).isEqualTo(Flags.STATUS_DEFAULT_STORE);
    }

    @Test
    void R_PROF_4_providerSectionHoldsWhatMapiWrites() {
        Profile p = newProfile(store(), "P");
        MapiUid service = addService(p, "test.store");
        ProviderRecord provider = p.providers().get(0);
        assertThat(provider).isEqualTo(new ProviderRecord(provider.uid(), service, "test.store", "store",
                ProviderKind.STORE, "Test Store", Flags.STATUS_DEFAULT_STORE));
        try (ProfileSection s = p.openSection(provider.uid(), 0, true)) {
            assertThat(s.getProps(null, 0).values()).containsExactlyInAnyOrder(
                    PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Test Store"),
                    PropValue.ofString(PropTags.PR_PROVIDER_DISPLAY, "Test Store"),
                    PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, Flags.STATUS_DEFAULT_STORE),
                    PropValue.ofInt(PropTags.PR_RESOURCE_TYPE, Flags.MAPI_STORE_PROVIDER),
                    PropValue.ofString(PropTags.PR_PROVIDER_DLL_NAME, "test.store"),
                    PropValue.ofBinary(PropTags.PR_SERVICE_UID, service.toBytes()),
                    PropValue.ofBinary(PropTags.PR_PROVIDER_UID, provider.uid().toBytes()),
                    PropValue.ofString(PropTags.PR_SERVICE_NAME, "test.store"));
        }
        try (ProfileSection s = p.openSection(service, 0, false)) {
            assertThat(s.getProps(null, 0).values()).containsExactlyInAnyOrder(
                    PropValue.ofString(PropTags.PR_SERVICE_NAME, "test.store"),
                    PropValue.ofString(PropTags.PR_DISPLAY_NAME, "test.store (display)"),
                    PropValue.ofBinary(PropTags.PR_SERVICE_UID, service.toBytes()),
                    PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, 0));
        }
    }

    @Test
    void R_PROF_4_administrativeHandlesMayChangeResourceFlags() {
        Profile p = newProfile(store(), "P");
        addService(p, "test.store");
        ProviderRecord provider = p.providers().get(0);
        try (ProfileSection s = p.openSection(provider.uid(), Flags.MAPI_MODIFY, false)) {
            assertThat(s.setProps(List.of(PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, 0)))).isEmpty();
        }
        assertThat(p.provider(provider.uid()).resourceFlags()).isZero();
        assertThat(p.defaultStore()).isEmpty();
    }

    // ---- R-PROF-5: default store and transport order ---------------------------------------------------------

    @Test
    void R_PROF_5_defaultStoreIsTheFirstStoreFlaggedDefaultStore() {
        Profile p = newProfile(store(), "P");
        addService(p, "test.recording");
        assertThat(p.providers(ProviderKind.STORE)).hasSize(1);
        assertThat(p.defaultStore()).isEmpty();
        MapiUid first = addService(p, "test.store");
        addService(p, "test.store");
        assertThat(p.providers(ProviderKind.STORE)).hasSize(3);
        assertThat(p.defaultStore().orElseThrow().serviceUid()).isEqualTo(first);
        assertThat(store().load("P").defaultStore().orElseThrow().serviceUid()).isEqualTo(first);
    }

    @Test
    void R_PROF_5_transportOrderIsInsertionOrderWithPreferLastTransportsMovedToTheEnd() {
        Profile p = newProfile(store(), "P");
        MapiUid l1 = addService(p, "test.transport.last");
        MapiUid t1 = addService(p, "test.transport");
        MapiUid t2 = addService(p, "test.transport");
        MapiUid l2 = addService(p, "test.transport.last");
        MapiUid t3 = addService(p, "test.transport");
        addService(p, "test.store");
        List<MapiUid> expected = List.of(t1, t2, t3, l1, l2);
        assertThat(p.transportOrder()).extracting(ProviderRecord::serviceUid).isEqualTo(expected);
        assertThat(store().load("P").transportOrder()).extracting(ProviderRecord::serviceUid).isEqualTo(expected);
        assertThat(p.transportOrder()).extracting(ProviderRecord::kind).containsOnly(ProviderKind.TRANSPORT);
    }

    @Test
    void R_PROF_5_msgServiceTransportOrderReplacesTheOrder() {
        Profile p = newProfile(store(), "P");
        addService(p, "test.transport");
        addService(p, "test.transport");
        addService(p, "test.transport.last");
        List<MapiUid> reversed = new ArrayList<>(p.transportOrder().stream().map(ProviderRecord::uid).toList());
        java.util.Collections.reverse(reversed);
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            admin.msgServiceTransportOrder(reversed, 0);
            assertThat(p.transportOrder()).extracting(ProviderRecord::uid).isEqualTo(reversed);
            try (MapiTable t = admin.getProviderTable(0)) {
                assertThat(rows(t)).extracting(r -> MapiUid.of(r.get(PropTags.PR_PROVIDER_UID).asBinary()))
                        .isEqualTo(reversed);
            }
        }
        assertThat(store().load("P").transportOrder()).extracting(ProviderRecord::uid).isEqualTo(reversed);
    }

    @Test
    void R_PROF_5_msgServiceTransportOrderMustNameEveryTransportExactlyOnce() {
        Profile p = newProfile(store(), "P");
        addService(p, "test.transport");
        addService(p, "test.transport");
        addService(p, "test.store");
        List<MapiUid> order = p.transportOrder().stream().map(ProviderRecord::uid).toList();
        MapiUid storeProvider = p.providers(ProviderKind.STORE).get(0).uid();
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            assertMapiError(() -> admin.msgServiceTransportOrder(List.of(order.get(0)), 0),
                    HResult.MAPI_E_INVALID_PARAMETER);
            assertMapiError(() -> admin.msgServiceTransportOrder(List.of(order.get(0), order.get(0)), 0),
                    HResult.MAPI_E_INVALID_PARAMETER);
            assertMapiError(() -> admin.msgServiceTransportOrder(List.of(order.get(1), storeProvider), 0),
                    HResult.MAPI_E_INVALID_PARAMETER);
            assertMapiError(() -> admin.msgServiceTransportOrder(List.of(order.get(1), order.get(0),
                    MapiUid.random()), 0), HResult.MAPI_E_INVALID_PARAMETER);
            assertMapiError(() -> admin.msgServiceTransportOrder(null, 0), HResult.MAPI_E_INVALID_PARAMETER);
            assertMapiError(() -> admin.msgServiceTransportOrder(order, 1), HResult.MAPI_E_UNKNOWN_FLAGS);
        }
        assertThat(p.transportOrder()).extracting(ProviderRecord::uid).isEqualTo(order);
    }

    @Test
    void R_PROF_5_deletedTransportsLeaveTheOrder() {
        Profile p = newProfile(store(), "P");
        MapiUid a = addService(p, "test.transport");
        MapiUid b = addService(p, "test.transport");
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            admin.deleteMsgService(a);
            assertThat(p.transportOrder()).extracting(ProviderRecord::serviceUid).containsExactly(b);
            admin.msgServiceTransportOrder(List.of(p.transportOrder().get(0).uid()), 0);
        }
    }

    // ---- R-PROF-6: the service entry point -------------------------------------------------------------------

    @Test
    void R_PROF_6_createCallsInstallOncePerHomeThenCreate(@TempDir Path otherHome) {
        Profile p = newProfile(store(), "P");
        Profile q = newProfile(store(), "Q");
        addService(p, "test.recording");
        addService(p, "test.recording");
        addService(store().load("Q"), "test.recording");
        assertThat(recording.contexts()).containsExactly(Flags.MSG_SERVICE_INSTALL, Flags.MSG_SERVICE_CREATE,
                Flags.MSG_SERVICE_CREATE, Flags.MSG_SERVICE_CREATE);
        assertThat(recording.calls).extracting(TestServices.Call::kind).containsOnly(MapiSupport.Kind.SERVICE);
        assertThat(q.name()).isEqualTo("Q");
        // Another jmapi home has its own installation record.
        addService(newProfile(ProfileStore.open(otherHome, catalog()), "R"), "test.recording");
        assertThat(recording.contexts()).endsWith(Flags.MSG_SERVICE_INSTALL, Flags.MSG_SERVICE_CREATE);
        assertThat(recording.contexts()).hasSize(6);
    }

    @Test
    void R_PROF_6_installFailureAddsNothingAndIsRetriedNextTime() {
        Profile p = newProfile(store(), "P");
        recording.failures.put(Flags.MSG_SERVICE_INSTALL, new MapiException(HResult.MAPI_E_USER_CANCEL, "no"));
        assertMapiError(() -> addService(p, "test.recording"), HResult.MAPI_E_USER_CANCEL);
        assertThat(p.services()).isEmpty();
        recording.failures.clear();
        addService(p, "test.recording");
        assertThat(recording.contexts()).containsExactly(Flags.MSG_SERVICE_INSTALL, Flags.MSG_SERVICE_INSTALL,
                Flags.MSG_SERVICE_CREATE);
    }

    @Test
    void R_PROF_6_failingCreateAddsNothingToTheProfile() {
        Profile p = newProfile(store(), "P");
        addService(p, "test.store");
        byte[] before = bytes(profileFile("P"));
        List<MapiUid> touched = new ArrayList<>();
        recording.actions.put(Flags.MSG_SERVICE_CREATE, support -> {
            try (ProfileSection own = support.openProfileSection(null, Flags.MAPI_MODIFY);
                 ProfileSection extra = support.openProfileSection(MapiUid.random(), Flags.MAPI_MODIFY)) {
                own.setProps(List.of(PropValue.ofString(PR_CUSTOM, "half-configured")));
                extra.setProps(List.of(PropValue.ofString(PR_CUSTOM, "scratch")));
                touched.add(own.uid());
                touched.add(extra.uid());
            }
        });
        recording.failures.put(Flags.MSG_SERVICE_CREATE,
                new MapiException(HResult.MAPI_E_UNCONFIGURED, "configuration needed and no UI allowed"));
        assertMapiError(() -> addService(p, "test.recording"), HResult.MAPI_E_UNCONFIGURED);
        assertThat(p.services()).extracting(ServiceRecord::serviceName).containsExactly("test.store");
        assertThat(p.providers()).hasSize(1);
        assertThat(touched).hasSize(2);
        for (MapiUid u : touched) {
            assertMapiError(() -> p.openSection(u, 0, false), HResult.MAPI_E_NOT_FOUND);
        }
        assertThat(bytes(profileFile("P"))).isEqualTo(before);
    }

    @Test
    void R_PROF_6_createPassesUiFlagsAndRejectsUnknownOnes() {
        Profile p = newProfile(store(), "P");
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            admin.createMsgService("test.recording", "Mine", 0, Flags.SERVICE_UI_ALLOWED);
            assertThat(recording.last(Flags.MSG_SERVICE_CREATE).uiFlags()).isEqualTo(Flags.SERVICE_UI_ALLOWED);
            assertMapiError(() -> admin.createMsgService("test.recording", null, 0, 0x4),
                    HResult.MAPI_E_UNKNOWN_FLAGS);
            assertMapiError(() -> admin.createMsgService("no.such.service", null, 0, 0), HResult.MAPI_E_NOT_FOUND);
            assertMapiError(() -> admin.createMsgService(null, null, 0, 0), HResult.MAPI_E_INVALID_PARAMETER);
        }
        assertThat(p.services()).extracting(ServiceRecord::displayName).containsExactly("Mine");
    }

    @Test
    void R_PROF_6_entryPointConfiguresStagedSectionsDuringCreate() {
        Profile p = newProfile(store(), "P");
        recording.actions.put(Flags.MSG_SERVICE_CREATE, support -> {
            try (ProfileSection own = support.openProfileSection(null, Flags.MAPI_MODIFY)) {
                own.setProps(List.of(PropValue.ofString(PR_CUSTOM, "configured at create")));
            }
        });
        MapiUid rec = addService(p, "test.recording");
        try (ProfileSection s = store().load("P").openSection(rec, 0, false)) {
            assertThat(s.getProp(PR_CUSTOM)).contains(PropValue.ofString(PR_CUSTOM, "configured at create"));
        }
    }

    @Test
    void R_PROF_6_configurePassesPropsAndStoresThemOnlyOnSuccess() {
        Profile p = newProfile(store(), "P");
        MapiUid cfg = addService(p, "test.config");
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            byte[] before = bytes(profileFile("P"));
            assertMapiError(() -> admin.configureMsgService(cfg, 0, 0,
                    List.of(PropValue.ofString(TestServices.PR_TEST_PASSWORD, "pw"))), HResult.MAPI_E_UNCONFIGURED);
            assertThat(bytes(profileFile("P"))).isEqualTo(before);
            admin.configureMsgService(cfg, 0, 0, List.of(
                    PropValue.ofString(TestServices.PR_TEST_SERVER, "mail.example.org"),
                    PropValue.ofString(TestServices.PR_TEST_PASSWORD, "pw"),
                    PropValue.ofBinary(PropTags.PR_SERVICE_UID, new byte[16])));
            assertMapiError(() -> admin.configureMsgService(MapiUid.random(), 0, 0, List.of()),
                    HResult.MAPI_E_NOT_FOUND);
            assertMapiError(() -> admin.configureMsgService(cfg, 0, 0x4, List.of()), HResult.MAPI_E_UNKNOWN_FLAGS);
        }
        try (ProfileSection s = store().load("P").openSection(cfg, 0, false)) {
            assertThat(s.getProp(TestServices.PR_TEST_SERVER))
                    .contains(PropValue.ofString(TestServices.PR_TEST_SERVER, "mail.example.org"));
            assertThat(s.getProps(null, 0).values()).extracting(PropValue::tag)
                    .doesNotContain(TestServices.PR_TEST_PASSWORD);
            assertThat(s.getProp(TestServices.PR_TEST_PASSWORD)).isPresent();
            assertThat(s.getProp(PropTags.PR_SERVICE_UID))
                    .contains(PropValue.ofBinary(PropTags.PR_SERVICE_UID, cfg.toBytes()));
        }
    }

    @Test
    void R_PROF_6_configureCallsTheEntryPointWithConfigureAndTheProps() {
        Profile p = newProfile(store(), "P");
        MapiUid rec = addService(p, "test.recording");
        List<PropValue> props = List.of(PropValue.ofString(PR_CUSTOM, "value"));
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            admin.configureMsgService(rec, 0, Flags.SERVICE_UI_ALWAYS | Flags.MAPI_UNICODE, props);
        }
        TestServices.Call call = recording.last(Flags.MSG_SERVICE_CONFIGURE);
        assertThat(call.props()).isEqualTo(props);
        assertThat(call.uiFlags()).isEqualTo(Flags.SERVICE_UI_ALWAYS);
    }

    @Test
    void R_PROF_6_deleteCallsDeleteThenRemovesServiceProvidersAndSections() {
        Profile p = newProfile(store(), "P");
        MapiUid keep = addService(p, "test.store");
        AtomicReference<MapiUid> created = new AtomicReference<>();
        recording.actions.put(Flags.MSG_SERVICE_CONFIGURE, support -> {
            MapiUid u = support.newUid();
            try (ProfileSection s = support.openProfileSection(u, Flags.MAPI_MODIFY)) {
                s.setProps(List.of(PropValue.ofString(PR_CUSTOM, "owned")));
            }
            created.set(u);
        });
        MapiUid rec = addService(p, "test.recording");
        List<MapiUid> sections = new ArrayList<>(List.of(rec));
        p.providers().stream().filter(x -> x.serviceUid().equals(rec)).forEach(x -> sections.add(x.uid()));
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            admin.configureMsgService(rec, 0, 0, List.of());
            sections.add(created.get());
            p.openSection(created.get(), 0, false).release();
            admin.deleteMsgService(rec);
            assertMapiError(() -> admin.deleteMsgService(rec), HResult.MAPI_E_NOT_FOUND);
        }
        assertThat(recording.contexts()).endsWith(Flags.MSG_SERVICE_DELETE);
        assertThat(p.services()).extracting(ServiceRecord::uid).containsExactly(keep);
        assertThat(p.providers()).extracting(ProviderRecord::serviceUid).containsOnly(keep);
        assertThat(p.transportOrder()).isEmpty();
        assertThat(sections).hasSize(5);
        Profile fresh = store().load("P");
        for (MapiUid u : sections) {
            assertMapiError(() -> fresh.openSection(u, 0, false), HResult.MAPI_E_NOT_FOUND);
        }
    }

    @Test
    void R_PROF_6_failingDeleteKeepsTheService() {
        Profile p = newProfile(store(), "P");
        MapiUid rec = addService(p, "test.recording");
        recording.failures.put(Flags.MSG_SERVICE_DELETE, new MapiException(HResult.MAPI_E_USER_CANCEL, "no"));
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            assertMapiError(() -> admin.deleteMsgService(rec), HResult.MAPI_E_USER_CANCEL);
        }
        assertThat(p.services()).extracting(ServiceRecord::uid).containsExactly(rec);
        assertThat(p.providers()).hasSize(3);
    }

    @Test
    void R_PROF_6_providerCreateAndDeleteCallTheEntryPointFirst() {
        Profile p = newProfile(store(), "P");
        MapiUid rec = addService(p, "test.recording");
        MapiUid added;
        try (MsgServiceAdmin admin = p.serviceAdmin(); ProviderAdmin pa = admin.adminProviders(rec, 0)) {
            List<PropValue> props = List.of(PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Second Transport"),
                    PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, Flags.STATUS_XP_PREFER_LAST),
                    PropValue.ofString(PR_CUSTOM, "extra"));
            added = pa.createProvider("xp", props, 0);
            assertThat(recording.last(Flags.MSG_SERVICE_PROVIDER_CREATE).props()).isEqualTo(props);
            ProviderRecord r = p.provider(added);
            assertThat(r).isEqualTo(new ProviderRecord(added, rec, "test.recording", "xp", ProviderKind.TRANSPORT,
                    "Second Transport", Flags.STATUS_XP_PREFER_LAST));
            assertThat(p.transportOrder()).extracting(ProviderRecord::uid).endsWith(added);
            try (ProfileSection s = pa.openProfileSection(added, 0)) {
                assertThat(s.getProp(PR_CUSTOM)).contains(PropValue.ofString(PR_CUSTOM, "extra"));
                assertThat(s.getProp(PropTags.PR_PROVIDER_UID))
                        .contains(PropValue.ofBinary(PropTags.PR_PROVIDER_UID, added.toBytes()));
                assertThat(s.getProp(PropTags.PR_RESOURCE_TYPE))
                        .contains(PropValue.ofInt(PropTags.PR_RESOURCE_TYPE, Flags.MAPI_TRANSPORT_PROVIDER));
            }
            assertMapiError(() -> pa.createProvider("nope", List.of(), 0), HResult.MAPI_E_NOT_FOUND);
            pa.deleteProvider(added);
            assertThat(recording.last(Flags.MSG_SERVICE_PROVIDER_DELETE).props())
                    .containsExactly(PropValue.ofBinary(PropTags.PR_PROVIDER_UID, added.toBytes()));
            assertMapiError(() -> pa.deleteProvider(added), HResult.MAPI_E_NOT_FOUND);
        }
        assertMapiError(() -> p.provider(added), HResult.MAPI_E_NOT_FOUND);
        assertThat(p.transportOrder()).extracting(ProviderRecord::uid).doesNotContain(added);
        assertMapiError(() -> store().load("P").openSection(added, 0, false), HResult.MAPI_E_NOT_FOUND);
    }

    @Test
    void R_PROF_6_providerCreateOrDeleteRefusedWithNoSupportChangesNothing() {
        Profile p = newProfile(store(), "P");
        MapiUid svc = addService(p, "test.store");
        ProviderRecord only = p.providers().get(0);
        byte[] before = bytes(profileFile("P"));
        try (MsgServiceAdmin admin = p.serviceAdmin(); ProviderAdmin pa = admin.adminProviders(svc, 0)) {
            assertMapiError(() -> pa.createProvider("store", List.of(), 0), HResult.MAPI_E_NO_SUPPORT);
            assertMapiError(() -> pa.deleteProvider(only.uid()), HResult.MAPI_E_NO_SUPPORT);
        }
        assertThat(p.providers()).containsExactly(only);
        assertThat(bytes(profileFile("P"))).isEqualTo(before);
    }

    // ---- R-PROF-7: table dynamics and SERVICE_SINGLE_COPY ----------------------------------------------------

    @Test
    void R_PROF_7_singleCopyServiceCannotBeAddedTwice() {
        ProfileStore store = store();
        Profile p = newProfile(store, "P");
        addService(p, "test.single");
        byte[] before = bytes(profileFile("P"));
        assertMapiError(() -> addService(p, "test.single"), HResult.MAPI_E_NO_ACCESS);
        assertThat(p.services()).extracting(ServiceRecord::serviceName).containsExactly("test.single");
        assertThat(bytes(profileFile("P"))).isEqualTo(before);
        // Other services may still be added, and another profile may hold its own copy.
        addService(p, "test.store");
        addService(p, "test.store");
        addService(newProfile(store, "Q"), "test.single");
    }

    @Test
    void R_PROF_7_providerTablesAreSnapshots() {
        Profile p = newProfile(store(), "P");
        MapiUid rec = addService(p, "test.recording");
        try (MsgServiceAdmin admin = p.serviceAdmin();
             ProviderAdmin pa = admin.adminProviders(rec, 0);
             MapiTable all = admin.getProviderTable(0);
             MapiTable mine = pa.getProviderTable(Flags.MAPI_UNICODE)) {
            assertThat(all.getRowCount(0)).isEqualTo(3);
            assertThat(mine.getRowCount(0)).isEqualTo(3);
            MapiUid extra = pa.createProvider("store", List.of(), 0);
            addService(p, "test.transport");
            MapiUid gone = p.providers().get(0).uid();
            pa.deleteProvider(gone);
            assertThat(rows(all)).hasSize(3);
            assertThat(rows(mine)).hasSize(3)
                    .extracting(r -> MapiUid.of(r.get(PropTags.PR_PROVIDER_UID).asBinary())).contains(gone)
                    .doesNotContain(extra);
            try (MapiTable now = admin.getProviderTable(0); MapiTable nowMine = pa.getProviderTable(0)) {
                assertThat(now.getRowCount(0)).isEqualTo(4);
                assertThat(nowMine.getRowCount(0)).isEqualTo(3);
            }
        }
    }

    @Test
    void R_PROF_7_providerTableRowsDescribeTheProviders() {
        Profile p = newProfile(store(), "P");
        MapiUid svc = addService(p, "test.store");
        ProviderRecord r = p.providers().get(0);
        try (MsgServiceAdmin admin = p.serviceAdmin(); MapiTable t = admin.getProviderTable(Flags.MAPI_UNICODE)) {
            assertThat(t.queryColumns(0)).containsExactly(PropTags.PR_PROVIDER_UID, PropTags.PR_DISPLAY_NAME,
                    PropTags.PR_RESOURCE_TYPE, PropTags.PR_RESOURCE_FLAGS, PropTags.PR_SERVICE_UID,
                    PropTags.PR_INSTANCE_KEY);
            Row row = rows(t).get(0);
            assertThat(row.values()).containsExactly(
                    PropValue.ofBinary(PropTags.PR_PROVIDER_UID, r.uid().toBytes()),
                    PropValue.ofString(PropTags.PR_DISPLAY_NAME, "Test Store"),
                    PropValue.ofInt(PropTags.PR_RESOURCE_TYPE, Flags.MAPI_STORE_PROVIDER),
                    PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, Flags.STATUS_DEFAULT_STORE),
                    PropValue.ofBinary(PropTags.PR_SERVICE_UID, svc.toBytes()),
                    PropValue.ofBinary(PropTags.PR_INSTANCE_KEY, r.uid().toBytes()));
        }
    }

    @Test
    void R_PROF_7_messageServiceTableIsStatic() {
        Profile p = newProfile(store(), "P");
        MapiUid first = addService(p, "test.store");
        try (MsgServiceAdmin admin = p.serviceAdmin(); MapiTable t = admin.getMsgServiceTable(0)) {
            MapiUid second = addService(p, "test.single");
            admin.deleteMsgService(first);
            List<Row> snapshot = rows(t);
            assertThat(snapshot).hasSize(1);
            Row row = snapshot.get(0);
            assertThat(row.values()).containsExactly(
                    PropValue.ofBinary(PropTags.PR_SERVICE_UID, first.toBytes()),
                    PropValue.ofString(PropTag.withType(PropTags.PR_SERVICE_NAME, PropType.PT_STRING8), "test.store"),
                    PropValue.ofString(PropTags.PR_DISPLAY_NAME_A, "test.store (display)"),
                    PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, 0),
                    PropValue.ofBinary(PropTags.PR_INSTANCE_KEY, first.toBytes()));
            try (MapiTable now = admin.getMsgServiceTable(Flags.MAPI_UNICODE)) {
                List<Row> current = rows(now);
                assertThat(current).extracting(r -> r.get(PropTags.PR_SERVICE_UID))
                        .containsExactly(PropValue.ofBinary(PropTags.PR_SERVICE_UID, second.toBytes()));
                assertThat(current.get(0).get(PropTags.PR_SERVICE_NAME).tag()).isEqualTo(PropTags.PR_SERVICE_NAME);
            }
            assertMapiError(() -> admin.getMsgServiceTable(0x1), HResult.MAPI_E_UNKNOWN_FLAGS);
        }
    }
}
