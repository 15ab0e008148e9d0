package org.facteur.auth.testing;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.facteur.auth.AuthConfig;
import org.facteur.auth.H2Directory;
import org.facteur.auth.password.Argon2id;
import org.facteur.auth.sasl.Authenticator;
import org.facteur.auth.sasl.SaslAuthenticator;
import org.facteur.auth.sasl.SaslContext;
import org.facteur.config.ConfigDefaults;

/**
 * A real directory for other modules' tests: an H2 file in a JUnit temp folder with the domain
 * {@value #DOMAIN}, the accounts {@value #ALICE} (admin) and {@value #BOB}, and a few aliases, behind a real
 * {@link SaslAuthenticator} that offers every mechanism (CRAM-MD5 included). Hashing is made cheap and the
 * throttling delays tiny so that tests run fast; everything else is the production code path.
 *
 * <pre>{@code
 * @TempDir Path temp;
 * try (TestDirectory auth = TestDirectory.create(temp)) {
 *     SaslStep step = auth.authenticator().checkPassword(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD,
 *             TestDirectory.tlsContext("imap"));
 * }
 * }</pre>
 */
public final class TestDirectory implements AutoCloseable {

    public static final String DOMAIN = "example.test";
    public static final String ALICE = "alice@example.test";
    public static final String ALICE_PASSWORD = "alice-Pa55word";
    public static final String BOB = "bob@example.test";
    public static final String BOB_PASSWORD = "bob-Pa55word";
    /** A second address of Alice's. */
    public static final String ALICE_ALIAS_ADDRESS = "a.liddell@example.test";
    /** Alias to Alice (RFC 2142). */
    public static final String POSTMASTER = "postmaster@example.test";
    /** Alias that fans out to Alice and Bob. */
    public static final String TEAM = "team@example.test";
    /** Alias to a remote address ({@value #REMOTE_TARGET}). */
    public static final String FORWARD = "forward@example.test";
    public static final String REMOTE_TARGET = "someone@remote.test";

    private final H2Directory directory;
    private final SaslAuthenticator authenticator;
    private final AtomicReference<AuthConfig> config;

    private TestDirectory(H2Directory directory, AtomicReference<AuthConfig> config) {
        this.directory = directory;
        this.config = config;
        this.authenticator = new SaslAuthenticator(directory, directory, config::get);
    }

    /** The fixture with {@link #testConfig()}. */
    public static TestDirectory create(Path tempDir) {
        return create(tempDir, testConfig());
    }

    public static TestDirectory create(Path tempDir, AuthConfig authConfig) {
        AtomicReference<AuthConfig> config = new AtomicReference<>(authConfig);
        H2Directory directory = H2Directory.openInDataDirectory(tempDir, config::get);
        directory.addDomain(DOMAIN);
        directory.addAccount(ALICE, ALICE_PASSWORD, true);
        directory.addAccount(BOB, BOB_PASSWORD, false);
        directory.addAddress(ALICE, ALICE_ALIAS_ADDRESS);
        directory.addAlias(POSTMASTER, ALICE);
        directory.addAlias(TEAM, ALICE);
        directory.addAlias(TEAM, BOB);
        directory.addAlias(FORWARD, REMOTE_TARGET);
        return new TestDirectory(directory, config);
    }

    /**
     * The defaults, with every mechanism on, cheap Argon2id (1 MiB, 1 pass), 10-50 ms throttling delays and
     * lockouts only after 1000 failures, so tests of wrong passwords stay fast.
     */
    public static AuthConfig testConfig() {
        AuthConfig d = ConfigDefaults.of(AuthConfig.class);
        return new AuthConfig(List.of(AuthConfig.Mechanism.values()), d.subaddressSeparator(),
                new AuthConfig.PasswordHashing(1024, 1, 1, 4096),
                new AuthConfig.Throttling(3, Duration.ofMillis(10), Duration.ofMillis(50), 1000, 1000, Duration.ofMinutes(15)),
                d.external(), d.senderPermissions(), d.passwordCache(), d.recipientCache());
    }

    /**
     * {@link #testConfig()} with the production Argon2id cost, for the bench servers: a login there costs what
     * it costs in production, and {@link #benchPasswordHash} gives a peer server the same cost to verify.
     */
    public static AuthConfig benchConfig() {
        AuthConfig t = testConfig();
        return new AuthConfig(t.mechanisms(), t.subaddressSeparator(), ConfigDefaults.of(AuthConfig.class).hashing(),
                t.throttling(), t.external(), t.senderPermissions(), t.passwordCache(), t.recipientCache());
    }

    /** {@code password} hashed with {@code config}'s Argon2id cost, in the PHC string form Dovecot reads. */
    public static String benchPasswordHash(AuthConfig config, String password) {
        AuthConfig.PasswordHashing h = config.hashing();
        return Argon2id.hash(password, new Argon2id.Cost(h.memoryKib(), h.iterations(), h.parallelism()));
    }

    public H2Directory directory() {
        return directory;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public SaslAuthenticator saslAuthenticator() {
        return authenticator;
    }

    public AuthConfig config() {
        return config.get();
    }

    /** Replaces the configuration, as a reload would. */
    public void reconfigure(AuthConfig newConfig) {
        config.set(newConfig);
    }

    /** A context for a TLS connection from 127.0.0.1 without a client certificate. */
    public static SaslContext tlsContext(String protocol) {
        return new SaslContext(protocol, "localhost", InetAddress.getLoopbackAddress(), true, List.of());
    }

    /** A context for a cleartext connection from 127.0.0.1 (every mechanism is refused on it). */
    public static SaslContext plainContext(String protocol) {
        return new SaslContext(protocol, "localhost", InetAddress.getLoopbackAddress(), false, List.of());
    }

    @Override
    public void close() {
        directory.close();
    }
}
