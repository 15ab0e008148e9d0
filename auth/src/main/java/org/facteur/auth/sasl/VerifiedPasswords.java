package org.facteur.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.facteur.auth.AuthConfig;

/**
 * Passwords recently proven right by Argon2id, so that a client that logs in again and again (several
 * connections, a phone reconnecting, a polling fetcher) does not pay Argon2id each time: Dovecot's auth cache
 * ({@code auth_cache_size}, {@code auth_cache_ttl}) for a password database that can only verify.
 *
 * <p>Per account it keeps an HMAC-SHA-256 of the password under a random 256-bit key made when this object is
 * made and held only in memory (never the password; nothing is written anywhere), the stored hash it was
 * checked against, and an expiry. {@link #matches} is true only when the same password comes back before the
 * expiry and the account's stored hash is still that one, so a password change takes effect at once. A wrong
 * password leaves the entry as it is (it must not let a guesser evict the owner's entry) and is then checked by
 * Argon2id as before. At most {@code entries} accounts are kept; the least recently used goes first.
 */
final class VerifiedPasswords {

    private record Entry(byte[] mac, String passwordHash, Instant expires) {
    }

    private final Supplier<AuthConfig.PasswordCache> config;
    private final Clock clock;
    private final SecretKeySpec key;
    /** Access-ordered: iteration starts at the least recently used entry. Guarded by {@code this}. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    VerifiedPasswords(Supplier<AuthConfig.PasswordCache> config, Clock clock) {
        this.config = config;
        this.clock = clock;
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
    }

    /**
     * Whether {@code password} was proven right for {@code account} against {@code currentHash} (the hash the
     * directory holds now) and has not expired. An expired or outdated entry is dropped; a mismatch is not.
     */
    boolean matches(String account, String password, String currentHash) {
        AuthConfig.PasswordCache c = config.get();
        if (!c.enabled()) {
            clear();
            return false;
        }
        byte[] mac = mac(account, password);
        synchronized (this) {
            Entry e = entries.get(account);
            if (e == null) {
                return false;
            }
            if (!clock.instant().isBefore(e.expires()) || !e.passwordHash().equals(currentHash)) {
                entries.remove(account);
                return false;
            }
            return MessageDigest.isEqual(mac, e.mac());
        }
    }

    /** Remembers that {@code password} was just proven right for {@code account} against {@code passwordHash}. */
    void remember(String account, String password, String passwordHash) {
        AuthConfig.PasswordCache c = config.get();
        if (!c.enabled()) {
            clear();
            return;
        }
        Entry e = new Entry(mac(account, password), passwordHash, clock.instant().plus(c.ttl()));
        synchronized (this) {
            entries.put(account, e);
            Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
            while (entries.size() > c.entries()) { // the bound may have been lowered by a reload
                eldest.next();
                eldest.remove();
            }
        }
    }

    /** How many accounts are remembered now (expired entries included until they are next looked at). */
    synchronized int size() {
        return entries.size();
    }

    private synchronized void clear() {
        entries.clear();
    }

    /** HMAC-SHA-256(key, account NUL password): the account is in the input so two accounts' entries never compare equal. */
    private byte[] mac(String account, String password) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            hmac.update(account.getBytes(StandardCharsets.UTF_8));
            hmac.update((byte) 0);
            return hmac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
