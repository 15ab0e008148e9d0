package org.facteur.net;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.List;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * X25519 key pairs and key agreement (RFC 7748) for JSSE, computed by Bouncy Castle's constant-time RFC 7748 code
 * instead of the JDK's generic field arithmetic. X25519 is the group every OpenSSL client sends its key share for
 * (see docs/net.md), and the JDK's was the largest single cost of a STARTTLS handshake: 28% of its CPU samples
 * (JFR on bench/smtp's server, warm), with a key pair plus an agreement taking about 3 times as long as Bouncy
 * Castle's; with this provider X25519 is 19% of a cheaper handshake.
 *
 * <p>Only X25519 is served, under the JCA names JSSE asks for ({@code XDH}, {@code X25519}): any other parameter
 * set or key is refused here, and the JCA then falls through to the next provider (SunEC for X448). Keys are the
 * JDK's own objects (made by SunEC's key factory from the scalar and the u-coordinate), so they go anywhere an
 * {@link XECPrivateKey} or {@link XECPublicKey} goes. The policy (which groups, in which order) is not changed.
 */
public final class X25519Provider extends Provider {

    public static final String NAME = "FacteurX25519";

    /** For a generator used without initialize(), as SunEC allows. */
    private static final SecureRandom DEFAULT_RANDOM = new SecureRandom();
    /** 2^255 - 19, the field prime of Curve25519 (RFC 7748 §4.1). */
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

    private X25519Provider() {
        super(NAME, "1", "X25519 (RFC 7748) from Bouncy Castle for JSSE");
        for (String type : List.of("KeyPairGenerator", "KeyAgreement")) {
            String implementation = type.equals("KeyAgreement") ? Agreement.class.getName() : KeyPairs.class.getName();
            putService(new Service(this, type, "XDH", implementation, List.of(), null));
            putService(new Service(this, type, "X25519", implementation, List.of(), null));
        }
    }

    /** Puts the provider first in the JVM's list, once; JSSE's key exchange then uses it for X25519. */
    public static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.insertProviderAt(new X25519Provider(), 1);
        }
    }

    static boolean isX25519(AlgorithmParameterSpec params) {
        return params instanceof NamedParameterSpec named && named.getName().equalsIgnoreCase("X25519");
    }

    /** The RFC 7748 §5 little-endian encoding of a u-coordinate, reduced modulo p as the JDK's XDH does. */
    static byte[] encodeU(BigInteger u) {
        byte[] bigEndian = u.mod(P).toByteArray();
        byte[] encoded = new byte[X25519.POINT_SIZE];
        for (int i = 0; i < encoded.length && i < bigEndian.length; i++) {
            encoded[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return encoded;
    }

    static BigInteger decodeU(byte[] littleEndian) {
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        return new BigInteger(1, bigEndian);
    }

    /** {@code KeyPairGenerator.XDH}: X25519 only (also the default when not initialised, as in SunEC). */
    public static final class KeyPairs extends java.security.KeyPairGeneratorSpi {
        private SecureRandom random;

        @Override
        public void initialize(int keySize, SecureRandom random) {
            if (keySize != 255) {
                throw new InvalidParameterException("only X25519 (255 bits) here");
            }
            this.random = random;
        }

        @Override
        public void initialize(AlgorithmParameterSpec params, SecureRandom random) throws InvalidAlgorithmParameterException {
            if (!isX25519(params)) {
                throw new InvalidAlgorithmParameterException("only X25519 here");
            }
            this.random = random;
        }

        @Override
        public KeyPair generateKeyPair() {
            byte[] scalar = new byte[X25519.SCALAR_SIZE];
            X25519.generatePrivateKey(random != null ? random : DEFAULT_RANDOM, scalar);
            byte[] u = new byte[X25519.POINT_SIZE];
            X25519.generatePublicKey(scalar, 0, u, 0);
            try {
                KeyFactory keys = KeyFactory.getInstance("XDH");
                return new KeyPair(
                        keys.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(u))),
                        keys.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK's XDH key factory refused an X25519 key", e);
            }
        }
    }

    /** {@code KeyAgreement.XDH}: X25519 only, with the all-zero check of RFC 7748 §6.1 (RFC 8446 §7.4.2). */
    public static final class Agreement extends javax.crypto.KeyAgreementSpi {
        private byte[] scalar;
        private byte[] secret;

        @Override
        protected void engineInit(Key key, SecureRandom random) throws InvalidKeyException {
            if (!(key instanceof XECPrivateKey privateKey) || !isX25519(privateKey.getParams())) {
                throw new InvalidKeyException("only X25519 private keys here");
            }
            scalar = privateKey.getScalar().orElseThrow(() -> new InvalidKeyException("no private key value"));
            secret = null;
        }

        @Override
        protected void engineInit(Key key, AlgorithmParameterSpec params, SecureRandom random)
                throws InvalidKeyException, InvalidAlgorithmParameterException {
            if (params != null && !isX25519(params)) {
                throw new InvalidAlgorithmParameterException("only X25519 here");
            }
            engineInit(key, random);
        }

        @Override
        protected Key engineDoPhase(Key key, boolean lastPhase) throws InvalidKeyException {
            if (scalar == null) {
                throw new IllegalStateException("not initialized");
            }
            if (secret != null) {
                throw new IllegalStateException("phase already executed");
            }
            if (!lastPhase) {
                throw new IllegalStateException("two-party agreement only: lastPhase must be true");
            }
            if (!(key instanceof XECPublicKey publicKey) || !isX25519(publicKey.getParams())) {
                throw new InvalidKeyException("only X25519 public keys here");
            }
            byte[] shared = new byte[X25519.POINT_SIZE];
            if (!X25519.calculateAgreement(scalar, 0, encodeU(publicKey.getU()), 0, shared, 0)) {
                // A small-order point: the peer would fix the secret (RFC 7748 §6.1 "check ... all-zero").
                throw new InvalidKeyException("X25519 shared secret is all zero (small-order public key)");
            }
            secret = shared;
            return null;
        }

        @Override
        protected byte[] engineGenerateSecret() {
            if (secret == null) {
                throw new IllegalStateException("no agreement done");
            }
            byte[] result = secret;
            secret = null;
            return result;
        }

        @Override
        protected int engineGenerateSecret(byte[] sharedSecret, int offset) throws ShortBufferException {
            if (secret == null) {
                throw new IllegalStateException("no agreement done");
            }
            if (sharedSecret.length - offset < secret.length) {
                throw new ShortBufferException("need " + secret.length + " bytes");
            }
            byte[] result = engineGenerateSecret();
            System.arraycopy(result, 0, sharedSecret, offset, result.length);
            return result.length;
        }

        /** JSSE asks for "TlsPremasterSecret"; the bytes are the same whatever the name, as in SunEC. */
        @Override
        protected SecretKey engineGenerateSecret(String algorithm) throws NoSuchAlgorithmException {
            if (algorithm == null || algorithm.isEmpty()) {
                throw new NoSuchAlgorithmException("algorithm must be named");
            }
            return new SecretKeySpec(engineGenerateSecret(), algorithm);
        }
    }
}
