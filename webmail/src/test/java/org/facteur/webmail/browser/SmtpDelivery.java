package org.facteur.webmail.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.facteur.auth.testing.TestDirectory;
import org.facteur.config.ConfigDefaults;
import org.facteur.net.ClientAuth;
import org.facteur.net.testing.TestPki;
import org.facteur.smtp.SmtpConfig;
import org.facteur.smtp.SmtpServer;
import org.facteur.storage.MailStore;

/**
 * The real SMTP server on loopback over the webmail test's directory and store, and a plain SMTP client
 * (RFC 5321 §3.3 transaction over a socket) that delivers to it as another MTA would.
 */
final class SmtpDelivery implements AutoCloseable {

    private final SmtpServer server;

    SmtpDelivery(Path spool, TestDirectory auth, MailStore store) throws IOException {
        SmtpConfig d = ConfigDefaults.of(SmtpConfig.class);
        SmtpConfig config = new SmtpConfig("mx.example.test", d.greeting(),
                new SmtpConfig.Listeners("127.0.0.1", 0, 0, 0, ClientAuth.NONE), d.limits(), d.connections(),
                List.of(), d.queue(), d.smarthost(), d.dkim(), d.autoReply());
        server = new SmtpServer(() -> config, TestPki.shared().serverTls(), auth.directory(), auth.authenticator(),
                store, null, spool, TestPki.shared().clientContext(), java.time.Clock.systemUTC()).start();
    }

    /** One transaction on the MTA port; fails unless every step gets a 2xx/3xx reply. */
    void deliver(String from, String to, byte[] message) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.mtaPort())) {
            socket.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            expect(in, '2');
            send(out, in, "EHLO sender.example.org", '2');
            send(out, in, "MAIL FROM:<" + from + ">", '2');
            send(out, in, "RCPT TO:<" + to + ">", '2');
            send(out, in, "DATA", '3');
            out.write(message); // the test messages end with CRLF and have no line starting with "."
            send(out, in, ".", '2');
            send(out, in, "QUIT", '2');
        }
    }

    private static void send(OutputStream out, BufferedReader in, String line, char expected) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        expect(in, expected);
    }

    private static void expect(BufferedReader in, char expected) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null || line.isEmpty() || line.charAt(0) != expected) {
                throw new IOException("SMTP server answered " + line);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
    }

    @Override
    public void close() {
        server.close();
    }
}
