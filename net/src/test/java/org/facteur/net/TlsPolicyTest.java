package org.facteur.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.facteur.net.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS 1.2/1.3 only, AEAD suites only, client certificates per listener: proven with real handshakes. */
class TlsPolicyTest {

    TcpServer server;

    TcpServer start(ClientAuth clientAuth) throws IOException {
        return start(clientAuth, TestPki.shared().serverTls());
    }

    TcpServer start(ClientAuth clientAuth, TlsContextProvider provider) throws IOException {
        server = new TcpServer("tls-test", new ListenerConfig("127.0.0.1", 0, TlsMode.IMPLICIT, clientAuth),
                provider, TestServers::defaults,
                TestServers.handler(c -> {
                    TlsInfo tls = c.tls().orElseThrow();
                    c.writeLine(tls.protocol() + " " + tls.cipherSuite() + " CERTS " + tls.peerCertificates().size());
                    c.flush();
                    c.readLine(100);
                })).start();
        return server;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Connects with {@code protocols} and {@code suites} (null: the JDK's defaults) and returns the greeting. */
    String greet(SSLContext context, String[] protocols, String[] suites) throws IOException {
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.localPort())) {
            s.setSoTimeout(10_000);
            if (protocols != null) {
                s.setEnabledProtocols(protocols);
            }
            if (suites != null) {
                s.setEnabledCipherSuites(suites);
            }
            s.startHandshake();
            return TestServers.readLine(s.getInputStream());
        }
    }

    String greetOrFail(SSLContext context, String[] protocols, String[] suites) {
        try {
            String line = greet(context, protocols, suites);
            return line == null ? "CLOSED" : line;
        } catch (IOException e) {
            return "FAILED " + e.getClass().getSimpleName();
        }
    }

    @Test
    void tls13AndTls12WithAeadSuitesSucceed() throws IOException {
        start(ClientAuth.NONE);
        assertThat(greet(TestPki.shared().clientContext(), new String[] {"TLSv1.3"}, null)).startsWith("TLSv1.3 TLS_AES_");
        assertThat(greet(TestPki.shared().clientContext(), new String[] {"TLSv1.2"}, null))
                .startsWith("TLSv1.2 TLS_ECDHE_ECDSA_WITH_").containsAnyOf("_GCM_", "CHACHA20");
    }

    @Test
    void tls12WithoutAnAeadSuiteFails() throws IOException {
        start(ClientAuth.NONE);
        assertThat(greetOrFail(TestPki.shared().clientContext(), new String[] {"TLSv1.2"},
                new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"}))
                .startsWith("FAILED");
    }

    /**
     * The JDK's own client refuses to offer TLS 1.1, so the hello is written by hand: the server must answer a
     * TLS 1.1 ClientHello with an alert (or by closing), and the same hello marked TLS 1.2 with a ServerHello.
     */
    @Test
    void aTls11ClientHelloIsRefused() throws IOException {
        start(ClientAuth.NONE);
        assertThat(firstRecordType(clientHello(0x0302, new int[] {0xC009, 0xC013, 0x002F, 0x0035}))).isIn(0x15, -1);
        assertThat(firstRecordType(clientHello(0x0301, new int[] {0xC009, 0xC013, 0x002F}))).isIn(0x15, -1);
        assertThat(firstRecordType(clientHello(0x0303, new int[] {0xC02B, 0xC02F}))).as("control: TLS 1.2").isEqualTo(0x16);
    }

    int firstRecordType(byte[] hello) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.localPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(hello);
            s.getOutputStream().flush();
            try {
                return s.getInputStream().read();
            } catch (java.net.SocketException reset) {
                return -1;
            }
        }
    }

    /** A minimal ClientHello (RFC 5246 §7.4.1.2) for {@code version} with ECDHE groups and signature algorithms. */
    static byte[] clientHello(int version, int[] suites) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        u16(body, suites.length * 2);
        for (int suite : suites) {
            u16(body, suite);
        }
        body.write(1);
        body.write(0); // null compression
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        u16(ext, 0x000a); // supported_groups: secp256r1, x25519
        u16(ext, 6);
        u16(ext, 4);
        u16(ext, 0x0017);
        u16(ext, 0x001d);
        u16(ext, 0x000b); // ec_point_formats: uncompressed
        u16(ext, 2);
        ext.write(1);
        ext.write(0);
        u16(ext, 0x000d); // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256
        u16(ext, 8);
        u16(ext, 6);
        u16(ext, 0x0403);
        u16(ext, 0x0804);
        u16(ext, 0x0401);
        u16(body, ext.size());
        body.writeBytes(ext.toByteArray());

        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        handshake.write(1); // client_hello
        handshake.write(0);
        u16(handshake, body.size());
        handshake.writeBytes(body.toByteArray());

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(0x16);
        u16(record, Math.min(version, 0x0301) == 0x0301 ? 0x0301 : version);
        u16(record, handshake.size());
        record.writeBytes(handshake.toByteArray());
        return record.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v & 0xff);
    }

    @Test
    void clientCertificatesNeedWantNone() throws IOException {
        SSLContext withCert = TestPki.shared().clientContext("CN=Alice,O=Example", "alice@example.test");
        SSLContext without = TestPki.shared().clientContext();

        start(ClientAuth.NEED);
        assertThat(greetOrFail(withCert, null, null)).endsWith("CERTS 2");
        assertThat(greetOrFail(without, null, null)).as("NEED refuses a client without one").matches("FAILED.*|CLOSED");
        server.close();

        start(ClientAuth.WANT);
        assertThat(greetOrFail(withCert, null, null)).endsWith("CERTS 2");
        assertThat(greetOrFail(without, null, null)).endsWith("CERTS 0");
        server.close();

        start(ClientAuth.NONE);
        assertThat(greetOrFail(withCert, null, null)).as("not asked, not sent").endsWith("CERTS 0");
    }

    /** The policy is built once per context: {@code replace} must rebuild it, client-certificate setting included. */
    @Test
    void replacedContextAppliesToNewConnections() throws Exception {
        TestPki pki = TestPki.shared();
        TlsContextProvider tls = new TlsContextProvider(
                TlsContexts.create(pki.serverKey(), List.of(pki.serverCertificate()), List.of()), false);
        SSLContext withCert = pki.clientContext("CN=Alice,O=Example", "alice@example.test");
        start(ClientAuth.WANT, tls);
        assertThat(greetOrFail(withCert, null, null)).as("no trust anchors: not asked").endsWith("CERTS 0");
        tls.replace(TlsContexts.create(pki.serverKey(), List.of(pki.serverCertificate()), List.of(pki.caCertificate())),
                true);
        assertThat(greetOrFail(withCert, null, null)).as("asked once the CA is trusted").endsWith("CERTS 2");
        assertThat(greetOrFail(pki.clientContext(), new String[] {"TLSv1.2"},
                new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"})).as("still no CBC suite").startsWith("FAILED");
    }

    @Test
    void opensslSClientRefusesTls11AndCompletesTls13(@TempDir Path temp) throws Exception {
        assumeTrue(onPath("openssl"), "openssl is not installed");
        start(ClientAuth.NONE);
        Path ca = temp.resolve("ca.pem");
        Files.writeString(ca, SelfSignedCertificate.pem(TestPki.shared().caCertificate()));
        Result tls13 = sClient("-tls1_3", "-CAfile", ca.toString(), "-verify_return_error");
        assertThat(tls13.output).contains("TLSv1.3").contains("Verify return code: 0 (ok)");
        assertThat(tls13.exit).isZero();
        // SECLEVEL=0 lets OpenSSL 3 offer TLS 1.1 at all; the refusal must then come from our server.
        Result tls11 = sClient("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");
        assertThat(tls11.exit).isNotZero();
        // OpenSSL still prints "Protocol : TLSv1.1" (what it offered) with no cipher: the server's alert 70 is the proof.
        assertThat(tls11.output).contains("alert protocol version").contains("Cipher is (NONE)");
        Result tls12cbc = sClient("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA");
        assertThat(tls12cbc.exit).as("no CBC suite").isNotZero();
    }

    /**
     * What an OpenSSL 3 client with its default groups (Postfix's smtp, Python's ssl, swaks) gets: X25519, the group
     * it sends its one key share for, in one round trip. A server that preferred a group the client sent no share
     * for would answer with a HelloRetryRequest (RFC 8446 §4.1.4): a second ClientHello and round trip on every
     * connection. {@code -msg} prints each handshake message, and a HelloRetryRequest is a ServerHello on the wire
     * (RFC 8446 §4.1.3), so one of each means none happened (a server run with
     * {@code -Djdk.tls.namedGroups=secp256r1} shows two of each and "ECDH, prime256v1").
     */
    @Test
    void opensslDefaultKeyShareIsTakenWithoutAHelloRetryRequest() throws Exception {
        assumeTrue(onPath("openssl"), "openssl is not installed");
        start(ClientAuth.NONE);
        Result result = sClient("-tls1_3", "-msg");
        assertThat(result.output).contains("Server Temp Key: X25519");
        assertThat(handshakeMessages(result.output, ">>>", "ClientHello")).isEqualTo(1);
        assertThat(handshakeMessages(result.output, "<<<", "ServerHello")).isEqualTo(1);
    }

    /** Lines of {@code openssl s_client -msg} output for one handshake message type sent ({@code >>>}) or received. */
    static long handshakeMessages(String output, String direction, String type) {
        return output.lines().filter(l -> l.startsWith(direction) && l.contains("Handshake") && l.endsWith(", " + type))
                .count();
    }

    record Result(int exit, String output) {
    }

    Result sClient(String... options) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("openssl", "s_client", "-connect",
                "127.0.0.1:" + server.localPort(), "-servername", "localhost"));
        command.addAll(java.util.List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
