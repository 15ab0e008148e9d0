package org.facteur.auth.totp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.facteur.auth.sasl.SaslContext;
import org.facteur.auth.sasl.SaslStep;
import org.facteur.auth.testing.TestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecondFactorLoginTest {

    @TempDir
    Path temp;

    @Test
    void rightCodeOnceWrongOrReplayedCodesCountAsFailedLogins() {
        try (TestDirectory auth = TestDirectory.create(temp)) {
            byte[] secret = Totp.newSecret();
            auth.directory().settings().enrol(TestDirectory.BOB, Base32.encode(secret));
            auth.directory().settings().confirm(TestDirectory.BOB, -1);
            SaslContext context = TestDirectory.tlsContext("http");
            int before = auth.saslAuthenticator().throttle().failures(context.client());

            assertThat(auth.authenticator().checkSecondFactor(TestDirectory.BOB, "000000x", context))
                    .isInstanceOf(SaslStep.Failure.class);
            String code = Totp.code(secret, Totp.step(Instant.now()));
            assertThat(auth.authenticator().checkSecondFactor(TestDirectory.BOB, code, context))
                    .isEqualTo(new SaslStep.Success(TestDirectory.BOB, null));
            assertThat(auth.authenticator().checkSecondFactor(TestDirectory.BOB, code, context))
                    .isInstanceOf(SaslStep.Failure.class);
            assertThat(auth.saslAuthenticator().throttle().failures(context.client())).isEqualTo(before + 2);
            // Alice has no second factor: no code is ever right.
            assertThat(auth.authenticator().checkSecondFactor(TestDirectory.ALICE, code, context))
                    .isInstanceOf(SaslStep.Failure.class);
        }
    }
}
