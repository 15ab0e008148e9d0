package org.facteur.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.HexFormat;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The X25519 that JSSE gets from {@link X25519Provider} agrees with RFC 7748 and with the JDK's own (SunEC). */
class X25519ProviderTest {

    static final HexFormat HEX = HexFormat.of();
    static KeyFactory keys;

    @BeforeAll
    static void install() throws Exception {
        X25519Provider.install();
        keys = KeyFactory.getInstance("XDH");
    }

    static PrivateKey privateKey(String hex) throws Exception {
        return keys.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, HEX.parseHex(hex)));
    }

    static PublicKey publicKey(String littleEndianHex) throws Exception {
        return keys.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
                X25519Provider.decodeU(HEX.parseHex(littleEndianHex))));
    }

    static byte[] agree(String provider, PrivateKey mine, PublicKey theirs) throws Exception {
        KeyAgreement agreement = provider == null ? KeyAgreement.getInstance("XDH") : KeyAgreement.getInstance("XDH", provider);
        agreement.init(mine);
        agreement.doPhase(theirs, true);
        return agreement.generateSecret();
    }

    @Test
    void isFirstForJsseAndServesX25519() throws Exception {
        assertThat(Security.getProviders()[0].getName()).isEqualTo(X25519Provider.NAME);
        X25519Provider.install();
        assertThat(Security.getProviders()).filteredOn(p -> p.getName().equals(X25519Provider.NAME)).hasSize(1);
        KeyAgreement agreement = KeyAgreement.getInstance("XDH");
        agreement.init(privateKey("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        assertThat(agreement.getProvider().getName()).isEqualTo(X25519Provider.NAME);
    }

    /** RFC 7748 §6.1: Alice's and Bob's keys and their shared secret. */
    @Test
    void rfc7748Section61Vectors() throws Exception {
        PrivateKey alice = privateKey("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        PublicKey alicePublic = publicKey("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        PrivateKey bob = privateKey("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        PublicKey bobPublic = publicKey("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertThat(HEX.formatHex(agree(null, alice, bobPublic))).isEqualTo(shared);
        assertThat(HEX.formatHex(agree(null, bob, alicePublic))).isEqualTo(shared);
        assertThat(HEX.formatHex(agree("SunEC", alice, bobPublic))).as("control: the JDK's").isEqualTo(shared);
    }

    /** Key pairs made here work with the JDK's X25519 both ways, so either side of a handshake may be SunEC. */
    @Test
    void keyPairsAgreeWithSunEc() throws Exception {
        KeyPairGenerator ours = KeyPairGenerator.getInstance("XDH");
        ours.initialize(NamedParameterSpec.X25519);
        assertThat(ours.getProvider().getName()).isEqualTo(X25519Provider.NAME);
        KeyPairGenerator jdk = KeyPairGenerator.getInstance("XDH", "SunEC");
        jdk.initialize(NamedParameterSpec.X25519);
        for (int i = 0; i < 20; i++) {
            KeyPair a = ours.generateKeyPair();
            KeyPair b = jdk.generateKeyPair();
            byte[] secret = agree(null, a.getPrivate(), b.getPublic());
            assertThat(agree("SunEC", b.getPrivate(), a.getPublic())).isEqualTo(secret);
            assertThat(agree("SunEC", a.getPrivate(), b.getPublic())).isEqualTo(secret);
        }
    }

    /** RFC 7748 §6.1 / RFC 8446 §7.4.2: a small-order public key (here u = 0 and u = 1) gives an all-zero secret. */
    @Test
    void smallOrderPublicKeysAreRefused() throws Exception {
        PrivateKey alice = privateKey("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        for (BigInteger u : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE}) {
            PublicKey weak = keys.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
            assertThatThrownBy(() -> agree(null, alice, weak)).isInstanceOf(InvalidKeyException.class);
        }
    }

    /** X448 is not served here: the JCA falls through to SunEC, unchanged. */
    @Test
    void x448StaysWithTheJdk() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("XDH");
        generator.initialize(NamedParameterSpec.X448);
        KeyPair a = generator.generateKeyPair();
        KeyPair b = generator.generateKeyPair();
        KeyAgreement agreement = KeyAgreement.getInstance("XDH");
        agreement.init(a.getPrivate());
        assertThat(agreement.getProvider().getName()).isEqualTo("SunEC");
        agreement.doPhase(b.getPublic(), true);
        assertThat(agreement.generateSecret()).isEqualTo(agree(null, b.getPrivate(), a.getPublic())).hasSize(56);
    }
}
