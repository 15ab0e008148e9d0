package org.facteur.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.facteur.config.ConfigWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@code facteur reload} reaches the running server: through files in the data folder's {@code run/}
 * directory, which only the server's user may enter (mode 0700). No socket is opened, so nothing new is exposed:
 * whoever can write there can already edit the configuration. The server writes {@code facteur.pid} at start;
 * the command writes {@code reload.request} (a random token), the server reloads and answers in
 * {@code reload.result} (the token, then the outcome).
 */
public final class ReloadControl implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReloadControl.class);
    static final String REQUEST = "reload.request";
    static final String RESULT = "reload.result";

    private final DataLayout layout;
    private final ConfigWatcher watcher;

    private ReloadControl(DataLayout layout, Supplier<String> reload) throws IOException {
        this.layout = layout;
        Files.createDirectories(layout.run());
        writePrivately(layout.pidFile(), Long.toString(ProcessHandle.current().pid()) + "\n");
        this.watcher = new ConfigWatcher(layout.run().resolve(REQUEST), () -> answer(reload));
    }

    /** Server side: answers reload requests with {@code reload}'s outcome text until closed. */
    public static ReloadControl serve(DataLayout layout, Supplier<String> reload) throws IOException {
        return new ReloadControl(layout, reload);
    }

    private void answer(Supplier<String> reload) {
        Path request = layout.run().resolve(REQUEST);
        String token;
        try {
            token = Files.readString(request).trim();
            Files.delete(request);
        } catch (NoSuchFileException gone) {
            return; // the event was our own deletion
        } catch (IOException e) {
            log.warn("cannot read the reload request {}: {}", request, e.getMessage());
            return;
        }
        String outcome = reload.get();
        try {
            writePrivately(layout.run().resolve(RESULT), token + "\n" + outcome + "\n");
        } catch (IOException e) {
            log.warn("cannot write the reload result: {}", e.getMessage());
        }
    }

    /** The running server's process, if its pid file names a live process. */
    public static Optional<ProcessHandle> running(DataLayout layout) {
        try {
            long pid = Long.parseLong(Files.readString(layout.pidFile()).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Client side: asks the running server to reload and returns its answer, or empty after {@code timeout}. */
    public static Optional<String> request(DataLayout layout, Duration timeout) throws IOException, InterruptedException {
        String token = UUID.randomUUID().toString();
        Path result = layout.run().resolve(RESULT);
        writePrivately(layout.run().resolve(REQUEST), token + "\n");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String text = Files.readString(result);
                int newline = text.indexOf('\n');
                if (newline > 0 && text.substring(0, newline).equals(token)) {
                    return Optional.of(text.substring(newline + 1).strip());
                }
            } catch (NoSuchFileException notYet) {
                // keep waiting
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }

    private static void writePrivately(Path file, String content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), ".tmp-", "");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // keep the default
            }
            Files.writeString(temp, content);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        Files.deleteIfExists(layout.pidFile());
    }
}
