package org.facteur.auth.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.facteur.auth.testing.TestDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** checkPassword, PLAIN (RFC 4616) and LOGIN against the real test directory. */
class PasswordLoginTest {

    @TempDir
    Path temp;
    TestDirectory fixture;
    Authenticator auth;
    final SaslContext tls = TestDirectory.tlsContext("imap");

    @BeforeEach
    void open() {
        fixture = TestDirectory.create(temp);
        auth = fixture.authenticator();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void checkPasswordAcceptsTheRightPasswordByAnyAddress() {
        assertThat(auth.checkPassword("Alice@Example.test", TestDirectory.ALICE_PASSWORD, tls))
                .isEqualTo(new SaslStep.Success(TestDirectory.ALICE, null));
        assertThat(auth.checkPassword(TestDirectory.ALICE_ALIAS_ADDRESS, TestDirectory.ALICE_PASSWORD, tls))
                .isEqualTo(new SaslStep.Success(TestDirectory.ALICE, null));
        assertThat(auth.checkPassword(TestDirectory.ALICE, "wrong", tls)).isEqualTo(new SaslStep.Failure("Authentication failed", false));
        assertThat(auth.checkPassword("nobody@example.test", "x", tls)).isInstanceOf(SaslStep.Failure.class);
        assertThat(auth.checkPassword(TestDirectory.POSTMASTER, TestDirectory.ALICE_PASSWORD, tls))
                .as("an alias is no login").isInstanceOf(SaslStep.Failure.class);
    }

    @Test
    void nothingIsOfferedOrAcceptedWithoutTls() {
        SaslContext plain = TestDirectory.plainContext("smtp");
        assertThat(auth.mechanisms(plain)).isEmpty();
        assertThat(auth.start("PLAIN", plain)).isNull();
        assertThat(auth.checkPassword(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD, plain))
                .isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.reason()).contains("TLS"));
        assertThat(auth.mechanisms(tls)).containsExactly("SCRAM-SHA-256", "PLAIN", "LOGIN", "CRAM-MD5");
    }

    @Test
    void plainWithAndWithoutInitialResponse() {
        // RFC 4616 §4 example 1 shape: authzid empty, authcid, password.
        SaslExchange e = auth.start("plain", tls);
        assertThat(e.evaluate(bytes("\0" + TestDirectory.BOB + "\0" + TestDirectory.BOB_PASSWORD)))
                .isEqualTo(new SaslStep.Success(TestDirectory.BOB, null));
        SaslExchange noIr = auth.start("PLAIN", tls);
        assertThat(noIr.evaluate(null)).isInstanceOfSatisfying(SaslStep.Challenge.class, c -> assertThat(c.data()).isEmpty());
        assertThat(noIr.evaluate(bytes(TestDirectory.BOB + "\0" + TestDirectory.BOB + "\0" + TestDirectory.BOB_PASSWORD)))
                .isEqualTo(new SaslStep.Success(TestDirectory.BOB, null));
    }

    @Test
    void plainAuthzidMustBeTheSameAccount() {
        // RFC 4616 §4 example 2 shape: an authzid different from the authcid is refused (no proxy authorization).
        assertThat(auth.start("PLAIN", tls).evaluate(bytes(TestDirectory.ALICE + "\0" + TestDirectory.BOB + "\0" + TestDirectory.BOB_PASSWORD)))
                .isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.reason()).contains("Not authorized"));
        assertThat(auth.start("PLAIN", tls).evaluate(bytes(TestDirectory.ALICE_ALIAS_ADDRESS + "\0" + TestDirectory.ALICE + "\0" + TestDirectory.ALICE_PASSWORD)))
                .as("another address of the same account").isEqualTo(new SaslStep.Success(TestDirectory.ALICE, null));
    }

    @Test
    void plainRejectsMalformedMessages() {
        for (String bad : new String[] {"", "no-nul", "\0only-one-nul", "a\0b\0c\0d", "\0" + TestDirectory.BOB + "\0"}) {
            assertThat(auth.start("PLAIN", tls).evaluate(bytes(bad))).as(bad).isInstanceOf(SaslStep.Failure.class);
        }
        assertThat(auth.start("PLAIN", tls).evaluate(new byte[] {0, (byte) 0xff, 0, 'x'})).isInstanceOf(SaslStep.Failure.class);
        assertThat(auth.start("PLAIN", tls).evaluate(new byte[10_000])).isInstanceOf(SaslStep.Failure.class);
        SaslExchange done = auth.start("PLAIN", tls);
        done.evaluate(bytes("\0" + TestDirectory.BOB + "\0" + TestDirectory.BOB_PASSWORD));
        assertThat(done.evaluate(bytes("again"))).isInstanceOf(SaslStep.Failure.class);
    }

    @Test
    void loginAsksForUserThenPassword() {
        SaslExchange e = auth.start("LOGIN", tls);
        assertThat(new String(((SaslStep.Challenge) e.evaluate(null)).data(), StandardCharsets.US_ASCII)).isEqualTo("Username:");
        assertThat(new String(((SaslStep.Challenge) e.evaluate(bytes(TestDirectory.ALICE))).data(), StandardCharsets.US_ASCII)).isEqualTo("Password:");
        assertThat(e.evaluate(bytes(TestDirectory.ALICE_PASSWORD))).isEqualTo(new SaslStep.Success(TestDirectory.ALICE, null));

        SaslExchange withInitial = auth.start("LOGIN", tls);
        assertThat(withInitial.evaluate(bytes(TestDirectory.BOB))).isInstanceOf(SaslStep.Challenge.class);
        assertThat(withInitial.evaluate(bytes("nope"))).isInstanceOf(SaslStep.Failure.class);
    }

    @Test
    void aClosedDirectoryGivesTemporaryFailures() {
        SaslExchange scram = auth.start("SCRAM-SHA-256", tls);
        fixture.close();
        assertThat(auth.checkPassword(TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD, tls))
                .isEqualTo(new SaslStep.Failure("Authentication is unavailable, try again later", true));
        assertThat(scram.evaluate(bytes("n,,n=" + TestDirectory.ALICE + ",r=abc")))
                .isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.temporary()).isTrue());
        assertThat(auth.checkPassword(TestDirectory.ALICE, null, tls)).isInstanceOf(SaslStep.Failure.class);
    }

    @Test
    void clientSuppliedNamesCannotForgeLogLines() {
        assertThat(SaslAuthenticator.printable("x\r\n12:00 INFO authenticated admin")).isEqualTo("x\\x0d\\x0a12:00 INFO authenticated admin");
        assertThat(SaslAuthenticator.printable("a".repeat(500))).hasSize(103);
        assertThat(auth.start("LOGIN", tls).evaluate(bytes("evil\r\nuser"))).isInstanceOf(SaslStep.Challenge.class);
    }

    @Test
    void unknownMechanismsAreNull() {
        assertThat(auth.start("GSSAPI", tls)).isNull();
        assertThat(auth.start("EXTERNAL", tls)).as("no client certificate").isNull();
    }
}
