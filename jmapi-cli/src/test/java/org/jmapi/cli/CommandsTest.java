package org.jmapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command against a real jmapi home in a temporary directory: real profiles, a real SQLite store file, the
 * real runtime. Commands run in-process through picocli with captured output.
 */
class CommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(Cli.Result r) throws IOException {
        return JSON.readTree(r.out());
    }

    static Path eml(Path dir, String name, String from, String subject, String date, String body) throws IOException {
        Files.createDirectories(dir);
        String text = "From: " + from + "\r\nTo: alice@localhost\r\nSubject: " + subject + "\r\nDate: " + date
                + "\r\nMessage-ID: <" + name + "@test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8"
                + "\r\n\r\n" + body + "\r\n";
        Path p = dir.resolve(name + ".eml");
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** How ls shows a time: a regular expression. */
    private static final String WHEN = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d";

    /**
     * Makes a default profile "bare" with no transport, sender alice@localhost: what it submits stays in the
     * outgoing queue, so a test can look at the queued message (a mailbox's local transport would send it at once).
     */
    static void bare(Path home) {
        Cli.ok(home, "profile", "create", "bare", "--no-local", "--address", "alice@localhost", "--display-name",
                "alice", "--default");
    }

    // ---- first run, profiles -------------------------------------------------------------------------------

    @Test
    void firstRun_createsTheDefaultMailbox_andListsItsFolders(@TempDir Path home) throws IOException {
        Cli.Result r = Cli.ok(home, "ls");
        assertThat(r.err()).contains("created the default mailbox alice (alice@localhost)");
        assertThat(r.out()).contains("Inbox", "Outbox", "Sent Items", "Deleted Items", "Drafts");
        assertThat(home.resolve("mailboxes/alice.jmapi")).isRegularFile();
        assertThat(home.resolve("maildrop/alice")).isDirectory();

        JsonNode profiles = json(Cli.ok(home, "profile", "list", "--json")).get("profiles");
        assertThat(profiles).hasSize(1);
        assertThat(profiles.get(0).get("name").asText()).isEqualTo("alice");
        assertThat(profiles.get(0).get("default").asBoolean()).isTrue();
        assertThat(profiles.get(0).get("address").asText()).isEqualTo("alice@localhost");
        // The second run finds the profile: no second note.
        assertThat(Cli.ok(home, "ls").err()).doesNotContain("created");
        try (Stream<Path> files = Files.list(home.resolve("profiles"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".profile.json")).toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void mailboxOption_createsThatMailbox_andUsesIt(@TempDir Path home) throws IOException {
        Cli.Result r = Cli.ok(home, "ls", "--mailbox", "bob");
        assertThat(r.err()).contains("created mailbox bob (bob@localhost)");
        assertThat(home.resolve("mailboxes/bob.jmapi")).isRegularFile();
        Cli.ok(home, "send", "--mailbox", "bob", "--to", "carol@localhost", "-s", "from bob");
        // Still queued, or already sent by the session's spooler through local delivery: one of the two.
        List<JsonNode> found = new java.util.ArrayList<>();
        for (String folder : List.of("Outbox", "Sent Items")) {
            json(Cli.ok(home, "--json", "ls", "-m", "bob", folder, "-c", "subject,from-address")).get("messages")
                    .forEach(found::add);
        }
        assertThat(found).hasSize(1);
        assertThat(found.get(0).get("from-address").asText()).isEqualTo("bob@localhost");
        assertThat(Cli.run(home, "ls", "--mailbox", "Not/A/Name").err())
                .contains("'Not/A/Name' cannot name a mailbox");
    }

    @Test
    void profileCreateShowDelete(@TempDir Path home) throws IOException {
        Path store = home.resolve("elsewhere/work.jmapi");
        Cli.Result created = Cli.ok(home, "profile", "create", "work", "--store", store.toString(), "--no-local",
                "--address", "Work Me <me@work.example>", "--default");
        assertThat(created.out()).contains("created profile work (me@work.example");
        assertThat(store).isRegularFile();

        JsonNode shown = json(Cli.ok(home, "--json", "profile", "show", "work"));
        assertThat(shown.get("address").asText()).isEqualTo("me@work.example");
        assertThat(shown.get("default").asBoolean()).isTrue();
        assertThat(shown.get("services")).hasSize(1);
        assertThat(shown.get("services").get(0).get("service").asText()).isEqualTo("jmapi.sqlite-store");
        assertThat(shown.get("services").get(0).get("settings").get("path").asText()).isEqualTo(store.toString());
        assertThat(Cli.ok(home, "profile", "show").out()).contains("profile work (default), sender me@work.example");

        Cli.Result again = Cli.run(home, "profile", "create", "work", "--no-local");
        assertThat(again.code()).isEqualTo(Jmapi.EXIT_FAILURE);
        assertThat(again.err().strip()).isEqualTo("jmapi: profile work already exists");

        Cli.ok(home, "profile", "delete", "work");
        assertThat(json(Cli.ok(home, "--json", "profile", "list")).get("profiles")).isEmpty();
        assertThat(store).isRegularFile(); // deleting a profile keeps its store file
        Cli.Result gone = Cli.run(home, "profile", "delete", "work");
        assertThat(gone.code()).isEqualTo(Jmapi.EXIT_FAILURE);
        assertThat(gone.err()).contains("no profile named work");
    }

    @Test
    void profileCreate_badServerOptions_failBeforeAnythingIsCreated(@TempDir Path home) throws IOException {
        Cli.Result noHost = Cli.run(home, "profile", "create", "x", "--smtp-user", "me");
        assertThat(noHost.code()).isEqualTo(Jmapi.EXIT_FAILURE);
        assertThat(noHost.err()).contains("--smtp HOST is missing");
        Cli.Result badPort = Cli.run(home, "profile", "create", "x", "--smtp", "mail.example:99999");
        assertThat(badPort.err()).contains("bad SMTP port");
        Cli.Result noPassword = Cli.run(home, "profile", "create", "x", "--smtp", "mail.example",
                "--smtp-user", "me", "--smtp-password-env", "NOT_SET_ANYWHERE");
        assertThat(noPassword.err()).contains("environment variable NOT_SET_ANYWHERE");
        Cli.Result badAddress = Cli.run(home, "profile", "create", "x", "--address", "no address");
        assertThat(badAddress.err()).contains("not an e-mail address");
        assertThat(json(Cli.ok(home, "--json", "profile", "list")).get("profiles")).isEmpty();
    }

    @Test
    void profileCreate_aServiceRefusesItsConfiguration_theProfileIsRemovedAgain(@TempDir Path home) throws IOException {
        Path dir = Files.createDirectories(home.resolve("a-directory"));
        Cli.Result r = Cli.run(home, "profile", "create", "broken", "--store", dir.toString());
        assertThat(r.code()).isEqualTo(Jmapi.EXIT_FAILURE);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("is a directory").contains("(MAPI_E_UNCONFIGURED)");
        assertThat(json(Cli.ok(home, "--json", "profile", "list")).get("profiles")).isEmpty();
    }

    // ---- send, ls, show ------------------------------------------------------------------------------------

    @Test
    void send_composesAndQueues_senderRecipientsAttachments(@TempDir Path home, @TempDir Path files) throws IOException {
        bare(home);
        Path report = files.resolve("report.txt");
        Files.writeString(report, "numbers");
        Cli.Result sent = Cli.ok(home, "send", "--to", "bob@localhost,Carol C <carol@example.org>",
                "--cc", "dan@example.org", "--bcc", "eve@example.org", "--subject", "hi", "--body", "hello", "-a",
                report.toString());
        assertThat(sent.out()).startsWith("queued \"hi\" to bob@localhost, carol@example.org, dan@example.org, "
                + "eve@example.org <");

        Cli.Result ls = Cli.ok(home, "ls", "Outbox");
        assertThat(ls.lines()).hasSize(2);
        assertThat(ls.lines().get(1)).contains("bob", "hi", "S"); // the Outbox shows to whom, not from whom

        JsonNode m = json(Cli.ok(home, "--json", "show", "Outbox", "1"));
        assertThat(m.get("from").asText()).isEqualTo("alice <alice@localhost>");
        assertThat(m.get("subject").asText()).isEqualTo("hi");
        assertThat(m.get("body").asText()).isEqualTo("hello");
        assertThat(m.get("messageId").asText()).matches("<[-0-9a-f]+@localhost>");
        assertThat(m.get("recipients").toString()).isEqualTo("[{\"type\":\"To\",\"name\":\"bob@localhost\","
                + "\"address\":\"bob@localhost\"},{\"type\":\"To\",\"name\":\"Carol C\",\"address\":\"carol@example.org\"},"
                + "{\"type\":\"Cc\",\"name\":\"dan@example.org\",\"address\":\"dan@example.org\"},"
                + "{\"type\":\"Bcc\",\"name\":\"eve@example.org\",\"address\":\"eve@example.org\"}]");
        assertThat(m.get("attachments").get(0).get("name").asText()).isEqualTo("report.txt");

        Cli.Result all = Cli.ok(home, "show", "Outbox", "1", "--all");
        assertThat(all.out()).contains("PR_SENDER_EMAIL_ADDRESS", "alice@localhost", "PR_SENDER_ADDRTYPE",
                "PR_SENT_REPRESENTING_NAME", "0x0064001F", "PR_RECIPIENT_TYPE", "PR_ADDRTYPE", "SMTP",
                "PR_ATTACH_DATA_BIN", "6e756d62657273", "Recipient row 4:", "Attachment 1:");
        assertThat(all.out()).containsPattern("0x0037001F +PR_SUBJECT +PT_UNICODE +hi");

        Cli.Result text = Cli.ok(home, "show", "Outbox", "1");
        assertThat(text.out()).contains("From:       alice <alice@localhost>",
                "To:         bob@localhost, Carol C <carol@example.org>", "Cc:         dan@example.org",
                "Subject:    hi", "Attachment: report.txt", "\nhello");
    }

    @Test
    void send_bodyFromFileAndStdin(@TempDir Path home, @TempDir Path files) throws IOException {
        bare(home);
        Path body = files.resolve("body.txt");
        Files.writeString(body, "from a file\n");
        Cli.ok(home, "send", "--to", "bob@localhost", "-s", "one", "--body-file", body.toString());
        Cli.Result piped = Cli.runEnv(Cli.ENV, "from stdin", home, "send", "--to", "bob@localhost", "-s", "two",
                "--body-file", "-");
        assertThat(piped.code()).isZero();
        assertThat(json(Cli.ok(home, "--json", "show", "Outbox", "1", "--sort", "subject")).get("body").asText())
                .isEqualTo("from a file\n");
        assertThat(json(Cli.ok(home, "--json", "show", "Outbox", "2", "--sort", "subject")).get("body").asText())
                .isEqualTo("from stdin");
    }

    @Test
    void send_badInput_oneLine_exit1_nothingQueued(@TempDir Path home) throws IOException {
        Cli.ok(home, "ls"); // the default mailbox exists
        Cli.Result bad = Cli.run(home, "send", "--to", "bob@localhost,not an address", "-s", "x");
        assertThat(bad.code()).isEqualTo(Jmapi.EXIT_FAILURE);
        assertThat(bad.err().lines()).hasSize(1);
        assertThat(bad.err()).startsWith("jmapi: not an e-mail address: 'not an address'");
        Cli.Result noDomain = Cli.run(home, "send", "--to", "bob", "-s", "x");
        assertThat(noDomain.err()).contains("not an e-mail address: 'bob'");
        Cli.Result none = Cli.run(home, "send", "-s", "x");
        assertThat(none.err().strip()).isEqualTo("jmapi: give at least one recipient with --to, --cc or --bcc");
        Cli.Result noFile = Cli.run(home, "send", "--to", "bob@localhost", "-a", home.resolve("missing").toString());
        assertThat(noFile.err()).contains("cannot attach").contains("no such file");
        assertThat(json(Cli.ok(home, "--json", "ls", "Outbox")).get("total").asInt()).isZero();
    }

    @Test
    void ls_columnsSortFilterPaging(@TempDir Path home, @TempDir Path mail) throws IOException {
        eml(mail, "a", "Ann <ann@example.org>", "apples", "Mon, 02 Nov 2026 10:00:00 +0000", "one");
        eml(mail, "b", "Ben <ben@example.org>", "bananas", "Tue, 03 Nov 2026 10:00:00 +0000", "two");
        eml(mail, "c", "Cid <cid@example.org>", "cherries and apples", "Wed, 04 Nov 2026 10:00:00 +0000", "three");
        Cli.ok(home, "import", mail.toString());

        JsonNode bySubject = json(Cli.ok(home, "--json", "ls", "Inbox", "-c", "subject,from", "--sort", "subject"));
        assertThat(bySubject.get("total").asInt()).isEqualTo(3);
        assertThat(bySubject.get("messages").findValuesAsText("subject"))
                .containsExactly("apples", "bananas", "cherries and apples");
        JsonNode newest = json(Cli.ok(home, "--json", "ls", "Inbox", "-c", "subject", "--sort", "-sent"));
        assertThat(newest.get("messages").findValuesAsText("subject"))
                .containsExactly("cherries and apples", "bananas", "apples");
        JsonNode filtered = json(Cli.ok(home, "--json", "ls", "Inbox", "-c", "subject", "--sort", "subject",
                "--filter", "subject~APPLE"));
        assertThat(filtered.get("messages").findValuesAsText("subject")).containsExactly("apples", "cherries and apples");
        JsonNode two = json(Cli.ok(home, "--json", "ls", "Inbox", "-c", "subject", "--sort", "subject",
                "--filter", "subject~apple", "--filter", "from=Cid"));
        assertThat(two.get("messages").findValuesAsText("subject")).containsExactly("cherries and apples");
        JsonNode page = json(Cli.ok(home, "--json", "ls", "Inbox", "-c", "subject", "--sort", "subject",
                "--offset", "1", "--limit", "1"));
        assertThat(page.get("messages")).hasSize(1);
        assertThat(page.get("messages").get(0).get("n").asInt()).isEqualTo(2);
        assertThat(page.get("messages").get(0).get("subject").asText()).isEqualTo("bananas");
        Cli.Result text = Cli.ok(home, "ls", "Inbox", "--sort", "subject", "--limit", "2");
        assertThat(text.out()).contains("(1-2 of 3; --offset 2 for more)");
        assertThat(json(Cli.ok(home, "--json", "ls", "Inbox", "--unread")).get("total").asInt()).isEqualTo(3);
        assertThat(json(Cli.ok(home, "--json", "ls", "Inbox", "-c", "PR_SUBJECT,0x0E080003")).get("messages").get(0)
                .has("0x0E080003")).isTrue();

        Cli.Result badColumn = Cli.run(home, "ls", "Inbox", "-c", "nonsense");
        assertThat(badColumn.err()).startsWith("jmapi: unknown column 'nonsense'");
        Cli.Result badFilter = Cli.run(home, "ls", "Inbox", "--filter", "subject");
        assertThat(badFilter.err()).contains("cannot read the filter 'subject'");
        Cli.Result noFolder = Cli.run(home, "ls", "Nowhere");
        assertThat(noFolder.err().strip()).isEqualTo("jmapi: no folder 'Nowhere' in the store (there: Inbox, Outbox, "
                + "Sent Items, Deleted Items, Drafts)");
        Cli.Result noMessage = Cli.run(home, "show", "Inbox", "4");
        assertThat(noMessage.err().strip()).isEqualTo("jmapi: Inbox has 3 messages, no number 4");
    }

    // ---- import / export -----------------------------------------------------------------------------------

    @Test
    void importThenExport_roundTripsTheMessages(@TempDir Path home, @TempDir Path mail, @TempDir Path out)
            throws IOException {
        eml(mail.resolve("sub"), "x", "Xena <xena@example.org>", "first", "Mon, 02 Nov 2026 10:00:00 +0000", "body x");
        eml(mail, "y", "Yann <yann@example.org>", "second", "Tue, 03 Nov 2026 10:00:00 +0000", "body y");
        Files.writeString(mail.resolve("ignored.txt"), "not mail");
        Cli.Result imported = Cli.ok(home, "import", mail.toString(), "--folder", "Drafts", "--progress");
        assertThat(imported.out().strip()).isEqualTo("imported 2 messages into Drafts");
        assertThat(imported.err()).contains("100%");

        Cli.Result exported = Cli.ok(home, "export", "Drafts", out.toString());
        assertThat(exported.out().strip()).isEqualTo("exported 2 messages from Drafts to " + out);
        List<Path> files;
        try (Stream<Path> s = Files.list(out)) {
            files = s.sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("0001-first.eml", "0002-second.eml");
        String first = Files.readString(files.get(0));
        assertThat(first).contains("Subject: first", "Xena <xena@example.org>", "Message-ID: <x@test>", "body x");

        // what was exported imports again, unchanged in what matters
        Cli.ok(home, "import", out.toString(), "--folder", "Inbox");
        JsonNode again = json(Cli.ok(home, "--json", "show", "Inbox", "1", "--sort", "subject"));
        assertThat(again.get("subject").asText()).isEqualTo("first");
        assertThat(again.get("from").asText()).isEqualTo("Xena <xena@example.org>");
        assertThat(again.get("body").asText()).isEqualTo("body x\r\n");
    }

    @Test
    void import_realMessagesFromOtherSoftware(@TempDir Path home) throws IOException {
        Path testdata = sharedEml();
        long count;
        try (Stream<Path> s = Files.list(testdata)) {
            count = s.filter(p -> p.toString().endsWith(".eml")).count();
        }
        List<String> args = new java.util.ArrayList<>(List.of("--json", "import"));
        try (Stream<Path> s = Files.list(testdata)) {
            s.filter(p -> p.toString().endsWith(".eml")).sorted().forEach(p -> args.add(p.toString()));
        }
        JsonNode r = json(Cli.ok(home, args.toArray(String[]::new)));
        assertThat(r.get("imported").asLong()).isEqualTo(count).isGreaterThan(10);
        assertThat(json(Cli.ok(home, "--json", "ls", "Inbox", "--limit", "0")).get("total").asLong()).isEqualTo(count);
    }

    /** @return shared/testdata/eml, found by walking up from the working directory; fails loudly when missing */
    static Path sharedEml() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/testdata/eml");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("the shared test data is missing: no shared/testdata/eml above "
                + Path.of("").toAbsolutePath() + " (check out ../shared beside the project)");
    }

    @Test
    void import_missingPath_fails(@TempDir Path home) {
        Cli.Result r = Cli.run(home, "import", home.resolve("nothing-here").toString());
        assertThat(r.code()).isEqualTo(Jmapi.EXIT_FAILURE);
        assertThat(r.err().strip()).isEqualTo("jmapi: no such file or directory: " + home.resolve("nothing-here"));
    }

    // ---- status, stores ------------------------------------------------------------------------------------

    @Test
    void status_showsMapisRows(@TempDir Path home) throws IOException {
        JsonNode rows = json(Cli.ok(home, "--json", "status")).get("status");
        assertThat(rows.findValuesAsText("type")).contains("subsystem", "spooler", "address book");
        for (JsonNode r : rows) {
            if (r.get("type").asText().equals("spooler")) {
                assertThat(r.get("status").asText()).contains("available");
            }
        }
        assertThat(Cli.ok(home, "status").out()).contains("MAPI Spooler", "spooler", "available");
    }

    @Test
    void stores_showsTheMessageStoreTable(@TempDir Path home) throws IOException {
        JsonNode stores = json(Cli.ok(home, "--json", "stores")).get("stores");
        assertThat(stores).hasSize(1);
        assertThat(stores.get(0).get("default").asBoolean()).isTrue();
        assertThat(stores.get(0).get("entryId").asText()).matches("[0-9a-f]{40,}");
        Cli.Result text = Cli.ok(home, "stores");
        assertThat(text.lines().get(0)).startsWith("store").contains("default", "provider", "entry id");
    }

    // ---- logoff, flush -------------------------------------------------------------------------------------

    @Test
    void logoff_eachFlag_printsStoreLogoffsOutput(@TempDir Path home) throws IOException {
        bare(home);
        for (String flag : List.of("NO_WAIT", "orderly", "LOGOFF_PURGE", "abort", "quiet")) {
            JsonNode r = json(Cli.ok(home, "--json", "logoff", "--flag", flag));
            assertThat(r.get("complete").asBoolean()).as(flag).isTrue();
            assertThat(r.get("output").asText()).as(flag).isEqualTo("LOGOFF_COMPLETE");
            assertThat(r.get("outputHex").asText()).isEqualTo("0x00010000");
        }
        Cli.Result bad = Cli.run(home, "logoff", "--flag", "SOON");
        assertThat(bad.err()).contains("unknown flag 'SOON'");
    }

    @Test
    void logoff_quietWithQueuedMail_isRefused_abortToo_noWaitCompletesWithTheQueueBit(@TempDir Path home)
            throws IOException {
        // A profile without transports: a submitted message stays queued, so the spooler reports it (R-SLT-5/6/7).
        bare(home);
        Cli.ok(home, "send", "--to", "bob@localhost", "-s", "waiting");
        JsonNode quiet = json(Cli.ok(home, "--json", "logoff", "--flag", "QUIET"));
        assertThat(quiet.get("complete").asBoolean()).isFalse();
        assertThat(quiet.get("output").asText()).isEqualTo("LOGOFF_OUTBOUND_QUEUE");
        assertThat(Cli.ok(home, "logoff", "--flag", "ABORT").out())
                .contains("StoreLogoff(LOGOFF_ABORT) on ").contains(": LOGOFF_OUTBOUND_QUEUE (0x00080000) - refused");
        JsonNode noWait = json(Cli.ok(home, "--json", "logoff", "--flag", "NO_WAIT"));
        assertThat(noWait.get("output").asText()).isEqualTo("LOGOFF_COMPLETE | LOGOFF_OUTBOUND_QUEUE");
        // without a spooler (MAPI_NO_MAIL) there is nothing to ask: COMPLETE at once (R-SLT-3)
        JsonNode noMail = json(Cli.ok(home, "--json", "logoff", "--flag", "QUIET", "--no-mail"));
        assertThat(noMail.get("output").asText()).isEqualTo("LOGOFF_COMPLETE");
        assertThat(json(Cli.ok(home, "--json", "ls", "Outbox")).get("total").asInt()).isEqualTo(1);
    }

    @Test
    void flush_withNothingToSendThrough_reportsWhatStaysQueued(@TempDir Path home) throws IOException {
        bare(home);
        Cli.ok(home, "send", "--to", "bob@localhost", "-s", "stuck");
        Cli.Result r = Cli.run(home, "flush", "--timeout", "1", "--json");
        assertThat(r.code()).as(r.toString()).isEqualTo(Jmapi.EXIT_FAILURE);
        assertThat(json(r).toString()).isEqualTo("{\"sent\":0,\"queued\":1,\"received\":0}");
    }

    @Test
    void flush_sendsThroughLocalDelivery_andTheRecipientsFlushReceivesIt(@TempDir Path home) throws IOException {
        Cli.ok(home, "ls"); // alice, with local delivery
        Cli.ok(home, "send", "--to", "bob@localhost", "--subject", "via flush", "--body", "x");
        JsonNode sent = json(Cli.ok(home, "--json", "flush"));
        assertThat(sent.get("queued").asInt()).isZero();
        try (Stream<Path> s = Files.list(home.resolve("maildrop/bob/new"))) {
            assertThat(s.count()).isBetween(1L, 2L); // at least once: send's own spooler may have delivered it too
        }
        assertThat(json(Cli.ok(home, "--json", "ls", "Outbox")).get("total").asInt()).isZero();
        // never bounced because the sending session logged off while its spooler worked (R-MAIL-1)
        assertThat(json(Cli.ok(home, "--json", "ls", "Inbox")).get("total").asInt()).isZero();
        assertThat(json(Cli.ok(home, "--json", "ls", "Sent Items", "-c", "subject")).get("messages")
                .findValuesAsText("subject")).containsExactly("via flush");
        assertThat(Cli.ok(home, "ls", "Sent Items").out().lines().toList())
                .satisfies(l -> assertThat(l.get(0)).matches("#\\s+sent\\s+to\\s+subject\\s+flags"))
                .satisfies(l -> assertThat(l.get(1)).matches("1\\s+" + WHEN + "\\s+bob@localhost\\s+via flush.*"));

        JsonNode received = json(Cli.ok(home, "--json", "flush", "--mailbox", "bob"));
        assertThat(received.get("received").asInt()).isEqualTo(1); // a second copy has the same Message-ID
        JsonNode inbox = json(Cli.ok(home, "--json", "ls", "--mailbox", "bob", "Inbox", "-c", "subject,from-address"));
        assertThat(inbox.get("messages")).hasSize(1);
        assertThat(inbox.get("messages").get(0).get("subject").asText()).isEqualTo("via flush");
        assertThat(inbox.get("messages").get(0).get("from-address").asText()).isEqualTo("alice@localhost");
        try (Stream<Path> s = Files.list(home.resolve("maildrop/bob/new"))) {
            assertThat(s.count()).isZero(); // taken from the maildrop once the store committed it
        }
    }

    @Test
    void ls_outboxAndSentItems_showWhenAndToWhom_andShowCountsTheSame(@TempDir Path home) throws IOException {
        bare(home); // no transport: the messages stay in the Outbox
        Cli.ok(home, "send", "--to", "bob@localhost", "-s", "first");
        Cli.ok(home, "send", "--to", "carol@localhost", "-s", "second");
        Cli.Result outbox = Cli.ok(home, "ls", "Outbox");
        List<String> lines = outbox.out().lines().toList();
        assertThat(lines.get(0)).matches("#\\s+sent\\s+to\\s+subject\\s+flags");
        // last submitted first, each with its submit time
        assertThat(lines.get(1)).matches("1\\s+" + WHEN + "\\s+carol@localhost\\s+second\\s+.*");
        assertThat(lines.get(2)).matches("2\\s+" + WHEN + "\\s+bob@localhost\\s+first\\s+.*");
        assertThat(Cli.ok(home, "show", "Outbox", "1").out()).contains("Subject:    second");
        assertThat(Cli.ok(home, "show", "Outbox", "2").out()).contains("Subject:    first");
        // The Inbox and other folders keep delivery time and sender; a column or sort given is used as given.
        assertThat(Cli.ok(home, "ls", "Inbox").out()).contains("(no messages in Inbox)");
        assertThat(Cli.ok(home, "ls", "Drafts", "-c", "subject").out()).contains("(no messages in Drafts)");
        assertThat(Cli.ok(home, "ls", "Outbox", "-c", "date,subject", "--sort", "subject").out().lines().toList())
                .satisfies(l -> assertThat(l.get(0)).matches("#\\s+date\\s+subject"))
                .satisfies(l -> assertThat(l.get(1)).matches("1\\s+first"));
        assertThat(Cli.ok(home, "show", "Outbox", "1", "--sort", "subject").out()).contains("Subject:    first");
    }

    // ---- errors --------------------------------------------------------------------------------------------

    @Test
    void unknownProfile_oneLine_exit1_noStackTrace(@TempDir Path home) {
        Cli.ok(home, "ls");
        Cli.Result r = Cli.run(home, "--profile", "nobody", "ls");
        assertThat(r.code()).isEqualTo(Jmapi.EXIT_FAILURE);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("jmapi: no profile named 'nobody'").contains("jmapi profile list")
                .contains("(MAPI_E_LOGON_FAILED)");
        Cli.Result debug = Cli.run(home, "--profile", "nobody", "--debug", "ls");
        assertThat(debug.err()).contains("org.jmapi.MapiException", "\tat org.jmapi.");
    }

    @Test
    void corruptStoreFile_oneLine_exit1(@TempDir Path home) throws IOException {
        Cli.ok(home, "ls");
        Path store = home.resolve("mailboxes/alice.jmapi");
        Files.delete(store);
        Files.writeString(store, "this is not a database, it is a shopping list");
        Cli.Result r = Cli.run(home, "ls", "Inbox");
        assertThat(r.code()).isEqualTo(Jmapi.EXIT_FAILURE);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("jmapi: ").doesNotContain("\tat ");
        assertThat(r.err()).containsAnyOf("MAPI_E_CORRUPT_STORE", "MAPI_E_NOT_FOUND", "MAPI_E_LOGON_FAILED");
        assertThat(Files.readString(store)).isEqualTo("this is not a database, it is a shopping list");
    }

    @Test
    void usageErrors_exit2(@TempDir Path home) {
        Cli.Result r = Cli.run(home, "ls", "--no-such-option");
        assertThat(r.code()).isEqualTo(Jmapi.EXIT_USAGE);
        assertThat(r.err()).contains("Unknown option: '--no-such-option'");
        assertThat(Cli.run(home).code()).isEqualTo(Jmapi.EXIT_USAGE);
    }

    @Test
    void everyCommandHasHelp(@TempDir Path home) {
        for (String c : List.of("serve", "send", "ls", "show", "profile", "status", "stores", "flush", "import",
                "export", "logoff", "completion")) {
            Cli.Result r = Cli.run(home, c, "--help");
            assertThat(r.code()).as(c).isZero();
            assertThat(r.out()).as(c).startsWith("Usage: jmapi " + c).contains("--home=DIR", "--trace=FILE");
        }
        for (String c : List.of("create", "list", "show", "delete")) {
            assertThat(Cli.run(home, "profile", c, "--help").out()).startsWith("Usage: jmapi profile " + c);
        }
        assertThat(Cli.ok(home, "--help").out()).contains("serve", "send", "ls", "logoff");
        assertThat(Cli.ok(home, "--version").out()).startsWith("jmapi ");
        assertThat(home.resolve("profiles")).doesNotExist(); // help touches nothing
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand(@TempDir Path home) throws IOException {
        Cli.ok(home, "ls");
        assertThat(json(Cli.ok(home, "--json", "stores")).get("stores")).hasSize(1);
        assertThat(json(Cli.ok(home, "stores", "--json")).get("stores")).hasSize(1);
        Map<String, String> env = Map.of("USER", "alice", "JMAPI_HOME", home.toString());
        // JMAPI_HOME chooses the home when --home is not given
        Cli.Result viaEnv = Cli.runEnv(env, "", null, "--json", "profile", "list");
        assertThat(json(viaEnv).get("profiles").get(0).get("name").asText()).isEqualTo("alice");
    }
}
