package org.facteur.pop3.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.facteur.pop3.testing.Pop3TestServer.ALICE;
import static org.facteur.pop3.testing.Pop3TestServer.PASSWORD;
import static org.facteur.pop3.testing.Pop3TestServer.message;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.facteur.pop3.testing.Pem;
import org.facteur.pop3.testing.Pop3TestServer;
import org.facteur.pop3.testing.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code openssl s_client}: POP3S (RFC 8314) and STLS (RFC 2595), certificate verified against the test CA. */
class OpensslTest {

    @TempDir
    Path dir;
    @TempDir
    Path temp;
    private Pop3TestServer server;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Processes.available("openssl"), "openssl is not installed");
        server = Pop3TestServer.start(temp);
        server.deliver(ALICE, message("over openssl", "Body\r\n"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Processes.Result sClient(int port, List<String> extra, String script) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-verify_hostname", "localhost", "-verify_return_error",
                "-CAfile", Pem.testCa(dir).toString(), "-crlf", "-quiet"));
        command.addAll(extra);
        // -quiet implies -ign_eof: s_client runs until the server closes after QUIT.
        return Processes.run(command, script, dir, Map.of());
    }

    private static String plain() {
        return Base64.getEncoder().encodeToString(("\0" + ALICE + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pop3sWithUserPass() throws Exception {
        Processes.Result r = sClient(server.tlsPort(), List.of(),
                "CAPA\nUSER " + ALICE + "\nPASS " + PASSWORD + "\nSTAT\nRETR 1\nQUIT\n");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("verify return:1", "+OK localhost Facteur POP3 server ready", "USER\r\n",
                "+OK Logged in", "+OK 1 ", "Subject: over openssl", "Body", "+OK Bye");
        assertThat(r.output()).doesNotContain("-ERR");
    }

    @Test
    void stlsWithAuthPlain() throws Exception {
        Processes.Result r = sClient(server.stlsPort(), List.of("-starttls", "pop3"),
                "CAPA\nAUTH PLAIN " + plain() + "\nLIST\nQUIT\n");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("verify return:1", "SASL SCRAM-SHA-256 PLAIN LOGIN", "+OK Logged in", "+OK 1 messages",
                "+OK Bye").doesNotContain("STLS\r\n");
    }

    @Test
    void tls11IsRefused() throws Exception {
        Processes.Result r = sClient(server.tlsPort(), List.of("-tls1_1"), "QUIT\n");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).doesNotContain("+OK");
    }
}
