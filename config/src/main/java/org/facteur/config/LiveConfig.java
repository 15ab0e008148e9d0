package org.facteur.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration in force, replaced as a whole when the file changes or on {@link #reload()}. Servers hold a
 * {@link #section} supplier and read it per connection or command, so a reload applies to new work without
 * dropping connections. A new file with any problem is refused and logged; the old configuration stays.
 */
public final class LiveConfig<T> implements Supplier<T>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveConfig.class);

    /** Reads the configuration afresh (the file, plus any command-line overrides). */
    @FunctionalInterface
    public interface Loader<T> {
        T load() throws ConfigException;
    }

    /** What a reload did. */
    public sealed interface Outcome {
        record Applied() implements Outcome {
        }

        record Unchanged() implements Outcome {
        }

        record Refused(List<ConfigProblem> problems) implements Outcome {
        }
    }

    private final String name;
    private final Loader<T> loader;
    private final List<BiConsumer<T, T>> listeners = new CopyOnWriteArrayList<>();
    private volatile T current;
    private ConfigWatcher watcher;

    private LiveConfig(String name, Loader<T> loader, T initial) {
        this.name = name;
        this.loader = loader;
        this.current = Objects.requireNonNull(initial);
    }

    /** Loads once (throwing every problem: a bad file never starts anything), then serves that value. */
    public static <T> LiveConfig<T> start(String name, Loader<T> loader) throws ConfigException {
        return new LiveConfig<>(name, loader, loader.load());
    }

    /** A fixed configuration (tests, embedded use); {@link #reload()} reports it unchanged. */
    public static <T> LiveConfig<T> fixed(T value) {
        return new LiveConfig<>("fixed", () -> value, value);
    }

    /** Reads {@code file} as {@code type}. */
    public static <R extends Record> LiveConfig<R> ofFile(Path file, Class<R> type) throws ConfigException {
        return start(file.toString(), () -> YamlConfig.load(file, type));
    }

    @Override
    public T get() {
        return current;
    }

    /** A view of one part, always of the configuration in force: {@code live.section(FacteurConfig::smtp)}. */
    public <S> Supplier<S> section(Function<? super T, ? extends S> part) {
        return () -> part.apply(current);
    }

    /** Called with (old, new) after each applied reload, on the reloading thread. */
    public void onChange(BiConsumer<T, T> listener) {
        listeners.add(listener);
    }

    /** Reads the configuration again; applies it when valid and different, keeps the old one otherwise. */
    public synchronized Outcome reload() {
        T next;
        try {
            next = loader.load();
        } catch (ConfigException e) {
            log.error("configuration {} not reloaded, the running one stays in force: {}", name, e.getMessage());
            return new Outcome.Refused(e.problems());
        } catch (RuntimeException e) {
            log.error("configuration {} not reloaded, the running one stays in force", name, e);
            return new Outcome.Refused(List.of(new ConfigProblem(name, 0, 0, "", String.valueOf(e.getMessage()), null)));
        }
        T old = current;
        if (old.equals(next)) {
            log.info("configuration {} reloaded: no change", name);
            return new Outcome.Unchanged();
        }
        current = next;
        log.info("configuration {} reloaded and applied", name);
        for (BiConsumer<T, T> listener : listeners) {
            try {
                listener.accept(old, next);
            } catch (RuntimeException e) {
                log.error("a configuration listener failed on reload", e);
            }
        }
        return new Outcome.Applied();
    }

    /** Reloads whenever {@code file} changes on disk. */
    public synchronized LiveConfig<T> watch(Path file) throws IOException {
        if (watcher == null) {
            watcher = new ConfigWatcher(file, this::reload);
        }
        return this;
    }

    @Override
    public synchronized void close() throws IOException {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }
}
