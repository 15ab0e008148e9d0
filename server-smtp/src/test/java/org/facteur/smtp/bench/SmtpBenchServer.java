package org.facteur.smtp.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.facteur.auth.AuthConfig;
import org.facteur.auth.testing.TestDirectory;
import org.facteur.config.ConfigDefaults;
import org.facteur.net.ClientAuth;
import org.facteur.net.ConnectionLimits;
import org.facteur.net.testing.CloseOnExit;
import org.facteur.net.testing.TestPki;
import org.facteur.smtp.SmtpConfig;
import org.facteur.smtp.SmtpServer;
import org.facteur.storage.MailStore;
import org.facteur.storage.testing.TestStore;

/**
 * A standalone SMTP server for bench/smtp: real H2 directory, real maildir store with fsync, on loopback.
 * Not a test (never run by surefire). Args: DIR [MTA_PORT] [SUBMISSIONS_PORT].
 */
public final class SmtpBenchServer {

    private SmtpBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int mta = args.length > 1 ? Integer.parseInt(args[1]) : 21225;
        int smtps = args.length > 2 ? Integer.parseInt(args[2]) : 21265;
        // Production password hashing (not the tests' cheap one): AUTH at the implicit-TLS port costs what it
        // costs in production. The same Argon2id parameters are printed for the Postfix/Dovecot peer of
        // bench/smtp/compare.sh, so both sides verify an equally expensive hash.
        AuthConfig authConfig = TestDirectory.benchConfig();
        TestDirectory auth = TestDirectory.create(dir.resolve("auth"), authConfig);
        auth.directory().addDomain("test.local");
        auth.directory().addAccount("testuser@test.local", "testpass", false);
        MailStore store = TestStore.create(dir.resolve("mail"));
        SmtpConfig d = ConfigDefaults.of(SmtpConfig.class);
        ConnectionLimits c = d.connections();
        SmtpConfig config = new SmtpConfig("bench.test.local", d.greeting(),
                new SmtpConfig.Listeners("127.0.0.1", mta, -1, smtps, ClientAuth.NONE), d.limits(),
                new ConnectionLimits(c.maxConnections(), 1000, c.idleTimeout(), c.maxLineLength(), c.handshakeTimeout()),
                List.of(), d.queue(), d.smarthost(), d.dkim(), d.autoReply());
        SmtpServer server = new SmtpServer(() -> config, TestPki.shared().serverTls(), auth.directory(),
                auth.authenticator(), store, null, dir.resolve("spool")).start();
        System.out.println("argon2id " + TestDirectory.benchPasswordHash(authConfig, "testpass"));
        System.out.println("ready mta=" + server.mtaPort() + " smtps=" + server.submissionsPort());
        CloseOnExit.register(server, store, auth);
        Thread.currentThread().join();
    }
}
