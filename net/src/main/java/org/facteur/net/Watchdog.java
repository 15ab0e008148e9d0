package org.facteur.net;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes a socket when an operation outlasts its deadline. A socket read timeout only bounds each read, so a
 * client that trickles one byte of its TLS handshake every few seconds would never trip it; a deadline does.
 */
final class Watchdog {

    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "net-watchdog");
        t.setDaemon(true);
        return t;
    });

    static {
        // Most deadlines are cancelled long before they fire (one per socket write): drop them from the queue.
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private Watchdog() {
    }

    /** Closes {@code socket} after {@code deadline} unless the returned handle is cancelled first. */
    static ScheduledFuture<?> closeAfter(Socket socket, Duration deadline) {
        // The close runs on its own virtual thread so that a slow close never holds up the other deadlines.
        return TIMER.schedule(() -> Thread.startVirtualThread(() -> {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing is the whole point; a failure leaves nothing to do.
            }
        }), Math.max(1, deadline.toMillis()), TimeUnit.MILLISECONDS);
    }
}
