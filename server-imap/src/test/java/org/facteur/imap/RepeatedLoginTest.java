package org.facteur.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.facteur.imap.testing.RawImapClient.last;

import java.nio.file.Path;
import org.facteur.imap.testing.ImapTestServer;
import org.facteur.imap.testing.RawImapClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verified-password cache seen from a client over real TLS: a second IMAP LOGIN with the same password is
 * accepted without another Argon2id check, and a password changed in the directory refuses the old one at once.
 */
class RepeatedLoginTest {

    @TempDir
    Path dir;

    private static String login(ImapTestServer server, String user, String password) throws Exception {
        try (RawImapClient c = RawImapClient.implicitTls(server.implicitPort())) {
            c.readResponse();
            String answer = last(c.command("LOGIN " + user + " \"" + password + "\""));
            c.command("LOGOUT");
            return answer;
        }
    }

    @Test
    void aSecondLoginIsRememberedAndAPasswordChangeRefusesTheOldOneAtOnce() throws Exception {
        try (ImapTestServer server = ImapTestServer.start(dir)) {
            var auth = server.directory().saslAuthenticator();
            assertThat(login(server, ImapTestServer.USER, ImapTestServer.PASSWORD)).contains("OK");
            long checks = auth.argon2idChecks();
            assertThat(login(server, ImapTestServer.USER, ImapTestServer.PASSWORD)).contains("OK");
            assertThat(auth.argon2idChecks()).as("no second Argon2id").isEqualTo(checks);

            server.directory().directory().setPassword(ImapTestServer.USER, "changed-Pa55word");
            assertThat(login(server, ImapTestServer.USER, ImapTestServer.PASSWORD)).contains("NO [AUTHENTICATIONFAILED]");
            assertThat(login(server, ImapTestServer.USER, "changed-Pa55word")).contains("OK");
        }
    }
}
