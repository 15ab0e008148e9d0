package org.facteur.storage.maildir;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Group commit (leader/follower): callers that arrive while a commit is running queue their work; when it ends,
 * the first of them becomes the leader, commits everything queued in one batch (one directory fsync, one
 * uidlist write, one H2 transaction for all of them) and wakes the others. A lone caller commits at once, so
 * nobody waits for company; under load the batch grows by itself to what arrived during one commit, and the
 * rate is bounded by the disk's fsync rate rather than by one fsync chain per message.
 *
 * <p>Every caller returns only once its own item has been committed (or its batch failed), so durability on
 * return is kept. Items are committed in arrival order. A batch that fails fails each of its members with the
 * same exception; items queued behind it are committed by the next leader, none is dropped.
 *
 * @param <T> one caller's work
 * @param <R> its result
 */
final class GroupCommit<T, R> {

    /** Commits a batch; returns one result per item, in the same order. */
    @FunctionalInterface
    interface Batch<T, R> {
        List<R> commit(List<T> items) throws IOException;
    }

    private final Batch<T, R> batch;
    private List<Pending<T, R>> queue = new ArrayList<>();
    private boolean leading;
    private long batches;

    GroupCommit(Batch<T, R> batch) {
        this.batch = batch;
    }

    /**
     * One caller's item, and how it waits: parked on its own, woken once, either because its batch is decided
     * ({@link #done}) or because it is the next leader ({@link #lead}). A shared monitor with {@code notifyAll}
     * woke every queued caller at the end of each batch to find most of them still queued: with 10 deliverers
     * into one mailbox that contention was 18 % of the delivering threads' CPU samples (JFR, 2026-12-07).
     */
    private static final class Pending<T, R> {
        final T item;
        final Thread caller = Thread.currentThread();
        R result;
        Throwable failure;
        /** Written last, after result or failure: reading it true makes them visible. */
        volatile boolean done;
        volatile boolean lead;

        Pending(T item) {
            this.item = item;
        }
    }

    /** Commits {@code item}, alone or with whatever else is queued; returns when it is committed. */
    R commit(T item) throws IOException {
        Pending<T, R> mine = new Pending<>(item);
        List<Pending<T, R>> members = null;
        synchronized (this) {
            queue.add(mine);
            if (!leading) {
                leading = true; // no leader: lead at once (a lone caller waits for nobody)
                members = takeQueue();
            }
        }
        if (members == null) {
            awaitTurn(mine);
            if (mine.done) {
                return outcome(mine);
            }
            synchronized (this) { // handed the lead: take everything queued so far (ours first), in arrival order
                members = takeQueue();
            }
        }
        Throwable failure = null;
        List<R> results = null;
        try {
            List<T> items = new ArrayList<>(members.size());
            for (Pending<T, R> p : members) {
                items.add(p.item);
            }
            results = batch.commit(items);
            if (results.size() != members.size()) {
                throw new IllegalStateException("batch returned " + results.size() + " results for "
                        + members.size() + " items");
            }
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        } finally {
            for (int i = 0; i < members.size(); i++) {
                Pending<T, R> p = members.get(i);
                if (failure != null) {
                    p.failure = failure;
                } else {
                    p.result = results.get(i);
                }
                p.done = true;
                if (p != mine) {
                    LockSupport.unpark(p.caller);
                }
            }
            Pending<T, R> next = null;
            synchronized (this) {
                if (queue.isEmpty()) {
                    leading = false;
                } else {
                    next = queue.get(0); // the first caller queued meanwhile takes over, with what queued after it
                }
            }
            if (next != null) {
                next.lead = true;
                LockSupport.unpark(next.caller);
            }
        }
        return outcome(mine);
    }

    private List<Pending<T, R>> takeQueue() {
        batches++;
        List<Pending<T, R>> taken = queue;
        queue = new ArrayList<>();
        return taken;
    }

    /** Callers waiting for a leader to take their item (for tests). */
    synchronized int queued() {
        return queue.size();
    }

    /** Batches committed (or failed) so far: fewer than the items when callers were grouped. */
    synchronized long batches() {
        return batches;
    }

    /**
     * Parks until the item is committed or its caller must lead. Without giving up: a delivery must not return
     * before its batch is decided, so an interrupt is kept for the caller and the wait goes on.
     */
    private static void awaitTurn(Pending<?, ?> p) {
        boolean interrupted = false;
        while (!p.done && !p.lead) {
            LockSupport.park(p);
            if (Thread.interrupted()) {
                interrupted = true; // park returns at once while the flag is set: clear it, restore it after
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private R outcome(Pending<T, R> p) throws IOException {
        Throwable f = p.failure;
        if (f == null) {
            return p.result;
        }
        // every member rethrows the leader's exception as is: its type tells the caller what happened
        if (f instanceof IOException io) {
            throw io;
        }
        if (f instanceof RuntimeException re) {
            throw re;
        }
        throw (Error) f;
    }
}
