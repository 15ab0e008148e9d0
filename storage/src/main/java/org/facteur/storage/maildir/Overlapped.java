package org.facteur.storage.maildir;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Independent steps of a delivery run at the same time, so that a delivery waits for the slowest of them rather
 * than for their sum: an fsync is mostly waiting for the disk, and the CPU work that does not depend on it (the
 * parse of a staged message, the H2 insert of a group commit) or another fsync can proceed meanwhile. Every step
 * is finished, failed or not, before this returns: none is left running on a file the caller is about to remove.
 */
final class Overlapped {

    @FunctionalInterface
    interface Step {
        void run() throws IOException;
    }

    private Overlapped() {
    }

    /**
     * Runs {@code here} in the calling thread and each step of {@code beside} in a virtual thread of its own, waits
     * for all of them, then throws the first failure (of {@code here} first).
     */
    static void run(Step here, List<Step> beside) throws IOException {
        List<Thread> threads = new ArrayList<>(beside.size());
        Throwable[] failures = new Throwable[beside.size() + 1];
        for (int i = 0; i < beside.size(); i++) {
            Step step = beside.get(i);
            int slot = i + 1;
            threads.add(Thread.ofVirtual().name("delivery-step").start(() -> {
                try {
                    step.run();
                } catch (Throwable t) {
                    failures[slot] = t;
                }
            }));
        }
        try {
            here.run();
        } catch (Throwable t) {
            failures[0] = t;
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join(); // happens-before: the step's failure slot is visible after this
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the step works on our files: wait for it all the same
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Throwable t : failures) {
            if (t instanceof IOException io) {
                throw io;
            } else if (t instanceof RuntimeException r) {
                throw r;
            } else if (t instanceof Error e) {
                throw e;
            } else if (t != null) {
                throw new IOException(t);
            }
        }
    }
}
