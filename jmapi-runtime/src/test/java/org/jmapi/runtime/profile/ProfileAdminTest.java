package org.jmapi.runtime.profile;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;
import org.jmapi.table.Row;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** IProfAdmin: profile names, creation, deletion, default profile and the profile table. */
class ProfileAdminTest extends ProfileFixture {

    @Test
    void createProfile_rejectsBadNames() {
        try (ProfileAdmin admin = store().admin()) {
            for (String bad : new String[] {null, "", " lead", "trail ", "\ttab", "x".repeat(65)}) {
                assertMapiError(() -> admin.createProfile(bad, null, 0, 0), HResult.MAPI_E_INVALID_PARAMETER);
            }
            admin.createProfile("x".repeat(64), null, 0, 0);
            admin.createProfile("in ner", null, 0, 0);
        }
        assertThat(store().exists("x".repeat(64))).isTrue();
        assertThat(store().exists("in ner")).isTrue();
        assertThat(store().exists(" lead")).isFalse();
        assertThat(store().exists(null)).isFalse();
    }

    @Test
    void createProfile_existingNameIsNoAccess_passwordMustBeNull_flagsChecked() {
        try (ProfileAdmin admin = store().admin()) {
            admin.createProfile("P", null, 0, 0);
            byte[] before = bytes(profileFile("P"));
            assertMapiError(() -> admin.createProfile("P", null, 0, 0), HResult.MAPI_E_NO_ACCESS);
            assertThat(bytes(profileFile("P"))).isEqualTo(before);
            assertMapiError(() -> admin.createProfile("Q", "secret", 0, 0), HResult.MAPI_E_INVALID_PARAMETER);
            assertMapiError(() -> admin.createProfile("Q", null, 0, 0x1), HResult.MAPI_E_NO_SUPPORT);
            assertMapiError(() -> admin.createProfile("Q", null, 0, 0x4), HResult.MAPI_E_UNKNOWN_FLAGS);
        }
        assertThat(store().exists("Q")).isFalse();
    }

    @Test
    void profileNamesAreStoredSafely() throws IOException {
        List<String> names = List.of("Work", "work", "../escape", "a/b\\c:d*e?f", "Ünïcødé 名前 \uD83D\uDCE7",
                "\uD83D\uDCE7".repeat(32), "con", ".hidden");
        ProfileStore store = store();
        try (ProfileAdmin admin = store.admin()) {
            for (String n : names) {
                admin.createProfile(n, null, 0, 0);
            }
            try (MapiTable t = admin.getProfileTable(Flags.MAPI_UNICODE)) {
                assertThat(rows(t)).extracting(r -> r.get(PropTags.PR_DISPLAY_NAME).asString())
                        .containsExactlyElementsOf(names.stream().sorted().toList());
            }
        }
        try (Stream<Path> files = Files.list(home.resolve("profiles"))) {
            List<Path> profileFiles = files.filter(f -> f.toString().endsWith(ProfileDirectory.PROFILE_SUFFIX))
                    .toList();
            assertThat(profileFiles).hasSize(names.size())
                    .allSatisfy(f -> assertThat(f.getFileName().toString()).matches("[a-z0-9_~-]+\\.profile\\.json")
                            .hasSizeLessThan(200));
        }
        try (Stream<Path> files = Files.list(home)) {
            assertThat(files).containsExactly(home.resolve("profiles"));
        }
        ProfileStore again = store();
        for (String n : names) {
            assertThat(again.load(n).name()).isEqualTo(n);
        }
    }

    @Test
    void deleteProfile_missingIsNotFound_andServicesAreDeletedFirst() {
        ProfileStore store = store();
        try (ProfileAdmin admin = store.admin()) {
            assertMapiError(() -> admin.deleteProfile("nope", 0), HResult.MAPI_E_NOT_FOUND);
            assertMapiError(() -> admin.deleteProfile(" bad", 0), HResult.MAPI_E_INVALID_PARAMETER);
            admin.createProfile("P", null, 0, 0);
            Profile p = store.load("P");
            addService(p, "test.recording");
            addService(p, "test.store");
            admin.setDefaultProfile("P");
            assertMapiError(() -> admin.deleteProfile("P", 2), HResult.MAPI_E_UNKNOWN_FLAGS);
            admin.deleteProfile("P", 0);
            assertThat(recording.contexts()).endsWith(Flags.MSG_SERVICE_DELETE);
            assertThat(store.exists("P")).isFalse();
            assertThat(Files.exists(profileFile("P"))).isFalse();
            assertThat(store.defaultProfile()).isEmpty();
            assertMapiError(() -> store.load("P"), HResult.MAPI_E_NOT_FOUND);
            assertMapiError(p::reload, HResult.MAPI_E_NOT_FOUND);
            assertMapiError(() -> admin.deleteProfile("P", 0), HResult.MAPI_E_NOT_FOUND);
        }
    }

    @Test
    void deleteProfile_stopsWhenAServiceRefusesDeletion() {
        ProfileStore store = store();
        Profile p = newProfile(store, "P");
        addService(p, "test.store");
        MapiUid rec = addService(p, "test.recording");
        recording.failures.put(Flags.MSG_SERVICE_DELETE, new MapiException(HResult.MAPI_E_USER_CANCEL, "keep me"));
        try (ProfileAdmin admin = store.admin()) {
            assertMapiError(() -> admin.deleteProfile("P", 0), HResult.MAPI_E_USER_CANCEL);
        }
        assertThat(store.exists("P")).isTrue();
        assertThat(store.load("P").services()).extracting(ServiceRecord::uid).containsExactly(rec);
    }

    @Test
    void recreatedProfileIsANewProfile() {
        ProfileStore store = store();
        Profile old = newProfile(store, "P");
        MapiUid svc = addService(old, "test.store");
        try (ProfileAdmin admin = store().admin()) {
            admin.deleteProfile("P", 0);
            admin.createProfile("P", null, 0, 0);
        }
        assertMapiError(old::reload, HResult.MAPI_E_NOT_FOUND);
        assertMapiError(() -> old.openSection(svc, Flags.MAPI_MODIFY, false), HResult.MAPI_E_NOT_FOUND);
        Profile fresh = store.load("P");
        assertThat(fresh).isNotSameAs(old);
        assertThat(fresh.services()).isEmpty();
    }

    @Test
    void load_returnsOneProfileObjectPerProfile() {
        ProfileStore store = store();
        Profile p = newProfile(store, "P");
        assertThat(store.load("P")).isSameAs(p);
        assertMapiError(() -> store.load("missing"), HResult.MAPI_E_NOT_FOUND);
        assertMapiError(() -> store.load("x".repeat(65)), HResult.MAPI_E_NOT_FOUND);
        assertMapiError(() -> store.load(null), HResult.MAPI_E_INVALID_PARAMETER);
    }

    @Test
    void defaultProfile_setClearAndListedInTheProfileTable() {
        ProfileStore store = store();
        try (ProfileAdmin admin = store.admin()) {
            admin.createProfile("A", null, 0, 0);
            admin.createProfile("B", null, 0, 0);
            assertThat(store.defaultProfile()).isEmpty();
            assertMapiError(() -> admin.setDefaultProfile("C"), HResult.MAPI_E_NOT_FOUND);
            admin.setDefaultProfile("B");
            assertThat(store().defaultProfile()).contains("B");
            try (MapiTable t = admin.getProfileTable(0)) {
                assertThat(t.queryColumns(0)).containsExactly(PropTags.PR_DISPLAY_NAME_A,
                        AdminTables.PR_DEFAULT_PROFILE, PropTags.PR_INSTANCE_KEY);
                List<Row> rows = rows(t);
                assertThat(rows).extracting(r -> r.get(PropTags.PR_DISPLAY_NAME_A).asString())
                        .containsExactly("A", "B");
                assertThat(rows).extracting(r -> r.get(AdminTables.PR_DEFAULT_PROFILE).asBoolean())
                        .containsExactly(false, true);
                assertThat(rows).extracting(r -> r.get(PropTags.PR_INSTANCE_KEY)).doesNotHaveDuplicates();
            }
            admin.setDefaultProfile(null);
            assertThat(store.defaultProfile()).isEmpty();
            assertMapiError(() -> admin.getProfileTable(0x2), HResult.MAPI_E_UNKNOWN_FLAGS);
        }
    }

    @Test
    void adminServices_opensTheProfilesServiceAdmin() {
        ProfileStore store = store();
        newProfile(store, "P");
        try (ProfileAdmin admin = store.admin()) {
            assertMapiError(() -> admin.adminServices("Q", 0), HResult.MAPI_E_NOT_FOUND);
            assertMapiError(() -> admin.adminServices("P", 1), HResult.MAPI_E_UNKNOWN_FLAGS);
            try (MsgServiceAdmin services = admin.adminServices("P", 0)) {
                services.createMsgService("test.store", "My Store", 0, 0);
            }
        }
        assertThat(store.load("P").services()).extracting(ServiceRecord::displayName).containsExactly("My Store");
    }

    @Test
    void releasedAdminObjectsAreInvalid() {
        ProfileStore store = store();
        ProfileAdmin admin = store.admin();
        admin.release();
        assertMapiError(() -> admin.createProfile("P", null, 0, 0), HResult.MAPI_E_INVALID_OBJECT);
        assertThat(store.exists("P")).isFalse();
    }

    @Test
    void deleteSection_onlyForFreeSections() {
        Profile p = newProfile(store(), "P");
        MapiUid svc = addService(p, "test.store");
        MapiUid free = MapiUid.random();
        var handle = p.openSection(free, Flags.MAPI_MODIFY, false);
        assertMapiError(() -> p.deleteSection(svc), HResult.MAPI_E_NO_ACCESS);
        assertMapiError(() -> p.deleteSection(p.providers().get(0).uid()), HResult.MAPI_E_NO_ACCESS);
        p.deleteSection(free);
        assertMapiError(() -> p.deleteSection(free), HResult.MAPI_E_NOT_FOUND);
        assertMapiError(() -> p.openSection(free, 0, false), HResult.MAPI_E_NOT_FOUND);
        assertMapiError(() -> handle.setProps(List.of(PropValue.ofInt(PropTags.PR_RESOURCE_FLAGS, 1))),
                HResult.MAPI_E_OBJECT_DELETED);
        handle.release();
    }
}
