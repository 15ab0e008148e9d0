package org.facteur.smtp.outbound;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.facteur.net.TlsContextProvider;
import org.facteur.smtp.protocol.Reply;

/** The client side of SMTP for outbound delivery: replies, EHLO keywords, STARTTLS. */
final class SmtpClient implements Closeable {

    private static final int MAX_REPLY_LINES = 100;
    private static final int MAX_LINE = 4096;

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final String remoteName;
    private Map<String, String> extensions = new LinkedHashMap<>();

    private SmtpClient(Socket socket, String remoteName) throws IOException {
        this.socket = socket;
        this.remoteName = remoteName;
        streams();
    }

    static SmtpClient connect(InetSocketAddress address, String remoteName, Duration connectTimeout,
                              Duration commandTimeout, SSLContext implicitTls) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) commandTimeout.toMillis());
            if (implicitTls != null) {
                socket = handshake(implicitTls, socket, remoteName, true);
            }
            return new SmtpClient(socket, remoteName);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    String remoteName() {
        return remoteName;
    }

    private void streams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream());
    }

    void send(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    OutputStream output() {
        return out;
    }

    void flush() throws IOException {
        out.flush();
    }

    Reply command(String line) throws IOException {
        send(line);
        flush();
        return read();
    }

    /** Reads one (possibly multi-line) reply. */
    Reply read() throws IOException {
        flush();
        List<String> lines = new ArrayList<>();
        int code;
        while (true) {
            String line = readLine();
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                throw new IOException("malformed reply from " + remoteName + ": " + line);
            }
            code = Integer.parseInt(line.substring(0, 3));
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                break;
            }
            if (lines.size() > MAX_REPLY_LINES) {
                throw new IOException("reply from " + remoteName + " too long");
            }
        }
        String enhanced = null;
        String first = lines.get(0);
        if (first.matches("[245]\\.\\d{1,3}\\.\\d{1,3}( .*)?")) {
            enhanced = first.split(" ", 2)[0];
            List<String> text = new ArrayList<>();
            for (String l : lines) {
                text.add(l.startsWith(enhanced) ? l.substring(enhanced.length()).strip() : l);
            }
            lines = text;
        }
        if (code < 200 || code > 599) {
            throw new IOException("reply code out of range from " + remoteName + ": " + code);
        }
        return new Reply(code, enhanced, lines);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("reply line from " + remoteName + " too long");
            }
            line.write(c);
        }
        throw new IOException("connection closed by " + remoteName);
    }

    /** EHLO, falling back to HELO (RFC 5321 §3.2); remembers the extension keywords. */
    Reply ehlo(String ourName) throws IOException {
        Reply reply = command("EHLO " + ourName);
        extensions = new LinkedHashMap<>();
        if (reply.code() == 250) {
            for (String line : reply.lines().subList(1, reply.lines().size())) {
                String[] kv = line.split(" ", 2);
                extensions.put(kv[0].toUpperCase(Locale.ROOT), kv.length > 1 ? kv[1] : "");
            }
            return reply;
        }
        return command("HELO " + ourName);
    }

    boolean supports(String extension) {
        return extensions.containsKey(extension);
    }

    String extension(String name) {
        return extensions.get(name);
    }

    /** @param verifyHost check the certificate names the host (smarthost); opportunistic TLS does not */
    void startTls(SSLContext context, boolean verifyHost) throws IOException {
        socket = handshake(context, socket, remoteName, verifyHost);
        streams();
    }

    boolean isTls() {
        return socket instanceof SSLSocket;
    }

    private static SSLSocket handshake(SSLContext context, Socket plain, String host, boolean verifyHost) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, host, plain.getPort(), true);
        ssl.setUseClientMode(true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setProtocols(TlsContextProvider.PROTOCOLS.toArray(String[]::new));
        if (verifyHost) {
            // RFC 6125 name check (the JDK's "HTTPS" algorithm covers DNS and IP subjectAltNames).
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        return ssl;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
