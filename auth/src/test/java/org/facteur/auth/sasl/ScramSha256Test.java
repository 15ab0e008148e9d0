package org.facteur.auth.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.facteur.auth.Account;
import org.facteur.auth.password.ScramSha256;
import org.facteur.auth.testing.TestDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScramSha256Test {

    @TempDir
    Path temp;
    TestDirectory fixture;
    final SaslContext tls = TestDirectory.tlsContext("imap");

    @BeforeEach
    void open() {
        fixture = TestDirectory.create(temp);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(SaslStep step) {
        return new String(((SaslStep.Challenge) step).data(), StandardCharsets.UTF_8);
    }

    /** The server of RFC 7677 §3's example: user "user", password "pencil", its salt and server nonce. */
    ScramSha256Exchange rfc7677Server() {
        ScramSha256 keys = ScramSha256.fromPassword("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        Account user = new Account("user", Set.of("user"), false);
        return new ScramSha256Exchange(fixture.saslAuthenticator(), tls,
                name -> name.equals("user") ? Optional.of(new ScramSha256Exchange.Lookup(user, keys)) : Optional.empty(),
                () -> "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
    }

    @Test
    void replaysTheExampleOfRfc7677() {
        ScramSha256Exchange server = rfc7677Server();
        assertThat(text(server.evaluate(bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"))))
                .isEqualTo("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        SaslStep last = server.evaluate(bytes("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        assertThat(last).isInstanceOfSatisfying(SaslStep.Success.class, s -> {
            assertThat(s.account()).isEqualTo("user");
            assertThat(new String(s.additionalData(), StandardCharsets.US_ASCII))
                    .isEqualTo("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        });
    }

    @Test
    void aWrongProofFails() {
        ScramSha256Exchange server = rfc7677Server();
        server.evaluate(bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        assertThat(server.evaluate(bytes("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=AHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="))).isEqualTo(new SaslStep.Failure("Authentication failed", false));
    }

    @Test
    void refusesChannelBindingAndMandatoryExtensionsAndBadMessages() {
        assertThat(rfc7677Server().evaluate(bytes("p=tls-unique,,n=user,r=abc"))).isInstanceOf(SaslStep.Failure.class);
        assertThat(rfc7677Server().evaluate(bytes("n,,m=ext,n=user,r=abc"))).isInstanceOf(SaslStep.Failure.class);
        for (String bad : new String[] {"", "x,,n=user,r=abc", "n,", "n,,n=user", "n,,r=abc,n=user", "n,,n=us=er,r=abc",
                "n,,n=user,r=", "n,b=x,n=user,r=abc"}) {
            assertThat(rfc7677Server().evaluate(bytes(bad))).as(bad).isInstanceOf(SaslStep.Failure.class);
        }
        ScramSha256Exchange server = rfc7677Server();
        server.evaluate(bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        assertThat(server.evaluate(bytes("c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="))).as("c= must echo the gs2 header").isInstanceOf(SaslStep.Failure.class);
        ScramSha256Exchange other = rfc7677Server();
        other.evaluate(bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        assertThat(other.evaluate(bytes("c=biws,r=rOprNGfwEbeRWgbNEkqOother,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")))
                .as("nonce mismatch").isInstanceOf(SaslStep.Failure.class);
    }

    @Test
    void saslNamesDecode() {
        assertThat(ScramSha256Exchange.decodeSaslName("a=2Cb=3Dc")).isEqualTo("a,b=c");
        assertThat(ScramSha256Exchange.decodeSaslName("a=2")).isNull();
        assertThat(ScramSha256Exchange.decodeSaslName("a,b")).isNull();
    }

    @Test
    void logsInAgainstTheRealDirectoryWithYFlagAndAuthzid() {
        for (String gs2 : new String[] {"n,,", "y,,", "n,a=" + TestDirectory.ALICE + ","}) {
            SaslExchange e = fixture.authenticator().start("SCRAM-SHA-256", tls);
            SaslStep result = ScramClient.run(e, gs2, TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD);
            assertThat(result).as(gs2).isInstanceOfSatisfying(SaslStep.Success.class,
                    s -> assertThat(s.account()).isEqualTo(TestDirectory.ALICE));
        }
        SaslStep wrong = ScramClient.run(fixture.authenticator().start("SCRAM-SHA-256", tls), "n,,", TestDirectory.ALICE, "nope");
        assertThat(wrong).isInstanceOf(SaslStep.Failure.class);
        SaslStep other = ScramClient.run(fixture.authenticator().start("SCRAM-SHA-256", tls), "n,a=" + TestDirectory.BOB + ",",
                TestDirectory.ALICE, TestDirectory.ALICE_PASSWORD);
        assertThat(other).as("no proxy authorization").isInstanceOf(SaslStep.Failure.class);
    }

    @Test
    void anUnknownUserGetsAPlausibleChallengeThenFails() {
        SaslExchange e = fixture.authenticator().start("SCRAM-SHA-256", tls);
        String first = text(e.evaluate(bytes("n,,n=nobody@example.test,r=abcdef")));
        assertThat(first).startsWith("r=abcdef").contains(",s=").endsWith(",i=4096");
        SaslExchange again = fixture.authenticator().start("SCRAM-SHA-256", tls);
        String second = text(again.evaluate(bytes("n,,n=nobody@example.test,r=abcdef")));
        assertThat(second.substring(second.indexOf(",s="))).as("stable salt").isEqualTo(first.substring(first.indexOf(",s=")));
        assertThat(ScramClient.run(fixture.authenticator().start("SCRAM-SHA-256", tls), "n,,", "nobody@example.test", "x"))
                .isInstanceOf(SaslStep.Failure.class);
    }

    /** A SCRAM-SHA-256 client written from RFC 5802 §3, for the round trip. */
    static final class ScramClient {
        static SaslStep run(SaslExchange e, String gs2, String user, String password) {
            String clientNonce = "fyko+d2lbbFgONRv9qkxdawL";
            String bare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
            SaslStep step = e.evaluate(bytes(gs2 + bare));
            if (!(step instanceof SaslStep.Challenge c)) {
                return step;
            }
            String serverFirst = new String(c.data(), StandardCharsets.UTF_8);
            String nonce = serverFirst.substring(2, serverFirst.indexOf(','));
            String salt = serverFirst.substring(serverFirst.indexOf(",s=") + 3, serverFirst.indexOf(",i="));
            int iterations = Integer.parseInt(serverFirst.substring(serverFirst.indexOf(",i=") + 3));
            byte[] salted = ScramSha256.saltedPassword(password, Base64.getDecoder().decode(salt), iterations);
            byte[] clientKey = ScramSha256.hmac(salted, bytes("Client Key"));
            byte[] storedKey = ScramSha256.sha256(clientKey);
            String withoutProof = "c=" + Base64.getEncoder().encodeToString(bytes(gs2)) + ",r=" + nonce;
            String authMessage = bare + "," + serverFirst + "," + withoutProof;
            byte[] signature = ScramSha256.hmac(storedKey, bytes(authMessage));
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            SaslStep last = e.evaluate(bytes(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)));
            if (last instanceof SaslStep.Success s) {
                byte[] serverKey = ScramSha256.hmac(salted, bytes("Server Key"));
                String expected = "v=" + Base64.getEncoder().encodeToString(ScramSha256.hmac(serverKey, bytes(authMessage)));
                assertThat(new String(s.additionalData(), StandardCharsets.US_ASCII)).isEqualTo(expected);
            }
            return last;
        }
    }
}
