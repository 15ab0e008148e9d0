package org.facteur.pop3.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.facteur.pop3.testing.Pop3TestServer.ALICE;
import static org.facteur.pop3.testing.Pop3TestServer.PASSWORD;
import static org.facteur.pop3.testing.Pop3TestServer.message;

import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Python's poplib (a subprocess) over POP3S and STLS, with UTF-8 content and an IMAP view watching. */
class PythonPoplibTest {

    @TempDir
    Path dir;
    @TempDir
    Path temp;
    private Pop3TestServer server;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Processes.available("python3"), "python3 is not installed");
        server = Pop3TestServer.start(temp);
        server.deliver(ALICE, message("caf\u00e9", "Grüße\r\n.dot line\r\n"));
        server.deliver(ALICE, message("second", "two\r\n"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssl", "stls"})
    void retrievesAndDeletes(String mode) throws Exception {
        Path script = Path.of("src/test/resources/poplib_client.py").toAbsolutePath();
        Path ca = Pem.testCa(dir);
        int port = mode.equals("ssl") ? server.tlsPort() : server.stlsPort();
        BlockingQueue<MailboxEvent> events = new LinkedBlockingQueue<>();
        try (Mailbox imap = server.store().account(ALICE).open("INBOX", false, events::add)) {
            Processes.Result result = Processes.run(List.of("python3", script.toString(), mode, String.valueOf(port),
                    ca.toString(), ALICE, PASSWORD), null, dir, Map.of("PYTHONIOENCODING", "utf-8"));
            assertThat(result.exitCode()).as(result.output()).isZero();
            String json = result.output().strip();
            assertThat(json).contains("\"stat\": [2, ")
                    .contains("\"subjects\": [\"caf\\u00e9\", \"second\"]")
                    .contains("[\"Gr\\u00fc\\u00dfe\", \".dot line\"]")
                    .contains("\"utf8\": true")
                    .contains("\"retr_missing\": \"-ERR No such message; there are 2\"")
                    .contains("\"quit\": \"+OK Bye; 1 messages removed, 1 left\"");
            if (mode.equals("stls")) {
                assertThat(json).contains("\"capa_before_tls\": [\"AUTH-RESP-CODE\", \"IMPLEMENTATION\", \"PIPELINING\", "
                        + "\"RESP-CODES\", \"STLS\", \"TOP\", \"UIDL\", \"UTF8\"]");
            }
            assertThat(json).contains("\"USER\"");
            MailboxEvent event;
            do {
                event = events.poll(5, TimeUnit.SECONDS);
            } while (event != null && !(event instanceof MailboxEvent.Expunged));
            assertThat(event).isInstanceOf(MailboxEvent.Expunged.class);
            assertThat(imap.messages()).hasSize(1);
        }
        assertThat(Files.exists(dir)).isTrue();
    }
}
