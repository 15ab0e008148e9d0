package org.facteur.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (RFC 9106) in the PHC string format that libargon2, Dovecot and Stalwart write:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} with unpadded standard base64. The parameters travel
 * with each hash, so raising the cost in the configuration never breaks existing accounts.
 */
public final class Argon2id {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    /** The cost parameters of a hash. */
    public record Cost(int memoryKib, int iterations, int parallelism) {
    }

    private Argon2id() {
    }

    /** Hashes {@code password} (prepared with SASLprep where possible, so PLAIN and SCRAM agree on it) with a fresh salt. */
    public static String hash(String password, Cost cost) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, cost, HASH_BYTES);
        return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Whether {@code password} matches {@code phc}; false (never an exception) for a malformed hash. */
    public static boolean verify(String password, String phc) {
        Parsed p = parse(phc);
        if (p == null) {
            return false;
        }
        byte[] actual = derive(password, p.salt, p.cost, p.hash.length);
        return MessageDigest.isEqual(actual, p.hash);
    }

    /** The cost a hash was made with, or null when it is not an Argon2id PHC string. */
    public static Cost costOf(String phc) {
        Parsed p = parse(phc);
        return p == null ? null : p.cost;
    }

    private record Parsed(Cost cost, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String phc) {
        if (phc == null) {
            return null;
        }
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        String[] parts = phc.split("\\$");
        if (parts.length != 6 || !parts[0].isEmpty() || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return null;
        }
        int m = -1;
        int t = -1;
        int par = -1;
        try {
            for (String kv : parts[3].split(",")) {
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    return null;
                }
                int value = Integer.parseInt(kv.substring(eq + 1));
                switch (kv.substring(0, eq)) {
                    case "m" -> m = value;
                    case "t" -> t = value;
                    case "p" -> par = value;
                    default -> {
                        return null;
                    }
                }
            }
            byte[] salt = B64D.decode(parts[4]);
            byte[] hash = B64D.decode(parts[5]);
            // Refuse absurd stored costs: a corrupted row must not make a login allocate gigabytes.
            if (m < 8 || m > 4 * 1024 * 1024 || t < 1 || t > 100 || par < 1 || par > 64 || salt.length < 8 || hash.length < 16) {
                return null;
            }
            return new Parsed(new Cost(m, t, par), salt, hash);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] derive(String password, byte[] salt, Cost cost, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(SaslPrep.prepareOrKeep(password).getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
