package org.facteur.auth.totp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA1, 6 digits, 30-second
 * steps counted from the Unix epoch. A code is accepted one step early or late (RFC 6238 §5.2's suggested
 * allowance for clock drift and typing time).
 */
public final class Totp {

    public static final int DIGITS = 6;
    public static final long STEP_SECONDS = 30;
    /** Steps accepted on each side of the current one. */
    public static final int WINDOW = 1;
    /** 160 bits, the length of an HMAC-SHA1 key (RFC 4226 §4 R6 asks for at least 128). */
    public static final int SECRET_BYTES = 20;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Totp() {
    }

    public static byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /** The time step of {@code time}: T = floor(unix time / 30) (RFC 6238 §4.2). */
    public static long step(Instant time) {
        return Math.floorDiv(time.getEpochSecond(), STEP_SECONDS);
    }

    /** The 6-digit HMAC-SHA1 code of {@code step}. */
    public static String code(byte[] secret, long step) {
        return code(secret, step, DIGITS, "HmacSHA1");
    }

    /**
     * HOTP over the step counter (RFC 4226 §5.3: dynamic truncation, then modulo 10^digits), with the HMAC
     * RFC 6238 allows (HmacSHA1, HmacSHA256, HmacSHA512).
     */
    public static String code(byte[] secret, long step, int digits, String hmac) {
        byte[] hash;
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(secret, hmac));
            hash = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hmac + " is not available", e);
        }
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        int otp = binary % (int) Math.pow(10, digits);
        return String.format("%0" + digits + "d", otp);
    }

    /**
     * The step whose code {@code code} is, within {@link #WINDOW} steps of {@code now}; empty when none matches.
     * Compared in constant time, so the answer's timing says nothing about how close a guess was.
     */
    public static OptionalLong match(byte[] secret, String code, Instant now) {
        if (code == null) {
            return OptionalLong.empty();
        }
        byte[] typed = code.replace(" ", "").getBytes(StandardCharsets.US_ASCII);
        long current = step(now);
        OptionalLong found = OptionalLong.empty();
        for (long s = current - WINDOW; s <= current + WINDOW; s++) {
            if (MessageDigest.isEqual(typed, code(secret, s).getBytes(StandardCharsets.US_ASCII)) && found.isEmpty()) {
                found = OptionalLong.of(s);
            }
        }
        return found;
    }

    /**
     * The {@code otpauth://totp/} URI authenticator apps read from a QR code or a link (the Key Uri Format of
     * Google Authenticator, which the other apps follow): label "issuer:account", the secret in base32.
     */
    public static String uri(String issuer, String account, byte[] secret) {
        String label = encode(issuer) + ":" + encode(account);
        return "otpauth://totp/" + label + "?secret=" + Base32.encode(secret) + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
