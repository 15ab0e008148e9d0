package org.facteur.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where things live in the data folder. One place, so the server, the first start and the admin commands agree.
 * <pre>
 * facteur.yaml          the configuration (when none was given elsewhere)
 * db/                   H2 database (directory, index, filter state)
 * mail/                 maildirs, one per account
 * spool/                messages being received
 * queue/                outgoing messages waiting for delivery
 * tls/                  certificate.pem, private-key.pem, client-ca.pem
 * run/                  facteur.pid, reload requests (owner only)
 * tmp/                  temporary files (the JVM's java.io.tmpdir when started as root)
 * </pre>
 */
public record DataLayout(Path root) {

    public static final String CONFIG_FILE = "facteur.yaml";

    public DataLayout {
        root = root.toAbsolutePath().normalize();
    }

    public Path configFile() {
        return root.resolve(CONFIG_FILE);
    }

    public Path database() {
        return root.resolve("db");
    }

    public Path mail() {
        return root.resolve("mail");
    }

    public Path spool() {
        return root.resolve("spool");
    }

    public Path queue() {
        return root.resolve("queue");
    }

    public Path tls() {
        return root.resolve("tls");
    }

    public Path run() {
        return root.resolve("run");
    }

    public Path tmp() {
        return root.resolve("tmp");
    }

    public Path pidFile() {
        return run().resolve("facteur.pid");
    }

    public Path certificate(TlsConfig tls) {
        return tls.certificate().orElse(tls().resolve("certificate.pem"));
    }

    public Path privateKey(TlsConfig tls) {
        return tls.key().orElse(tls().resolve("private-key.pem"));
    }

    /** The client CA file in force, or null when none is configured and the default file does not exist. */
    public Path clientCa(TlsConfig tls) {
        if (tls.clientCa().isPresent()) {
            return tls.clientCa().get();
        }
        Path fallback = tls().resolve("client-ca.pem");
        return Files.exists(fallback) ? fallback : null;
    }

    /** Creates every folder, readable by the owner only (mail and keys are private). */
    public void create() throws IOException {
        for (Path dir : new Path[] {root, database(), mail(), spool(), queue(), tls(), run(), tmp()}) {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // Non-POSIX file systems keep their defaults.
            }
        }
    }
}
