package org.facteur.net;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a socket when an operation outlasts its deadline. A socket read timeout only bounds each read, so a
 * client that trickles one byte of its TLS handshake every few seconds would never trip it; a deadline does.
 */
final class Watchdog {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "net-watchdog");
        t.setDaemon(true);
        return t;
    });

    private Watchdog() {
    }

    /** Closes {@code socket} after {@code deadline} unless the returned handle is cancelled first. */
    static ScheduledFuture<?> closeAfter(Socket socket, Duration deadline) {
        return TIMER.schedule(() -> {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing is the whole point; a failure leaves nothing to do.
            }
        }, Math.max(1, deadline.toMillis()), TimeUnit.MILLISECONDS);
    }
}
