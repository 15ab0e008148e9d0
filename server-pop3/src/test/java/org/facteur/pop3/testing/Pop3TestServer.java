package org.facteur.pop3.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.facteur.auth.sasl.Authenticator;
import org.facteur.config.ConfigDefaults;
import org.facteur.net.testing.TestPki;
import org.facteur.pop3.Pop3Config;
import org.facteur.pop3.Pop3Server;
import org.facteur.storage.AppendResult;
import org.facteur.storage.MailStore;

/**
 * A POP3 server on loopback ephemeral ports with the test PKI's certificate, two accounts and a store, for
 * tests that talk to it over real sockets.
 */
public final class Pop3TestServer implements AutoCloseable {

    public static final String ALICE = "alice@example.test";
    public static final String BOB = "bob@example.test";
    public static final String PASSWORD = "correct horse battery staple";

    private final AtomicReference<Pop3Config> config;
    private final MailStore store;
    private final Authenticator authenticator;
    private final Pop3Server server;

    private Pop3TestServer(Pop3Config config, MailStore store, Authenticator authenticator) throws IOException {
        this.config = new AtomicReference<>(config);
        this.store = store;
        this.authenticator = authenticator;
        this.server = new Pop3Server(this.config::get, TestPki.shared().serverTls(), authenticator, store).start();
    }

    /** The default configuration, on loopback with free ports, changed by {@code change}. */
    public static Pop3TestServer start(UnaryOperator<Pop3Config> change) throws IOException {
        MemoryMailStore store = new MemoryMailStore();
        TestAuthenticator authenticator = new TestAuthenticator().add(ALICE, PASSWORD).add(BOB, PASSWORD);
        return new Pop3TestServer(change.apply(loopback()), store, authenticator);
    }

    public static Pop3TestServer start() throws IOException {
        return start(c -> c);
    }

    public static Pop3Config loopback() {
        Pop3Config d = ConfigDefaults.of(Pop3Config.class);
        return new Pop3Config(true, "127.0.0.1", 0, 0, d.clientAuth(), "localhost", d.folder(), d.leaveOnServer(),
                d.maxMessages(), d.limits(), d.connections());
    }

    public static Pop3Config with(Pop3Config c, boolean leaveOnServer, int maxMessages, Pop3Config.Pop3Limits limits) {
        return new Pop3Config(c.enabled(), c.address(), c.port(), c.tlsPort(), c.clientAuth(), c.hostname(), c.folder(),
                leaveOnServer, maxMessages, limits, c.connections());
    }

    public int stlsPort() {
        return server.ports().get(Pop3Server.STLS_LISTENER);
    }

    public int tlsPort() {
        return server.ports().get(Pop3Server.TLS_LISTENER);
    }

    public MailStore store() {
        return store;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public Pop3Server server() {
        return server;
    }

    public AppendResult deliver(String account, String message) throws IOException {
        return store.deliver(account, "INBOX", new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), Set.of());
    }

    /** A small message with CRLF line endings. */
    public static String message(String subject, String body) {
        return ("From: sender@example.org\r\nTo: " + ALICE + "\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.replace(' ', '-') + "@example.org>\r\n\r\n" + body)
                .replace("\r\n", "\n").replace("\n", "\r\n");
    }

    @Override
    public void close() {
        server.close();
    }
}
