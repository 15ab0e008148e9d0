package org.facteur.smtp.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.facteur.smtp.SmtpConfig;
import org.facteur.smtp.protocol.MailParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbound queue: what was acknowledged with 250 and still has to go somewhere. Entries are
 * written and fsynced by {@link QueueStore} before {@link #enqueue} returns; a background loop delivers due
 * entries, retries temporary failures on the configured schedule, sends delay notices and bounces
 * (RFC 3464 DSNs), and forgets an entry once every recipient is settled. A restart resumes from the files.
 *
 * <p>The admin API ({@link #list}, {@link #show}, {@link #retry}, {@link #delete}) is what {@code facteur
 * queue ...} calls.
 */
public final class OutboundQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboundQueue.class);

    private final QueueStore store;
    private final Supplier<SmtpConfig> config;
    private final Predicate<String> isLocalDomain;
    private final DeliveryAgent local;
    private final DeliveryAgent remote;
    private final DsnWriter dsn;
    private final Clock clock;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, Semaphore> perDomain = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Object wakeup = new Object();
    private volatile Semaphore total;
    private volatile boolean running;
    private Thread scanner;

    public OutboundQueue(Path dir, Supplier<SmtpConfig> config, Predicate<String> isLocalDomain, DeliveryAgent local,
                         DeliveryAgent remote, DsnWriter dsn, Clock clock) throws IOException {
        this.store = new QueueStore(dir);
        this.config = config;
        this.isLocalDomain = isLocalDomain;
        this.local = local;
        this.remote = remote;
        this.dsn = dsn;
        this.clock = clock;
        this.total = new Semaphore(config.get().queue().totalConcurrency());
    }

    /**
     * Stores a message for delivery; durable on return. The message is copied, so the caller keeps its file.
     *
     * @param sender reverse path, empty for {@code <>}
     */
    public String enqueue(InputStream message, String sender, MailParameters parameters, List<QueueRecipient> recipients)
            throws IOException {
        String id = newId();
        store.writeMessage(id, message);
        Instant now = clock.instant();
        QueueEntry entry = new QueueEntry(id, sender, parameters.ret(), parameters.envelopeId(), parameters.smtpUtf8(),
                parameters.body() != MailParameters.Body.SEVEN_BIT, now, 0, now, false, recipients);
        try {
            store.writeEnvelope(entry);
        } catch (IOException e) {
            store.delete(id);
            throw e;
        }
        log.info("queue {}: from <{}> to {} recipient(s)", id, sender, recipients.size());
        wake();
        return id;
    }

    private String newId() {
        // Time-ordered so a directory listing is roughly FIFO; the random part makes it unique.
        return Long.toString(clock.millis(), 36) + UUID.randomUUID().toString().substring(0, 8);
    }

    public void start() throws IOException {
        store.removeLeftovers();
        running = true;
        scanner = Thread.ofVirtual().name("smtp-queue").start(this::scanLoop);
    }

    @Override
    public void close() {
        running = false;
        wake();
        if (scanner != null) {
            scanner.interrupt();
        }
        // Let attempts in progress record their outcome; an interrupted write would only mean a repeated try.
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void wake() {
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    private void scanLoop() {
        while (running) {
            try {
                runDue();
            } catch (IOException | RuntimeException e) {
                log.warn("queue: scan failed", e);
            }
            synchronized (wakeup) {
                try {
                    wakeup.wait(Math.max(10, config.get().queue().scanInterval().toMillis()));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Starts delivery of every entry that is due and not already being delivered. */
    public void runDue() throws IOException {
        Instant now = clock.instant();
        for (String id : store.ids()) {
            if (inFlight.contains(id)) {
                continue;
            }
            QueueEntry entry;
            try {
                entry = store.read(id);
            } catch (IOException | RuntimeException e) {
                log.warn("queue {}: unreadable envelope, left in place", id, e);
                continue;
            }
            if (!entry.nextAttempt().isAfter(now) && inFlight.add(id)) {
                workers.submit(() -> {
                    try {
                        attempt(id);
                    } finally {
                        inFlight.remove(id);
                    }
                });
            }
        }
    }

    /** One delivery attempt of one entry: every pending recipient, grouped by destination. */
    void attempt(String id) {
        try {
            QueueEntry entry = store.read(id);
            Path message = store.messageFile(id);
            Map<String, List<QueueRecipient>> groups = new LinkedHashMap<>();
            SmtpConfig cfg = config.get();
            for (QueueRecipient r : entry.pending()) {
                String key = isLocalDomain.test(r.domain()) ? "local:" : cfg.smarthost().enabled() ? "smarthost:" : r.domain();
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            }
            Map<String, QueueRecipient> results = new LinkedHashMap<>();
            for (Map.Entry<String, List<QueueRecipient>> group : groups.entrySet()) {
                boolean isLocal = group.getKey().equals("local:");
                Semaphore domainLimit = perDomain.computeIfAbsent(group.getKey(),
                        k -> new Semaphore(Math.max(1, cfg.queue().perDomainConcurrency())));
                total.acquire();
                domainLimit.acquire();
                try {
                    for (QueueRecipient r : (isLocal ? local : remote).deliver(entry, message, group.getValue())) {
                        results.put(r.address(), r);
                    }
                } finally {
                    domainLimit.release();
                    total.release();
                }
            }
            List<QueueRecipient> updated = new ArrayList<>();
            for (QueueRecipient r : entry.recipients()) {
                updated.add(results.getOrDefault(r.address(), r));
            }
            settle(entry, entry.withRecipients(updated));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.warn("queue {}: attempt failed", id, e);
        }
    }

    /** Records an attempt's outcome: DSNs for what failed (or waited too long), the next try, or the end. */
    private void settle(QueueEntry before, QueueEntry entry) throws IOException {
        SmtpConfig.Queue cfg = config.get().queue();
        Instant now = clock.instant();
        Duration age = Duration.between(entry.created(), now);
        List<QueueRecipient> recipients = new ArrayList<>(entry.recipients());
        if (age.compareTo(cfg.maxAge()) >= 0) {
            // RFC 5321 §4.5.4.1: give up after the retry period; 4.4.7 "delivery time expired" (RFC 3463).
            for (int i = 0; i < recipients.size(); i++) {
                QueueRecipient r = recipients.get(i);
                if (r.state() == QueueRecipient.State.PENDING) {
                    String why = "Delivery time expired after " + org.facteur.config.Durations.format(cfg.maxAge())
                            + (r.diagnostic() == null ? "" : "; last error: " + r.diagnostic());
                    recipients.set(i, r.with(QueueRecipient.State.FAILED, "4.4.7", why, r.remoteMta()));
                }
            }
        }
        List<QueueRecipient> newlyFailed = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            if (recipients.get(i).state() == QueueRecipient.State.FAILED
                    && before.recipients().get(i).state() != QueueRecipient.State.FAILED) {
                newlyFailed.add(recipients.get(i));
            }
        }
        QueueEntry current = entry.withRecipients(recipients);
        if (!newlyFailed.isEmpty()) {
            dsn.failed(current, store.messageFile(entry.id()), newlyFailed);
        }
        // RFC 3461 §5.2.2: success notices, "delivered" into our mailboxes, "relayed" to a next hop without DSN
        List<QueueRecipient> delivered = new ArrayList<>();
        List<QueueRecipient> relayed = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            QueueRecipient r = recipients.get(i);
            if (r.state() == QueueRecipient.State.DELIVERED && before.recipients().get(i).state() != QueueRecipient.State.DELIVERED) {
                (isLocalDomain.test(r.domain()) ? delivered : relayed).add(r);
            }
        }
        try {
            dsn.succeeded(current, store.messageFile(entry.id()), delivered, "delivered");
            dsn.succeeded(current, store.messageFile(entry.id()), relayed, "relayed");
        } catch (IOException | RuntimeException e) {
            // those copies are delivered: a lost success notice must not make the queue deliver them again
            log.warn("queue {}: could not queue a success notice", entry.id(), e);
        }
        List<QueueRecipient> pending = current.pending();
        if (pending.isEmpty()) {
            store.delete(entry.id());
            log.info("queue {}: done", entry.id());
            return;
        }
        boolean delayNotified = entry.delayNotified();
        if (!delayNotified && age.compareTo(cfg.delayNotice()) >= 0) {
            dsn.delayed(current, store.messageFile(entry.id()), pending);
            delayNotified = true;
        }
        int attempts = entry.attempts() + 1;
        List<Duration> schedule = cfg.retrySchedule().isEmpty() ? List.of(Duration.ofMinutes(15)) : cfg.retrySchedule();
        Duration wait = schedule.get(Math.min(attempts - 1, schedule.size() - 1));
        Instant next = now.plus(wait);
        Instant expiry = entry.created().plus(cfg.maxAge());
        if (next.isAfter(expiry)) {
            next = expiry; // one last try at expiry, then the bounce
        }
        store.writeEnvelope(current.scheduled(attempts, next, delayNotified));
        log.info("queue {}: {} recipient(s) pending, next attempt {}", entry.id(), pending.size(), next);
    }

    // ---- admin API (facteur queue list|show|retry|delete) ----

    public List<QueueEntry> list() throws IOException {
        List<QueueEntry> entries = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                entries.add(store.read(id));
            } catch (IOException | RuntimeException e) {
                log.warn("queue {}: unreadable envelope", id, e);
            }
        }
        return entries;
    }

    public Optional<QueueEntry> show(String id) throws IOException {
        return valid(id) && store.exists(id) ? Optional.of(store.read(id)) : Optional.empty();
    }

    /** The queued message file of an entry (for {@code queue show --message}). */
    public Path messageFile(String id) {
        return store.messageFile(id);
    }

    /** Makes an entry due now; false when there is no such entry. */
    public boolean retry(String id) throws IOException {
        Optional<QueueEntry> entry = show(id);
        if (entry.isEmpty()) {
            return false;
        }
        store.writeEnvelope(entry.get().scheduled(entry.get().attempts(), clock.instant(), entry.get().delayNotified()));
        wake();
        return true;
    }

    /** Drops an entry without a bounce (admin decision); false when there is no such entry. */
    public boolean delete(String id) throws IOException {
        if (!valid(id) || !store.exists(id)) {
            return false;
        }
        store.delete(id);
        log.info("queue {}: deleted by the admin", id);
        return true;
    }

    private static boolean valid(String id) {
        return id.matches("[a-z0-9]{1,40}");
    }
}
