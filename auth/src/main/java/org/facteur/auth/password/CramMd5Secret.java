package org.facteur.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The "CRAM-ready" CRAM-MD5 secret (RFC 2195, HMAC-MD5 of RFC 2104): the MD5 chaining state after the
 * {@code key XOR ipad} block and after the {@code key XOR opad} block, 32 bytes in all, stored as hex (the
 * layout of Dovecot's CRAM-MD5 scheme). It is not the password, but it lets anyone who holds it answer any
 * CRAM-MD5 challenge: it is a password equivalent, which is why it is stored only while CRAM-MD5 is enabled.
 */
public final class CramMd5Secret {

    private static final int BLOCK = 64;

    private final int[] inner;
    private final int[] outer;

    private CramMd5Secret(int[] inner, int[] outer) {
        this.inner = inner;
        this.outer = outer;
    }

    public static CramMd5Secret fromPassword(String password) {
        byte[] key = password.getBytes(StandardCharsets.UTF_8);
        if (key.length > BLOCK) {
            try {
                key = MessageDigest.getInstance("MD5").digest(key); // RFC 2104 §2: long keys are hashed first
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        byte[] ipad = new byte[BLOCK];
        byte[] opad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            ipad[i] = (byte) (k ^ 0x36);
            opad[i] = (byte) (k ^ 0x5c);
        }
        int[] in = Md5.initialState();
        Md5.compress(in, ipad, 0);
        int[] out = Md5.initialState();
        Md5.compress(out, opad, 0);
        return new CramMd5Secret(in, out);
    }

    /** HMAC-MD5(password, challenge) from the stored state: the CRAM-MD5 digest the client must send. */
    public byte[] digest(byte[] challenge) {
        byte[] innerHash = Md5.finish(inner.clone(), BLOCK, challenge);
        return Md5.finish(outer.clone(), BLOCK, innerHash);
    }

    public String encode() {
        byte[] bytes = new byte[32];
        for (int i = 0; i < 4; i++) {
            Md5.putLittleEndian(inner[i], bytes, i * 4);
            Md5.putLittleEndian(outer[i], bytes, 16 + i * 4);
        }
        return HexFormat.of().formatHex(bytes);
    }

    /** Reads {@link #encode()}'s form; null when malformed. */
    public static CramMd5Secret decode(String hex) {
        if (hex == null || hex.length() != 64) {
            return null;
        }
        try {
            byte[] bytes = HexFormat.of().parseHex(hex);
            int[] in = new int[4];
            int[] out = new int[4];
            for (int i = 0; i < 4; i++) {
                in[i] = Md5.getLittleEndian(bytes, i * 4);
                out[i] = Md5.getLittleEndian(bytes, 16 + i * 4);
            }
            return new CramMd5Secret(in, out);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * MD5 (RFC 1321) from a given chaining state: the JDK's MessageDigest cannot resume from a saved state, and
     * resuming is the whole point of a CRAM-ready secret.
     */
    static final class Md5 {
        private static final int[] S = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};
        private static final int[] K = new int[64];

        static {
            for (int i = 0; i < 64; i++) {
                K[i] = (int) (long) Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296.0);
            }
        }

        static int[] initialState() {
            return new int[] {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
        }

        static void compress(int[] state, byte[] block, int offset) {
            int[] x = new int[16];
            for (int i = 0; i < 16; i++) {
                x[i] = getLittleEndian(block, offset + i * 4);
            }
            int a = state[0];
            int b = state[1];
            int c = state[2];
            int d = state[3];
            for (int i = 0; i < 64; i++) {
                int f;
                int g;
                if (i < 16) {
                    f = (b & c) | (~b & d);
                    g = i;
                } else if (i < 32) {
                    f = (d & b) | (~d & c);
                    g = (5 * i + 1) & 15;
                } else if (i < 48) {
                    f = b ^ c ^ d;
                    g = (3 * i + 5) & 15;
                } else {
                    f = c ^ (b | ~d);
                    g = (7 * i) & 15;
                }
                int shift = S[(i / 16) * 4 + (i & 3)];
                int rotated = Integer.rotateLeft(a + f + K[i] + x[g], shift);
                a = d;
                d = c;
                c = b;
                b = b + rotated;
            }
            state[0] += a;
            state[1] += b;
            state[2] += c;
            state[3] += d;
        }

        /** Hashes {@code data} after {@code alreadyHashed} bytes (a multiple of 64) gave {@code state}. */
        static byte[] finish(int[] state, long alreadyHashed, byte[] data) {
            long totalBits = (alreadyHashed + data.length) * 8;
            int padded = ((data.length + 8) / 64 + 1) * 64;
            byte[] message = new byte[padded];
            System.arraycopy(data, 0, message, 0, data.length);
            message[data.length] = (byte) 0x80;
            for (int i = 0; i < 8; i++) {
                message[padded - 8 + i] = (byte) (totalBits >>> (8 * i));
            }
            for (int off = 0; off < padded; off += 64) {
                compress(state, message, off);
            }
            byte[] digest = new byte[16];
            for (int i = 0; i < 4; i++) {
                putLittleEndian(state[i], digest, i * 4);
            }
            return digest;
        }

        static int getLittleEndian(byte[] b, int off) {
            return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
        }

        static void putLittleEndian(int v, byte[] b, int off) {
            b[off] = (byte) v;
            b[off + 1] = (byte) (v >>> 8);
            b[off + 2] = (byte) (v >>> 16);
            b[off + 3] = (byte) (v >>> 24);
        }
    }
}
