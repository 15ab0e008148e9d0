package org.facteur.storage.search;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full-text index's writes, applied in order by one thread of their own, so that a delivery is acknowledged
 * without waiting for Lucene (as Dovecot leaves full-text indexing to its indexer process). One writing thread
 * also gives each account's index one in-memory segment instead of one per concurrent deliverer, which means
 * fewer, larger segments to merge.
 *
 * <p>The queue is bounded: when the indexer falls {@code capacity} operations behind, writers wait, so a
 * sustained load is indexed as fast as it is delivered and the backlog a search has to read itself stays small.
 * {@link #awaitApplied} lets a search wait for what was queued before it.
 */
final class IndexingQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IndexingQueue.class);
    private static final Operation STOP = () -> { };

    @FunctionalInterface
    interface Operation {
        void apply() throws Exception;
    }

    private record Queued(long sequence, Operation operation) {
    }

    private final BlockingQueue<Queued> queue;
    private final Thread worker;
    /** Keeps sequence numbers in queue order across concurrent writers. */
    private final ReentrantLock submitting = new ReentrantLock();
    /**
     * The sequence number of the last update in the queue, written under {@link #submitting} once the update is
     * in; read without it, so that a search never waits behind a writer blocked on a full queue (whose update is not
     * counted yet: its message is among those the search reads itself, see {@code FullText.expect}).
     */
    private volatile long submitted;
    private final ReentrantLock progress = new ReentrantLock();
    private final Condition advanced = progress.newCondition();
    private long applied;
    private volatile boolean closed;

    IndexingQueue(String threadName, int capacity) {
        queue = new ArrayBlockingQueue<>(capacity);
        // a platform thread that is never interrupted: an interrupt closes Lucene's file channels under it
        worker = new Thread(this::run, threadName);
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Queues an operation, waiting while the queue is full. After {@link #close} it is dropped: the index is a
     * cache, and the next start's reconcile adds what it lacks.
     */
    void submit(Operation operation) {
        submitting.lock();
        try {
            if (closed) {
                LOG.debug("full-text index closed; an update is left to the next start's reconcile");
                return;
            }
            queue.put(new Queued(submitted + 1, operation));
            submitted++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while queueing a full-text update; the next start's reconcile adds it");
        } finally {
            submitting.unlock();
        }
    }

    /**
     * Waits until every operation queued before this call is applied, at most {@code timeoutMillis}.
     *
     * @return whether they all were
     */
    boolean awaitApplied(long timeoutMillis) {
        long target = submitted;
        long remaining = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        progress.lock();
        try {
            while (applied < target) {
                if (remaining <= 0 || !worker.isAlive()) {
                    return false;
                }
                remaining = advanced.awaitNanos(remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            progress.unlock();
        }
    }

    private void run() {
        while (true) {
            Queued next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next.operation() == STOP) {
                return;
            }
            try {
                next.operation().apply();
            } catch (Exception e) {
                LOG.warn("full-text update failed: {}", e.toString());
            }
            progress.lock();
            try {
                applied = next.sequence();
                advanced.signalAll();
            } finally {
                progress.unlock();
            }
        }
    }

    /** Applies what is queued, then stops the thread (waiting at most {@code timeoutMillis} for it). */
    void close(long timeoutMillis) {
        submitting.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.put(new Queued(submitted + 1, STOP));
            submitted++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            submitting.unlock();
        }
        try {
            worker.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            LOG.warn("full-text indexer still busy after {} ms; the next start's reconcile adds what it missed",
                    timeoutMillis);
        }
    }

    @Override
    public void close() {
        close(30_000);
    }
}
