package org.facteur.net.testing;

/**
 * For the standalone bench servers (bench/*): closes their parts when the JVM exits, as the bench scripts stop
 * them with SIGTERM, so stores and directories are closed cleanly.
 */
public final class CloseOnExit {

    private CloseOnExit() {
    }

    /** Closes each of {@code parts}, in order, at JVM exit; one that fails does not keep the others open. */
    public static void register(AutoCloseable... parts) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable part : parts) {
                try {
                    part.close();
                } catch (Exception ignored) {
                    // exiting: nothing to report to
                }
            }
        }, "close-on-exit"));
    }
}
