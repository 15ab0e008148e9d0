package org.facteur.auth.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.facteur.auth.AuthConfig;
import org.facteur.auth.testing.TestDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password cache over a real H2 directory: Argon2id runs are counted by {@link SaslAuthenticator#argon2idChecks()}
 * (never timed), expiry follows a hand-turned clock.
 */
class VerifiedPasswordsTest {

    static final SaslContext TLS = TestDirectory.tlsContext("imap");

    @TempDir
    Path temp;
    TestDirectory fixture;
    SaslAuthenticator auth;
    final AtomicReference<AuthConfig> config = new AtomicReference<>();
    final HandTurnedClock clock = new HandTurnedClock();

    @BeforeEach
    void open() {
        fixture = TestDirectory.create(temp);
        config.set(fixture.config());
        auth = new SaslAuthenticator(fixture.directory(), fixture.directory(), config::get,
                new AuthThrottle(() -> config.get().throttling(), clock), clock);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    void withCache(int entries, Duration ttl) {
        AuthConfig d = config.get();
        config.set(new AuthConfig(d.mechanisms(), d.subaddressSeparator(), d.hashing(), d.throttling(), d.external(),
                d.senderPermissions(), new AuthConfig.PasswordCache(entries, ttl), d.recipientCache()));
    }

    boolean login(String user, String password) {
        return auth.checkPassword(user, password, TLS) instanceof SaslStep.Success;
    }

    @Test
    void theDefaultIsOnForAnHourWithTenThousandAccounts() {
        AuthConfig.PasswordCache c = org.facteur.config.ConfigDefaults.of(AuthConfig.class).passwordCache();
        assertThat(c).isEqualTo(new AuthConfig.PasswordCache(10_000, Duration.ofHours(1)));
        assertThat(c.enabled()).isTrue();
        assertThat(fixture.config().passwordCache().enabled()).as("the test fixture runs the production path").isTrue();
    }

    @Test
    void aSecondLoginWithTheSamePasswordSkipsArgon2id() {
        assertThat(login(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD)).isTrue();
        assertThat(auth.argon2idChecks()).isEqualTo(1);
        assertThat(login(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD)).isTrue();
        assertThat(login(TestDirectory.ALICE_ALIAS_ADDRESS, TestDirectory.ALICE_PASSWORD)).as("any address of the account").isTrue();
        assertThat(auth.argon2idChecks()).isEqualTo(1);
        // PLAIN and LOGIN go the same way.
        SaslExchange plain = auth.start("PLAIN", TLS);
        assertThat(plain.evaluate(("\0" + TestDirectory.ALICE + "\0" + TestDirectory.ALICE_PASSWORD).getBytes()))
                .isInstanceOf(SaslStep.Success.class);
        assertThat(auth.argon2idChecks()).isEqualTo(1);
    }

    @Test
    void aWrongPasswordAfterACachedOneGoesThroughArgon2idAndIsCountedButLeavesTheEntry() {
        assertThat(login(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD)).isTrue();
        InetAddress client = TLS.client();
        int before = auth.throttle().failures(client);
        assertThat(login(TestDirectory.ALICE, "wrong")).isFalse();
        assertThat(auth.argon2idChecks()).isEqualTo(2);
        assertThat(auth.throttle().failures(client)).isEqualTo(before + 1);
        assertThat(login(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD)).as("a guesser does not evict the owner").isTrue();
        assertThat(auth.argon2idChecks()).isEqualTo(2);
    }

    @Test
    void aLockedOutAccountIsRefusedEvenWithARememberedPassword() {
        AuthConfig d = config.get();
        config.set(new AuthConfig(d.mechanisms(), d.subaddressSeparator(), d.hashing(),
                new AuthConfig.Throttling(3, Duration.ofMillis(1), Duration.ofMillis(1), 1000, 2, Duration.ofMinutes(15)),
                d.external(), d.senderPermissions(), d.passwordCache(), d.recipientCache()));
        assertThat(login(TestDirectory.BOB, TestDirectory.BOB_PASSWORD)).isTrue();
        login(TestDirectory.BOB, "wrong-1");
        login(TestDirectory.BOB, "wrong-2");
        SaslStep step = auth.checkPassword(TestDirectory.BOB, TestDirectory.BOB_PASSWORD, TLS);
        assertThat(step).isEqualTo(new SaslStep.Failure("Too many failed logins; try again later", true));
    }

    @Test
    void aPasswordChangeTakesEffectAtOnce() {
        assertThat(login(TestDirectory.BOB, TestDirectory.BOB_PASSWORD)).isTrue();
        fixture.directory().setPassword(TestDirectory.BOB, "bob-new-Pa55word");
        assertThat(login(TestDirectory.BOB, TestDirectory.BOB_PASSWORD)).as("the old password").isFalse();
        assertThat(login(TestDirectory.BOB, "bob-new-Pa55word")).isTrue();
        long checks = auth.argon2idChecks();
        assertThat(login(TestDirectory.BOB, "bob-new-Pa55word")).isTrue();
        assertThat(auth.argon2idChecks()).as("the new password is remembered in turn").isEqualTo(checks);
        // Set back to the same text: a new salt, so a new hash, so Argon2id again.
        fixture.directory().setPassword(TestDirectory.BOB, "bob-new-Pa55word");
        assertThat(login(TestDirectory.BOB, "bob-new-Pa55word")).isTrue();
        assertThat(auth.argon2idChecks()).isEqualTo(checks + 1);
    }

    @Test
    void aRemovedAccountFailsAtOnce() {
        assertThat(login(TestDirectory.BOB, TestDirectory.BOB_PASSWORD)).isTrue();
        fixture.directory().removeAccount(TestDirectory.BOB);
        assertThat(login(TestDirectory.BOB, TestDirectory.BOB_PASSWORD)).isFalse();
        fixture.directory().addAccount(TestDirectory.BOB, TestDirectory.BOB_PASSWORD, false);
        long checks = auth.argon2idChecks();
        assertThat(login(TestDirectory.BOB, TestDirectory.BOB_PASSWORD)).as("made again: its new hash is checked").isTrue();
        assertThat(auth.argon2idChecks()).isEqualTo(checks + 1);
    }

    @Test
    void anEntryExpiresAfterTheTtl() {
        withCache(100, Duration.ofMinutes(10));
        assertThat(login(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD)).isTrue();
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(login(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD)).isTrue();
        assertThat(auth.argon2idChecks()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(login(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD)).isTrue();
        assertThat(auth.argon2idChecks()).as("expired: checked again").isEqualTo(2);
        assertThat(login(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD)).isTrue();
        assertThat(auth.argon2idChecks()).as("and remembered again from then").isEqualTo(2);
    }

    @Test
    void theLeastRecentlyUsedAccountIsForgottenPastTheBound() {
        withCache(1, Duration.ofHours(1));
        assertThat(login(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD)).isTrue();
        assertThat(login(TestDirectory.BOB, TestDirectory.BOB_PASSWORD)).isTrue();
        assertThat(auth.rememberedPasswords()).isEqualTo(1);
        assertThat(login(TestDirectory.BOB, TestDirectory.BOB_PASSWORD)).isTrue();
        assertThat(auth.argon2idChecks()).as("Bob is remembered").isEqualTo(2);
        assertThat(login(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD)).isTrue();
        assertThat(auth.argon2idChecks()).as("Alice was forgotten").isEqualTo(3);
    }

    @Test
    void zeroTurnsTheCacheOff() {
        assertThat(login(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD)).isTrue();
        withCache(0, Duration.ofHours(1));
        assertThat(login(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD)).isTrue();
        assertThat(login(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD)).isTrue();
        assertThat(auth.argon2idChecks()).isEqualTo(3);
        assertThat(auth.rememberedPasswords()).as("a reload to 0 forgets what was kept").isZero();
        withCache(100, Duration.ZERO);
        assertThat(login(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD)).isTrue();
        assertThat(login(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD)).isTrue();
        assertThat(auth.argon2idChecks()).as("ttl 0s turns it off too").isEqualTo(5);
        assertThat(List.of(new AuthConfig.PasswordCache(0, Duration.ofHours(1)).enabled(),
                new AuthConfig.PasswordCache(10, Duration.ZERO).enabled())).containsOnly(false);
    }
}
