package org.facteur.imap.testing;

import java.io.IOException;
import java.util.Map;
import org.facteur.config.ConfigDefaults;
import org.facteur.imap.ImapConfig;
import org.facteur.imap.ImapServer;
import org.facteur.net.TlsMode;
import org.facteur.net.testing.TestPki;
import org.facteur.storage.MailStore;

/** The IMAP server on loopback ephemeral ports, with the test PKI's certificate, a user table and a store. */
public final class ImapTestServer implements AutoCloseable {

    public static final String USER = "alice@example.test";
    public static final String PASSWORD = "alice-Pa55word";
    public static final String OTHER = "bob@example.test";
    public static final String OTHER_PASSWORD = "bob-Pa55word";

    private final ImapServer server;
    private final MailStore store;
    private final ImapConfig config;

    private ImapTestServer(ImapConfig config, MailStore store) throws IOException {
        this.config = config;
        this.store = store;
        this.server = new ImapServer(() -> config, TestPki.shared().serverTls(),
                new TestAuthenticator(Map.of(USER, PASSWORD, OTHER, OTHER_PASSWORD)), store).start();
    }

    public static ImapTestServer start() throws IOException {
        return start(testConfig());
    }

    public static ImapTestServer start(ImapConfig config) throws IOException {
        return new ImapTestServer(config, new MemoryMailStore());
    }

    /** The defaults, bound to loopback on free ports. */
    public static ImapConfig testConfig() {
        ImapConfig d = ConfigDefaults.of(ImapConfig.class);
        return new ImapConfig("127.0.0.1", 0, 0, d.clientAuth(), "localhost", d.connections(), d.maxLiteralSize(),
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

    @Override
    public void close() {
        server.close();
    }
}
