package org.facteur.pop3.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.facteur.pop3.testing.Pop3TestServer.ALICE;
import static org.facteur.pop3.testing.Pop3TestServer.PASSWORD;
import static org.facteur.pop3.testing.Pop3TestServer.message;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.facteur.pop3.testing.Pop3Client;
import org.facteur.pop3.testing.Pop3TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input of every kind gets -ERR and the session goes on (RFC 1939 §3, RFC 2449 §4). */
class MalformedInputTest {

    // One server for the class: none of these tests changes the maildrop for good, and a real store and
    // directory per test would make the class slow.
    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path temp;
    private static Pop3TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = Pop3TestServer.start(temp);
        server.deliver(ALICE, message("one", "body\r\n"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private Pop3Client alice() throws Exception {
        // The previous test's session may still be ending (its client closed without QUIT).
        Pop3SessionTest.waitFor(() -> server.server().lockedMaildrops() == 0);
        return Pop3Client.tls(server.tlsPort()).login(ALICE, PASSWORD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"STAT", "LIST", "RETR 1", "DELE 1", "RSET", "NOOP", "TOP 1 1", "UIDL"})
    void transactionCommandsBeforeLogin(String command) throws Exception {
        try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
            assertThat(c.command(command)).startsWith("-ERR").contains("AUTHORIZATION");
            assertThat(c.command("CAPA")).startsWith("+OK");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"USER x", "PASS x", "AUTH PLAIN", "STLS", "UTF8"})
    void authorizationCommandsAfterLogin(String command) throws Exception {
        try (Pop3Client c = alice()) {
            assertThat(c.command(command)).startsWith("-ERR").contains("TRANSACTION");
            assertThat(c.command("STAT")).startsWith("+OK 1 ");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RETR", "RETR 0", "RETR 2", "RETR -1", "RETR +1", "RETR 1a", "RETR 0x1",
            "RETR 99999999999999999999999", "RETR 1 2", "TOP 1", "TOP 1 -1", "TOP 1 x", "TOP x 1", "LIST 1 2",
            "LIST 0", "DELE", "DELE 5", "UIDL 7", "STAT 1", "NOOP x", "RSET 1", "LIST  1", "CAPA x"})
    void badArguments(String command) throws Exception {
        try (Pop3Client c = alice()) {
            assertThat(c.command(command)).startsWith("-ERR ");
            assertThat(c.command("STAT")).startsWith("+OK 1 ");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "HELO", "APOP alice 0123456789abcdef", "X", "EHLO example.org",
            "GET / HTTP/1.1", "\u00e9t\u00e9"})
    void unknownOrEmptyCommands(String command) throws Exception {
        try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
            assertThat(c.command(command)).startsWith("-ERR ");
            assertThat(c.command("NOOP")).startsWith("-ERR"); // out of state, still answered
            Pop3SessionTest.waitFor(() -> server.server().lockedMaildrops() == 0);
            c.login(ALICE, PASSWORD);
        }
    }

    @Test
    void overlongLineIsRefusedAndTheSessionGoesOn() throws Exception {
        try (Pop3Client c = alice()) {
            assertThat(c.command("LIST " + "1".repeat(300))).startsWith("-ERR Line too long");
            assertThat(c.command("STAT")).startsWith("+OK 1 ");
            // 100 KB in one line: read and dropped, never buffered whole; the session goes on.
            c.sendRaw(("NOOP " + "x".repeat(100 * 1024) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readLine()).startsWith("-ERR Line too long");
            assertThat(c.command("NOOP")).isEqualTo("+OK");
        }
    }

    @Test
    void endlessLineClosesTheConnection() throws Exception {
        try (Pop3Client c = alice()) {
            // Past 1 MiB without LF the client is streaming garbage: one -ERR, then the connection is closed.
            try {
                c.sendRaw(("NOOP " + "x".repeat(2 << 20)).getBytes(StandardCharsets.US_ASCII));
            } catch (java.net.SocketException closedWhileSending) {
                // the server may close before the client has sent everything
            }
            assertThat(c.readLine()).startsWith("-ERR Line too long and never ends");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void controlCharactersAndInvalidUtf8() throws Exception {
        try (Pop3Client c = alice()) {
            c.sendRaw("STAT\0\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readLine()).startsWith("-ERR Control");
            c.sendRaw(new byte[] {'L', 'I', 'S', 'T', ' ', (byte) 0xff, '\r', '\n'});
            assertThat(c.readLine()).startsWith("-ERR Command is not valid UTF-8");
            c.sendRaw("LIST 1\rRETR 1\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readLine()).startsWith("-ERR Control");
            assertThat(c.command("STAT")).startsWith("+OK");
        }
    }

    @Test
    void bareLfLineEndingsAreAccepted() throws Exception {
        try (Pop3Client c = alice()) {
            c.sendRaw("STAT\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readLine()).startsWith("+OK 1 ");
        }
    }

    @Test
    void tooManyBadCommandsCloseTheConnection() throws Exception {
        try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
            StringBuilder junk = new StringBuilder();
            for (int i = 0; i < 25; i++) {
                junk.append("JUNK\r\n");
            }
            c.sendRaw(junk.toString().getBytes(StandardCharsets.US_ASCII));
            String line;
            int errors = 0;
            while ((line = c.readLine()) != null) {
                assertThat(line).startsWith("-ERR");
                errors++;
            }
            assertThat(errors).isEqualTo(21); // 20 answers, then the closing one
        }
    }

    @Test
    void randomBytesNeverCrashTheServer() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 5; round++) {
            try (Pop3Client c = Pop3Client.tls(server.tlsPort())) {
                byte[] junk = new byte[2000];
                random.nextBytes(junk);
                c.sendRaw(junk);
                c.sendRaw("\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                String line;
                while ((line = c.readLine()) != null) {
                    assertThat(line).matches("^(\\+OK|-ERR).*");
                }
            } catch (java.io.IOException lineWithoutCrlf) {
                throw new AssertionError(lineWithoutCrlf);
            }
        }
        try (Pop3Client c = alice()) {
            assertThat(c.command("STAT")).startsWith("+OK 1 ");
        }
    }

    @Test
    void truncatedCommandThenCloseReleasesEverything() throws Exception {
        Pop3Client c = alice();
        c.command("DELE 1");
        c.sendRaw("RET".getBytes(StandardCharsets.US_ASCII));
        c.close();
        Pop3SessionTest.waitFor(() -> server.server().lockedMaildrops() == 0);
        try (Pop3Client again = alice()) {
            assertThat(again.command("STAT")).startsWith("+OK 1 ");
        }
    }

    @Test
    void refusedWhenOverTheConnectionLimit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path own) throws Exception {
        try (Pop3TestServer limited = Pop3TestServer.start(own, cfg -> new org.facteur.pop3.Pop3Config(cfg.enabled(),
                cfg.address(), cfg.port(), cfg.tlsPort(), cfg.clientAuth(), cfg.hostname(), cfg.folder(),
                cfg.leaveOnServer(), cfg.maxMessages(), cfg.limits(), new org.facteur.net.ConnectionLimits(1, 1,
                        java.time.Duration.ofMinutes(1), 8192, java.time.Duration.ofSeconds(10))));
             Pop3Client first = Pop3Client.tls(limited.tlsPort())) {
            javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) org.facteur.net.testing.TestPki.shared()
                    .clientSocketFactory().createSocket("localhost", limited.tlsPort());
            try (s) {
                byte[] buffer = new byte[200];
                int n = s.getInputStream().read(buffer);
                assertThat(new String(buffer, 0, n, StandardCharsets.US_ASCII)).startsWith("-ERR [SYS/TEMP] ");
            }
            assertThat(first.command("CAPA")).startsWith("+OK"); // the first client is unaffected
        }
    }
}
