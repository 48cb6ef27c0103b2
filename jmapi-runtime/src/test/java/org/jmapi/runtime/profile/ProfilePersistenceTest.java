package org.jmapi.runtime.profile;

import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.MapiException;
import org.jmapi.MapiUid;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.client.ProfileSection;
import org.jmapi.prop.PropProblem;
import org.jmapi.prop.PropTag;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropType;
import org.jmapi.prop.PropValue;
import org.jmapi.table.MapiTable;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Profiles on disk: round trips, permissions, corrupt files, several stores and processes on one home. */
class ProfilePersistenceTest extends ProfileFixture {

    @Test
    void everyPropertyTypeSurvivesReopeningTheStore() {
        Profile p = newProfile(store(), "P");
        MapiUid svc = addService(p, "test.store");
        // PT_ERROR values are skipped by SetProps (R-PROP-2); every other storable type must come back equal.
        List<PropValue> values = AllTypes.values().stream().filter(v -> !v.isError()).toList();
        try (ProfileSection s = p.openSection(svc, Flags.MAPI_MODIFY, false)) {
            assertThat(s.setProps(values)).isEmpty();
        }
        int[] tags = values.stream().mapToInt(PropValue::tag).toArray();
        ProfileStore reopened = store();
        try (ProfileSection s = reopened.load("P").openSection(svc, 0, false)) {
            assertThat(s.getProps(tags, 0).values()).isEqualTo(values);
        }
        assertThat(reopened.load("P").services()).isEqualTo(p.services());
        assertThat(reopened.load("P").providers()).isEqualTo(p.providers());
    }

    @Test
    void unstorableValuesBecomeProblemsAndTheRestIsStored() {
        Profile p = newProfile(store(), "P");
        MapiUid svc = addService(p, "test.store");
        int actions = PropTag.tag(PropType.PT_ACTIONS, 0x6900);
        int ok = PropTag.tag(PropType.PT_LONG, 0x6901);
        try (ProfileSection s = p.openSection(svc, Flags.MAPI_MODIFY, false)) {
            List<PropProblem> problems = s.setProps(List.of(PropValue.of(actions, new Object()), PropValue.ofInt(ok, 5)));
            assertThat(problems).containsExactly(new PropProblem(0, actions, HResult.MAPI_E_INVALID_TYPE));
            assertThat(s.getProp(ok)).contains(PropValue.ofInt(ok, 5));
            assertThat(s.getProp(actions)).isEmpty();
        }
        assertThat(store().load("P").service(svc)).isPresent();
    }

    @Test
    void filesAreOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        ProfileStore store = store();
        Profile p = newProfile(store, "P");
        addService(p, "test.recording");
        try (ProfileAdmin admin = store.admin()) {
            admin.setDefaultProfile("P");
        }
        Path dir = home.resolve("profiles");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertThat(all).extracting(f -> f.getFileName().toString()).contains(
                    ProfileDirectory.encodeName("P") + ProfileDirectory.PROFILE_SUFFIX, ProfileDirectory.DEFAULT_MARKER,
                    ProfileDirectory.INSTALLED, ProfileDirectory.LOCK);
            for (Path f : all) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                        .isEqualTo("rw-------");
            }
        }
    }

    @Test
    void corruptFileIsCorruptDataAndLeftUntouched() throws Exception {
        ProfileStore store = store();
        Profile p = newProfile(store, "P");
        MapiUid svc = addService(p, "test.store");
        Path file = profileFile("P");
        for (String damage : List.of("{\"format\":\"jmapi-profile\",", "", "[1,2]",
                new String(bytes(file), StandardCharsets.UTF_8).replace("\"resourceFlags\" : 0", "\"resourceFlags\" : \"0\""),
                new String(bytes(file), StandardCharsets.UTF_8).replace("\"transportOrder\" : [ ]",
                        "\"transportOrder\" : [ \"" + svc + "\" ]"),
                new String(bytes(file), StandardCharsets.UTF_8).replace("0x30090003", "0x3009000D"))) {
            assertThat(damage).isNotEqualTo(new String(bytes(file), StandardCharsets.UTF_8));
            Files.writeString(file, damage);
            byte[] before = bytes(file);
            assertThatCorrupt(() -> store().load("P"), file);
            assertThatCorrupt(p::reload, file);
            assertThatCorrupt(() -> p.openSection(svc, Flags.MAPI_MODIFY, false), file);
            assertThatCorrupt(() -> addService(p, "test.store"), file);
            try (ProfileAdmin admin = store.admin()) {
                assertThatCorrupt(() -> admin.deleteProfile("P", 0), file);
            }
            assertThat(bytes(file)).isEqualTo(before);
        }
    }

    private static void assertThatCorrupt(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Path file) {
        assertMapiError(call, HResult.MAPI_E_CORRUPT_DATA);
        try {
            call.call();
        } catch (MapiException e) {
            assertThat(e.getMessage()).contains(file.getFileName().toString());
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Test
    void changesFromAnotherStoreAreMergedNotLost() {
        Profile a = newProfile(store(), "P");
        MapiUid svc = addService(a, "test.store");
        Profile b = store().load("P");
        int t1 = PropTag.tag(PropType.PT_LONG, 0x6901);
        int t2 = PropTag.tag(PropType.PT_LONG, 0x6902);
        try (ProfileSection sa = a.openSection(svc, Flags.MAPI_MODIFY, false);
             ProfileSection sb = b.openSection(svc, Flags.MAPI_MODIFY, false)) {
            sa.setProps(List.of(PropValue.ofInt(t1, 1)));
            sb.setProps(List.of(PropValue.ofInt(t2, 2)));
            MapiUid added = addService(a, "test.transport");
            assertThat(b.service(added)).isEmpty();
            b.reload();
            assertThat(b.service(added)).isPresent();
            assertThat(sa.getProps(new int[] {t1, t2}, 0).values())
                    .containsExactly(PropValue.ofInt(t1, 1), PropValue.ofInt(t2, 2));
        }
    }

    @Test
    void concurrentWritersInOneProcessLoseNothing() throws Exception {
        ProfileStore first = store();
        Profile p = newProfile(first, "P");
        MapiUid svc = addService(p, "test.store");
        List<Profile> views = List.of(p, store().load("P"), store().load("P"));
        int threads = 6;
        int perThread = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Profile view = views.get(t % views.size());
            int base = 0x6900 + t * 0x20;
            done.add(pool.submit(() -> {
                start.await();
                try (ProfileSection s = view.openSection(svc, Flags.MAPI_MODIFY, false)) {
                    for (int i = 0; i < perThread; i++) {
                        s.setProps(List.of(PropValue.ofInt(PropTag.tag(PropType.PT_LONG, base + i), i)));
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        try (ProfileSection s = store().load("P").openSection(svc, 0, false)) {
            int[] tags = IntStream.range(0, threads).flatMap(t -> IntStream.range(0, perThread)
                    .map(i -> PropTag.tag(PropType.PT_LONG, 0x6900 + t * 0x20 + i))).toArray();
            assertThat(s.getProps(tags, 0).hresult()).isEqualTo(HResult.S_OK);
        }
    }

    @Test
    void otherProcessesWritingTheSameSectionLoseNothing() throws Exception {
        Profile p = newProfile(store(), "P");
        MapiUid svc = addService(p, "test.store");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        int perProcess = 15;
        List<Process> children = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            children.add(new ProcessBuilder(java, "-cp", cp, ProfileWriterMain.class.getName(), home.toString(), "P",
                    svc.toString(), Integer.toString(0x6900 + c * 0x20), Integer.toString(perProcess))
                    .redirectErrorStream(true).redirectOutput(home.resolve("child-" + c + ".log").toFile())
                    .start());
        }
        try (ProfileSection s = p.openSection(svc, Flags.MAPI_MODIFY, false)) {
            for (int i = 0; i < perProcess; i++) {
                s.setProps(List.of(PropValue.ofInt(PropTag.tag(PropType.PT_LONG, 0x6980 + i), i)));
            }
        }
        for (int c = 0; c < children.size(); c++) {
            Process child = children.get(c);
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(Files.readString(home.resolve("child-" + c + ".log"))).isZero();
        }
        try (ProfileSection s = store().load("P").openSection(svc, 0, false)) {
            int[] tags = IntStream.of(0x6900, 0x6920, 0x6980).flatMap(base -> IntStream.range(0, perProcess)
                    .map(i -> PropTag.tag(PropType.PT_LONG, base + i))).toArray();
            assertThat(s.getProps(tags, 0).hresult()).isEqualTo(HResult.S_OK);
        }
        assertThat(new File(home.toFile(), "profiles").list()).noneMatch(n -> n.endsWith(".part"));
    }

    @Test
    void longUnicodeNamesAreHashedAndStillListed() {
        String name = "名".repeat(64);
        ProfileStore store = store();
        newProfile(store, name);
        assertThat(ProfileDirectory.encodeName(name)).contains("~");
        assertThat(ProfileDirectory.decodeName(ProfileDirectory.encodeName(name))).isNull();
        assertThat(ProfileDirectory.decodeName(ProfileDirectory.encodeName("Work 1"))).isEqualTo("Work 1");
        try (ProfileAdmin admin = store.admin(); MapiTable t = admin.getProfileTable(Flags.MAPI_UNICODE)) {
            assertThat(rows(t)).extracting(r -> r.get(PropTags.PR_DISPLAY_NAME).asString()).containsExactly(name);
        }
        assertThat(store().load(name).name()).isEqualTo(name);
    }
}
