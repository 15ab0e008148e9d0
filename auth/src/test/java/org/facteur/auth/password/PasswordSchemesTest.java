package org.facteur.auth.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class PasswordSchemesTest {

    /** Made with the reference implementation: {@code echo -n password | argon2 somesaltsomesalt -id -t 2 -m 10 -p 1 -l 32 -e}. */
    static final String REFERENCE_ARGON2ID = "$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CKGe5/bX9YnCq2rxjW5yQXKxn31v1GKzhDCrMc6r6vA";

    @Test
    void argon2idAgreesWithTheReferenceImplementation() {
        assertThat(Argon2id.verify("password", REFERENCE_ARGON2ID)).isTrue();
        assertThat(Argon2id.verify("Password", REFERENCE_ARGON2ID)).isFalse();
        assertThat(Argon2id.costOf(REFERENCE_ARGON2ID)).isEqualTo(new Argon2id.Cost(1024, 2, 1));
    }

    @Test
    void argon2idHashesInPhcFormatWithAFreshSalt() {
        Argon2id.Cost cost = new Argon2id.Cost(64, 1, 1);
        String a = Argon2id.hash("secret", cost);
        String b = Argon2id.hash("secret", cost);
        assertThat(a).matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}").isNotEqualTo(b);
        assertThat(Argon2id.verify("secret", a)).isTrue();
        assertThat(Argon2id.verify("secreT", a)).isFalse();
    }

    @Test
    void malformedHashesNeverMatchNorThrow() {
        for (String bad : new String[] {null, "", "plain", "$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$v=19$m=999999999,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=64$x$y",
                "$argon2id$v=19$m=64,t=1,p=1$!!$??"}) {
            assertThat(Argon2id.verify("x", bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void cramMd5SecretGivesTheRfc2195Digest() {
        // RFC 2195 §2: tim / tanstaaftanstaaf.
        CramMd5Secret secret = CramMd5Secret.fromPassword("tanstaaftanstaaf");
        byte[] digest = secret.digest("<1896.697170952@postoffice.reston.mci.net>".getBytes(StandardCharsets.US_ASCII));
        assertThat(HexFormat.of().formatHex(digest)).isEqualTo("b913a602c7eda7a495b4e6e7334d3890");
        CramMd5Secret stored = CramMd5Secret.decode(secret.encode());
        assertThat(HexFormat.of().formatHex(stored.digest("<1896.697170952@postoffice.reston.mci.net>".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("b913a602c7eda7a495b4e6e7334d3890");
    }

    @Test
    void cramMd5SecretMatchesHmacMd5ForLongKeysAndLongChallenges() throws Exception {
        String longPassword = "p".repeat(100);
        byte[] challenge = ("<" + "x".repeat(200) + "@host>").getBytes(StandardCharsets.US_ASCII);
        Mac mac = Mac.getInstance("HmacMD5");
        mac.init(new SecretKeySpec(longPassword.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
        assertThat(CramMd5Secret.fromPassword(longPassword).digest(challenge)).isEqualTo(mac.doFinal(challenge));
        for (int n = 50; n < 70; n++) { // around the padding boundary
            byte[] c = new byte[n];
            mac.init(new SecretKeySpec("k".getBytes(StandardCharsets.UTF_8), "HmacMD5"));
            assertThat(CramMd5Secret.fromPassword("k").digest(c)).isEqualTo(mac.doFinal(c));
        }
        assertThat(CramMd5Secret.decode("zz")).isNull();
    }

    @Test
    void scramKeysOfRfc7677() {
        // RFC 7677 §3: user / pencil, salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations.
        ScramSha256 keys = ScramSha256.fromPassword("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        ScramSha256 back = ScramSha256.decode(keys.encode());
        assertThat(back.iterations()).isEqualTo(4096);
        assertThat(back.storedKey()).isEqualTo(keys.storedKey());
        assertThat(back.serverKey()).isEqualTo(keys.serverKey());
        assertThat(ScramSha256.decode("4096,bad")).isNull();
    }

    @Test
    void saslPrepExamplesOfRfc4013() {
        // RFC 4013 §3.
        assertThat(SaslPrep.prepare("I\u00ADX")).isEqualTo("IX");
        assertThat(SaslPrep.prepare("user")).isEqualTo("user");
        assertThat(SaslPrep.prepare("USER")).isEqualTo("USER");
        assertThat(SaslPrep.prepare("\u00AA")).isEqualTo("a");
        assertThat(SaslPrep.prepare("\u2168")).isEqualTo("IX");
        assertThatThrownBy(() -> SaslPrep.prepare("\u0007")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SaslPrep.prepare("a\u00A0b")).isEqualTo("a b");
        assertThat(SaslPrep.prepareOrKeep("\u0007x")).isEqualTo("\u0007x");
    }
}
