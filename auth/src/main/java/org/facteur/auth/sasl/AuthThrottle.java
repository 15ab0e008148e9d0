package org.facteur.auth.sasl;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.facteur.auth.AuthConfig;

/**
 * Counts failed logins per client address and per account name, in memory. After
 * {@link AuthConfig.Throttling#freeFailures()} failures each further failure is answered after an exponentially
 * growing delay; at the lockout count the key is locked for {@link AuthConfig.Throttling#lockoutDuration()}.
 * IPv6 clients are counted per /64, the block one subscriber usually gets, so rotating addresses does not help.
 * A restart forgets everything, which only gives an attacker a fresh start at the slow pace.
 */
public final class AuthThrottle {

    private static final int PURGE_ABOVE = 50_000;

    private final Supplier<AuthConfig.Throttling> config;
    private final Clock clock;
    private final Map<String, Counter> byAddress = new ConcurrentHashMap<>();
    private final Map<String, Counter> byAccount = new ConcurrentHashMap<>();

    private record Counter(int failures, Instant last, Instant lockedUntil) {
    }

    public AuthThrottle(Supplier<AuthConfig.Throttling> config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** When the client or account is locked out: the end of the lockout; otherwise null. */
    public Instant lockedUntil(InetAddress client, String account) {
        Instant now = clock.instant();
        Instant a = lockEnd(byAddress.get(addressKey(client)), now);
        Instant b = account == null ? null : lockEnd(byAccount.get(accountKey(account)), now);
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    /** Records a failure and returns how long to wait before answering it. {@code account} may be null (unknown yet). */
    public Duration recordFailure(InetAddress client, String account) {
        AuthConfig.Throttling t = config.get();
        Instant now = clock.instant();
        purgeIfLarge(now, t);
        int ipFailures = bump(byAddress, addressKey(client), t.ipLockoutAfter(), now, t);
        int accountFailures = account == null ? 0 : bump(byAccount, accountKey(account), t.accountLockoutAfter(), now, t);
        return delayFor(Math.max(ipFailures, accountFailures), t);
    }

    /** A success clears the account's count (not the address's: one good password must not unlock guessing at others). */
    public void recordSuccess(String account) {
        if (account != null) {
            byAccount.remove(accountKey(account));
        }
    }

    /** Failures remembered for a client (tests, metrics). */
    public int failures(InetAddress client) {
        Counter c = byAddress.get(addressKey(client));
        return c == null ? 0 : c.failures;
    }

    static Duration delayFor(int failures, AuthConfig.Throttling t) {
        int over = failures - t.freeFailures();
        if (over <= 0) {
            return Duration.ZERO;
        }
        long factor = 1L << Math.min(over - 1, 20);
        Duration delay = t.baseDelay().multipliedBy(factor);
        return delay.compareTo(t.maxDelay()) > 0 ? t.maxDelay() : delay;
    }

    private int bump(Map<String, Counter> map, String key, int lockoutAfter, Instant now, AuthConfig.Throttling t) {
        Counter updated = map.compute(key, (k, old) -> {
            int failures = old == null || expired(old, now, t) ? 1 : old.failures + 1;
            Instant locked = failures >= lockoutAfter ? now.plus(t.lockoutDuration())
                    : old == null ? null : old.lockedUntil;
            return new Counter(failures, now, locked);
        });
        return updated.failures;
    }

    private static boolean expired(Counter c, Instant now, AuthConfig.Throttling t) {
        return c.last.plus(t.lockoutDuration()).isBefore(now)
                && (c.lockedUntil == null || c.lockedUntil.isBefore(now));
    }

    private static Instant lockEnd(Counter c, Instant now) {
        return c != null && c.lockedUntil != null && c.lockedUntil.isAfter(now) ? c.lockedUntil : null;
    }

    private void purgeIfLarge(Instant now, AuthConfig.Throttling t) {
        if (byAddress.size() + byAccount.size() > PURGE_ABOVE) {
            byAddress.values().removeIf(c -> expired(c, now, t));
            byAccount.values().removeIf(c -> expired(c, now, t));
        }
    }

    static String addressKey(InetAddress address) {
        if (address == null) {
            return "-";
        }
        if (address instanceof Inet6Address v6 && !v6.isLoopbackAddress()) {
            byte[] b = v6.getAddress();
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                s.append(String.format("%02x%02x:", b[i], b[i + 1]));
            }
            return s.append(":/64").toString();
        }
        return address.getHostAddress();
    }

    private static String accountKey(String account) {
        return account.trim().toLowerCase(Locale.ROOT);
    }
}
