package org.facteur.auth.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.facteur.auth.AuthConfig;
import org.facteur.auth.testing.TestDirectory;
import org.facteur.config.ConfigDefaults;
import org.facteur.net.Connection;
import org.facteur.net.ConnectionHandler;
import org.facteur.net.ConnectionLimits;
import org.facteur.net.ListenerConfig;
import org.facteur.net.TcpServer;
import org.facteur.net.TlsMode;
import org.facteur.net.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SASL EXTERNAL with real client certificates from the test CA over a real TLS socket: a tiny line protocol
 * on a {@link TcpServer} reads an authzid line, runs EXTERNAL with the connection's peer certificates and
 * answers with the offered mechanisms and the outcome.
 */
class ExternalOverTlsTest {

    @TempDir
    Path temp;
    TestDirectory fixture;
    TcpServer server;

    @BeforeEach
    void start() throws Exception {
        fixture = TestDirectory.create(temp);
        server = new TcpServer("external-test", ListenerConfig.loopback(TlsMode.IMPLICIT), TestPki.shared().serverTls(),
                () -> ConfigDefaults.of(ConnectionLimits.class), new ConnectionHandler() {
                    @Override
                    public void handle(Connection connection) throws java.io.IOException {
                        String authzid = connection.readLine(1000).text();
                        List<X509Certificate> chain = connection.tls().orElseThrow().peerCertificates();
                        assertThat(SaslContext.of("test", "localhost", connection).clientCertificates()).isEqualTo(chain);
                        SaslContext context = new SaslContext("test", "localhost", connection.remoteAddress().getAddress(),
                                connection.isSecure(), chain);
                        Authenticator auth = fixture.authenticator();
                        connection.writeLine("MECHS " + String.join(" ", auth.mechanisms(context)));
                        SaslExchange exchange = auth.start("EXTERNAL", context);
                        if (exchange == null) {
                            connection.writeLine("NOT OFFERED");
                            return;
                        }
                        SaslStep step = exchange.evaluate(authzid.getBytes(StandardCharsets.UTF_8));
                        connection.writeLine(switch (step) {
                            case SaslStep.Success s -> "OK " + s.account();
                            case SaslStep.Failure f -> "NO " + f.reason();
                            case SaslStep.Challenge c -> "CHALLENGE";
                        });
                    }

                    @Override
                    public void refuse(Connection connection, String reason) throws java.io.IOException {
                        connection.writeLine("BYE " + reason);
                    }
                }).start();
    }

    @AfterEach
    void stop() {
        server.close();
        fixture.close();
    }

    /** Connects with {@code client}, sends {@code authzid}, returns the two answer lines. */
    List<String> login(SSLContext client, String authzid) throws Exception {
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.localPort())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write((authzid + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            return List.of(in.readLine(), in.readLine());
        }
    }

    @Test
    void aCertificateWithTheAccountsEmailLogsIn() throws Exception {
        SSLContext alice = TestPki.shared().clientContext("CN=Alice Liddell,O=Example", TestDirectory.ALICE);
        assertThat(login(alice, "")).containsExactly("MECHS SCRAM-SHA-256 PLAIN LOGIN CRAM-MD5 EXTERNAL", "OK " + TestDirectory.ALICE);
        assertThat(login(alice, "ALICE@example.test").get(1)).isEqualTo("OK " + TestDirectory.ALICE);
        assertThat(login(alice, TestDirectory.ALICE_ALIAS_ADDRESS).get(1)).isEqualTo("OK " + TestDirectory.ALICE);
    }

    @Test
    void theAuthzidMustBeTheCertificatesAccount() throws Exception {
        SSLContext alice = TestPki.shared().clientContext("CN=Alice Liddell,O=Example", TestDirectory.ALICE);
        assertThat(login(alice, TestDirectory.BOB).get(1)).startsWith("NO Not authorized");
    }

    @Test
    void theSubjectEmailAddressAttributeMapsToo() throws Exception {
        SSLContext bob = TestPki.shared().clientContext("CN=Bob,EMAILADDRESS=bob@example.test,O=Example", null);
        assertThat(login(bob, "").get(1)).isEqualTo("OK " + TestDirectory.BOB);
    }

    @Test
    void anUnknownCertificateIsRefusedAndNoCertificateMeansNoExternal() throws Exception {
        SSLContext stranger = TestPki.shared().clientContext("CN=Stranger,O=Elsewhere", "stranger@elsewhere.test");
        assertThat(login(stranger, "").get(1)).startsWith("NO Authentication failed");
        assertThat(login(TestPki.shared().clientContext(), "")).containsExactly(
                "MECHS SCRAM-SHA-256 PLAIN LOGIN CRAM-MD5", "NOT OFFERED");
    }

    @Test
    void subjectAndIssuerRulesMapAsSendmailsCertSubjectAndCertIssuer() throws Exception {
        AuthConfig d = fixture.config();
        fixture.reconfigure(new AuthConfig(d.mechanisms(), d.subaddressSeparator(), d.hashing(), d.throttling(),
                new AuthConfig.External(false, List.of(
                        new AuthConfig.CertificateRule("CN=Some Other CA", "CN=([^,]+),O=Example Staff", "$1@example.test"),
                        new AuthConfig.CertificateRule("cn=facteur test ca", "CN=([^,]+),OU=Mail,O=Example Staff", "$1@example.test"))),
                d.senderPermissions(), d.passwordCache(), d.recipientCache()));
        SSLContext bobByRule = TestPki.shared().clientContext("O=Example Staff,OU=Mail,CN=bob", null);
        assertThat(login(bobByRule, "").get(1)).isEqualTo("OK " + TestDirectory.BOB);
        SSLContext wrongIssuerRule = TestPki.shared().clientContext("O=Example Staff,CN=bob", null);
        assertThat(login(wrongIssuerRule, "").get(1)).as("the only matching rule wants another issuer").startsWith("NO");
        SSLContext emailOnly = TestPki.shared().clientContext("CN=Alice,O=Example", TestDirectory.ALICE);
        assertThat(login(emailOnly, "").get(1)).as("e-mail mapping turned off").startsWith("NO");
    }
}
