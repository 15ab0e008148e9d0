package org.facteur.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.facteur.net.TlsContexts;
import org.facteur.net.TlsMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole server from a generated configuration in a temporary data folder, on free ports: every listener
 * completes TLS 1.3 with the generated certificate (implicitly, or after the protocol's STARTTLS) and refuses
 * TLS 1.1; {@code reload} reaches the running server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {

    @TempDir
    static Path dir;

    private Facteur facteur;
    private Setup.Prepared prepared;
    private X509Certificate certificate;

    @BeforeAll
    void start() throws Exception {
        ConfigLocation location = ConfigLocation.of(null, dir.resolve("data"));
        prepared = Setup.prepare(location, c -> localOnly(PortPolicy.ephemeral(c)), Optional.empty());
        assertThat(prepared.notes()).anyMatch(n -> n.startsWith("created the admin account admin@"));
        facteur = Facteur.start(location);
        certificate = TlsContexts.readCertificates(prepared.layout().certificate(prepared.config().tls())).getFirst();
    }

    /** Loopback only: a test must not open ports to the network. */
    private static FacteurConfig localOnly(FacteurConfig c) {
        return ConfigTrees.map(c, (path, component, value) ->
                component.getName().equals("address") && "0.0.0.0".equals(value) ? "127.0.0.1" : value);
    }

    @AfterAll
    void stop() {
        if (facteur != null) {
            facteur.close();
        }
    }

    @Test
    void everyListenerIsUp() {
        List<String> names = facteur.endpoints().stream().map(Endpoint::name).toList();
        assertThat(names).contains("smtp", "submission", "submissions", "imap", "imaps", "pop3", "pop3s");
    }

    @Test
    void everyListenerSpeaksTls13WithTheGeneratedCertificate() throws Exception {
        for (Endpoint e : facteur.endpoints()) {
            try (SSLSocket tls = connect(e, new String[] {"TLSv1.3"})) {
                tls.startHandshake();
                assertThat(tls.getSession().getProtocol()).as(e.name()).isEqualTo("TLSv1.3");
                assertThat(tls.getSession().getPeerCertificates()[0]).as(e.name()).isEqualTo(certificate);
            }
        }
    }

    @Test
    void everyListenerRefusesTls11() throws Exception {
        for (Endpoint e : facteur.endpoints()) {
            assertThatThrownBy(() -> {
                try (SSLSocket tls = connect(e, new String[] {"TLSv1.1"})) {
                    tls.startHandshake();
                }
            }).as(e.name()).isInstanceOf(SSLException.class);
        }
    }

    @Test
    void opensslAgrees() throws Exception {
        if (!onPath("openssl")) {
            return; // the Java client above covers the same ground
        }
        Path ca = prepared.layout().certificate(prepared.config().tls());
        for (Endpoint e : facteur.endpoints()) {
            List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + e.port(),
                    "-servername", "localhost", "-CAfile", ca.toString(), "-verify_return_error"));
            if (e.tls() == TlsMode.STARTTLS) {
                command.addAll(List.of("-starttls", e.name().startsWith("pop3") ? "pop3"
                        : e.name().startsWith("imap") ? "imap" : "smtp"));
            }
            String ok = openssl(command, "-tls1_3");
            assertThat(ok).as(e.name()).contains("TLSv1.3").contains("Verify return code: 0 (ok)");
            String refused = openssl(command, "-tls1_1");
            assertThat(refused).as(e.name()).doesNotContain("Cipher is TLS");
        }
    }

    @Test
    void reloadReachesTheRunningServer() throws Exception {
        assertThat(ReloadControl.running(prepared.layout())).isPresent();
        Optional<String> answer = ReloadControl.request(prepared.layout(), Duration.ofSeconds(60));
        assertThat(answer).hasValueSatisfying(a -> assertThat(a).startsWith("configuration unchanged; certificate reloaded"));
    }

    private SSLSocket connect(Endpoint e, String[] protocols) throws Exception {
        Socket plain = new Socket("127.0.0.1", e.port());
        plain.setSoTimeout(30_000);
        if (e.tls() == TlsMode.STARTTLS) {
            startTls(e.name(), plain);
        }
        SSLSocket tls = (SSLSocket) trustingGenerated().createSocket(plain, "localhost", e.port(), true);
        tls.setEnabledProtocols(protocols);
        return tls;
    }

    /** Speaks just enough of each protocol to ask for TLS: RFC 3207, RFC 9051 §6.2.1, RFC 2595 §4. */
    private static void startTls(String name, Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream();
        String greeting = in.readLine();
        if (name.startsWith("imap")) {
            assertThat(greeting).startsWith("* OK");
            out.write("a STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readUntilTagged(in, "a ")).startsWith("a OK");
        } else if (name.startsWith("pop3")) {
            assertThat(greeting).startsWith("+OK");
            out.write("STLS\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).startsWith("+OK");
        } else {
            assertThat(greeting).startsWith("220");
            while (greeting.startsWith("220-")) {
                greeting = in.readLine();
            }
            out.write("EHLO client.example\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line;
            do {
                line = in.readLine();
            } while (line.startsWith("250-"));
            out.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).startsWith("220");
        }
    }

    private static String readUntilTagged(BufferedReader in, String tag) throws IOException {
        String line;
        do {
            line = in.readLine();
        } while (line != null && !line.startsWith(tag));
        return line;
    }

    private SSLSocketFactory trustingGenerated() throws Exception {
        return MailClients.trusting(certificate);
    }

    private static String openssl(List<String> command, String version) throws Exception {
        List<String> full = new ArrayList<>(command);
        full.add(version);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        p.getOutputStream().close(); // s_client ends when its input does
        byte[] output = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(output, StandardCharsets.UTF_8);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
