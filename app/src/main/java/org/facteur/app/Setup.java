package org.facteur.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.facteur.auth.Account;
import org.facteur.auth.DirectoryAdmin;
import org.facteur.auth.H2Directory;
import org.facteur.config.ConfigDefaults;
import org.facteur.config.ConfigException;
import org.facteur.config.MachineName;
import org.facteur.config.YamlConfig;
import org.facteur.net.SelfSignedCertificate;

/**
 * Makes sure everything a start needs exists. On the very first start (no configuration file) it writes a
 * commented {@code facteur.yaml} with every default, the ports chosen by the port policy and this machine's
 * name; at every start it creates missing folders and, when no certificate is configured, a self-signed one.
 */
public final class Setup {

    static final String HEADER = """
            Facteur configuration. Every key is shown with its default value; edit what you need.
            Check it with 'facteur check-config FILE'. A running server applies most changes at once
            (limits, filters, TLS certificates, domains); listener addresses and ports need a restart.
            Relative paths are relative to this file's folder.""";

    /** What {@link #prepare} found or made. */
    public record Prepared(FacteurConfig config, DataLayout layout, boolean firstStart, List<String> notes) {
    }

    private Setup() {
    }

    /**
     * @param ports how the generated file chooses its ports ({@link PortPolicy#forUser} or, in tests,
     *              {@link PortPolicy#ephemeral}); not used when the file exists
     */
    public static Prepared prepare(ConfigLocation location, UnaryOperator<FacteurConfig> ports, Optional<String> runAs)
            throws IOException, GeneralSecurityException, ConfigException {
        List<String> notes = new ArrayList<>();
        boolean first = !location.exists();
        if (first) {
            FacteurConfig generated = ports.apply(generated(location, runAs));
            writeConfig(location.file(), generated);
            notes.add("wrote the configuration " + location.file());
        }
        FacteurConfig config = location.load();
        DataLayout layout = location.layout(config);
        layout.create();
        Path certificate = layout.certificate(config.tls());
        if (config.tls().certificate().isEmpty() && !Files.exists(certificate)) {
            makeCertificate(config, layout);
            notes.add("made a self-signed certificate for " + config.server().hostname() + " and localhost: " + certificate);
        }
        bootstrapDirectory(config, layout, first, notes);
        return new Prepared(config, layout, first, notes);
    }

    /**
     * Creates the configured domains that are missing, each with its RFC 2142 {@code postmaster} and {@code abuse}
     * aliases (RFC 5321 §4.5.1 requires postmaster), and on the first start one admin account whose password is
     * generated and shown once. Works while a server runs (the directory is H2 with AUTO_SERVER).
     */
    static void bootstrapDirectory(FacteurConfig config, DataLayout layout, boolean first, List<String> notes) {
        try (H2Directory directory = H2Directory.openInDataDirectory(layout.database(), config::auth)) {
            List<String> domains = config.server().domains();
            if (first && !domains.isEmpty() && directory.accounts().isEmpty()) {
                String domain = domains.getFirst();
                if (!directory.isLocalDomain(domain)) {
                    directory.addDomain(domain);
                }
                String admin = "admin@" + domain;
                String password = newPassword();
                directory.addAccount(admin, password, true);
                notes.add("created the admin account " + admin + " with the password " + password
                        + "   (shown only now; change it with 'facteur user passwd " + admin + "')");
            }
            for (String domain : domains) {
                if (!directory.isLocalDomain(domain)) {
                    directory.addDomain(domain);
                    notes.add("created the domain " + domain);
                }
                notes.addAll(ensureRoleAliases(directory, domain));
            }
        }
    }

    /** The defaults, made concrete for this machine: its name, a domain, the data folder. */
    static FacteurConfig generated(ConfigLocation location, Optional<String> runAs) {
        FacteurConfig defaults = ConfigDefaults.of(FacteurConfig.class);
        String hostname = MachineName.get();
        Path data = location.dataOverride() != null ? location.dataOverride() : location.file().getParent();
        ServerConfig server = new ServerConfig(hostname, data, List.of(defaultDomain(hostname)), runAs);
        // Every section's own hostname stays empty: it follows server.hostname (ConfigLocation.complete).
        return defaults.withServer(server);
    }

    /** {@code mail.example.org} serves {@code example.org}; a two-label name serves itself; a bare name, localhost. */
    static String defaultDomain(String hostname) {
        String[] labels = hostname.split("\\.");
        if (labels.length >= 3) {
            return hostname.substring(hostname.indexOf('.') + 1);
        }
        return labels.length == 2 ? hostname : "localhost";
    }

    static void writeConfig(Path file, FacteurConfig config) throws IOException {
        writeFile(file, YamlConfig.write(config, HEADER), "rw-------");
    }

    /** Makes (or remakes, for 'cert renew') the self-signed certificate in the data folder. */
    public static SelfSignedCertificate makeCertificate(FacteurConfig config, DataLayout layout)
            throws GeneralSecurityException, IOException {
        SelfSignedCertificate made = SelfSignedCertificate.create(config.server().hostname(),
                config.tls().selfSignedValidity());
        writeFile(layout.certificate(config.tls()), SelfSignedCertificate.pem(made.certificate()), "rw-r--r--");
        writeFile(layout.privateKey(config.tls()), SelfSignedCertificate.pem(made.keyPair().getPrivate()), "rw-------");
        return made;
    }

    /** Writes a file atomically with the given permissions from its first byte (a key is never world-readable). */
    static void writeFile(Path file, String content, String permissions) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".tmp-", "");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(permissions));
            } catch (UnsupportedOperationException notPosix) {
                // keep the default
            }
            Files.writeString(temp, content);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Gives {@code domain} the RFC 2142 {@code postmaster} and {@code abuse} addresses (RFC 5321 §4.5.1 requires
     * postmaster), as aliases of the first admin account, when they are missing. Returns what it created.
     */
    public static List<String> ensureRoleAliases(DirectoryAdmin directory, String domain) {
        List<String> created = new ArrayList<>();
        Optional<String> admin = directory.accounts().stream().filter(Account::admin).map(Account::name).findFirst();
        if (admin.isEmpty()) {
            return created;
        }
        for (String role : List.of("postmaster", "abuse")) {
            String address = role + "@" + domain;
            if (directory.account(address).isEmpty()
                    && directory.aliases().stream().noneMatch(a -> a.address().equalsIgnoreCase(address))) {
                directory.addAlias(address, admin.get());
                created.add("created the alias " + address + " -> " + admin.get());
            }
        }
        return created;
    }

    /** A password for the first admin account: 20 letters and digits, about 119 bits. */
    public static String newPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
