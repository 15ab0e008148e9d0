package org.facteur.imap.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.facteur.auth.AuthConfig;
import org.facteur.auth.testing.TestDirectory;
import org.facteur.config.ConfigDefaults;
import org.facteur.imap.ImapConfig;
import org.facteur.imap.ImapServer;
import org.facteur.net.ConnectionLimits;
import org.facteur.net.TlsMode;
import org.facteur.net.testing.CloseOnExit;
import org.facteur.net.testing.TestPki;
import org.facteur.storage.MailStore;
import org.facteur.storage.testing.TestStore;

/**
 * A standalone IMAPS server for bench/imap/compare.sh: the default IMAP settings on loopback, the real H2
 * directory with production password hashing and the real maildir store with fsync. Not a test (never run by
 * surefire). Args: DIR PORT USER PASSWORD [HASHING [PASSWORD_CACHE]], HASHING {@code production} (the default) or
 * {@code cheap} (the tests' 1 MiB, 1-pass Argon2id, to compare what a session costs apart from password hashing),
 * PASSWORD_CACHE {@code on} (the default: {@code auth.passwordCache} as configured by default) or {@code off}
 * (entries 0: every login runs Argon2id, as before the cache). Prints the
 * user's Argon2id hash (so the Dovecot it is compared with verifies an equally expensive one), then
 * {@code ready imaps=PORT}.
 */
public final class ImapBenchServer {

    /** imaptest opens all its clients from one address; the default per-address cap is for the Internet. */
    private static final int CONNECTIONS_PER_ADDRESS = 1000;

    private ImapBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int port = Integer.parseInt(args[1]);
        String user = args[2];
        String password = args[3];
        boolean cheap = args.length > 4 && args[4].equals("cheap");
        AuthConfig hashing = cheap ? TestDirectory.testConfig() : TestDirectory.benchConfig();
        boolean cacheOff = args.length > 5 && args[5].equals("off");
        AuthConfig authConfig = !cacheOff ? hashing : new AuthConfig(hashing.mechanisms(), hashing.subaddressSeparator(),
                hashing.hashing(), hashing.throttling(), hashing.external(), hashing.senderPermissions(),
                new AuthConfig.PasswordCache(0, hashing.passwordCache().ttl()), hashing.recipientCache());
        TestDirectory auth = TestDirectory.create(dir.resolve("auth"), authConfig);
        auth.directory().addDomain(user.substring(user.indexOf('@') + 1));
        auth.directory().addAccount(user, password, false);
        MailStore store = TestStore.create(dir.resolve("mail"));
        ImapConfig d = ConfigDefaults.of(ImapConfig.class);
        ConnectionLimits c = d.connections();
        ImapConfig config = new ImapConfig("127.0.0.1", -1, port, d.clientAuth(), "localhost",
                new ConnectionLimits(Math.max(c.maxConnections(), CONNECTIONS_PER_ADDRESS), CONNECTIONS_PER_ADDRESS,
                        c.idleTimeout(), c.maxLineLength(), c.handshakeTimeout()),
                d.maxLineLength(), d.maxLiteralSize(), d.appendLimit(), d.maxSequenceSetElements(), d.maxNesting(),
                d.idleTimeout(), d.maxAuthFailures(), d.compression());
        ImapServer server = new ImapServer(() -> config, TestPki.shared().serverTls(), auth.authenticator(), store).start();
        System.out.println("argon2id " + TestDirectory.benchPasswordHash(authConfig, password));
        System.out.println("ready imaps=" + server.port(TlsMode.IMPLICIT));
        CloseOnExit.register(server, store, auth);
        Thread.currentThread().join();
    }
}
