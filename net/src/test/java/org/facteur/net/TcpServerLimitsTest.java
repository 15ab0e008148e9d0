package org.facteur.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection limits, timeouts and shutdown, over real loopback sockets. */
class TcpServerLimitsTest {

    final AtomicReference<ConnectionLimits> limits = new AtomicReference<>(
            TestServers.limits(10, 2, Duration.ofSeconds(30), 1000, Duration.ofSeconds(5)));
    final List<Socket> clients = new ArrayList<>();
    TcpServer server;

    /** Greets, then echoes lines until the client leaves. */
    TcpServer start(TlsMode mode) throws IOException {
        server = new TcpServer("limits-test", ListenerConfig.loopback(mode),
                mode == TlsMode.PLAIN ? null : org.facteur.net.testing.TestPki.shared().serverTls(), limits::get,
                TestServers.handler(c -> {
                    c.writeLine("HELLO");
                    while (true) {
                        c.writeLine("ECHO " + c.readLine(1000).text());
                    }
                })).start();
        return server;
    }

    Socket client() throws IOException {
        Socket s = TestServers.connect(server);
        clients.add(s);
        return s;
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tooManyConnectionsFromOneAddressAreRefusedPolitely() throws Exception {
        start(TlsMode.PLAIN);
        Socket a = client();
        Socket b = client();
        assertThat(TestServers.readLine(a.getInputStream())).isEqualTo("HELLO");
        assertThat(TestServers.readLine(b.getInputStream())).isEqualTo("HELLO");
        Socket c = client();
        assertThat(TestServers.readLine(c.getInputStream())).isEqualTo("BYE Too many connections from your address, try again later");
        c.close();
        a.close();
        TestServers.await(() -> server.openConnections() == 1);
        Socket d = client();
        assertThat(TestServers.readLine(d.getInputStream())).as("a slot freed up").isEqualTo("HELLO");
        TestServers.send(d, "still here\r\n");
        assertThat(TestServers.readLine(d.getInputStream())).isEqualTo("ECHO still here");
    }

    @Test
    void theTotalLimitRefusesThenFarBeyondItConnectionsAreDropped() throws Exception {
        limits.set(TestServers.limits(1, 10, Duration.ofSeconds(30), 1000, Duration.ofSeconds(5)));
        start(TlsMode.PLAIN);
        Socket a = client();
        assertThat(TestServers.readLine(a.getInputStream())).isEqualTo("HELLO");
        Socket b = client();
        assertThat(TestServers.readLine(b.getInputStream())).isEqualTo("BYE Too many connections, try again later");
        Socket c = client();
        assertThat(c.getInputStream().read()).as("dropped without a word past twice the limit").isEqualTo(-1);
        TestServers.send(a, "ok\r\n");
        assertThat(TestServers.readLine(a.getInputStream())).isEqualTo("ECHO ok");
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        limits.set(TestServers.limits(10, 10, Duration.ofMillis(300), 1000, Duration.ofSeconds(5)));
        start(TlsMode.PLAIN);
        Socket a = client();
        InputStream in = a.getInputStream();
        assertThat(TestServers.readLine(in)).isEqualTo("HELLO");
        long start = System.nanoTime();
        assertThat(in.read()).isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(8));
        TestServers.await(() -> server.openConnections() == 0);
    }

    @Test
    void aSilentOrTricklingTlsHandshakeIsCutAtTheDeadline() throws Exception {
        limits.set(TestServers.limits(10, 10, Duration.ofSeconds(30), 1000, Duration.ofMillis(500)));
        start(TlsMode.IMPLICIT);
        Socket silent = client();
        long start = System.nanoTime();
        assertThat(silent.getInputStream().read()).isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));

        // One byte of a ClientHello every 100 ms never trips a 500 ms read timeout; the deadline still applies.
        Socket trickle = client();
        start = System.nanoTime();
        assertThatThrownBy(() -> {
            byte[] header = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
            for (int i = 0; i < 60; i++) {
                trickle.getOutputStream().write(header[i % header.length]);
                trickle.getOutputStream().flush();
                Thread.sleep(100);
            }
        }).isInstanceOf(SocketException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(5500));
    }

    @Test
    void aClientThatStopsReadingIsCutWhenAWriteOutlastsTheIdleTimeout() throws Exception {
        limits.set(TestServers.limits(10, 10, Duration.ofMillis(500), 1000, Duration.ofSeconds(5)));
        java.util.concurrent.atomic.AtomicReference<Throwable> ended = new java.util.concurrent.atomic.AtomicReference<>();
        server = new TcpServer("write-test", ListenerConfig.loopback(TlsMode.PLAIN), null, limits::get,
                TestServers.handler(c -> {
                    byte[] chunk = new byte[64 * 1024];
                    try {
                        for (int i = 0; i < 2000; i++) { // 128 MB: far more than the socket buffers hold
                            c.write(chunk);
                        }
                        c.flush();
                    } catch (IOException e) {
                        ended.set(e);
                        throw e;
                    }
                })).start();
        Socket reader = client();
        reader.setReceiveBufferSize(4096);
        long start = System.nanoTime();
        TestServers.await(() -> ended.get() != null);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        TestServers.await(() -> server.openConnections() == 0);
    }

    @Test
    void closeEndsOpenSessionsAndStopsListening() throws Exception {
        start(TlsMode.PLAIN);
        Socket a = client();
        assertThat(TestServers.readLine(a.getInputStream())).isEqualTo("HELLO");
        int port = server.localPort();
        server.close();
        assertThat(a.getInputStream().read()).isEqualTo(-1);
        assertThat(server.openConnections()).isZero();
        // Refused, normally. On a busy shared machine another process may bind the freed port at once (or the
        // connect may land on itself): then at least it must not be us answering.
        try (Socket after = new Socket("127.0.0.1", port)) {
            after.setSoTimeout(500);
            String greeting;
            try {
                greeting = TestServers.readLine(after.getInputStream());
            } catch (java.net.SocketTimeoutException | SocketException silent) {
                greeting = null;
            }
            assertThat(greeting).isNotEqualTo("HELLO");
        } catch (ConnectException refused) {
            // the expected case
        }
    }
}
