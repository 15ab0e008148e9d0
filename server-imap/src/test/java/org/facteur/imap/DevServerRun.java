package org.facteur.imap;

import java.nio.file.Files;
import java.nio.file.Path;
import org.facteur.config.ConfigDefaults;
import org.facteur.imap.testing.ImapTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: runs the IMAP server with the test fixtures on a fixed loopback port for a while, so an outside
 * client (imaptest, a mail client) can be pointed at it. Only runs when asked:
 * {@code mvn -pl server-imap -am verify -Dtest=DevServerRun -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfacteur.imap.dev.port=10993 -Dfacteur.imap.dev.seconds=600} (and {@code -Dfacteur.imap.dev.connections=N}
 * for more than 500 connections from one address). Users: alice@example.test / alice-Pa55word.
 */
@EnabledIfSystemProperty(named = "facteur.imap.dev.port", matches = "\\d+")
class DevServerRun {

    @Test
    void serve() throws Exception {
        int port = Integer.getInteger("facteur.imap.dev.port");
        long seconds = Long.getLong("facteur.imap.dev.seconds", 600);
        ImapConfig d = ConfigDefaults.of(ImapConfig.class);
        var limits = d.connections();
        // imaptest's stress mode opens 50 connections from one address, bench/imap/idle-memory.py thousands.
        int perIp = Integer.getInteger("facteur.imap.dev.connections", 500);
        var connections = new org.facteur.net.ConnectionLimits(Math.max(limits.maxConnections(), perIp), perIp,
                limits.idleTimeout(),
                limits.maxLineLength(), limits.handshakeTimeout());
        ImapConfig config = new ImapConfig("127.0.0.1", -1, port, d.clientAuth(), "localhost", connections, d.maxLineLength(),
                d.maxLiteralSize(), d.appendLimit(), d.maxSequenceSetElements(), d.maxNesting(), d.idleTimeout(),
                1000, d.compression());
        Path dir = Files.createTempDirectory("facteur-imap-dev");
        try (ImapTestServer server = ImapTestServer.start(config, dir)) {
            System.out.println("IMAPS on 127.0.0.1:" + server.implicitPort() + " for " + seconds + " s, data in " + dir);
            Thread.sleep(seconds * 1000);
        }
    }
}
