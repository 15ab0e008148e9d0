package org.facteur.auth;

import org.facteur.auth.password.Argon2id;
import org.facteur.auth.password.CramMd5Secret;
import org.facteur.auth.password.ScramSha256;

/**
 * What the directory stores to check one account's logins, all derived from the password at password-change
 * time; the password itself is never stored.
 *
 * @param account      the account name
 * @param passwordHash Argon2id PHC string (PLAIN, LOGIN, IMAP LOGIN, POP3 PASS, webmail)
 * @param scram        SCRAM-SHA-256 stored keys ({@link org.facteur.auth.password.ScramSha256#encode()}), or null
 * @param cramMd5      CRAM-MD5 secret ({@link org.facteur.auth.password.CramMd5Secret#encode()}), null unless CRAM-MD5 is enabled
 */
public record Credentials(String account, String passwordHash, String scram, String cramMd5) {

    /** Derives every secret the configuration asks for from a password (slow: one Argon2id and one PBKDF2). */
    public static Credentials derive(String account, String password, AuthConfig config) {
        AuthConfig.PasswordHashing h = config.hashing();
        String hash = Argon2id.hash(password, new Argon2id.Cost(h.memoryKib(), h.iterations(), h.parallelism()));
        String scram = ScramSha256.fromPassword(password, h.scramIterations()).encode();
        String cram = config.cramMd5Enabled() ? CramMd5Secret.fromPassword(password).encode() : null;
        return new Credentials(account, hash, scram, cram);
    }

    /**
     * Whether these secrets no longer match the configuration: a cheaper Argon2id cost, other SCRAM iterations,
     * a CRAM-MD5 secret missing while it is enabled or kept while it is disabled.
     */
    public boolean outdated(AuthConfig config) {
        AuthConfig.PasswordHashing h = config.hashing();
        Argon2id.Cost cost = Argon2id.costOf(passwordHash);
        ScramSha256 s = ScramSha256.decode(scram);
        return cost == null || !cost.equals(new Argon2id.Cost(h.memoryKib(), h.iterations(), h.parallelism()))
                || s == null || s.iterations() != h.scramIterations()
                || (cramMd5 != null) != config.cramMd5Enabled();
    }

    @Override
    public String toString() {
        // Keeps secrets out of logs and exception messages.
        return "Credentials[" + account + "]";
    }
}
