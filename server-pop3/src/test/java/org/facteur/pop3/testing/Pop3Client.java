package org.facteur.pop3.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.facteur.net.testing.TestPki;

/** A raw POP3 client for scripted exchanges: send bytes, read lines exactly as the server wrote them. */
public final class Pop3Client implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private Pop3Client(Socket socket) throws IOException {
        use(socket);
        socket.setSoTimeout(10_000);
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        this.in = new BufferedInputStream(s.getInputStream());
        this.out = s.getOutputStream();
    }

    /** Cleartext connection to the STLS port; the greeting is read. */
    public static Pop3Client plain(int port) throws IOException {
        Pop3Client c = new Pop3Client(new Socket("127.0.0.1", port));
        c.readLine();
        return c;
    }

    /** Implicit TLS (POP3S) trusting the test CA; the greeting is read. */
    public static Pop3Client tls(int port) throws IOException {
        return tls(port, TestPki.shared().clientContext());
    }

    public static Pop3Client tls(int port, SSLContext context) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        s.startHandshake();
        Pop3Client c = new Pop3Client(s);
        c.readLine();
        return c;
    }

    /** Sends STLS and upgrades. */
    public Pop3Client stls() throws IOException {
        return stls(TestPki.shared().clientContext());
    }

    public Pop3Client stls(SSLContext context) throws IOException {
        return stls(context, "");
    }

    /** Sends STLS with {@code injected} cleartext in the same packet (an injection attempt), then upgrades. */
    public Pop3Client stls(String injected) throws IOException {
        return stls(TestPki.shared().clientContext(), injected);
    }

    private Pop3Client stls(SSLContext context, String injected) throws IOException {
        sendRaw(("STLS\r\n" + injected).getBytes(StandardCharsets.UTF_8));
        String answer = readLine();
        if (!answer.startsWith("+OK")) {
            throw new IOException("STLS refused: " + answer);
        }
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        use(s);
        return this;
    }

    /** Logs in with USER/PASS and checks the +OK. */
    public Pop3Client login(String user, String password) throws IOException {
        expectOk(command("USER " + user));
        expectOk(command("PASS " + password));
        return this;
    }

    public static String expectOk(String line) throws IOException {
        if (!line.startsWith("+OK")) {
            throw new IOException("expected +OK, got " + line);
        }
        return line;
    }

    public void send(String line) throws IOException {
        sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a command and returns the first response line. */
    public String command(String line) throws IOException {
        send(line);
        return readLine();
    }

    /** Reads one line as sent, without CRLF; null at end of stream. Fails on a line not ended by CRLF. */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                if (bytes.length == 0 || bytes[bytes.length - 1] != '\r') {
                    throw new IOException("line without CRLF: " + line);
                }
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    /** Reads the body of a multi-line response up to ".", un-stuffing dots. */
    public List<String> readMultiLine() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed inside a multi-line response");
            }
            if (line.equals(".")) {
                return lines;
            }
            lines.add(line.startsWith(".") ? line.substring(1) : line);
        }
    }

    /** Sends a command expecting +OK and a multi-line body. */
    public List<String> multi(String line) throws IOException {
        expectOk(command(line));
        return readMultiLine();
    }

    /** Whether the server closed the connection (reads to end of stream). */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    public boolean secure() {
        return socket instanceof SSLSocket;
    }

    /** Drops the connection without QUIT, as a crashed client would. */
    public void drop() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
