package org.facteur.pop3.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.facteur.pop3.testing.Pop3TestServer.ALICE;
import static org.facteur.pop3.testing.Pop3TestServer.PASSWORD;
import static org.facteur.pop3.testing.Pop3TestServer.message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.facteur.pop3.testing.Pem;
import org.facteur.pop3.testing.Pop3TestServer;
import org.facteur.pop3.testing.Processes;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MailboxEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fetchmail (the Debian package) polling over POP3S and STLS: it keeps mail with UIDL tracking, then fetches
 * and deletes it, while an IMAP view of the same INBOX is open and is told of the expunges.
 */
class FetchmailTest {

    @TempDir
    Path dir;
    @TempDir
    Path temp;
    private Pop3TestServer server;
    private Path ca;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Processes.available("fetchmail"), "fetchmail is not installed");
        server = Pop3TestServer.start(temp);
        ca = Pem.testCa(dir);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Processes.Result fetch(boolean implicitTls, String keepOptions) throws Exception {
        int port = implicitTls ? server.tlsPort() : server.stlsPort();
        Path mbox = dir.resolve("delivered.mbox");
        String rc = "set no syslog\n"
                + "set postmaster \"root\"\n"
                + "poll localhost via 127.0.0.1 port " + port + " proto POP3 uidl auth password timeout 20\n"
                + "  user \"" + ALICE + "\" there with password \"" + PASSWORD + "\" is root here\n"
                + "  options " + (implicitTls ? "ssl " : "") + "sslproto \"tls1.2+\" sslcertck sslcommonname \"localhost\" sslcertfile \"" + ca + "\"\n"
                + "  " + keepOptions + "\n"
                + "  mda \"cat >> " + mbox + "\"\n";
        Path rcFile = dir.resolve("fetchmailrc");
        Files.writeString(rcFile, rc);
        Files.setPosixFilePermissions(rcFile, PosixFilePermissions.fromString("rw-------"));
        return Processes.run(List.of("fetchmail", "-N", "-v", "-f", rcFile.toString(), "-i", dir.resolve("fetchids").toString(),
                "--pidfile", dir.resolve("fetchmail.pid").toString()), null, dir,
                Map.of("HOME", dir.toString(), "FETCHMAILHOME", dir.toString()));
    }

    private int deliveredCount() throws Exception {
        Path mbox = dir.resolve("delivered.mbox");
        if (!Files.exists(mbox)) {
            return 0;
        }
        return (int) Files.readAllLines(mbox).stream().filter(l -> l.startsWith("Subject: ")).count();
    }

    @Test
    void keepsWithUidlThenFetchesAndDeletesWhileImapWatches() throws Exception {
        server.deliver(ALICE, message("first", "one\r\n.\r\n"));
        server.deliver(ALICE, message("second", "two\r\n"));
        BlockingQueue<MailboxEvent> events = new LinkedBlockingQueue<>();
        try (Mailbox imap = server.store().account(ALICE).open("INBOX", false, events::add)) {
            // 1. POP3S, keep: both messages fetched, none deleted, UIDs remembered.
            Processes.Result keep = fetch(true, "keep");
            assertThat(keep.exitCode()).as(keep.output()).isZero();
            assertThat(deliveredCount()).isEqualTo(2);
            assertThat(imap.messages()).hasSize(2);

            // 2. STLS, keep: only the new message is fetched; UIDL values were stable.
            server.deliver(ALICE, message("third", "three\r\n"));
            Processes.Result again = fetch(false, "keep");
            assertThat(again.exitCode()).as(again.output()).isZero();
            assertThat(again.output()).contains("STLS");
            assertThat(deliveredCount()).isEqualTo(3);

            // 3. STLS, fetch all and delete: the IMAP view is told of every expunge.
            Processes.Result all = fetch(false, "fetchall nokeep");
            assertThat(all.exitCode()).as(all.output()).isZero();
            assertThat(deliveredCount()).isEqualTo(6);
            List<Long> expunged = new ArrayList<>();
            while (expunged.size() < 3) {
                MailboxEvent event = events.poll(5, TimeUnit.SECONDS);
                assertThat(event).as("expunge events so far: " + expunged).isNotNull();
                if (event instanceof MailboxEvent.Expunged e) {
                    expunged.addAll(e.uids());
                }
            }
            assertThat(imap.messages()).isEmpty();
            assertThat(Files.readString(dir.resolve("delivered.mbox"))).contains("\n.\n").doesNotContain("\n..\n");
        }
        // 4. Nothing left: fetchmail says so with exit code 1.
        assertThat(fetch(true, "fetchall nokeep").exitCode()).isEqualTo(1);
    }
}
