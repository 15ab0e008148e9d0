package org.facteur.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 stored keys (RFC 5802 §3, RFC 7677): the server keeps {@code StoredKey = H(ClientKey)} and
 * {@code ServerKey} with the salt and iteration count, never the password or the salted password. Stored as
 * {@code iterations,salt,StoredKey,ServerKey} with base64 fields, the order Dovecot's SCRAM scheme uses.
 */
public record ScramSha256(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Derives the keys from a password at password-change time. */
    public static ScramSha256 fromPassword(String password, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return fromPassword(password, salt, iterations);
    }

    public static ScramSha256 fromPassword(String password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramSha256(iterations, salt.clone(), sha256(clientKey),
                hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII)));
    }

    /** SaltedPassword := Hi(Normalize(password), salt, i), Hi being PBKDF2 with HMAC-SHA-256 (RFC 5802 §2.2). */
    public static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(SaslPrep.prepareOrKeep(password).toCharArray(), salt, iterations, 256);
            // PBEKeySpec turns chars into bytes as UTF-8 for PBKDF2WithHmacSHA256, as SCRAM requires.
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        }
    }

    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String encode() {
        Base64.Encoder b64 = Base64.getEncoder();
        return iterations + "," + b64.encodeToString(salt) + "," + b64.encodeToString(storedKey) + ","
                + b64.encodeToString(serverKey);
    }

    /** Reads {@link #encode()}'s form; null when malformed. */
    public static ScramSha256 decode(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split(",");
        if (parts.length != 4) {
            return null;
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            ScramSha256 s = new ScramSha256(Integer.parseInt(parts[0]), b64.decode(parts[1]), b64.decode(parts[2]),
                    b64.decode(parts[3]));
            return s.iterations > 0 && s.storedKey.length == 32 && s.serverKey.length == 32 ? s : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
