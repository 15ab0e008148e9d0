package org.facteur.storage.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The full-text writes' own thread: order, the wait a search makes, a failing write, and the drain at close. */
class IndexingQueueTest {

    @Test
    void aWriterReturnsBeforeItsWriteIsAppliedAndASearchCanWaitForIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> done = new CopyOnWriteArrayList<>();
        try (IndexingQueue queue = new IndexingQueue("test-index", 8)) {
            queue.submit(() -> {
                release.await(30, TimeUnit.SECONDS); // a slow indexer
                done.add(1);
            });
            queue.submit(() -> done.add(2)); // returns at once: the delivery is not held up
            assertThat(done).isEmpty();
            assertThat(queue.awaitApplied(50)).isFalse();
            release.countDown();
            assertThat(queue.awaitApplied(30_000)).isTrue();
            assertThat(done).containsExactly(1, 2);
        }
    }

    @Test
    void aFailedWriteDoesNotStopTheOnesAfterIt() {
        List<Integer> done = new CopyOnWriteArrayList<>();
        try (IndexingQueue queue = new IndexingQueue("test-index", 8)) {
            queue.submit(() -> {
                throw new java.io.IOException("disk full");
            });
            queue.submit(() -> done.add(2));
            assertThat(queue.awaitApplied(30_000)).isTrue();
            assertThat(done).containsExactly(2);
        }
    }

    @Test
    void aSearchDoesNotWaitBehindAWriterBlockedOnAFullQueue() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (IndexingQueue queue = new IndexingQueue("test-index", 1)) {
            queue.submit(() -> release.await(30, TimeUnit.SECONDS)); // the indexer is stuck on this one
            queue.submit(() -> { }); // fills the queue
            Thread writer = Thread.ofVirtual().start(() -> queue.submit(() -> { }));
            writer.join(200);
            assertThat(writer.isAlive()).as("the writer waits for room").isTrue();
            boolean[] answered = new boolean[2];
            Thread search = Thread.ofVirtual().start(() -> {
                answered[1] = queue.awaitApplied(100);
                answered[0] = true;
            });
            search.join(5_000);
            assertThat(answered[0]).as("the search's wait is bounded by its own timeout").isTrue();
            assertThat(answered[1]).isFalse();
            release.countDown();
            writer.join(30_000);
            assertThat(queue.awaitApplied(30_000)).isTrue();
        }
    }

    @Test
    void aFullQueueMakesWritersWaitAndCloseAppliesWhatIsQueued() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> done = new CopyOnWriteArrayList<>();
        IndexingQueue queue = new IndexingQueue("test-index", 2);
        queue.submit(() -> release.await(30, TimeUnit.SECONDS)); // taken by the worker
        queue.submit(() -> done.add(1));
        queue.submit(() -> done.add(2)); // the queue holds two
        Thread third = Thread.ofVirtual().start(() -> queue.submit(() -> done.add(3)));
        third.join(200);
        assertThat(third.isAlive()).as("a writer waits while the queue is full").isTrue();
        release.countDown();
        third.join(30_000);
        queue.close();
        assertThat(done).containsExactly(1, 2, 3);
        queue.submit(() -> done.add(4)); // after close: dropped, left to the next start's reconcile
        assertThat(done).containsExactly(1, 2, 3);
    }
}
