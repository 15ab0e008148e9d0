package org.facteur.auth;

import java.time.Duration;
import java.util.List;
import org.facteur.config.Default;
import org.facteur.config.Doc;

/**
 * Authentication policy: which SASL mechanisms are offered, how passwords are hashed, how failures are slowed
 * down, how TLS client certificates map to accounts (EXTERNAL) and who may send as whom.
 */
@Doc("Accounts and authentication.")
public record AuthConfig(
        @Doc("SASL mechanisms offered, in preference order: scram-sha-256, plain, login, cram-md5, external. "
                + "Password mechanisms are offered only over TLS, EXTERNAL only with a verified client certificate. "
                + "Listing cram-md5 makes every password change also store a CRAM-MD5 secret, which is as good as the "
                + "password to a thief of the database (see docs/auth.md).")
        @Default("[scram-sha-256, plain, login, external]") List<Mechanism> mechanisms,
        @Doc("Sub-address separator: mail to user+tag@domain goes to user, with 'tag' as a folder hint. Empty turns sub-addressing off.")
        @Default("+") String subaddressSeparator,
        @Doc("Argon2id password hashing cost.") PasswordHashing hashing,
        @Doc("Slowing down and locking out repeated failed logins.") Throttling throttling,
        @Doc("SASL EXTERNAL: how a TLS client certificate names an account.") External external,
        @Doc("Extra sender addresses an account may use beyond its own addresses and the aliases that reach it.")
        List<SenderPermission> senderPermissions,
        @Doc("Remembering passwords already verified, so that a client that logs in again does not pay Argon2id each time "
                + "(as Dovecot's auth cache).")
        PasswordCache passwordCache,
        @Doc("Remembering where recent recipient addresses go (the SMTP RCPT lookup); a change to the directory, by the "
                + "server or the admin CLI, applies at once.")
        RecipientCache recipientCache) {

    public AuthConfig {
        mechanisms = List.copyOf(mechanisms);
        senderPermissions = List.copyOf(senderPermissions);
        if (subaddressSeparator == null) {
            subaddressSeparator = "";
        }
        if (subaddressSeparator.contains("@")) {
            throw new IllegalArgumentException("subaddressSeparator cannot contain '@'");
        }
    }

    /** The SASL mechanisms Facteur implements. */
    public enum Mechanism {
        SCRAM_SHA_256("SCRAM-SHA-256"),
        PLAIN("PLAIN"),
        LOGIN("LOGIN"),
        CRAM_MD5("CRAM-MD5"),
        EXTERNAL("EXTERNAL");

        private final String saslName;

        Mechanism(String saslName) {
            this.saslName = saslName;
        }

        /** The IANA-registered name, as sent in EHLO, CAPABILITY and CAPA. */
        public String saslName() {
            return saslName;
        }
    }

    /** Whether CRAM-MD5 is on, which means password changes store the CRAM-MD5 secret. */
    public boolean cramMd5Enabled() {
        return mechanisms.contains(Mechanism.CRAM_MD5);
    }

    /** Argon2id parameters (RFC 9106) for new hashes; existing hashes carry their own and are upgraded at login. */
    public record PasswordHashing(
            @Doc("Argon2id memory per hash, in KiB (OWASP minimum: 19456 = 19 MiB).") @Default("19456") int memoryKib,
            @Doc("Argon2id passes over memory.") @Default("2") int iterations,
            @Doc("Argon2id lanes.") @Default("1") int parallelism,
            @Doc("PBKDF2 iterations for the SCRAM-SHA-256 keys stored at password change (RFC 7677 asks for at least 4096).")
            @Default("4096") int scramIterations) {

        public PasswordHashing {
            if (parallelism < 1 || iterations < 1 || memoryKib < 8 * parallelism) {
                throw new IllegalArgumentException("Argon2id needs parallelism >= 1, iterations >= 1 and memoryKib >= 8 * parallelism");
            }
            if (scramIterations < 1) {
                throw new IllegalArgumentException("scramIterations must be at least 1");
            }
        }
    }

    /**
     * Failed logins are counted per client IP and per account name. After {@code freeFailures} failures each
     * further failure is answered after {@code baseDelay * 2^(n - freeFailures)}, at most {@code maxDelay};
     * at {@code lockoutAfter} failures the key is locked out for {@code lockoutDuration} (temporary failure,
     * even with the right password). Counters are forgotten {@code lockoutDuration} after the last failure.
     */
    public record Throttling(
            @Doc("Failures answered at once before the delays start.") @Default("3") int freeFailures,
            @Doc("First delay added to a failed login; it doubles with each further failure.") @Default("1s") Duration baseDelay,
            @Doc("Longest delay added to one failed login.") @Default("15s") Duration maxDelay,
            @Doc("Failures from one IP address before it is locked out.") @Default("30") int ipLockoutAfter,
            @Doc("Failures for one account before it is locked out (from everywhere).") @Default("10") int accountLockoutAfter,
            @Doc("How long a lockout lasts, and how long failures are remembered.") @Default("15m") Duration lockoutDuration) {

        public Throttling {
            if (freeFailures < 0 || ipLockoutAfter < 1 || accountLockoutAfter < 1) {
                throw new IllegalArgumentException("throttling counts must be positive");
            }
        }
    }

    /**
     * After a successful Argon2id check, an HMAC-SHA-256 of the password under a key made at start and held only in
     * memory is kept per account with the hash it was checked against; a later login with the same password and an
     * unchanged stored hash skips Argon2id. Like Dovecot's {@code auth_cache_size}/{@code auth_cache_ttl}; the TTL
     * is Dovecot's default (1 hour): long enough for clients that reconnect all day (phones, fetchmail polls,
     * Thunderbird's several connections), short enough that a password remembered by a forgotten session expires.
     * A changed password, or a removed account, takes effect at once whatever the TTL.
     */
    public record PasswordCache(
            @Doc("Accounts remembered at most; the least recently used is forgotten first. 0 turns the cache off.")
            @Default("10000") int entries,
            @Doc("How long a verified password is remembered after its Argon2id check. 0s turns the cache off.")
            @Default("1h") Duration ttl) {

        public PasswordCache {
            if (entries < 0 || ttl.isNegative()) {
                throw new IllegalArgumentException("passwordCache.entries and passwordCache.ttl cannot be negative");
            }
        }

        /** Whether passwords are remembered at all. */
        public boolean enabled() {
            return entries > 0 && !ttl.isZero();
        }
    }

    /**
     * Recent answers of the recipient lookup. Each is dropped as soon as the directory changes (a trigger in the
     * database counts every change, the CLI's too); the TTL only bounds the rare read that falls between another
     * process's change and its commit.
     */
    public record RecipientCache(
            @Doc("Addresses remembered at most; when full the cache starts again empty. 0 turns the cache off.")
            @Default("10000") int entries,
            @Doc("Longest time an answer is used. 0s turns the cache off.")
            @Default("60s") Duration ttl) {

        public RecipientCache {
            if (entries < 0 || ttl.isNegative()) {
                throw new IllegalArgumentException("recipientCache.entries and recipientCache.ttl cannot be negative");
            }
        }

        /** Whether answers are remembered at all. */
        public boolean enabled() {
            return entries > 0 && !ttl.isZero();
        }
    }

    /** SASL EXTERNAL (RFC 4422 appendix A) from a verified TLS client certificate. */
    public record External(
            @Doc("Map a certificate to the account that has its rfc822Name subject alternative name, or else its subject emailAddress.")
            @Default("true") boolean byCertificateEmail,
            @Doc("Rules tried in order before the e-mail mapping, as sendmail's CERTIssuer/CERTSubject: the first whose issuer and subject match names the account.")
            List<CertificateRule> rules) {

        public External {
            rules = List.copyOf(rules);
        }
    }

    /**
     * Maps certificates to an account. {@code subject} is a Java regular expression matched against the whole
     * subject DN in RFC 2253 form ({@code CN=Alice,O=Example}); {@code account} may use its groups ({@code $1}).
     */
    public record CertificateRule(
            @Doc("Issuer DN (RFC 2253, compared ignoring case and spaces after commas); empty matches any trusted issuer.") @Default("") String issuer,
            @Doc("Regular expression over the whole subject DN in RFC 2253 form, e.g. 'CN=([^,]+),O=Example'.") @Default(".*") String subject,
            @Doc("Account name or address; $1, $2 insert the subject's groups.") @Default("") String account) {
    }

    /**
     * Lets {@code account} send as {@code address}: a full address, {@code @domain} for any address of the
     * domain, or {@code *} for any address (a webmail or list server account).
     */
    public record SenderPermission(
            @Doc("Account name or address.") @Default("") String account,
            @Doc("Address, @domain or *.") @Default("") String address) {
    }
}
