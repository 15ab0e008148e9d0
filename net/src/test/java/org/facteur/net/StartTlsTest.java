package org.facteur.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.facteur.net.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** STARTTLS: cleartext sent after the command in the same packet is discarded, never run under TLS (CVE-2011-0411). */
class StartTlsTest {

    TcpServer server;

    @BeforeEach
    void start() throws IOException {
        server = new TcpServer("starttls-test", ListenerConfig.loopback(TlsMode.STARTTLS), TestPki.shared().serverTls(),
                () -> TestServers.limits(10, 10, Duration.ofSeconds(30), 1000, Duration.ofSeconds(2)),
                TestServers.handler(c -> {
                    c.writeLine("READY");
                    while (true) {
                        String line = c.readLine(1000).text();
                        if (line.equals("STARTTLS")) {
                            c.writeLine("GO " + (c.hasBufferedInput() ? "buffered" : "clean"));
                            c.startTls();
                        } else {
                            c.writeLine("GOT " + line + (c.isSecure() ? " over " + c.tls().orElseThrow().protocol() : " in clear"));
                        }
                    }
                })).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void commandsPipelinedBehindStarttlsAreDiscarded() throws IOException {
        try (Socket plain = TestServers.connect(server)) {
            assertThat(TestServers.readLine(plain.getInputStream())).isEqualTo("READY");
            TestServers.send(plain, "STARTTLS\r\nINJECTED\r\n"); // one write, one packet
            assertThat(TestServers.readLine(plain.getInputStream())).isEqualTo("GO buffered");
            SSLSocket tls = (SSLSocket) TestPki.shared().clientContext().getSocketFactory()
                    .createSocket(plain, "localhost", server.localPort(), true);
            tls.startHandshake();
            TestServers.send(tls, "AFTER\r\n");
            assertThat(TestServers.readLine(tls.getInputStream())).isEqualTo("GOT AFTER over " + tls.getSession().getProtocol());
        }
    }

    @Test
    void aCleanUpgrade() throws IOException {
        try (Socket plain = TestServers.connect(server)) {
            assertThat(TestServers.readLine(plain.getInputStream())).isEqualTo("READY");
            TestServers.send(plain, "before\r\n");
            assertThat(TestServers.readLine(plain.getInputStream())).isEqualTo("GOT before in clear");
            TestServers.send(plain, "STARTTLS\r\n");
            assertThat(TestServers.readLine(plain.getInputStream())).isEqualTo("GO clean");
            SSLSocket tls = (SSLSocket) TestPki.shared().clientContext().getSocketFactory()
                    .createSocket(plain, "localhost", server.localPort(), true);
            tls.setEnabledProtocols(new String[] {"TLSv1.3"});
            tls.startHandshake();
            TestServers.send(tls, "inside\r\n");
            assertThat(TestServers.readLine(tls.getInputStream())).isEqualTo("GOT inside over TLSv1.3");
        }
    }

    @Test
    void aClientThatNeverStartsTheHandshakeIsCutAtTheDeadline() throws Exception {
        try (Socket plain = TestServers.connect(server)) {
            assertThat(TestServers.readLine(plain.getInputStream())).isEqualTo("READY");
            TestServers.send(plain, "STARTTLS\r\n");
            assertThat(TestServers.readLine(plain.getInputStream())).isEqualTo("GO clean");
            long start = System.nanoTime();
            assertThat(plain.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
        }
    }
}
