package org.facteur.storage.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The leader/follower batcher alone: ordering, grouping, failures, no deadlock. */
class GroupCommitTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Records each batch; item 0 blocks its batch until released; an item below 0 fails its batch. */
    private GroupCommit<Integer, String> recorder() {
        return new GroupCommit<>(items -> {
            batches.add(List.copyOf(items));
            if (items.contains(0)) {
                await(release);
            }
            if (items.stream().anyMatch(i -> i < 0)) {
                throw new IOException("disk full");
            }
            return items.stream().map(i -> "ok" + i).toList();
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Future<String> submit(GroupCommit<Integer, String> gc, int item) {
        return pool.submit(() -> gc.commit(item));
    }

    /** Starts the callers one after the other, each once the previous one is queued, so arrival order is known. */
    private List<Future<String>> queueInOrder(GroupCommit<Integer, String> gc, List<Integer> items) throws Exception {
        List<Future<String>> out = new ArrayList<>();
        int before = gc.queued();
        for (int item : items) {
            out.add(submit(gc, item));
            while (gc.queued() < before + out.size()) {
                Thread.sleep(1);
            }
        }
        return out;
    }

    @Test
    @Timeout(30)
    void aLoneCallerCommitsAtOnce() throws Exception {
        GroupCommit<Integer, String> gc = recorder();
        assertThat(gc.commit(7)).isEqualTo("ok7");
        assertThat(gc.commit(8)).isEqualTo("ok8");
        assertThat(batches).containsExactly(List.of(7), List.of(8));
    }

    @Test
    @Timeout(30)
    void callersArrivingDuringACommitAreCommittedTogetherInArrivalOrder() throws Exception {
        GroupCommit<Integer, String> gc = recorder();
        Future<String> leader = submit(gc, 0);
        while (batches.isEmpty()) {
            Thread.sleep(1);
        }
        List<Future<String>> followers = queueInOrder(gc, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        assertThat(followers).noneMatch(Future::isDone); // nobody returns before its item is committed
        release.countDown();
        assertThat(leader.get()).isEqualTo("ok0");
        for (int i = 0; i < followers.size(); i++) {
            assertThat(followers.get(i).get()).isEqualTo("ok" + (i + 1));
        }
        assertThat(batches).containsExactly(List.of(0), List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        assertThat(gc.batches()).isEqualTo(2);
    }

    @Test
    @Timeout(30)
    void aFailingBatchFailsAllItsMembersAndLosesNoneQueuedBehind() throws Exception {
        GroupCommit<Integer, String> gc = recorder();
        Future<String> leader = submit(gc, 0);
        while (batches.isEmpty()) {
            Thread.sleep(1);
        }
        List<Future<String>> doomed = queueInOrder(gc, List.of(1, -2, 3));
        release.countDown();
        assertThat(leader.get()).isEqualTo("ok0");
        for (Future<String> f : doomed) {
            assertThatThrownBy(f::get).hasCauseInstanceOf(IOException.class).hasMessageContaining("disk full");
        }
        // the batcher is not left stuck with a leader: the next callers are committed
        List<Future<String>> after = new ArrayList<>();
        for (int i = 4; i < 8; i++) {
            after.add(submit(gc, i));
        }
        for (int i = 0; i < after.size(); i++) {
            assertThat(after.get(i).get()).isEqualTo("ok" + (i + 4));
        }
        List<Integer> seen = batches.stream().flatMap(List::stream).toList();
        assertThat(seen).containsExactlyInAnyOrder(0, 1, -2, 3, 4, 5, 6, 7); // each item committed once
        assertThat(batches).contains(List.of(1, -2, 3));
    }

    @Test
    @Timeout(30)
    void callersQueuedBehindAFailingBatchAreCommittedByTheNextLeader() throws Exception {
        CountDownLatch failing = new CountDownLatch(1);
        CountDownLatch letFail = new CountDownLatch(1);
        GroupCommit<Integer, String> gc = new GroupCommit<>(items -> {
            batches.add(List.copyOf(items));
            if (items.contains(-1)) {
                failing.countDown();
                await(letFail);
                throw new IllegalStateException("index broken");
            }
            return items.stream().map(i -> "ok" + i).toList();
        });
        Future<String> bad = submit(gc, -1);
        await(failing);
        List<Future<String>> behind = queueInOrder(gc, List.of(1, 2, 3));
        letFail.countDown();
        assertThatThrownBy(bad::get).hasCauseInstanceOf(IllegalStateException.class);
        for (int i = 0; i < behind.size(); i++) {
            assertThat(behind.get(i).get()).isEqualTo("ok" + (i + 1));
        }
        assertThat(batches).containsExactly(List.of(-1), List.of(1, 2, 3));
    }

    @Test
    @Timeout(60)
    void manyCallersAllReturnWithTheirOwnResult() throws Exception {
        List<Integer> committed = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, Integer> gc = new GroupCommit<>(items -> {
            committed.addAll(items);
            if (ThreadLocalRandom.current().nextInt(4) == 0) {
                Thread.onSpinWait();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return items.stream().map(i -> -i).toList();
        });
        int threads = 32;
        int each = 200;
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            all.add(CompletableFuture.runAsync(() -> {
                for (int i = base; i < base + each; i++) {
                    try {
                        assertThat(gc.commit(i)).isEqualTo(-i);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(50, TimeUnit.SECONDS);
        assertThat(committed).hasSize(threads * each).doesNotHaveDuplicates();
        // one caller's items are committed in the order it made them
        for (int t = 0; t < threads; t++) {
            int lo = t * each;
            List<Integer> mine = committed.stream().filter(i -> i >= lo && i < lo + each).toList();
            assertThat(mine).isSorted();
        }
        assertThat(gc.batches()).isLessThanOrEqualTo(threads * each);
    }
}
