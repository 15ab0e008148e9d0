package org.facteur.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls back when one file changes. It watches the file's folder, not the file, because editors and
 * configuration tools save by writing a new file and renaming it over the old one. Changes that come in a burst
 * (an editor's write, truncate, rename) are merged into one call after a short quiet period.
 */
public final class ConfigWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);
    static final Duration QUIET_PERIOD = Duration.ofMillis(300);

    private final Path file;
    private final Runnable onChange;
    private final WatchService service;
    private final Thread thread;

    public ConfigWatcher(Path file, Runnable onChange) throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.onChange = onChange;
        this.service = FileSystems.getDefault().newWatchService();
        this.file.getParent().register(service, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = Thread.ofPlatform().daemon().name("config-watcher").start(this::run);
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean ours = concernsFile(key);
                // Merge the rest of the burst: keep draining until the folder is quiet.
                WatchKey more;
                while ((more = service.poll(QUIET_PERIOD.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    ours |= concernsFile(more);
                }
                if (ours) {
                    try {
                        onChange.run();
                    } catch (RuntimeException e) {
                        log.error("reloading {} failed", file, e);
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stop) {
            // closed
        }
    }

    private boolean concernsFile(WatchKey key) {
        boolean ours = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW
                    || file.getFileName().equals(event.context())) {
                ours = true;
            }
        }
        key.reset();
        return ours;
    }

    @Override
    public void close() throws IOException {
        service.close();
        thread.interrupt();
    }
}
