package org.facteur.auth.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.facteur.auth.AuthConfig;
import org.facteur.auth.testing.TestDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CramMd5Test {

    static final byte[] RFC2195_CHALLENGE = "<1896.697170952@postoffice.reston.mci.net>".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path temp;
    TestDirectory fixture;
    final SaslContext tls = TestDirectory.tlsContext("imap");

    @BeforeEach
    void open() {
        fixture = TestDirectory.create(temp);
        // RFC 2195 §2's password; the digest does not depend on the user name.
        fixture.directory().setPassword(TestDirectory.ALICE, "tanstaaftanstaaf");
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void replaysTheExampleOfRfc2195() {
        CramMd5Exchange e = new CramMd5Exchange(fixture.saslAuthenticator(), tls, RFC2195_CHALLENGE);
        SaslStep challenge = e.evaluate(null);
        assertThat(((SaslStep.Challenge) challenge).data()).isEqualTo(RFC2195_CHALLENGE);
        assertThat(e.evaluate((TestDirectory.ALICE + " b913a602c7eda7a495b4e6e7334d3890").getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new SaslStep.Success(TestDirectory.ALICE, null));
    }

    @Test
    void wrongDigestsAndMalformedResponsesFail() {
        for (String bad : new String[] {TestDirectory.ALICE + " b913a602c7eda7a495b4e6e7334d3891", TestDirectory.ALICE,
                TestDirectory.ALICE + " zz13a602c7eda7a495b4e6e7334d3890", " b913a602c7eda7a495b4e6e7334d3890", ""}) {
            CramMd5Exchange e = new CramMd5Exchange(fixture.saslAuthenticator(), tls, RFC2195_CHALLENGE);
            e.evaluate(null);
            assertThat(e.evaluate(bad.getBytes(StandardCharsets.US_ASCII))).as(bad).isInstanceOf(SaslStep.Failure.class);
        }
        CramMd5Exchange withInitial = new CramMd5Exchange(fixture.saslAuthenticator(), tls, RFC2195_CHALLENGE);
        assertThat(withInitial.evaluate("x".getBytes(StandardCharsets.US_ASCII))).isInstanceOf(SaslStep.Failure.class);
    }

    @Test
    void challengesAreUniqueAndNameTheServer() {
        String a = new String(((SaslStep.Challenge) fixture.authenticator().start("CRAM-MD5", tls).evaluate(null)).data(), StandardCharsets.US_ASCII);
        String b = new String(((SaslStep.Challenge) fixture.authenticator().start("CRAM-MD5", tls).evaluate(null)).data(), StandardCharsets.US_ASCII);
        assertThat(a).matches("<\\d+\\.\\d+@localhost>").isNotEqualTo(b);
    }

    @Test
    void isNotOfferedUnlessConfiguredAndTheSecretIsFilledInAtTheNextPasswordLogin() {
        AuthConfig withCram = fixture.config();
        AuthConfig without = new AuthConfig(List.of(AuthConfig.Mechanism.PLAIN), withCram.subaddressSeparator(),
                withCram.hashing(), withCram.throttling(), withCram.external(), withCram.senderPermissions(),
                withCram.passwordCache(), withCram.recipientCache());
        fixture.reconfigure(without);
        assertThat(fixture.authenticator().mechanisms(tls)).containsExactly("PLAIN");
        assertThat(fixture.authenticator().start("CRAM-MD5", tls)).isNull();
        // A password login drops the CRAM secret now that CRAM-MD5 is off...
        assertThat(fixture.authenticator().checkPassword(TestDirectory.ALICE, "tanstaaftanstaaf", tls)).isInstanceOf(SaslStep.Success.class);
        assertThat(fixture.directory().credentials(TestDirectory.ALICE).orElseThrow().cramMd5()).isNull();
        // ...and stores it again once CRAM-MD5 is back on.
        fixture.reconfigure(withCram);
        CramMd5Exchange before = new CramMd5Exchange(fixture.saslAuthenticator(), tls, RFC2195_CHALLENGE);
        before.evaluate(null);
        assertThat(before.evaluate((TestDirectory.ALICE + " b913a602c7eda7a495b4e6e7334d3890").getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(SaslStep.Failure.class);
        assertThat(fixture.authenticator().checkPassword(TestDirectory.ALICE, "tanstaaftanstaaf", tls)).isInstanceOf(SaslStep.Success.class);
        CramMd5Exchange after = new CramMd5Exchange(fixture.saslAuthenticator(), tls, RFC2195_CHALLENGE);
        after.evaluate(null);
        assertThat(after.evaluate((TestDirectory.ALICE + " b913a602c7eda7a495b4e6e7334d3890").getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new SaslStep.Success(TestDirectory.ALICE, null));
    }
}
