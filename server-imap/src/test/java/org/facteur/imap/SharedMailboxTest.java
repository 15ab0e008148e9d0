package org.facteur.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.facteur.imap.testing.RawImapClient.last;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.facteur.imap.testing.ImapTestServer;
import org.facteur.imap.testing.RawImapClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

/** Two sessions on one mailbox, and IDLE: each change shows up at the moments RFC 9051 §7 allows. */
class SharedMailboxTest {

    static ImapTestServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = ImapTestServer.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static void deliver(String mailbox, String subject) throws Exception {
        String m = "From: x@example.test\r\nSubject: " + subject + "\r\n\r\nbody\r\n";
        server.store().deliver(ImapTestServer.USER, mailbox, new ByteArrayInputStream(m.getBytes(StandardCharsets.US_ASCII)), Set.of());
    }

    @Test
    void flagsAndExpungesReachTheOtherSessionAfterItsNextCommand() throws Exception {
        try (RawImapClient a = RawImapClient.implicitTls(server.implicitPort()).login();
             RawImapClient b = RawImapClient.implicitTls(server.implicitPort()).login()) {
            a.command("CREATE Shared");
            for (int i = 0; i < 3; i++) {
                deliver("Shared", "m" + i);
            }
            a.command("SELECT Shared");
            b.command("SELECT Shared");
            a.command("STORE 2 +FLAGS (\\Seen)");
            List<String> noop = b.command("NOOP");
            assertThat(noop).anyMatch(s -> s.matches("\\* 2 FETCH \\(FLAGS \\(\\\\Seen\\) UID 2\\)"));

            a.command("STORE 1 +FLAGS (\\Deleted)");
            a.command("EXPUNGE");
            // No EXPUNGE during FETCH by sequence number (RFC 9051 §7.5.1): numbers stay as b knows them.
            List<String> fetch = b.command("FETCH 1:3 UID");
            assertThat(fetch).noneMatch(s -> s.endsWith("EXPUNGE")).contains("* 3 FETCH (UID 3)");
            List<String> noop2 = b.command("NOOP");
            assertThat(noop2).contains("* 1 EXPUNGE");
            assertThat(b.command("FETCH 1 UID").get(0)).isEqualTo("* 1 FETCH (UID 2)");

            deliver("Shared", "new");
            assertThat(b.command("NOOP")).contains("* 3 EXISTS");
        }
    }

    /** A message another session expunged is skipped by a FETCH of its headers until its EXPUNGE is sent. */
    @Test
    void aFetchOfHeadersSkipsAMessageExpungedByTheOtherSession() throws Exception {
        try (RawImapClient a = RawImapClient.implicitTls(server.implicitPort()).login();
             RawImapClient b = RawImapClient.implicitTls(server.implicitPort()).login()) {
            a.command("CREATE Gone");
            for (int i = 0; i < 3; i++) {
                deliver("Gone", "g" + i);
            }
            a.command("SELECT Gone");
            b.command("SELECT Gone");
            a.command("STORE 2 +FLAGS (\\Deleted)");
            a.command("EXPUNGE");
            List<String> fetch = b.command("FETCH 1:3 (UID ENVELOPE BODY.PEEK[HEADER.FIELDS (Subject)])");
            assertThat(last(fetch)).matches("t\\d+ OK.*");
            assertThat(fetch.get(0)).startsWith("* 1 FETCH (UID 1 ").contains("Subject: g0");
            assertThat(fetch.get(1)).startsWith("* 3 FETCH (UID 3 ").contains("Subject: g2");
            // nothing of message 2's content (its flag change may be announced: RFC 9051 §7.5.1 allows FETCH)
            assertThat(fetch).noneMatch(line -> line.contains("g1")).noneMatch(line -> line.endsWith("EXPUNGE"));
            assertThat(b.command("NOOP")).contains("* 2 EXPUNGE");
        }
    }

    @Test
    void qresyncSessionsGetVanished() throws Exception {
        try (RawImapClient a = RawImapClient.implicitTls(server.implicitPort()).login();
             RawImapClient b = RawImapClient.implicitTls(server.implicitPort()).login()) {
            a.command("CREATE Q");
            for (int i = 0; i < 3; i++) {
                deliver("Q", "q" + i);
            }
            b.command("ENABLE QRESYNC");
            List<String> select = b.command("SELECT Q");
            assertThat(select).anyMatch(s -> s.startsWith("* OK [HIGHESTMODSEQ "));
            a.command("SELECT Q");
            a.command("UID STORE 2 +FLAGS (\\Deleted)");
            a.command("UID EXPUNGE 2");
            List<String> noop = b.command("NOOP");
            assertThat(noop).contains("* VANISHED 2");
            assertThat(last(b.command("UID FETCH 1:* FLAGS (CHANGEDSINCE 1 VANISHED)"))).contains("OK");
        }
    }

    @Test
    void idleReportsADeliveryWithinOneSecond() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.command("CREATE Idle");
            c.command("SELECT Idle");
            c.send("i1 IDLE\r\n");
            assertThat(c.readLine()).startsWith("+ ");
            long start = System.nanoTime();
            deliver("Idle", "ping");
            c.setTimeout(1000);
            assertThat(c.readLine()).isEqualTo("* 1 EXISTS");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).isLessThan(1000);
            c.setTimeout(10_000);
            c.send("DONE\r\n");
            List<String> rest = c.until("i1");
            assertThat(last(rest)).startsWith("i1 OK");
        }
    }
}
