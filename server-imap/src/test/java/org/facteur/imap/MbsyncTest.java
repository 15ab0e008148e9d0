package org.facteur.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.facteur.imap.testing.ImapTestServer;
import org.facteur.net.testing.TestPki;
import org.facteur.storage.AccountStore;
import org.facteur.storage.Flags;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MessageMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mbsync (Debian isync) synchronising a local maildir with the server both ways: changes on each side cross over,
 * and a run with nothing changed changes nothing. Skipped where mbsync is not installed (.ci/packages.d lists it).
 */
class MbsyncTest {

    @TempDir
    Path dir;

    private static void deliver(ImapTestServer server, String mailbox, String subject) throws Exception {
        String m = "From: x@example.test\r\nTo: alice@example.test\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject + "@example.test>\r\n\r\nbody of " + subject + "\r\n";
        server.store().deliver(ImapTestServer.USER, mailbox, new ByteArrayInputStream(m.getBytes(StandardCharsets.US_ASCII)), Set.of());
    }

    private String run(Path config) throws Exception {
        Process p = new ProcessBuilder("mbsync", "-c", config.toString(), "-a").redirectErrorStream(true).start();
        p.getOutputStream().close();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void syncsBothWaysAndASecondRunChangesNothing() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mbsync")), "mbsync is not installed");
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(TestPki.shared().caCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        Path local = Files.createDirectories(dir.resolve("local"));
        try (ImapTestServer server = ImapTestServer.start(dir.resolve("server"))) {
            AccountStore account = server.store().account(ImapTestServer.USER);
            account.create("Work", Optional.empty());
            for (int i = 1; i <= 3; i++) {
                deliver(server, "INBOX", "in" + i);
            }
            deliver(server, "Work", "work1");
            Path config = dir.resolve("mbsyncrc");
            Files.writeString(config, """
                    IMAPAccount facteur
                    Host localhost
                    Port %d
                    User %s
                    Pass %s
                    SSLType IMAPS
                    CertificateFile %s

                    IMAPStore remote
                    Account facteur

                    MaildirStore local
                    Path %s/
                    Inbox %s/INBOX
                    SubFolders Verbatim

                    Channel sync
                    Far :remote:
                    Near :local:
                    Patterns INBOX Work
                    Create Both
                    Expunge Both
                    SyncState *
                    Sync All
                    """.formatted(server.implicitPort(), ImapTestServer.USER, ImapTestServer.PASSWORD, ca, local, local));

            run(config);
            assertThat(files(local.resolve("INBOX"))).hasSize(3);
            assertThat(files(local.resolve("Work"))).hasSize(1);

            // Changes on both sides: a delivery on the server; a new message and a \Seen flag in the local maildir.
            deliver(server, "INBOX", "in4");
            Path someCur = files(local.resolve("INBOX")).get(0);
            Path seen = someCur.getParent().getParent().resolve("cur").resolve(someCur.getFileName().toString().replaceAll(":2,.*$", "") + ":2,S");
            Files.move(someCur, seen);
            Files.writeString(local.resolve("Work/new/1700000000.local1.host"),
                    "From: me@example.test\r\nSubject: written offline\r\n\r\nlocal\r\n");
            run(config);
            assertThat(files(local.resolve("INBOX"))).hasSize(4);
            try (Mailbox work = account.open("Work", true, e -> { })) {
                assertThat(work.messages()).hasSize(2);
            }
            try (Mailbox inbox = account.open("INBOX", true, e -> { })) {
                assertThat(inbox.messages()).hasSize(4).filteredOn(m -> m.has(Flags.SEEN)).hasSize(1);
            }

            // Nothing changed anywhere: the next run must change nothing on either side.
            List<Path> before = files(local);
            List<MessageMeta> serverBefore;
            try (Mailbox inbox = account.open("INBOX", true, e -> { })) {
                serverBefore = inbox.messages();
            }
            String third = run(config);
            assertThat(files(local)).isEqualTo(before);
            try (Mailbox inbox = account.open("INBOX", true, e -> { })) {
                assertThat(inbox.messages()).isEqualTo(serverBefore);
            }
            assertThat(third).doesNotContainPattern("(Far|Near): \\+[1-9]");
        }
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getParent().getFileName().toString().matches("cur|new"))
                    .sorted().toList();
        }
    }
}
