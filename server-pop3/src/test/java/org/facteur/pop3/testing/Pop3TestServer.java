package org.facteur.pop3.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.facteur.auth.testing.TestDirectory;
import org.facteur.config.ConfigDefaults;
import org.facteur.net.testing.TestPki;
import org.facteur.pop3.Pop3Config;
import org.facteur.pop3.Pop3Server;
import org.facteur.storage.AppendResult;
import org.facteur.storage.MailStore;
import org.facteur.storage.StorageConfig;
import org.facteur.storage.testing.TestStore;

/**
 * A POP3 server on loopback ephemeral ports with the test PKI's certificate, the auth module's real H2
 * directory (alice and bob) and the storage module's real maildir store, for tests over real sockets.
 */
public final class Pop3TestServer implements AutoCloseable {

    public static final String ALICE = TestDirectory.ALICE;
    public static final String BOB = TestDirectory.BOB;
    public static final String PASSWORD = TestDirectory.ALICE_PASSWORD;
    public static final String BOB_PASSWORD = TestDirectory.BOB_PASSWORD;

    private final Path dir;
    private final AtomicReference<Pop3Config> config;
    private final MailStore store;
    private final TestDirectory directory;
    private final Pop3Server server;

    private Pop3TestServer(Path dir, Pop3Config config, MailStore store, TestDirectory directory) throws IOException {
        this.dir = dir;
        this.config = new AtomicReference<>(config);
        this.store = store;
        this.directory = directory;
        this.server = new Pop3Server(this.config::get, TestPki.shared().serverTls(), directory.authenticator(), store).start();
    }

    /** The default configuration, on loopback with free ports, changed by {@code change}; data under {@code temp}. */
    public static Pop3TestServer start(Path temp, UnaryOperator<Pop3Config> change) throws IOException {
        Path dir = Files.createTempDirectory(temp, "pop3-");
        MailStore store = TestStore.create(dir.resolve("mail"));
        TestDirectory directory = TestDirectory.create(dir.resolve("auth"));
        return new Pop3TestServer(dir, change.apply(loopback()), store, directory);
    }

    /**
     * Stops everything and starts again on the same files, as a server restart does; with {@code dropIndex} the
     * storage's index is deleted first, so the store rebuilds it from the maildirs.
     */
    public Pop3TestServer restart(boolean dropIndex) throws IOException {
        close();
        if (dropIndex) {
            Path index = StorageConfig.under(dir.resolve("mail")).indexDir();
            try (var files = Files.walk(index)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        MailStore newStore = TestStore.create(dir.resolve("mail"));
        // Only the mail must survive; a fresh directory has alice and bob again.
        TestDirectory newDirectory = TestDirectory.create(Files.createTempDirectory(dir, "auth-"));
        return new Pop3TestServer(dir, config.get(), newStore, newDirectory);
    }

    public static Pop3TestServer start(Path temp) throws IOException {
        return start(temp, c -> c);
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

    /** Changes the configuration as a reload would; new connections see it. */
    public void reconfigure(UnaryOperator<Pop3Config> change) {
        config.updateAndGet(change);
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

    public TestDirectory directory() {
        return directory;
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
        try {
            store.close();
        } catch (IOException ignored) {
            // test teardown
        }
        directory.close();
    }
}
