package org.facteur.smtp.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLSocket;

import org.facteur.net.testing.TestPki;

/** A raw SMTP client over a real socket, for the byte-exact cases real clients never send. */
public final class SmtpWire implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    public final String greeting;

    private SmtpWire(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(20_000);
        streams();
        this.greeting = reply();
    }

    public static SmtpWire connect(int port) throws IOException {
        return new SmtpWire(new Socket("127.0.0.1", port));
    }

    /** Over an already connected (and handshaken) socket. */
    public static SmtpWire over(Socket socket) throws IOException {
        return new SmtpWire(socket);
    }

    public static SmtpWire connectTls(int port) throws IOException {
        SSLSocket ssl = (SSLSocket) TestPki.shared().clientSocketFactory().createSocket("127.0.0.1", port);
        ssl.startHandshake();
        return new SmtpWire(ssl);
    }

    private void streams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends raw bytes as given (no line ending added). */
    public SmtpWire raw(String text) throws IOException {
        return raw(text.getBytes(StandardCharsets.UTF_8));
    }

    public SmtpWire raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends a line with CRLF and returns the whole reply. */
    public String cmd(String line) throws IOException {
        raw(line + "\r\n");
        return reply();
    }

    /** Reads one reply, all lines joined by "\n". */
    public String reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            if (line == null) {
                return lines.isEmpty() ? null : String.join("\n", lines);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) == ' ') {
                return String.join("\n", lines);
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    /** True when the server has closed the connection. */
    public boolean closed() throws IOException {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    public String ehlo() throws IOException {
        return cmd("EHLO client.remote.test");
    }

    public void startTls() throws IOException {
        String r = cmd("STARTTLS");
        if (!r.startsWith("220")) {
            throw new IOException("STARTTLS refused: " + r);
        }
        SSLSocket ssl = (SSLSocket) TestPki.shared().clientSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        ssl.startHandshake();
        socket = ssl;
        streams();
    }

    public String authPlain(String user, String password) throws IOException {
        return cmd("AUTH PLAIN " + Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** MAIL, RCPTs, DATA, body (already dot-stuffed, ending without the final dot), returning the final reply. */
    public String send(String from, List<String> to, String message) throws IOException {
        String r = cmd("MAIL FROM:<" + from + ">");
        if (!r.startsWith("250")) {
            return r;
        }
        for (String t : to) {
            r = cmd("RCPT TO:<" + t + ">");
            if (!r.startsWith("250")) {
                return r;
            }
        }
        r = cmd("DATA");
        if (!r.startsWith("354")) {
            return r;
        }
        raw(message + (message.endsWith("\r\n") ? "" : "\r\n") + ".\r\n");
        return reply();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
