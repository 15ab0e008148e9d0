package org.facteur.auth.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.facteur.auth.AuthConfig;
import org.facteur.auth.testing.TestDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed logins slow down per address and per account, then lock out for a while; small numbers, a hand-turned clock. */
class ThrottlingTest {

    static final AuthConfig.Throttling SMALL = new AuthConfig.Throttling(1, Duration.ofMillis(20), Duration.ofMillis(60), 8, 4,
            Duration.ofMinutes(10));

    @TempDir
    Path temp;
    TestDirectory fixture;
    SaslAuthenticator auth;
    final HandTurnedClock clock = new HandTurnedClock();

    @BeforeEach
    void open() {
        fixture = TestDirectory.create(temp);
        AuthConfig d = fixture.config();
        AuthConfig config = new AuthConfig(d.mechanisms(), d.subaddressSeparator(), d.hashing(), SMALL, d.external(), d.senderPermissions(),
                d.passwordCache(), d.recipientCache());
        auth = new SaslAuthenticator(fixture.directory(), fixture.directory(), () -> config,
                new AuthThrottle(() -> SMALL, clock));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    static SaslContext from(String ip) throws Exception {
        return new SaslContext("imap", "localhost", InetAddress.getByName(ip), true, List.of());
    }

    @Test
    void delaysDoubleAfterTheFreeFailuresUpToTheMaximum() {
        assertThat(AuthThrottle.delayFor(1, SMALL)).isZero();
        assertThat(AuthThrottle.delayFor(2, SMALL)).isEqualTo(Duration.ofMillis(20));
        assertThat(AuthThrottle.delayFor(3, SMALL)).isEqualTo(Duration.ofMillis(40));
        assertThat(AuthThrottle.delayFor(4, SMALL)).isEqualTo(Duration.ofMillis(60));
        assertThat(AuthThrottle.delayFor(1000, SMALL)).isEqualTo(Duration.ofMillis(60));
    }

    @Test
    void aFailureIsAnsweredAfterTheDelay() throws Exception {
        SaslContext a = from("192.0.2.1");
        auth.checkPassword(TestDirectory.BOB, "wrong", a);
        auth.checkPassword(TestDirectory.BOB, "wrong", a);
        long start = System.nanoTime();
        auth.checkPassword(TestDirectory.BOB, "wrong", a);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(40));
    }

    @Test
    void anAccountIsLockedOutFromEverywhereThenReleased() throws Exception {
        SaslContext a = from("192.0.2.1");
        SaslContext b = from("198.51.100.7");
        for (int i = 0; i < 4; i++) {
            assertThat(auth.checkPassword(TestDirectory.BOB, "wrong", a)).isEqualTo(new SaslStep.Failure("Authentication failed", false));
        }
        assertThat(auth.checkPassword(TestDirectory.BOB, TestDirectory.BOB_PASSWORD, a))
                .isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.temporary()).isTrue());
        assertThat(auth.checkPassword("BOB@example.test", TestDirectory.BOB_PASSWORD, b))
                .as("the account, not just the address").isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.temporary()).isTrue());
        assertThat(auth.start("PLAIN", b).evaluate(("\0" + TestDirectory.BOB + "\0" + TestDirectory.BOB_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.temporary()).isTrue());
        assertThat(auth.start("SCRAM-SHA-256", b).evaluate(("n,,n=" + TestDirectory.BOB + ",r=abc").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.temporary()).isTrue());
        assertThat(auth.checkPassword(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD, a)).as("others are unaffected")
                .isInstanceOf(SaslStep.Success.class);
        clock.advance(Duration.ofMinutes(11));
        assertThat(auth.checkPassword(TestDirectory.BOB, TestDirectory.BOB_PASSWORD, a)).isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void anAddressIsLockedOutAfterGuessingManyNames() throws Exception {
        SaslContext a = from("192.0.2.9");
        for (int i = 0; i < 8; i++) {
            auth.checkPassword("user" + i + "@example.test", "guess", a);
        }
        assertThat(auth.checkPassword(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD, a))
                .isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.temporary()).isTrue());
        assertThat(auth.checkPassword(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD, from("192.0.2.10")))
                .isInstanceOf(SaslStep.Success.class);
        assertThat(auth.throttle().failures(InetAddress.getByName("192.0.2.9"))).isEqualTo(8);
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() throws Exception {
        for (int i = 1; i <= 8; i++) {
            auth.checkPassword("x" + i + "@example.test", "guess", from("2001:db8:1:2::" + i));
        }
        assertThat(auth.checkPassword(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD, from("2001:db8:1:2::99")))
                .isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.temporary()).isTrue());
        assertThat(auth.checkPassword(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD, from("2001:db8:1:3::1")))
                .isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void aSuccessClearsTheAccountsCount() throws Exception {
        SaslContext a = from("192.0.2.20");
        SaslContext b = from("192.0.2.21");
        for (int i = 0; i < 3; i++) {
            auth.checkPassword(TestDirectory.BOB, "wrong", i % 2 == 0 ? a : b);
        }
        assertThat(auth.checkPassword(TestDirectory.BOB, TestDirectory.BOB_PASSWORD, a)).isInstanceOf(SaslStep.Success.class);
        for (int i = 0; i < 3; i++) {
            auth.checkPassword(TestDirectory.BOB, "wrong", i % 2 == 0 ? b : a);
        }
        assertThat(auth.checkPassword(TestDirectory.BOB, TestDirectory.BOB_PASSWORD, b)).isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void cancelledExchangesCount() throws Exception {
        SaslContext a = from("192.0.2.30");
        for (int i = 0; i < 8; i++) {
            SaslExchange e = auth.start("PLAIN", a);
            e.evaluate(null);
            e.abort();
        }
        assertThat(auth.throttle().lockedUntil(InetAddress.getByName("192.0.2.30"), null)).isNotNull();
    }
}
