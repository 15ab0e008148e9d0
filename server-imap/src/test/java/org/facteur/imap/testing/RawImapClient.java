package org.facteur.imap.testing;

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

/** A byte-level IMAP client for protocol tests: sends exactly what the test writes and reads whole responses. */
public final class RawImapClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int tagCounter;

    private RawImapClient(Socket socket) throws IOException {
        attach(socket);
        socket.setSoTimeout(10_000);
    }

    private void attach(Socket s) throws IOException {
        this.socket = s;
        this.in = new BufferedInputStream(s.getInputStream());
        this.out = s.getOutputStream();
    }

    public static RawImapClient implicitTls(int port) throws IOException {
        return implicitTls(port, TestPki.shared().clientContext());
    }

    public static RawImapClient implicitTls(int port, SSLContext context) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        s.startHandshake();
        return new RawImapClient(s);
    }

    public static RawImapClient plain(int port) throws IOException {
        return new RawImapClient(new Socket("127.0.0.1", port));
    }

    /** Upgrades the socket after the server's OK to STARTTLS. */
    public void startTls() throws IOException {
        SSLSocket s = (SSLSocket) TestPki.shared().clientContext().getSocketFactory()
                .createSocket(socket, "localhost", socket.getPort(), true);
        s.startHandshake();
        attach(s);
    }

    /** Reads one line with any literals it announces spliced in (CRLF kept inside literals, stripped at the end). */
    public String readResponse() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String line = readLine();
            sb.append(line);
            int brace = line.lastIndexOf('{');
            if (line.endsWith("}") && brace >= 0) {
                int n = Integer.parseInt(line.substring(brace + 1, line.length() - 1).replace("+", ""));
                byte[] data = in.readNBytes(n);
                sb.append("\r\n").append(new String(data, StandardCharsets.UTF_8));
                continue;
            }
            return sb.toString();
        }
    }

    public String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            b.write(c);
        }
        if (c == -1 && b.size() == 0) {
            throw new java.io.EOFException();
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    public void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public void sendBytes(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Sends {@code tag command} and returns every response up to and including the tagged one. */
    public List<String> command(String command) throws IOException {
        String tag = "t" + (++tagCounter);
        send(tag + " " + command + "\r\n");
        return until(tag);
    }

    public List<String> until(String tag) throws IOException {
        List<String> responses = new ArrayList<>();
        while (true) {
            String r = readResponse();
            responses.add(r);
            if (r.startsWith(tag + " ")) {
                return responses;
            }
        }
    }

    public static String last(List<String> responses) {
        return responses.get(responses.size() - 1);
    }

    public RawImapClient login() throws IOException {
        readResponse();
        List<String> r = command("LOGIN " + ImapTestServer.USER + " " + ImapTestServer.PASSWORD);
        if (!last(r).contains("OK")) {
            throw new IOException("login failed: " + r);
        }
        return this;
    }

    public java.security.cert.Certificate[] localCertificates() {
        return socket instanceof SSLSocket s ? s.getSession().getLocalCertificates() : null;
    }

    public void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
