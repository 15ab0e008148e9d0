package org.facteur.smtp.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import javax.net.ssl.SSLSocket;

import org.facteur.net.ClientAuth;
import org.facteur.net.testing.TestPki;

/**
 * A small scripted SMTP server standing in for a remote MX: PIPELINING, DSN, 8BITMIME, SMTPUTF8 and STARTTLS
 * with the test PKI; RCPT replies come from a function of the address; received messages are recorded.
 */
public final class TestMx implements AutoCloseable {

    /** Whether EHLO lists DSN (RFC 3461); off, a NOTIFY=SUCCESS delivery earns a "relayed" notice from us. */
    public volatile boolean offerDsn = true;
    /** Sessions open now and the most ever open at once, for the per-domain concurrency limit. */
    public final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
    public final java.util.concurrent.atomic.AtomicInteger maxOpen = new java.util.concurrent.atomic.AtomicInteger();
    /** Delay before the reply to the end of DATA, so that deliveries overlap. */
    public volatile long dataDelayMillis;

    /** One message as the remote server got it. */
    public record Received(String mailFrom, List<String> rcptTo, String data, boolean tls) {
    }

    public final List<Received> received = new CopyOnWriteArrayList<>();
    public final List<String> commands = new CopyOnWriteArrayList<>();
    /** Decoded AUTH PLAIN tokens received (for smarthost tests). */
    public final List<String> logins = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private volatile Function<String, String> rcptReply = address -> "250 2.1.5 OK";
    private volatile String dataReply = "250 2.0.0 queued";

    public TestMx() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    public void rcptReply(Function<String, String> reply) {
        this.rcptReply = reply;
    }

    public void dataReply(String reply) {
        this.dataReply = reply;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> session(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket socket) {
        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        try (Socket s0 = socket) {
            Socket s = s0;
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            write(out, "220 mx.remote.test ESMTP test");
            String from = null;
            List<String> rcpts = new ArrayList<>();
            boolean tls = false;
            String line;
            while ((line = readLine(in)) != null) {
                commands.add(line);
                String upper = line.toUpperCase();
                if (upper.startsWith("EHLO")) {
                    write(out, "250-mx.remote.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n" + (offerDsn ? "250-DSN\r\n" : "") + "250-SIZE 100000000"
                            + (tls ? "\r\n250-AUTH PLAIN" : "\r\n250-STARTTLS") + "\r\n250 ENHANCEDSTATUSCODES");
                } else if (upper.startsWith("AUTH PLAIN ") && tls) {
                    logins.add(new String(java.util.Base64.getDecoder().decode(line.substring(11)), StandardCharsets.UTF_8));
                    write(out, "235 2.7.0 ok");
                } else if (upper.equals("STARTTLS")) {
                    write(out, "220 2.0.0 go");
                    SSLSocket ssl = TestPki.shared().serverTls().wrap(s, ClientAuth.NONE);
                    ssl.startHandshake();
                    s = ssl;
                    in = new BufferedInputStream(ssl.getInputStream());
                    out = ssl.getOutputStream();
                    tls = true;
                } else if (upper.startsWith("MAIL FROM:")) {
                    from = line.substring(10);
                    rcpts.clear();
                    write(out, "250 2.1.0 OK");
                } else if (upper.startsWith("RCPT TO:")) {
                    String address = line.substring(9, line.indexOf('>'));
                    String reply = rcptReply.apply(address);
                    if (reply.startsWith("2")) {
                        rcpts.add(line.substring(8));
                    }
                    write(out, reply);
                } else if (upper.equals("DATA")) {
                    if (rcpts.isEmpty()) {
                        write(out, "554 5.5.1 no valid recipients");
                        continue;
                    }
                    write(out, "354 go");
                    ByteArrayOutputStream data = new ByteArrayOutputStream();
                    String l;
                    while ((l = readLine(in)) != null && !l.equals(".")) {
                        data.write((l.startsWith(".") ? l.substring(1) : l).getBytes(StandardCharsets.UTF_8));
                        data.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    if (dataDelayMillis > 0) {
                        Thread.sleep(dataDelayMillis);
                    }
                    String reply = dataReply;
                    if (reply.startsWith("2")) {
                        received.add(new Received(from, List.copyOf(rcpts), data.toString(StandardCharsets.UTF_8), tls));
                    }
                    write(out, reply);
                } else if (upper.equals("QUIT")) {
                    write(out, "221 2.0.0 bye");
                    return;
                } else if (upper.equals("RSET") || upper.equals("NOOP")) {
                    write(out, "250 2.0.0 OK");
                } else {
                    write(out, "500 5.5.1 what");
                }
            }
        } catch (IOException e) {
            // client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.decrementAndGet();
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
