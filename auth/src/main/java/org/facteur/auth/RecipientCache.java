package org.facteur.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Recent answers of {@link Directory#resolve}, so that an RCPT for an address seen a moment ago costs no
 * database query (the lookup was 12 % of a plain SMTP delivery's CPU, the same order as Postfix's proxymap
 * keeping its tables open).
 *
 * <p>An answer is kept with the directory's change count ({@link DirectoryChanges}) it was read under and is
 * used only while that count is unchanged, so a change by this process or by the admin CLI applies to the next
 * RCPT. It also expires after {@code ttl}: that bounds the one case the count cannot see, a read that falls
 * between another process's statement and its commit. When the count is unknown (-1: this process reaches the
 * database over TCP, so the triggers run elsewhere) nothing is cached. At most {@code entries} addresses are
 * kept; a full cache is emptied and fills again (addresses are few and cheap to read again).
 */
final class RecipientCache {

    private record Entry(Recipient recipient, String separator, long generation, long expiresNanos) {
    }

    private final Supplier<AuthConfig.RecipientCache> config;
    private final LongSupplier generation;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    RecipientCache(Supplier<AuthConfig.RecipientCache> config, LongSupplier generation, LongSupplier nanoTime) {
        this.config = config;
        this.generation = generation;
        this.nanoTime = nanoTime;
    }

    /** The cached answer for {@code address}, or {@code lookup}'s, remembered when the directory did not change meanwhile. */
    Recipient resolve(String address, String separator, Function<String, Recipient> lookup) {
        AuthConfig.RecipientCache c = config.get();
        long before = generation.getAsLong();
        if (before < 0 || !c.enabled()) {
            entries.clear();
            return lookup.apply(address);
        }
        long now = nanoTime.getAsLong();
        Entry e = entries.get(address);
        if (e != null && e.generation() == before && e.separator().equals(separator) && now - e.expiresNanos() < 0) {
            return e.recipient();
        }
        Recipient answer = lookup.apply(address);
        // Kept only if nothing changed while it was read: otherwise it may mix the old and the new directory.
        if (generation.getAsLong() == before) {
            if (entries.size() >= c.entries()) {
                entries.clear();
            }
            entries.put(address, new Entry(answer, separator, before, now + c.ttl().toNanos()));
        }
        return answer;
    }
}
