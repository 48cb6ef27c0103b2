package org.jmapi.runtime.profile;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiObject;
import org.jmapi.MapiUid;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.spi.MapiSupport;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The message-service support object: spec &sect;8.1 column "Service", R-SUP-1 and R-PROF-6. */
class ServiceSupportTest extends ProfileFixture {

    private static Map<String, ThrowingCallable> unsupported(MapiSupport s) {
        EntryId id = EntryId.create(0, MapiUid.random(), new byte[] {1});
        Map<String, ThrowingCallable> m = new LinkedHashMap<>();
        m.put("SetProviderUID", () -> s.setProviderUid(MapiUid.random(), 0));
        m.put("Subscribe", () -> s.subscribe(new byte[] {1}, Flags.fnevNewMail, 0, n -> 0));
        m.put("Unsubscribe", () -> s.unsubscribe(1));
        m.put("Notify", () -> s.notify(new byte[] {1}, List.of()));
        m.put("ModifyStatusRow", () -> s.modifyStatusRow(List.of(PropValue.ofInt(PropTags.PR_STATUS_CODE, 1)), 0));
        m.put("OpenEntry", () -> s.openEntry(id, 0));
        m.put("CompareEntryIDs", () -> s.compareEntryIds(id, id, 0));
        m.put("WrapStoreEntryID", () -> s.wrapStoreEntryId(id));
        m.put("StoreLogoffTransports", () -> s.storeLogoffTransports(Flags.LOGOFF_ABORT));
        m.put("ModifyProfile", () -> s.modifyProfile(0));
        m.put("SpoolerNotify", () -> s.spoolerNotify(Flags.NOTIFY_READYTOSEND, null));
        m.put("SpoolerYield", () -> s.spoolerYield(0));
        return m;
    }

    private static Map<String, String> outcomes(Map<String, ThrowingCallable> calls) {
        Map<String, String> out = new LinkedHashMap<>();
        calls.forEach((name, call) -> {
            try {
                call.call();
                out.put(name, "returned");
            } catch (MapiException e) {
                out.put(name, HResult.name(e.hresult()));
            } catch (Throwable t) {
                out.put(name, t.toString());
            }
        });
        return out;
    }

    @Test
    void R_SUP_1_serviceSupportAnswersNoSupportOutsideItsColumn() {
        Profile p = newProfile(store(), "P");
        MapiUid rec = addService(p, "test.recording");
        AtomicReference<Map<String, String>> seen = new AtomicReference<>();
        recording.actions.put(Flags.MSG_SERVICE_CONFIGURE, s -> seen.set(outcomes(unsupported(s))));
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            admin.configureMsgService(rec, 0, 0, List.of());
        }
        assertThat(seen.get()).hasSize(12).allSatisfy((name, result) ->
                assertThat(result).as(name).isEqualTo("MAPI_E_NO_SUPPORT"));
    }

    @Test
    void R_SUP_1_serviceSupportImplementsKindNewUidOpenProfileSectionAndMakeInvalid() {
        Profile p = newProfile(store(), "P");
        MapiUid rec = addService(p, "test.recording");
        Map<String, Object> seen = new LinkedHashMap<>();
        recording.actions.put(Flags.MSG_SERVICE_CONFIGURE, s -> {
            seen.put("kind", s.kind());
            MapiUid a = s.newUid();
            MapiUid b = s.newUid();
            seen.put("distinct uids", !a.equals(b));
            ProfileSection own = s.openProfileSection(null, 0);
            seen.put("own section", own.uid());
            s.makeInvalid(0, own);
            try {
                own.getProps(null, 0);
                seen.put("after MakeInvalid", "still valid");
            } catch (MapiException e) {
                seen.put("after MakeInvalid", HResult.name(e.hresult()));
            }
            own.release();
            for (Map.Entry<String, ThrowingCallable> bad : Map.<String, ThrowingCallable>of(
                    "MakeInvalid flags", () -> s.makeInvalid(1, s),
                    "MakeInvalid null", () -> s.makeInvalid(0, null),
                    "MakeInvalid foreign", () -> s.makeInvalid(0, new ForeignObject())).entrySet()) {
                seen.putAll(outcomes(Map.of(bad.getKey(), bad.getValue())));
            }
        });
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            admin.configureMsgService(rec, 0, 0, List.of());
        }
        assertThat(seen).containsEntry("kind", MapiSupport.Kind.SERVICE)
                .containsEntry("distinct uids", true)
                .containsEntry("own section", rec)
                .containsEntry("after MakeInvalid", "MAPI_E_INVALID_OBJECT")
                .containsEntry("MakeInvalid flags", "MAPI_E_UNKNOWN_FLAGS")
                .containsEntry("MakeInvalid null", "MAPI_E_INVALID_PARAMETER")
                .containsEntry("MakeInvalid foreign", "MAPI_E_INVALID_PARAMETER");
    }

    /** A MapiObject not built on BaseMapiObject. */
    private static final class ForeignObject implements MapiObject {
        @Override
        public int addRef() {
            return 1;
        }

        @Override
        public int release() {
            return 0;
        }

        @Override
        public <T extends MapiObject> T queryInterface(Class<T> iface) {
            throw new MapiException(HResult.MAPI_E_INTERFACE_NOT_SUPPORTED, "no");
        }
    }

    @Test
    void R_PROF_6_supportObjectIsInvalidAfterTheEntryPointReturns() {
        Profile p = newProfile(store(), "P");
        AtomicReference<ProfileSection> keptSection = new AtomicReference<>();
        recording.actions.put(Flags.MSG_SERVICE_CREATE, s -> {
            s.addRef();
            keptSection.set(s.openProfileSection(null, Flags.MAPI_MODIFY));
        });
        addService(p, "test.recording");
        MapiSupport kept = recording.last(Flags.MSG_SERVICE_CREATE).support();
        ServiceSupport impl = (ServiceSupport) kept;
        assertThat(impl.isInvalid()).isTrue();
        assertThat(impl.refCount()).isEqualTo(1);
        assertMapiError(kept::newUid, HResult.MAPI_E_INVALID_OBJECT);
        assertMapiError(() -> kept.openProfileSection(null, 0), HResult.MAPI_E_INVALID_OBJECT);
        assertMapiError(() -> kept.makeInvalid(0, keptSection.get()), HResult.MAPI_E_INVALID_OBJECT);
        unsupported(kept).forEach((name, call) -> assertMapiError(call, HResult.MAPI_E_INVALID_OBJECT));
        // Sections opened through it die with it, including the staged ones of MSG_SERVICE_CREATE.
        assertMapiError(() -> keptSection.get().getProps(null, 0), HResult.MAPI_E_INVALID_OBJECT);
        assertMapiError(() -> keptSection.get().setProps(List.of(PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, 1))),
                HResult.MAPI_E_INVALID_OBJECT);
        // IUnknown keeps working; the last release destroys it.
        assertThat(kept.queryInterface(MapiSupport.class)).isSameAs(kept);
        kept.release();
        kept.release();
        assertThat(impl.isDestroyed()).isTrue();
        keptSection.get().release();
    }

    @Test
    void R_PROF_6_supportObjectIsInvalidAfterAFailingEntryPointToo() {
        Profile p = newProfile(store(), "P");
        MapiUid rec = addService(p, "test.recording");
        recording.failures.put(Flags.MSG_SERVICE_CONFIGURE, new MapiException(HResult.MAPI_E_UNCONFIGURED, "x"));
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            assertMapiError(() -> admin.configureMsgService(rec, 0, 0, List.of()), HResult.MAPI_E_UNCONFIGURED);
        }
        ServiceSupport s = (ServiceSupport) recording.last(Flags.MSG_SERVICE_CONFIGURE).support();
        assertThat(s.isInvalid()).isTrue();
        assertThat(s.isDestroyed()).isTrue();
        assertMapiError(s::newUid, HResult.MAPI_E_INVALID_OBJECT);
    }

    @Test
    void R_PROF_6_everyEntryPointCallGetsItsOwnServiceSupport() {
        Profile p = newProfile(store(), "P");
        MapiUid rec = addService(p, "test.recording");
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            admin.configureMsgService(rec, 0, 0, List.of());
            admin.deleteMsgService(rec);
        }
        assertThat(recording.contexts()).containsExactly(Flags.MSG_SERVICE_INSTALL, Flags.MSG_SERVICE_CREATE,
                Flags.MSG_SERVICE_CONFIGURE, Flags.MSG_SERVICE_DELETE);
        assertThat(recording.calls).extracting(TestServices.Call::support).doesNotHaveDuplicates()
                .allSatisfy(s -> assertThat(((ServiceSupport) s).isInvalid()).isTrue());
    }

    @Test
    void runtimeFailuresOfAServiceBecomeCallFailed() {
        Profile p = newProfile(store(), "P");
        MapiUid rec = addService(p, "test.recording");
        recording.actions.put(Flags.MSG_SERVICE_CONFIGURE, s -> {
            throw new IllegalStateException("bug in the service");
        });
        try (MsgServiceAdmin admin = p.serviceAdmin()) {
            assertMapiError(() -> admin.configureMsgService(rec, 0, 0, List.of()), HResult.MAPI_E_CALL_FAILED);
        }
    }
}
