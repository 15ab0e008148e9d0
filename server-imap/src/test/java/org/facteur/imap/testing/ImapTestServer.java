package org.facteur.imap.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.facteur.auth.testing.TestDirectory;
import org.facteur.config.ConfigDefaults;
import org.facteur.imap.ImapConfig;
import org.facteur.imap.ImapServer;
import org.facteur.net.TlsMode;
import org.facteur.net.testing.TestPki;
import org.facteur.storage.MailStore;
import org.facteur.storage.testing.TestStore;

/**
 * The IMAP server on loopback ephemeral ports with the real parts: the test PKI's certificate, the auth module's
 * H2 directory (alice and bob) and the storage module's maildir store, all in a temporary folder.
 */
public final class ImapTestServer implements AutoCloseable {

    public static final String USER = TestDirectory.ALICE;
    public static final String PASSWORD = TestDirectory.ALICE_PASSWORD;
    public static final String OTHER = TestDirectory.BOB;
    public static final String OTHER_PASSWORD = TestDirectory.BOB_PASSWORD;

    private final ImapServer server;
    private final TestDirectory directory;
    private final MailStore store;
    private final ImapConfig config;

    private ImapTestServer(ImapConfig config, Path dir) throws IOException {
        this.config = config;
        this.directory = TestDirectory.create(dir.resolve("auth"));
        this.store = TestStore.create(dir.resolve("store"));
        this.server = new ImapServer(() -> config, TestPki.shared().serverTls(), directory.authenticator(), store).start();
    }

    public static ImapTestServer start(Path dir) throws IOException {
        return start(testConfig(), dir);
    }

    public static ImapTestServer start(ImapConfig config, Path dir) throws IOException {
        return new ImapTestServer(config, dir);
    }

    /** The defaults, bound to loopback on free ports. */
    public static ImapConfig testConfig() {
        ImapConfig d = ConfigDefaults.of(ImapConfig.class);
        return new ImapConfig("127.0.0.1", 0, 0, d.clientAuth(), "localhost", d.connections(), d.maxLineLength(), d.maxLiteralSize(),
                d.appendLimit(), d.maxSequenceSetElements(), d.maxNesting(), d.idleTimeout(), d.maxAuthFailures(),
                d.compression());
    }

    public int implicitPort() {
        return server.port(TlsMode.IMPLICIT);
    }

    public int starttlsPort() {
        return server.port(TlsMode.STARTTLS);
    }

    public MailStore store() {
        return store;
    }

    public ImapConfig config() {
        return config;
    }

    /** The directory behind the server, to change passwords and count Argon2id checks. */
    public TestDirectory directory() {
        return directory;
    }

    @Override
    public void close() throws IOException {
        server.close();
        store.close();
        directory.close();
    }
}
