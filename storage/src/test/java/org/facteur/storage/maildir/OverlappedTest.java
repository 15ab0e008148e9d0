package org.facteur.storage.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** A delivery's independent steps: run side by side, all finished before the caller goes on, failures kept. */
class OverlappedTest {

    @Test
    void theStepsRunAtTheSameTime() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        Overlapped.Step meet = () -> {
            both.countDown();
            try {
                if (!both.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("the other step never ran beside this one");
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        };
        Overlapped.run(meet, List.of(meet));
        assertThat(both.getCount()).isZero();
    }

    @Test
    void aFailureIsThrownOnlyOnceEveryStepHasFinished() {
        AtomicBoolean slowFinished = new AtomicBoolean();
        Overlapped.Step slow = () -> {
            try {
                Thread.sleep(200); // an fsync still running when the other step fails
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            slowFinished.set(true);
        };
        assertThatThrownBy(() -> Overlapped.run(() -> {
            throw new IOException("index insert failed");
        }, List.of(slow))).isInstanceOf(IOException.class).hasMessage("index insert failed");
        assertThat(slowFinished).isTrue();

        assertThatThrownBy(() -> Overlapped.run(() -> { }, List.of(() -> {
            throw new IOException("fsync failed");
        }))).hasMessage("fsync failed");
    }
}
