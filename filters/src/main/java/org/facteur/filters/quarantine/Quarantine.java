package org.facteur.filters.quarantine;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;
import org.facteur.filters.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Held messages, kept apart from every mailbox with the reason they were held: one {@code ID.eml} (the
 * message exactly as received) and one {@code ID.properties} (envelope, client, reason, time) per message.
 * Backs {@code facteur quarantine list|show|release|delete}. Releasing hands the original, unchanged, to the
 * {@link Releaser} the application wires to local delivery.
 */
public final class Quarantine {

    private static final Logger log = LoggerFactory.getLogger(Quarantine.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");

    /** Delivers a released message to its original recipients, bypassing the filters. */
    @FunctionalInterface
    public interface Releaser {
        void deliver(String reversePath, List<String> recipients, InputStream message) throws IOException;
    }

    /** What is known about one held message. */
    public record Entry(String id, Instant heldAt, String reason, String reversePath, List<String> recipients,
                        String clientAddress, long size) {
    }

    private final Supplier<Path> directory;
    private volatile Releaser releaser;

    public Quarantine(Supplier<Path> directory, Releaser releaser) {
        this.directory = directory;
        this.releaser = releaser;
    }

    public void releaser(Releaser releaser) {
        this.releaser = releaser;
    }

    /**
     * Keeps the message and returns the QUARANTINE verdict: the sender is told 250, nothing is delivered.
     * The copy is durable (fsynced) before returning, so the message is never lost.
     */
    public Verdict hold(FilterContext context, MessageData message, String reason) throws IOException {
        Path dir = directory.get();
        Files.createDirectories(dir);
        String id = UUID.randomUUID().toString();
        Path tmp = dir.resolve(id + ".tmp");
        try (InputStream in = message.open()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Properties p = new Properties();
        p.setProperty("reason", reason);
        p.setProperty("heldAt", Instant.now().toString());
        p.setProperty("reversePath", context.reversePath() == null ? "" : context.reversePath());
        p.setProperty("recipients", String.join(",", context.recipients()));
        p.setProperty("client", context.client().address() == null ? "" : context.client().address().getHostAddress());
        p.setProperty("session", String.valueOf(context.client().sessionId()));
        try (Writer w = Files.newBufferedWriter(dir.resolve(id + ".properties"), StandardCharsets.UTF_8)) {
            p.store(w, "held by Facteur");
        }
        Files.move(tmp, dir.resolve(id + ".eml"), StandardCopyOption.ATOMIC_MOVE);
        log.info("session {}: message held in quarantine as {}: {}", context.client().sessionId(), id, reason);
        return Verdict.of(Verdict.Action.QUARANTINE);
    }

    /** Held messages, oldest first. */
    public List<Entry> list() throws IOException {
        Path dir = directory.get();
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.eml")) {
            for (Path file : files) {
                String id = file.getFileName().toString().replace(".eml", "");
                show(id).ifPresent(entries::add);
            }
        }
        entries.sort(Comparator.comparing(Entry::heldAt));
        return entries;
    }

    public Optional<Entry> show(String id) throws IOException {
        if (!ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Path dir = directory.get();
        Path eml = dir.resolve(id + ".eml");
        Path meta = dir.resolve(id + ".properties");
        if (!Files.exists(eml) || !Files.exists(meta)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String recipients = p.getProperty("recipients", "");
        return Optional.of(new Entry(id, Instant.parse(p.getProperty("heldAt", Instant.EPOCH.toString())),
                p.getProperty("reason", ""), p.getProperty("reversePath", ""),
                recipients.isEmpty() ? List.of() : List.of(recipients.split(",")), p.getProperty("client", ""),
                Files.size(eml)));
    }

    /** The held message exactly as received. */
    public InputStream open(String id) throws IOException {
        Entry entry = show(id).orElseThrow(() -> new IOException("no held message " + id));
        return Files.newInputStream(directory.get().resolve(entry.id() + ".eml"));
    }

    /** Delivers the original to its recipients, then forgets it. */
    public boolean release(String id) throws IOException {
        Optional<Entry> entry = show(id);
        if (entry.isEmpty()) {
            return false;
        }
        Releaser r = releaser;
        if (r == null) {
            throw new IOException("release is not wired to delivery");
        }
        try (InputStream in = open(id)) {
            r.deliver(entry.get().reversePath(), entry.get().recipients(), in);
        }
        delete(id);
        log.info("quarantined message {} released to {}", id, entry.get().recipients());
        return true;
    }

    public boolean delete(String id) throws IOException {
        if (!ID.matcher(id).matches()) {
            return false;
        }
        Path dir = directory.get();
        boolean existed = Files.deleteIfExists(dir.resolve(id + ".eml"));
        Files.deleteIfExists(dir.resolve(id + ".properties"));
        return existed;
    }
}
