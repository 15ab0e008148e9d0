package org.facteur.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.facteur.config.ConfigDefaults;

/** Small helpers for tests that run a {@link TcpServer} and talk to it over loopback sockets. */
final class TestServers {

    private TestServers() {
    }

    interface Session {
        void run(Connection connection) throws IOException;
    }

    static ConnectionLimits limits(int total, int perIp, Duration idle, int maxLine, Duration handshake) {
        return new ConnectionLimits(total, perIp, idle, maxLine, handshake);
    }

    static ConnectionLimits defaults() {
        return ConfigDefaults.of(ConnectionLimits.class);
    }

    /** A handler that runs {@code session} and refuses with "BYE reason", then waits for the client to leave. */
    static ConnectionHandler handler(Session session) {
        return new ConnectionHandler() {
            @Override
            public void handle(Connection connection) throws IOException {
                session.run(connection);
            }

            @Override
            public void refuse(Connection connection, String reason) throws IOException {
                connection.writeLine("BYE " + reason);
                connection.flush();
                // Hold the refused connection open until the client goes, so tests can stack connections.
                try {
                    while (connection.read(new byte[64], 0, 64) >= 0) {
                        // discard
                    }
                } catch (IOException ignored) {
                    // gone
                }
            }
        };
    }

    /** Reads one line (up to LF, CR LF stripped) byte by byte, so nothing after it is consumed; null at EOF. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static Socket connect(TcpServer server) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.localPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Waits up to 5 s for a condition that the server reaches asynchronously. */
    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached in 5 s");
            }
            Thread.sleep(20);
        }
    }
}
