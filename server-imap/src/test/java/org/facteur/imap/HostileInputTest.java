package org.facteur.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.facteur.imap.testing.RawImapClient.last;

import java.nio.charset.StandardCharsets;
import org.facteur.imap.testing.ImapTestServer;
import org.facteur.imap.testing.RawImapClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

/**
 * Malformed and hostile input: each gets BAD or NO with a response code and the session goes on, or BYE when a
 * limit leaves no safe way to continue; never a stack trace, never a hung session.
 */
class HostileInputTest {

    static ImapTestServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        ImapConfig d = ImapTestServer.testConfig();
        server = ImapTestServer.start(new ImapConfig(d.address(), 0, 0, d.clientAuth(), d.hostname(), d.connections(), d.maxLineLength(),
                d.maxLiteralSize(), d.appendLimit(), 500, d.maxNesting(), d.idleTimeout(), d.maxAuthFailures(), true), dir);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static void assertAlive(RawImapClient c) throws Exception {
        assertThat(last(c.command("NOOP"))).contains("OK NOOP completed");
    }

    @Test
    void commandsBeforeLoginAreRefusedAndTheSessionGoesOn() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort())) {
            c.readResponse();
            assertThat(last(c.command("SELECT INBOX"))).matches("t1 BAD \\[CLIENTBUG\\] SELECT is not valid before login");
            assertThat(last(c.command("FETCH 1 FLAGS"))).contains("BAD [CLIENTBUG]");
            assertThat(last(c.command("UID FOO 1"))).contains("BAD [CLIENTBUG] Unknown command");
            assertThat(last(c.command("XYZZY"))).contains("BAD [CLIENTBUG] Unknown command");
            assertAlive(c);
        }
    }

    @Test
    void syntaxErrorsGetBad() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.command("SELECT INBOX");
            assertThat(last(c.command("FETCH 1:* (FLAGS UID"))).contains("BAD");
            assertThat(last(c.command("FETCH 1:* FLAGS UID)"))).contains("BAD");
            assertThat(last(c.command("SEARCH (OR SEEN"))).contains("BAD");
            assertThat(last(c.command("SEARCH ((((SEEN)))"))).contains("BAD");
            assertThat(last(c.command("STORE 1 +FLAGS (\\Bogus)"))).contains("BAD");
            assertThat(last(c.command("LOGIN a"))).contains("BAD");
            assertThat(last(c.command("SELECT \"unterminated"))).contains("BAD");
            assertThat(last(c.command("APPEND INBOX (\\Seen) \"not a date\" {3+}\r\nabc"))).contains("BAD");
            c.send("\r\n");
            assertThat(c.readLine()).startsWith("* BAD [CLIENTBUG]");
            c.send("+ NOOP\r\n");
            assertThat(c.readLine()).startsWith("* BAD");
            assertAlive(c);
        }
    }

    @Test
    void eightBitInAnAtomIsBad() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.sendBytes("x1 SELECT \u00e9t\u00e9\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(c.readLine()).startsWith("x1 BAD").contains("8-bit");
            c.sendBytes("x\u00e9 NOOP\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(c.readLine()).startsWith("* BAD");
            assertAlive(c);
        }
    }

    @Test
    void deepNestingHitsTheLimit() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.command("SELECT INBOX");
            String deep = "(".repeat(100) + "ALL" + ")".repeat(100);
            assertThat(last(c.command("SEARCH " + deep))).contains("BAD [LIMIT]");
            String notNot = "NOT ".repeat(2000) + "ALL";
            assertThat(last(c.command("SEARCH " + notNot))).contains("BAD [LIMIT]");
            assertAlive(c);
        }
    }

    @Test
    void hugeSequenceSetsHitALimit() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.command("SELECT INBOX");
            StringBuilder set = new StringBuilder();
            for (int i = 1; i <= 1000; i++) {
                set.append(i * 2).append(',');
            }
            set.setLength(set.length() - 1);
            // Within the line limit but over a lowered element count: BAD [LIMIT] and the session goes on.
            assertThat(last(c.command("UID FETCH " + set + " FLAGS"))).matches("t\\d+ BAD \\[LIMIT\\].*");
            assertAlive(c);
            StringBuilder huge = new StringBuilder();
            for (int i = 1; i <= 100_000; i++) {
                huge.append(i).append(',');
            }
            huge.setLength(huge.length() - 1);
            // 100,000 elements do not fit the 8 KB line limit: the line is consumed and the session ends with BYE.
            c.send("h1 UID FETCH " + huge + " FLAGS\r\n");
            assertThat(c.readLine()).startsWith("* BYE [TOOBIG]");
        }
    }

    @Test
    void literalsOverTheLimit() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort()).login()) {
            c.send("l1 APPEND INBOX {999999999999}\r\n");
            assertThat(c.readLine()).startsWith("l1 NO [TOOBIG]");
            c.send("l2 LOGIN {100000}\r\n");
            assertThat(c.readLine()).startsWith("l2 NO [TOOBIG]");
            c.send("l3 APPEND INBOX {5}\r\n");
            assertThat(c.readLine()).startsWith("+");
            c.send("hello\r\n");
            assertThat(c.readLine()).startsWith("l3 OK [APPENDUID");
            assertAlive(c);
            // A non-synchronising literal over the limit is already on its way: BYE and close.
            c.send("l4 APPEND INBOX {999999999+}\r\n");
            assertThat(c.readLine()).startsWith("* BYE [TOOBIG]");
        }
    }

    @Test
    void tooManyAuthenticationFailuresEndTheSession() throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort())) {
            c.readResponse();
            for (int i = 0; i < server.config().maxAuthFailures() - 1; i++) {
                assertThat(last(c.command("LOGIN alice@example.test nope"))).contains("NO [AUTHENTICATIONFAILED]");
            }
            c.send("z LOGIN alice@example.test nope\r\n");
            assertThat(c.readLine()).startsWith("z NO [AUTHENTICATIONFAILED]");
            assertThat(c.readLine()).startsWith("* BYE");
        }
    }
}
