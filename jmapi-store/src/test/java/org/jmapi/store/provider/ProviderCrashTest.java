package org.jmapi.store.provider;

import org.jmapi.EntryId;
import org.jmapi.Flags;
import org.jmapi.HResult;
import org.jmapi.client.MapiFolder;
import org.jmapi.client.MapiSession;
import org.jmapi.client.Message;
import org.jmapi.client.MsgServiceAdmin;
import org.jmapi.client.MsgStore;
import org.jmapi.client.ProfileAdmin;
import org.jmapi.prop.PropTags;
import org.jmapi.prop.PropValue;
import org.jmapi.runtime.Mapi;
import org.jmapi.runtime.MapiInit;
import org.jmapi.store.MessageRow;
import org.jmapi.store.sqlite.SqliteStorage;
import org.jmapi.table.MapiTable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jmapi.store.provider.StoreFixture.*;

/**
 * Crash safety of the store provider through the whole MAPI stack: a child JVM ({@link CrashingClient}) logs on to a
 * profile with the {@value SqliteStoreService#NAME} service and saves Inbox messages and submits Outbox messages in a
 * loop, acknowledging each returned call on stdout; the test kills it with SIGKILL ({@link Process#destroyForcibly()})
 * after N acknowledgements, then logs on to the same profile in this process and finds every acknowledged save (with
 * its subject and body) and every acknowledged submission still queued and unlocked (R-MAIL-1), in a file SQLite finds
 * intact.
 */
class ProviderCrashTest {

    private record Ack(boolean submit, int n, EntryId id) {}

    @ParameterizedTest(name = "killed after {0} acknowledgements")
    @ValueSource(ints = {5, 40, 150})
    void R_MAIL_1_killedClient_everyAcknowledgedSaveAndSubmissionSurvives_fileIntact(int killAfter,
            @TempDir Path home) throws Exception {
        Path storeFile = home.resolve("personal.jmapi");
        configureProfile(home, storeFile);

        Path stderr = home.resolve("child-stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingClient.class.getName(), home.toString())
                .redirectError(stderr.toFile())
                .start();
        List<Ack> acks = new ArrayList<>();
        CountDownLatch enough = new CountDownLatch(1);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> read(child.getInputStream(), acks,
                killAfter, enough));
        try {
            assertThat(enough.await(90, TimeUnit.SECONDS))
                    .as("child reached %d acknowledgements; its stderr: %s", killAfter, readQuietly(stderr)).isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        reader.get(30, TimeUnit.SECONDS);
        List<Ack> acknowledged;
        synchronized (acks) {
            acknowledged = List.copyOf(acks);
        }
        assertThat(acknowledged.size()).isGreaterThanOrEqualTo(killAfter);
        assertThat(acknowledged).extracting(Ack::n).as("acknowledged in order, none skipped")
                .containsExactlyElementsOf(IntStream.range(0, acknowledged.size()).boxed().toList());

        // The file as the killed process left it: intact, acknowledged submissions queued, no lock left.
        Map<String, MessageRow> queued;
        try (SqliteStorage s = SqliteStorage.open(storeFile)) {
            assertThat(s.checkIntegrity()).as("PRAGMA integrity_check").isEmpty();
            queued = s.queue().stream().collect(Collectors.toMap(r -> r.get(PropTags.PR_SUBJECT).asString(), r -> r));
            assertThat(queued.values()).allSatisfy(r -> assertThat(r.info().queue().locked())
                    .as("a lock of the killed process must not survive").isFalse());
        }
        assertThat(integrityCheck(storeFile)).isEqualTo("ok");
        for (Ack a : acknowledged) {
            if (a.submit()) {
                assertThat(queued).as("acknowledged submission %d is queued", a.n())
                        .containsKey(CrashingClient.subject(a.n()));
            }
        }

        // The same profile and store in this process, through MAPI.
        Mapi.initialize(MapiInit.home(home));
        try {
            MapiSession session = Mapi.logonEx(0, PROFILE, null, Flags.MAPI_EXTENDED | Flags.MAPI_NEW_SESSION);
            MsgStore store = StoreFixture.open(session);
            for (Ack a : acknowledged) {
                if (a.submit()) {
                    assertCode(HResult.MAPI_E_SUBMITTED, () -> store.openEntry(a.id(), Flags.MAPI_MODIFY));
                }
                try (Message m = (Message) store.openEntry(a.id(), Flags.MAPI_BEST_ACCESS)) {
                    assertThat(string(m, PropTags.PR_SUBJECT)).isEqualTo(CrashingClient.subject(a.n()));
                    assertThat(string(m, PropTags.PR_BODY)).isEqualTo(CrashingClient.body(a.n()));
                    EntryId parent = entryId(m, PropTags.PR_PARENT_ENTRYID);
                    EntryId expected = a.submit() ? entryId(store, PropTags.PR_IPM_OUTBOX_ENTRYID)
                            : store.getReceiveFolder("", 0).folderId();
                    assertThat(store.compareEntryIds(parent, expected, 0)).as("folder of %d", a.n()).isTrue();
                    int flags = integer(m, PropTags.PR_MESSAGE_FLAGS);
                    if (a.submit()) {
                        assertThat(flags & Flags.MSGFLAG_SUBMIT).as("MSGFLAG_SUBMIT of %d", a.n()).isNotZero();
                        assertThat(integer(m, PropTags.PR_SUBMIT_FLAGS) & Flags.SUBMITFLAG_LOCKED)
                                .as("locked %d", a.n()).isZero();
                    } else {
                        assertThat(flags & Flags.MSGFLAG_SUBMIT).isZero();
                    }
                }
            }
            try (MapiFolder inbox = inbox(store);
                 MapiTable t = inbox.getContentsTable(0)) {
                List<String> expected = acknowledged.stream().filter(a -> !a.submit())
                        .map(a -> CrashingClient.subject(a.n())).toList();
                List<String> got = subjects(t);
                assertThat(got).containsAll(expected);
                // every acknowledged save is there; later unacknowledged commits may be too (the kill can cut the
                // pipe before the child's last acknowledgements reach us)
                assertThat(got.size()).isGreaterThanOrEqualTo(expected.size());
            }
            // the store still takes writes after the crash
            try (MapiFolder inbox = inbox(store)) {
                EntryId after = saved(inbox, "after the crash");
                try (Message m = (Message) store.openEntry(after, 0)) {
                    assertThat(string(m, PropTags.PR_SUBJECT)).isEqualTo("after the crash");
                }
            }
            store.release();
            session.logoff(0, 0, 0);
            session.release();
        } finally {
            while (Mapi.initCount() > 0) {
                Mapi.uninitialize();
            }
        }
    }

    private static MapiFolder inbox(MsgStore store) {
        return (MapiFolder) store.openEntry(store.getReceiveFolder("", 0).folderId(), Flags.MAPI_MODIFY);
    }

    /** Creates the profile with the service configured to {@code storeFile} (which creates the store), then ends MAPI. */
    private static void configureProfile(Path home, Path storeFile) {
        Mapi.initialize(MapiInit.home(home));
        try (ProfileAdmin admin = Mapi.adminProfiles(0)) {
            admin.createProfile(PROFILE, null, 0, 0);
            try (MsgServiceAdmin services = admin.adminServices(PROFILE, 0)) {
                services.configureMsgService(services.createMsgService(SqliteStoreService.NAME, "Personal Folders",
                        0, 0), 0, 0, List.of(PropValue.ofString(SqliteStoreService.PR_STORE_PATH, storeFile.toString())));
            }
        } finally {
            while (Mapi.initCount() > 0) {
                Mapi.uninitialize();
            }
        }
        assertThat(Files.exists(storeFile)).isTrue();
    }

    private static String integrityCheck(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            StringBuilder b = new StringBuilder();
            while (rs.next()) {
                b.append(b.isEmpty() ? "" : "\n").append(rs.getString(1));
            }
            return b.toString();
        }
    }

    private static void read(InputStream in, List<Ack> acks, int killAfter, CountDownLatch enough) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(" ");
                if (f.length != 3 || !(f[0].equals("SAVE") || f[0].equals("SUBMIT"))) {
                    continue;
                }
                Ack a;
                try {
                    a = new Ack(f[0].equals("SUBMIT"), Integer.parseInt(f[1]), EntryId.parseHex(f[2]));
                } catch (RuntimeException e) {
                    continue; // a line cut short by the kill is not an acknowledgement
                }
                synchronized (acks) {
                    acks.add(a);
                    if (acks.size() >= killAfter) {
                        enough.countDown();
                    }
                }
            }
        } catch (IOException e) {
            // the child was killed while we were reading: the acknowledgements read so far are what counts
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "(none)";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
