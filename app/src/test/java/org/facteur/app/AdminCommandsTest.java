package org.facteur.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.facteur.app.cli.FacteurCommand;
import org.facteur.smtp.queue.QueueEntry;
import org.facteur.smtp.queue.QueueRecipient;
import org.facteur.smtp.queue.QueueStore;
import org.facteur.storage.Mailbox;
import org.facteur.storage.maildir.MaildirStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The queue, quarantine, Bayes, index, import/export and DNS commands against a real data folder (H2 files,
 * maildir, queue and quarantine files in a temp folder), as a script would use them.
 */
class AdminCommandsTest {

    // SpamAssassin's GTUBE: the content filters must call it spam.
    private static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    @TempDir
    Path dir;

    private Path data;
    private String d;
    private FacteurConfig config;
    private DataLayout layout;

    @BeforeEach
    void firstStart() throws Exception {
        data = dir.resolve("data");
        d = data.toString();
        ConfigLocation location = ConfigLocation.of(null, data);
        Setup.prepare(location, c -> PortPolicy.ephemeral(c), Optional.empty());
        config = location.load();
        layout = location.layout(config);
    }

    private record Result(int exit, String out, String err) {
    }

    private Result run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = FacteurCommand.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return new Result(line.execute(args), out.toString(), err.toString());
        } finally {
            System.setIn(saved);
        }
    }

    private static String message(String subject, String body) {
        return "From: sender@elsewhere.example\r\nTo: alice@example.org\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.replace(' ', '-') + "@elsewhere.example>\r\n\r\n" + body + "\r\n";
    }

    @Test
    void queueListShowRetryDelete() throws Exception {
        QueueStore queue = new QueueStore(layout.spool().resolve("queue"));
        String id = "k0abc123";
        queue.writeMessage(id, new ByteArrayInputStream(message("Queued", "Hi.").getBytes(StandardCharsets.US_ASCII)));
        Instant later = Instant.now().plusSeconds(3600);
        queue.writeEnvelope(new QueueEntry(id, "alice@example.org", null, null, false, false, Instant.now(), 2, later,
                false, List.of(new QueueRecipient("bob@elsewhere.example", Set.of(), null, QueueRecipient.State.PENDING,
                        "4.4.1", "connection refused", null))));

        Result list = run("", "queue", "list", "--json", "--data", d);
        assertThat(list.exit()).isZero();
        assertThat(list.out()).startsWith("[{\"id\":\"k0abc123\",\"sender\":\"alice@example.org\"")
                .contains("\"attempts\":2").contains("\"pending\":[\"bob@elsewhere.example\"]");
        assertThat(run("", "queue", "show", id, "--data", d).out())
                .contains("bob@elsewhere.example PENDING 4.4.1 (connection refused)");

        assertThat(run("", "queue", "retry", id, "--data", d).out()).isEqualTo("due now: " + id + "\n");
        assertThat(queue.read(id).nextAttempt()).isBefore(later);

        assertThat(run("", "queue", "delete", id, "--data", d).exit()).isZero();
        assertThat(queue.ids()).isEmpty();
        Result unknown = run("", "queue", "delete", "../../facteur", "--data", d);
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("facteur: no queue entry");
        assertThat(run("", "queue", "list", "--json", "--data", d).out().strip()).isEqualTo("[]");
    }

    @Test
    void quarantineListShowReleaseDelete() throws Exception {
        run("", "domain", "add", "example.org", "--data", d);
        assertThat(run("correct horse battery\n", "user", "add", "alice@example.org", "--data", d).exit()).isZero();
        Path held = layout.root().resolve(config.filters().quarantine().directory());
        Files.createDirectories(held);
        String first = "00000000-0000-4000-8000-000000000001";
        String second = "00000000-0000-4000-8000-000000000002";
        for (String id : List.of(first, second)) {
            Files.writeString(held.resolve(id + ".eml"), message("Held " + id.substring(35), "Macro inside."));
            Files.writeString(held.resolve(id + ".properties"), "reason=blocked attachment invoice.docm\n"
                    + "heldAt=" + Instant.now() + "\nreversePath=sender@elsewhere.example\n"
                    + "recipients=alice@example.org\nclient=192.0.2.7\n");
        }

        Result list = run("", "quarantine", "list", "--json", "--data", d);
        assertThat(list.out()).contains("\"id\":\"" + first + "\"").contains("\"reason\":\"blocked attachment invoice.docm\"")
                .contains("\"recipients\":[\"alice@example.org\"]");
        assertThat(run("", "quarantine", "show", first, "--data", d).out()).contains("192.0.2.7");

        assertThat(run("", "quarantine", "release", first, "--data", d).out()).isEqualTo("released " + first + "\n");
        try (MaildirStore store = new MaildirStore(config.storage());
             Mailbox inbox = store.account("alice@example.org").open("INBOX", true, e -> { })) {
            assertThat(inbox.messages()).hasSize(1);
        }
        assertThat(run("", "quarantine", "delete", second, "--data", d).out()).isEqualTo("deleted " + second + "\n");
        assertThat(run("", "quarantine", "list", "--json", "--data", d).out().strip()).isEqualTo("[]");
        assertThat(run("", "quarantine", "release", second, "--data", d).exit()).isEqualTo(1);
    }

    @Test
    void trainAndScan() throws Exception {
        Path spam = Files.createDirectories(dir.resolve("spam"));
        Files.writeString(spam.resolve("1.eml"), message("Cheap pills", "Buy cheap pills now, best price."));
        Files.writeString(spam.resolve("2.eml"), message("Winner", "You won the lottery, send your bank details."));
        Result trained = run("", "train", "--spam", spam.toString(), "--data", d);
        assertThat(trained.exit()).as(trained.err()).isZero();
        assertThat(trained.out()).isEqualTo("trained 2 as spam, 0 already known, 0 failed\n");
        assertThat(run("", "train", "--spam", spam.toString(), "--data", d).out())
                .isEqualTo("trained 0 as spam, 2 already known, 0 failed\n");
        assertThat(run("", "train", spam.toString(), "--data", d).exit()).isEqualTo(2); // --spam or --ham

        Path gtube = dir.resolve("gtube.eml");
        Files.writeString(gtube, message("Test spam", GTUBE));
        Result scanned = run("", "scan", gtube.toString(), "--report", "--data", d);
        assertThat(scanned.exit()).as(scanned.err()).isZero();
        assertThat(scanned.out()).contains("gtube.eml").doesNotContain("\tham\t").containsIgnoringCase("GTUBE");
    }

    @Test
    void reindexImportExportAndDnsRecords() throws Exception {
        try (MaildirStore store = new MaildirStore(config.storage())) {
            for (int i = 1; i <= 3; i++) {
                store.deliver("alice@example.org", "INBOX",
                        new ByteArrayInputStream(message("Note " + i, "Text " + i).getBytes(StandardCharsets.US_ASCII)), Set.of());
            }
        }
        Result reindex = run("", "reindex", "alice@example.org", "--json", "--data", d);
        assertThat(reindex.exit()).as(reindex.err()).isZero();
        assertThat(reindex.out()).contains("{\"account\":\"alice@example.org\",\"mailbox\":\"INBOX\",\"messages\":3,"
                + "\"missing\":0,\"extra\":0,\"flagsDiffer\":0}");

        Path mbox = dir.resolve("inbox.mbox");
        assertThat(run("", "export", "alice@example.org", mbox.toString(), "--mailbox", "INBOX", "--data", d).out())
                .isEqualTo("exported 3 messages to " + mbox + "\n");
        assertThat(Files.readString(mbox)).startsWith("From ").contains("Subject: Note 3");
        Result imported = run("", "import", "bob@example.org", mbox.toString(), "--mailbox", "Archive", "--data", d);
        assertThat(imported.out()).as(imported.err()).isEqualTo("imported 3, skipped 0, failed 0\n");
        Path maildir = dir.resolve("bob-maildir");
        assertThat(run("", "export", "bob@example.org", maildir.toString(), "--data", d).out())
                .startsWith("exported 3 messages");
        try (MaildirStore store = new MaildirStore(config.storage());
             Mailbox archive = store.account("bob@example.org").open("Archive", true, e -> { })) {
            assertThat(archive.messages()).hasSize(3);
        }

        Result records = run("", "dns-records", "example.org", "--data", d);
        assertThat(records.exit()).as(records.err()).isZero();
        assertThat(records.out()).contains("example.org.\t3600\tIN\tMX\t10 ").contains("v=DKIM1; k=rsa; p=")
                .contains("_dmarc.example.org.");
        assertThat(run("", "dns-records", "../../etc", "--data", d).exit()).isEqualTo(1);
    }

    @Test
    void indexAndFilterCommandsRefuseWhileTheServerRuns() throws Exception {
        // A live process named in the pid file stands for the running server (this JVM's parent is alive).
        Files.createDirectories(layout.pidFile().getParent());
        Files.writeString(layout.pidFile(), ProcessHandle.current().parent().orElseThrow().pid() + "\n");
        try {
            for (String[] command : List.of(new String[] {"reindex"}, new String[] {"train", "--ham", d},
                    new String[] {"quarantine", "release", "00000000-0000-4000-8000-000000000001"})) {
                List<String> args = new java.util.ArrayList<>(List.of(command));
                args.addAll(List.of("--data", d));
                Result refused = run("", args.toArray(String[]::new));
                assertThat(refused.exit()).isEqualTo(1);
                assertThat(refused.err()).contains("the server is running");
            }
            // Nothing was opened: storage never took the live index for broken and moved it aside.
            try (var files = Files.walk(data)) {
                assertThat(files.filter(f -> f.getFileName().toString().contains("broken"))).isEmpty();
            }
            assertThat(run("", "queue", "list", "--data", d).exit()).isZero();
        } finally {
            Files.delete(layout.pidFile());
        }
    }
}
