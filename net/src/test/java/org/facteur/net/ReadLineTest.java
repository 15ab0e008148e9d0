package org.facteur.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Connection#readLine} over a real socket: terminators, the length limit, recovery, EOF. */
class ReadLineTest {

    static final int MAX = 16;
    TcpServer server;

    @BeforeEach
    void start() throws IOException {
        server = new TcpServer("readline-test", ListenerConfig.loopback(TlsMode.PLAIN), null,
                () -> TestServers.limits(10, 10, Duration.ofSeconds(30), MAX, Duration.ofSeconds(5)),
                TestServers.handler(c -> {
                    while (true) {
                        try {
                            Line line = c.readLine(MAX);
                            if (line.text().startsWith("LIT ")) {
                                byte[] data = c.readExactly(Integer.parseInt(line.text().substring(4)));
                                c.writeLine("DATA " + new String(data, StandardCharsets.US_ASCII));
                                continue;
                            }
                            c.writeLine("LINE " + line.length() + " " + (line.crlf() ? "crlf" : "lf") + " "
                                    + line.text().replace("\r", "<CR>"));
                        } catch (LineTooLongException e) {
                            c.writeLine("TOO LONG " + e.limit());
                        } catch (EOFException e) {
                            c.writeLine("EOF " + e.getMessage());
                            return;
                        }
                    }
                })).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void terminatorsAreReported() throws IOException {
        try (Socket s = TestServers.connect(server)) {
            TestServers.send(s, "hello\r\nbare\na\rb\r\n\r\n");
            InputStream in = s.getInputStream();
            assertThat(TestServers.readLine(in)).isEqualTo("LINE 5 crlf hello");
            assertThat(TestServers.readLine(in)).isEqualTo("LINE 4 lf bare");
            assertThat(TestServers.readLine(in)).as("a CR inside a line stays").isEqualTo("LINE 3 crlf a<CR>b");
            assertThat(TestServers.readLine(in)).isEqualTo("LINE 0 crlf ");
        }
    }

    @Test
    void theLimitIsExactAndTheSessionGoesOnAfterALongLine() throws IOException {
        try (Socket s = TestServers.connect(server)) {
            InputStream in = s.getInputStream();
            TestServers.send(s, "x".repeat(MAX) + "\r\n");
            assertThat(TestServers.readLine(in)).isEqualTo("LINE 16 crlf " + "x".repeat(MAX));
            TestServers.send(s, "x".repeat(MAX + 1) + "\r\n");
            assertThat(TestServers.readLine(in)).isEqualTo("TOO LONG 16");
            TestServers.send(s, "y".repeat(MAX + 1) + "\n");
            assertThat(TestServers.readLine(in)).isEqualTo("TOO LONG 16");
            // A long line spread over many reads is consumed to its end, and the next command is read normally.
            TestServers.send(s, "z".repeat(100_000));
            TestServers.send(s, "z".repeat(100_000) + "\r\nnext\r\n");
            assertThat(TestServers.readLine(in)).isEqualTo("TOO LONG 16");
            assertThat(TestServers.readLine(in)).isEqualTo("LINE 4 crlf next");
        }
    }

    @Test
    void literalsShareTheLineBuffer() throws IOException {
        try (Socket s = TestServers.connect(server)) {
            TestServers.send(s, "LIT 5\r\nabcdeafter\r\n");
            InputStream in = s.getInputStream();
            assertThat(TestServers.readLine(in)).isEqualTo("DATA abcde");
            assertThat(TestServers.readLine(in)).isEqualTo("LINE 5 crlf after");
        }
    }

    @Test
    void endOfStreamInTheMiddleOfALine() throws IOException {
        try (Socket s = TestServers.connect(server)) {
            TestServers.send(s, "partial");
            s.shutdownOutput();
            assertThat(TestServers.readLine(s.getInputStream())).isEqualTo("EOF connection closed in the middle of a line");
        }
        try (Socket s = TestServers.connect(server)) {
            s.shutdownOutput();
            assertThat(TestServers.readLine(s.getInputStream())).isEqualTo("EOF connection closed");
        }
    }

    @Test
    void anEndlessLineEndsTheSession() throws Exception {
        try (Socket s = TestServers.connect(server)) {
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'g');
            assertThatThrownBy(() -> {
                for (int i = 0; i < 200; i++) { // up to 12.5 MiB; the server gives up after 1 MiB
                    s.getOutputStream().write(chunk);
                }
                s.getOutputStream().flush();
                if (s.getInputStream().read() < 0) {
                    throw new EOFException("closed by the server");
                }
            }).isInstanceOfAny(SocketException.class, EOFException.class);
        }
        TestServers.await(() -> server.openConnections() == 0);
    }
}
