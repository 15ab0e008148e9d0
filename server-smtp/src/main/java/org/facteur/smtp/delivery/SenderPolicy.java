package org.facteur.smtp.delivery;

import java.util.Locale;
import java.util.function.Supplier;

import org.facteur.auth.Directory;
import org.facteur.smtp.SmtpConfig;

/** Whether an authenticated account may use an address as its sender (MAIL FROM and From:). */
public final class SenderPolicy {

    private final Directory directory;
    private final Supplier<SmtpConfig> config;

    public SenderPolicy(Directory directory, Supplier<SmtpConfig> config) {
        this.directory = directory;
        this.config = config;
    }

    private final java.util.Map<String, java.util.ArrayDeque<Long>> sent = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Counts one message for {@code account} and says whether it is within the hourly limit (a sliding window,
     * kept in memory: a restart forgets it, which only ever lets more through).
     */
    public boolean withinRate(String account) {
        int limit = config.get().limits().maxMessagesPerAccountPerHour();
        if (limit <= 0) {
            return true;
        }
        long now = System.currentTimeMillis();
        java.util.ArrayDeque<Long> times = sent.computeIfAbsent(account.toLowerCase(Locale.ROOT), k -> new java.util.ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() < now - 3_600_000L) {
                times.pollFirst();
            }
            if (times.size() >= limit) {
                return false;
            }
            times.addLast(now);
            return true;
        }
    }

    public boolean maySendAs(String account, String address) {
        for (String exception : config.get().senderExceptions()) {
            if (exception.equalsIgnoreCase(account)) {
                return true;
            }
        }
        return directory.maySendAs(account, address.toLowerCase(Locale.ROOT));
    }
}
