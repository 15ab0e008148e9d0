package org.facteur.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.facteur.imap.testing.ImapTestServer;
import org.facteur.net.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python's imaplib (a real, independent client) over IMAPS and STARTTLS, run as a subprocess. */
class PythonImaplibTest {

    @TempDir
    Path dir;

    @Test
    void imaplibDrivesTheServer() throws Exception {
        Path script = dir.resolve("imaplib_client.py");
        try (var in = getClass().getResourceAsStream("/python/imaplib_client.py")) {
            Files.copy(in, script);
        }
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(TestPki.shared().caCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        try (ImapTestServer server = ImapTestServer.start(dir)) {
            Process p = new ProcessBuilder("python3", script.toString(), "localhost",
                    String.valueOf(server.implicitPort()), String.valueOf(server.starttlsPort()),
                    ImapTestServer.USER, ImapTestServer.PASSWORD, ca.toString())
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            boolean finished = p.waitFor(60, TimeUnit.SECONDS);
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!finished) {
                p.destroyForcibly();
            }
            assertThat(output).as(output).contains("done").doesNotContain("FAIL").doesNotContain("Traceback");
            assertThat(p.exitValue()).isZero();
        }
    }
}
