package org.jmapi.runtime;

import org.jmapi.AdviseSink;
import org.jmapi.BaseMapiObject;
import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiObject;
import org.jmapi.Notification;
import org.jmapi.client.AddrBook;
import org.jmapi.client.MapiSession;
import org.jmapi.client.MapiStatus;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.MapiProp;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.prop.PropValues;
import org.jmapi.runtime.testproviders.TestHooks;
import org.jmapi.spi.MapiSupport;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.jmapi.runtime.Fixture.assertMapiError;
import static org.jmapi.runtime.Fixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jmapi.prop.PropTags.PR_DISPLAY_NAME;
import static org.jmapi.prop.PropTags.PR_ENTRYID;
import static org.jmapi.prop.PropTags.PR_OBJECT_TYPE;
import static org.jmapi.prop.PropTags.PR_RECORD_KEY;
import static org.jmapi.prop.PropTags.PR_RESOURCE_FLAGS;
import static org.jmapi.prop.PropTags.PR_RESOURCE_METHODS;
import static org.jmapi.prop.PropTags.PR_RESOURCE_TYPE;
import static org.jmapi.prop.PropTags.PR_STATUS_CODE;

/**
 * Spec &sect;9.1 (reference counting, R-REF-1..5), &sect;9.2 (IMAPIProp, R-PROP-1..4, on runtime objects: a
 * provider's profile section opened through its support object, MAPI's own status objects, provider status objects
 * reached through the status table) and &sect;9.5 (R-NTF-1..3 and R-NTF-5 for IMAPISupport::Subscribe / Unsubscribe /
 * Notify and IMAPISession::Advise / Unadvise).
 *
 * <p>Pending:
 * <ul>
 *   <li>R-PROP-1, MAPI_E_NOT_ENOUGH_MEMORY for large values and MAPI_E_BAD_CHARWIDTH: profile sections and status
 *       objects have no inline limit and store Unicode only; the PropertyBag tests cover both.</li>
 *   <li>R-PROP-2, SetProps with 0 values on a <em>provider's</em> status object: the memory providers' status
 *       objects check "read-only" before the arguments and answer MAPI_E_NO_ACCESS; MAPI's own status objects and
 *       profile sections are tested for MAPI_E_INVALID_PARAMETER.</li>
 *   <li>R-REF-5, "status object &rarr; logon (1 ref)": the memory providers' status objects do not hold their logon;
 *       the runtime-visible half (logon &rarr; support, logon &rarr; status object, cycle broken at logoff) is
 *       tested.</li>
 * </ul>
 */
class ReferenceAndNotificationRulesTest {
    private static final int PR_CUSTOM = PropTag.tag(PropType.PT_UNICODE, 0x6810);
    private static final int PR_MISSING = PropTag.tag(PropType.PT_UNICODE, 0x6811);
    private static final int PR_NUMBER = PropTag.tag(PropType.PT_LONG, 0x6812);

    @TempDir
    Path home;

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static RealSession real(MapiSession s) {
        return (RealSession) s;
    }

    private static int refs(Object o) {
        return ((BaseMapiObject) o).refCount();
    }

    private static StoreLogonRecord clientStore(MapiSession s) {
        return real(s).clientStores().get(0);
    }

    private static Row statusRow(MapiSession s, int resourceType) {
        try (MapiTable t = s.getStatusTable(0)) {
            t.setColumns(StatusTable.COLUMNS, 0);
            return t.queryRows(1000, 0).stream().filter(r -> r.get(PR_RESOURCE_TYPE).asInt() == resourceType)
                    .findFirst().orElseThrow(() -> new AssertionError("no status row of type " + resourceType));
        }
    }

    private static MapiStatus openStatus(MapiSession s, int resourceType) {
        return (MapiStatus) s.openEntry(EntryId.of(statusRow(s, resourceType).get(PR_ENTRYID).asBinary()), 0);
    }

    private static List<Integer> tags(PropValues v) {
        return v.values().stream().map(PropValue::tag).toList();
    }

    /** A sink that is also a reference-counted object (R-REF-2, R-NTF-1). */
    private static class CountedSink extends BaseMapiObject implements AdviseSink {
        final List<Notification> got = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        volatile int answer;

        @Override
        public int onNotify(List<Notification> notifications) {
            threads.add(Thread.currentThread().getName());
            got.addAll(notifications);
            return answer;
        }
    }

    private static Notification.NewMail newMail(String messageClass) {
        return new Notification.NewMail(null, null, 0, messageClass, 0);
    }

    // ---- R-REF-1 ------------------------------------------------------------------------------------------------

    @Test
    void R_REF_1_freshOutObjectsCarryExactlyOneCallerReference() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            assertThat(refs(s)).isEqualTo(1);
            MapiTable status = s.getStatusTable(0);
            MapiTable stores = s.getMsgStoresTable(0);
            AddrBook ab = s.openAddressBook(0, 0);
            MapiStatus subsystem = openStatus(s, Flags.MAPI_SUBSYSTEM);
            assertThat(refs(status)).isEqualTo(1);
            assertThat(refs(stores)).isEqualTo(1);
            assertThat(refs(ab)).isEqualTo(1);
            assertThat(refs(subsystem)).isEqualTo(1);
            for (MapiObject o : List.of(status, stores, ab, subsystem)) {
                o.release();
                assertThat(((BaseMapiObject) o).isDestroyed()).isTrue();
            }
            s.release();
        }
    }

    @Test
    void R_REF_1_openMsgStoreOfAnOpenStoreAddsOneReferenceToTheSameObject() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore first = Fixture.open(s, 0);
            assertThat(refs(first)).isEqualTo(1);
            MsgStore second = Fixture.open(s, 0);
            assertThat(second).isSameAs(first);
            assertThat(refs(first)).isEqualTo(2);
            try (ProfileSection section = clientStore(s).support.openProfileSection(null, 0)) {
                assertThat(refs(section)).isEqualTo(1);
            }
            second.release();
            assertThat(((BaseMapiObject) first).isDestroyed()).isFalse();
            first.release();
            assertThat(((BaseMapiObject) first).isDestroyed()).isTrue();
            s.release();
        }
    }

    @Test
    void R_REF_1_eachOpenOfAProviderStatusObjectHandsOutOneMoreReference() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MapiStatus a = openStatus(s, Flags.MAPI_TRANSPORT_PROVIDER);
            int count = refs(a);
            MapiStatus b = openStatus(s, Flags.MAPI_TRANSPORT_PROVIDER);
            assertThat(b).isSameAs(a);
            assertThat(refs(a)).isEqualTo(count + 1);
            b.release();
            assertThat(refs(a)).isEqualTo(count);
            a.release();
            assertThat(refs(a)).as("the logon's own reference").isEqualTo(count - 1);
            s.release();
        }
    }

    // ---- R-REF-2 ------------------------------------------------------------------------------------------------

    @Test
    void R_REF_2_sessionAdviseHoldsTheSinkUntilUnadvise() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            CountedSink sink = new CountedSink();
            int c = s.advise(null, Flags.fnevCriticalError, sink);
            assertThat(refs(sink)).isEqualTo(2);
            sink.release(); // the client may let go right after Advise
            assertThat(sink.isDestroyed()).isFalse();
            s.unadvise(c);
            assertThat(sink.isDestroyed()).isTrue();
            s.release();
        }
    }

    @Test
    void R_REF_2_supportSubscribeHoldsTheSinkUntilUnsubscribe() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            MapiSupport support = clientStore(s).support;
            CountedSink sink = new CountedSink();
            int c = support.subscribe(new byte[] {1, 2}, Flags.fnevNewMail, 0, sink);
            assertThat(refs(sink)).isEqualTo(2);
            support.unsubscribe(c);
            assertThat(refs(sink)).isEqualTo(1);
            sink.release();
            assertThat(sink.isDestroyed()).isTrue();
            store.release();
            s.release();
        }
    }

    @Test
    void R_REF_2_storeAdviseThroughTheSessionHoldsTheSinkUntilUnadvise() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            EntryId inbox = store.getReceiveFolder("", 0).folderId();
            CountedSink sink = new CountedSink();
            int c = s.advise(inbox, Flags.fnevObjectModified, sink);
            assertThat(c).isNotZero();
            assertThat(refs(sink)).isEqualTo(2);
            s.unadvise(c);
            assertThat(refs(sink)).isEqualTo(1);
            sink.release();
            store.release();
            s.release();
        }
    }

    @Test
    void R_REF_2_tableAdviseHoldsTheSinkUntilUnadvise() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            try (MapiTable t = s.getStatusTable(0)) {
                CountedSink sink = new CountedSink();
                int c = t.advise(Flags.fnevTableModified, sink);
                assertThat(refs(sink)).isEqualTo(2);
                t.unadvise(c);
                assertThat(refs(sink)).isEqualTo(1);
                sink.release();
            }
            s.release();
        }
    }

    @Test
    void R_REF_2_logoffReleasesTheSinksStillRegistered() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            CountedSink sessionSink = new CountedSink();
            CountedSink storeSink = new CountedSink();
            s.advise(null, Flags.fnevCriticalError, sessionSink);
            clientStore(s).support.subscribe(new byte[] {7}, Flags.fnevNewMail, 0, storeSink);
            sessionSink.release();
            storeSink.release();
            store.release(); // the store logon ends: its registrations go with it
            assertThat(storeSink.isDestroyed()).isTrue();
            assertThat(sessionSink.isDestroyed()).isFalse();
            s.release();
            assertThat(sessionSink.isDestroyed()).isTrue();
        }
    }

    // ---- R-REF-3 ------------------------------------------------------------------------------------------------

    @Test
    void R_REF_3_queryInterfaceResolvesSupportedInterfacesToTheSameObject() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            MsgStore asStore = store.queryInterface(MsgStore.class);
            assertThat(asStore).isSameAs(store);
            assertThat(refs(store)).isEqualTo(2);
            MapiProp asProp = store.queryInterface(MapiProp.class);
            MapiObject asUnknown = store.queryInterface(MapiObject.class);
            assertThat(asProp).isSameAs(store);
            assertThat(asUnknown).isSameAs(store);
            assertThat(refs(store)).isEqualTo(4);
            assertMapiError(() -> store.queryInterface(MapiSession.class), HResult.MAPI_E_INTERFACE_NOT_SUPPORTED);
            assertThat(refs(store)).isEqualTo(4);
            asStore.release();
            asProp.release();
            asUnknown.release();

            MapiSession again = s.queryInterface(MapiSession.class);
            assertThat(again).isSameAs(s);
            again.release();
            assertMapiError(() -> s.queryInterface(MsgStore.class), HResult.MAPI_E_INTERFACE_NOT_SUPPORTED);

            try (MapiStatus st = openStatus(s, Flags.MAPI_SPOOLER)) {
                MapiProp p = st.queryInterface(MapiProp.class);
                assertThat(p).isSameAs(st);
                assertThat(refs(st)).isEqualTo(2);
                p.release();
                assertMapiError(() -> st.queryInterface(MsgStore.class), HResult.MAPI_E_INTERFACE_NOT_SUPPORTED);
            }
            MapiSupport support = clientStore(s).support;
            int before = refs(support);
            MapiSupport same = support.queryInterface(MapiSupport.class);
            assertThat(same).isSameAs(support);
            same.release();
            assertThat(refs(support)).isEqualTo(before);
            assertMapiError(() -> support.queryInterface(MsgStore.class), HResult.MAPI_E_INTERFACE_NOT_SUPPORTED);
            store.release();
            s.release();
        }
    }

    // ---- R-REF-4 ------------------------------------------------------------------------------------------------

    @Test
    void R_REF_4_aTableIsDestroyedExactlyAtZero() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MapiTable t = s.getMsgStoresTable(0);
            t.addRef();
            t.release();
            assertThat(((BaseMapiObject) t).isDestroyed()).isFalse();
            assertThat(t.getRowCount(0)).isEqualTo(1);
            t.release();
            assertThat(((BaseMapiObject) t).isDestroyed()).isTrue();
            assertMapiError(() -> t.getRowCount(0), HResult.MAPI_E_INVALID_OBJECT);
            s.release();
        }
    }

    @Test
    void R_REF_4_theSessionLogsOffExactlyWhenItsCountReachesZero() {
        try (Fixture f = Fixture.startOneStore(home)) {
            int sessions = Mapi.subsystem().sessionCount();
            MapiSession s = f.logon();
            assertThat(Mapi.subsystem().sessionCount()).isEqualTo(sessions + 1);
            s.addRef();
            s.addRef();
            s.release();
            s.release();
            assertThat(((BaseMapiObject) s).isDestroyed()).isFalse();
            assertThat(real(s).isLoggedOff()).isFalse();
            assertThat(s.profileName()).isEqualTo(Fixture.PROFILE);
            s.release();
            assertThat(((BaseMapiObject) s).isDestroyed()).isTrue();
            assertThat(real(s).isLoggedOff()).isTrue();
            assertThat(Mapi.subsystem().sessionCount()).isEqualTo(sessions);
        }
    }

    @Test
    void R_REF_4_aStoreEndsItsLogonExactlyAtZero() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            StoreLogonRecord rec = clientStore(s);
            store.addRef();
            store.release();
            assertThat(((BaseMapiObject) store).isDestroyed()).isFalse();
            assertThat(rec.isActive()).isTrue();
            store.release();
            assertThat(((BaseMapiObject) store).isDestroyed()).isTrue();
            assertThat(rec.hasEnded()).isTrue();
            s.release();
        }
    }

    // ---- R-REF-5 ------------------------------------------------------------------------------------------------

    @Test
    void R_REF_5_theLogonHoldsItsSupportAndStatusObjectAndLogoffBreaksTheCycle() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            StoreLogonRecord rec = clientStore(s);
            assertThat(refs(rec.support)).as("logon -> support object").isEqualTo(1);

            MapiStatus status = openStatus(s, Flags.MAPI_STORE_PROVIDER);
            assertThat(refs(status)).as("the logon's reference plus ours").isEqualTo(2);
            assertThat(refs(rec.support)).isEqualTo(1);

            store.release(); // P2: the logon ends
            assertThat(rec.support.isDestroyed()).isTrue();
            assertThat(((BaseMapiObject) status).isInvalid()).isTrue();
            assertThat(refs(status)).as("the logon released its status object").isEqualTo(1);
            assertMapiError(() -> status.getProps(null, 0), HResult.MAPI_E_INVALID_OBJECT);
            status.release();
            assertThat(((BaseMapiObject) status).isDestroyed()).isTrue();
            s.release();
        }
    }

    @Test
    void R_REF_5_transportLogoffReleasesItsStatusObject() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MapiStatus status = openStatus(s, Flags.MAPI_TRANSPORT_PROVIDER); // waits for the transport logon
            TransportLogonRecord xp = real(s).spooler.transports().get(0);
            assertThat(refs(xp.support)).as("logon -> support object").isEqualTo(1);
            assertThat(refs(status)).isEqualTo(2);
            s.release(); // session logoff: TransportLogoff
            assertThat(xp.support.isDestroyed()).isTrue();
            assertThat(((BaseMapiObject) status).isInvalid()).isTrue();
            assertThat(refs(status)).isEqualTo(1);
            status.release();
            assertThat(((BaseMapiObject) status).isDestroyed()).isTrue();
        }
    }

    // ---- R-PROP-1..4 on a provider's profile section ------------------------------------------------------------

    private static ProfileSection ownSection(MapiSession s, int flags) {
        return clientStore(s).support.openProfileSection(null, flags);
    }

    @Test
    void R_PROP_1_getPropsOnAProvidersSection() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            try (ProfileSection section = ownSection(s, Flags.MAPI_MODIFY)) {
                PropValues all = section.getProps(null, 0);
                assertThat(all.hresult()).isEqualTo(HResult.S_OK);
                assertThat(all.values()).isNotEmpty().noneMatch(v -> PropTag.isSecure(v.tag()));
                // The secure id is there, only hidden from "all properties".
                assertThat(section.getProp(TestHooks.PR_STORE_UID)).isPresent();

                assertMapiError(() -> section.getProps(new int[0], 0), HResult.MAPI_E_INVALID_PARAMETER);

                int[] wanted = {PR_RECORD_KEY, PR_MISSING, PR_DISPLAY_NAME, PR_ENTRYID};
                PropValues some = section.getProps(wanted, 0);
                assertThat(some.hresult()).isEqualTo(HResult.MAPI_W_ERRORS_RETURNED);
                assertThat(some.values()).hasSize(4);
                assertThat(PropTag.id(some.values().get(0).tag())).isEqualTo(PropTag.id(PR_RECORD_KEY));
                assertThat(PropTag.id(some.values().get(2).tag())).isEqualTo(PropTag.id(PR_DISPLAY_NAME));
                assertThat(PropTag.id(some.values().get(3).tag())).isEqualTo(PropTag.id(PR_ENTRYID));
                PropValue missing = some.values().get(1);
                assertThat(missing.tag()).isEqualTo(PropTag.withType(PR_MISSING, PropType.PT_ERROR));
                assertThat(missing.errorCode()).isEqualTo(HResult.MAPI_E_NOT_FOUND);

                PropValues found = section.getProps(new int[] {PR_ENTRYID, PR_DISPLAY_NAME}, 0);
                assertThat(found.hresult()).isEqualTo(HResult.S_OK);
                assertThat(tags(found)).containsExactly(PR_ENTRYID, PR_DISPLAY_NAME);

                PropValues unspecified = section.getProps(
                        new int[] {PropTag.withType(PR_DISPLAY_NAME, PropType.PT_UNSPECIFIED)}, 0);
                assertThat(unspecified.values().get(0).tag()).isEqualTo(PR_DISPLAY_NAME);
            }
            store.release();
            s.release();
        }
    }

    @Test
    void R_PROP_2_setPropsOnAProvidersSection() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            try (ProfileSection section = ownSection(s, Flags.MAPI_MODIFY)) {
                assertMapiError(() -> section.setProps(List.of()), HResult.MAPI_E_INVALID_PARAMETER);
                assertMapiError(() -> section.setProps(List.of(PropValue.of(PropTag.tag(PropType.PT_OBJECT, 0x6813),
                        null))), HResult.MAPI_E_INVALID_PARAMETER);
                assertMapiError(() -> PropValue.of(PropTag.tag(PropType.PT_MV_UNICODE, 0x6814), List.of()),
                        HResult.MAPI_E_INVALID_PARAMETER);

                // PR_NULL and PT_ERROR entries are skipped silently.
                int errorTag = PropTag.withType(PR_MISSING, PropType.PT_ERROR);
                List<PropProblem> none = section.setProps(List.of(PropValue.of(PropTag.PR_NULL, null),
                        PropValue.error(errorTag, HResult.MAPI_E_NOT_FOUND), PropValue.ofString(PR_CUSTOM, "v1")));
                assertThat(none).isEmpty();
                assertThat(section.getProp(PR_CUSTOM)).contains(PropValue.ofString(PR_CUSTOM, "v1"));
                assertThat(section.getProp(PR_MISSING)).isEmpty();

                // Per-property failures are problems; the call succeeds and sets the rest.
                int flags = section.getProp(PR_RESOURCE_FLAGS).orElseThrow().asInt();
                List<PropProblem> problems = section.setProps(List.of(PropValue.ofString(PR_CUSTOM, "v2"),
                        PropValue.ofInt(PR_RESOURCE_FLAGS, flags | Flags.STATUS_TEMP_SECTION)));
                assertThat(problems).containsExactly(new PropProblem(1, PR_RESOURCE_FLAGS, HResult.MAPI_E_NO_ACCESS));
                assertThat(section.getProp(PR_CUSTOM)).contains(PropValue.ofString(PR_CUSTOM, "v2"));
                assertThat(section.getProp(PR_RESOURCE_FLAGS).orElseThrow().asInt()).isEqualTo(flags);

                // A new tag creates the property, replacing an older value under the same id.
                assertThat(section.setProps(List.of(PropValue.ofInt(PR_NUMBER, 5)))).isEmpty();
                int sameIdUnicode = PropTag.withType(PR_NUMBER, PropType.PT_UNICODE);
                assertThat(section.setProps(List.of(PropValue.ofString(sameIdUnicode, "five")))).isEmpty();
                PropValue now = section.getProps(new int[] {PropTag.withType(PR_NUMBER, PropType.PT_UNSPECIFIED)}, 0)
                        .values().get(0);
                assertThat(now).isEqualTo(PropValue.ofString(sameIdUnicode, "five"));
            }
            try (ProfileSection readOnly = ownSection(s, 0)) {
                assertMapiError(() -> readOnly.setProps(List.of(PropValue.ofString(PR_CUSTOM, "x"))),
                        HResult.MAPI_E_NO_ACCESS);
            }
            store.release();
            s.release();
        }
    }

    @Test
    void R_PROP_3_deletePropsOnAProvidersSection() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            try (ProfileSection section = ownSection(s, Flags.MAPI_MODIFY)) {
                section.setProps(List.of(PropValue.ofString(PR_CUSTOM, "v"), PropValue.ofInt(PR_NUMBER, 1)));
                // Only the id matters.
                assertThat(section.deleteProps(new int[] {PropTag.withType(PR_CUSTOM, PropType.PT_LONG)})).isEmpty();
                assertThat(section.getProp(PR_CUSTOM)).isEmpty();

                assertMapiError(() -> section.deleteProps(null), HResult.MAPI_E_INVALID_PARAMETER);
                assertMapiError(() -> section.deleteProps(new int[0]), HResult.MAPI_E_INVALID_PARAMETER);

                // Partial failure: S_OK with a problem for the protected property; the other one is gone.
                List<PropProblem> problems = section.deleteProps(new int[] {PR_RESOURCE_FLAGS, PR_NUMBER});
                assertThat(problems).containsExactly(new PropProblem(0, PR_RESOURCE_FLAGS, HResult.MAPI_E_NO_ACCESS));
                assertThat(section.getProp(PR_NUMBER)).isEmpty();
                assertThat(section.getProp(PR_RESOURCE_FLAGS)).isPresent();
            }
            try (ProfileSection readOnly = ownSection(s, 0)) {
                assertMapiError(() -> readOnly.deleteProps(new int[] {PR_DISPLAY_NAME}), HResult.MAPI_E_NO_ACCESS);
            }
            store.release();
            s.release();
        }
    }

    @Test
    void R_PROP_4_getPropListAgreesWithGetPropsNullOnAProvidersSection() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            try (ProfileSection section = ownSection(s, Flags.MAPI_MODIFY)) {
                section.setProps(List.of(PropValue.ofString(PR_CUSTOM, "listed")));
                int[] list = section.getPropList(0);
                assertThat(list).contains(PR_CUSTOM).doesNotContain(TestHooks.PR_STORE_UID);
                assertThat(Arrays.stream(list).boxed().toList()).isEqualTo(tags(section.getProps(null, 0)));
            }
            store.release();
            s.release();
        }
    }

    // ---- R-PROP-1..4 on status objects --------------------------------------------------------------------------

    private static List<MapiStatus> statusObjects(MapiSession s) {
        List<MapiStatus> out = new ArrayList<>();
        for (int type : new int[] {Flags.MAPI_SUBSYSTEM, Flags.MAPI_SPOOLER, Flags.MAPI_AB,
            Flags.MAPI_TRANSPORT_PROVIDER, Flags.MAPI_STORE_PROVIDER}) {
            out.add(openStatus(s, type));
        }
        return out;
    }

    @Test
    void R_PROP_1_getPropsOnStatusObjects() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            for (MapiStatus st : statusObjects(s)) {
                PropValues all = st.getProps(null, 0);
                assertThat(all.hresult()).isEqualTo(HResult.S_OK);
                assertThat(all.find(PR_OBJECT_TYPE)).contains(PropValue.ofInt(PR_OBJECT_TYPE, Flags.MAPI_STATUS));
                assertThat(all.find(PR_DISPLAY_NAME)).isPresent();
                assertThat(all.find(PR_STATUS_CODE)).isPresent();
                assertThat(all.find(PR_RESOURCE_METHODS)).isPresent();
                assertMapiError(() -> st.getProps(new int[0], 0), HResult.MAPI_E_INVALID_PARAMETER);

                PropValues some = st.getProps(new int[] {PR_STATUS_CODE, PR_MISSING, PR_OBJECT_TYPE}, 0);
                assertThat(some.hresult()).isEqualTo(HResult.MAPI_W_ERRORS_RETURNED);
                assertThat(tags(some)).containsExactly(PR_STATUS_CODE,
                        PropTag.withType(PR_MISSING, PropType.PT_ERROR), PR_OBJECT_TYPE);
                assertThat(some.values().get(1).errorCode()).isEqualTo(HResult.MAPI_E_NOT_FOUND);
                st.release();
            }
            store.release();
            s.release();
        }
    }

    @Test
    void R_PROP_2_and_3_statusObjectsAreReadOnly() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            for (MapiStatus st : statusObjects(s)) {
                assertMapiError(() -> st.setProps(List.of(PropValue.ofString(PR_CUSTOM, "x"))),
                        HResult.MAPI_E_NO_ACCESS);
                assertMapiError(() -> st.deleteProps(new int[] {PR_DISPLAY_NAME}), HResult.MAPI_E_NO_ACCESS);
                assertThat(st.getProp(PR_CUSTOM)).isEmpty();
                assertThat(st.getProp(PR_DISPLAY_NAME)).isPresent();
                st.release();
            }
            try (MapiStatus mapi = openStatus(s, Flags.MAPI_SUBSYSTEM)) {
                assertMapiError(() -> mapi.setProps(List.of()), HResult.MAPI_E_INVALID_PARAMETER);
                assertMapiError(() -> mapi.setProps(List.of(PropValue.of(PropTag.tag(PropType.PT_OBJECT, 0x6813),
                        null))), HResult.MAPI_E_INVALID_PARAMETER);
                assertMapiError(() -> mapi.deleteProps(new int[0]), HResult.MAPI_E_INVALID_PARAMETER);
            }
            store.release();
            s.release();
        }
    }

    @Test
    void R_PROP_4_getPropListAgreesWithGetPropsNullOnStatusObjects() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            for (MapiStatus st : statusObjects(s)) {
                int[] list = st.getPropList(0);
                assertThat(list).contains(PR_OBJECT_TYPE, PR_DISPLAY_NAME);
                assertThat(Arrays.stream(list).boxed().toList()).isEqualTo(tags(st.getProps(null, 0)));
                st.release();
            }
            store.release();
            s.release();
        }
    }

    // ---- R-NTF-1 ------------------------------------------------------------------------------------------------

    @Test
    void R_NTF_1_sessionAdviseReturnsAConnectionAndUnadviseStopsDelivery() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            CountedSink first = new CountedSink();
            CountedSink second = new CountedSink();
            int c1 = s.advise(null, Flags.fnevCriticalError, first);
            int c2 = s.advise(null, Flags.fnevCriticalError, second);
            assertThat(c1).isNotZero();
            assertThat(c2).isNotZero().isNotEqualTo(c1);

            real(s).raiseCriticalError(HResult.MAPI_E_END_OF_SESSION, "test");
            await(() -> first.got.size() == 1 && second.got.size() == 1, "both sinks notified");
            assertThat(first.got.get(0)).isInstanceOfSatisfying(Notification.Error.class,
                    e -> assertThat(e.scode()).isEqualTo(HResult.MAPI_E_END_OF_SESSION));
            assertThat(first.threads).containsOnly(NotificationDispatcher.THREAD_NAME);

            s.unadvise(c1);
            real(s).raiseCriticalError(HResult.MAPI_E_END_OF_SESSION, "again");
            await(() -> second.got.size() == 2, "the remaining sink notified again");
            assertThat(first.got).hasSize(1); // deliveries are in order on one thread: nothing is still coming

            assertMapiError(() -> s.unadvise(c1), HResult.MAPI_E_NOT_FOUND);
            assertMapiError(() -> s.unadvise(987_654), HResult.MAPI_E_NOT_FOUND);
            assertMapiError(() -> s.advise(null, Flags.fnevCriticalError, null), HResult.MAPI_E_INVALID_PARAMETER);
            s.unadvise(c2);
            first.release();
            second.release();
            s.release();
        }
    }

    @Test
    void R_NTF_1_unadviseDefersTheReleaseUntilARunningOnNotifyReturned() throws Exception {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch proceed = new CountDownLatch(1);
            CountedSink sink = new CountedSink() {
                @Override
                public int onNotify(List<Notification> notifications) {
                    inside.countDown();
                    try {
                        proceed.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return super.onNotify(notifications);
                }
            };
            int c = s.advise(null, Flags.fnevCriticalError, sink);
            sink.release(); // only the session holds it now
            real(s).raiseCriticalError(HResult.MAPI_E_END_OF_SESSION, "blocking");
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

            AtomicBoolean unadvised = new AtomicBoolean();
            Thread t = new Thread(() -> {
                s.unadvise(c);
                unadvised.set(true);
            }, "unadvise-caller");
            t.start();
            t.join(300);
            assertThat(sink.isDestroyed()).as("released while its OnNotify runs").isFalse();
            proceed.countDown();
            t.join(10_000);
            assertThat(unadvised).isTrue();
            assertThat(sink.got).hasSize(1);
            assertThat(sink.isDestroyed()).isTrue();
            s.release();
        }
    }

    // ---- R-NTF-2 and R-NTF-3 (Subscribe / Unsubscribe / Notify) -------------------------------------------------

    @Test
    void R_NTF_2_subscribeAndNotifyDeliverAsynchronouslyAfterNotifyReturned() throws Exception {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            MapiSupport support = clientStore(s).support;
            byte[] key = store.getProp(PR_ENTRYID).orElseThrow().asBinary();

            CountDownLatch notifyReturned = new CountDownLatch(1);
            AtomicBoolean afterReturn = new AtomicBoolean();
            AtomicReference<String> thread = new AtomicReference<>();
            CountedSink sink = new CountedSink() {
                @Override
                public int onNotify(List<Notification> notifications) {
                    if (thread.compareAndSet(null, Thread.currentThread().getName())) {
                        try {
                            afterReturn.set(notifyReturned.await(3, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return super.onNotify(notifications);
                }
            };
            int c = support.subscribe(key, Flags.fnevNewMail, 0, sink);
            assertThat(c).isNotZero();

            // No matching registration: nothing happens, S_OK (0).
            assertThat(support.notify(new byte[] {42}, List.of(newMail("IPM.Other")))).isZero();
            List<Notification> mine = new ArrayList<>(List.of(newMail("IPM.Note")));
            int flags = support.notify(key, mine);
            mine.clear(); // the caller keeps ownership: MAPI copied the notifications
            notifyReturned.countDown();
            assertThat(flags).isZero();
            await(() -> sink.got.size() == 1, "the notification");
            assertThat(afterReturn).as("OnNotify ran only after Notify returned").isTrue();
            assertThat(thread.get()).isEqualTo(NotificationDispatcher.THREAD_NAME);
            assertThat(sink.got.get(0)).isInstanceOfSatisfying(Notification.NewMail.class,
                    n -> assertThat(n.messageClass()).isEqualTo("IPM.Note"));

            // Events outside the mask are not delivered either; the next match arrives after them, in order.
            support.notify(key, List.of(new Notification.Error(null, HResult.MAPI_E_CALL_FAILED, 0, "ignored")));
            support.notify(key, List.of(newMail("IPM.Second")));
            await(() -> sink.got.size() == 2, "the second notification");
            assertThat(sink.got).allMatch(n -> n instanceof Notification.NewMail);

            support.unsubscribe(c);
            assertThat(support.notify(key, List.of(newMail("IPM.Late")))).isZero();
            assertMapiError(() -> support.unsubscribe(c), HResult.MAPI_E_NOT_FOUND);
            sink.release();
            store.release();
            s.release();
        }
    }

    @Test
    void R_NTF_2_invalidSubscriptions() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            MapiSupport support = clientStore(s).support;
            AdviseSink sink = n -> 0;
            assertMapiError(() -> support.subscribe(null, Flags.fnevNewMail, 0, sink),
                    HResult.MAPI_E_INVALID_PARAMETER);
            assertMapiError(() -> support.subscribe(new byte[] {1}, Flags.fnevNewMail, 0, null),
                    HResult.MAPI_E_INVALID_PARAMETER);
            assertMapiError(() -> support.subscribe(new byte[] {1}, Flags.fnevNewMail, 0x1, sink),
                    HResult.MAPI_E_UNKNOWN_FLAGS);
            assertMapiError(() -> support.unsubscribe(123_456), HResult.MAPI_E_NOT_FOUND);
            assertMapiError(() -> support.notify(null, List.of(newMail("IPM.Note"))), HResult.MAPI_E_INVALID_PARAMETER);
            assertThat(real(s).subscriptionCount()).isZero();
            store.release();
            s.release();
        }
    }

    @Test
    void R_NTF_3_notifySyncReturnsAfterTheSinksRanAndReportsCancel() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            MapiSupport support = clientStore(s).support;
            byte[] key = {'s', 'y', 'n', 'c'};
            CountedSink sink = new CountedSink();
            int c = support.subscribe(key, Flags.fnevNewMail, Flags.NOTIFY_SYNC, sink);

            assertThat(support.notify(key, List.of(newMail("IPM.Note")))).isZero();
            assertThat(sink.got).as("delivered before Notify returned").hasSize(1);
            assertThat(sink.threads).containsExactly(Thread.currentThread().getName());

            sink.answer = Flags.CALLBACK_DISCONTINUE;
            int out = support.notify(key, List.of(newMail("IPM.Note")));
            assertThat(out).isEqualTo(Flags.NOTIFY_CANCELED).isEqualTo(0x80000000);
            assertThat(sink.got).hasSize(2);

            support.unsubscribe(c);
            sink.release();
            store.release();
            s.release();
        }
    }

    @Test
    void R_NTF_5_statusObjectModifiedCannotBeRegisteredOrRaised() {
        try (Fixture f = Fixture.startOneStore(home)) {
            MapiSession s = f.logon();
            MsgStore store = Fixture.open(s, 0);
            MapiSupport support = clientStore(s).support;
            AdviseSink sink = n -> 0;
            assertMapiError(() -> support.subscribe(new byte[] {1}, Flags.fnevStatusObjectModified, 0, sink),
                    HResult.MAPI_E_INVALID_PARAMETER);
            assertMapiError(() -> support.subscribe(new byte[] {1},
                    Flags.fnevNewMail | Flags.fnevStatusObjectModified, 0, sink), HResult.MAPI_E_INVALID_PARAMETER);
            assertMapiError(() -> s.advise(null, Flags.fnevStatusObjectModified, sink),
                    HResult.MAPI_E_INVALID_PARAMETER);
            assertMapiError(() -> support.notify(new byte[] {1},
                    List.of(new Notification.StatusObject(null, List.of()))), HResult.MAPI_E_INVALID_PARAMETER);
            assertThat(real(s).subscriptionCount()).isZero();
            store.release();
            s.release();
        }
    }
}
