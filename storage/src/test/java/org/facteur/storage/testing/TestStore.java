package org.facteur.storage.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.facteur.storage.AppendResult;
import org.facteur.storage.MailStore;
import org.facteur.storage.StorageConfig;
import org.facteur.storage.maildir.MaildirStore;

/**
 * A real {@link MaildirStore} in a temporary folder (real files, real H2, real Lucene), for the tests of
 * every module that needs mail storage. Close it at the end of the test.
 *
 * <pre>{@code
 * @TempDir Path tmp;
 * try (MaildirStore store = TestStore.create(tmp)) {
 *     store.deliver("alice@example.org", "INBOX", TestStore.stream(TestStore.message("hi", "body")), Set.of());
 * }
 * }</pre>
 */
public final class TestStore {

    private TestStore() {
    }

    /** The default configuration, under {@code dir}, with fsync on as in production. */
    public static MaildirStore create(Path dir) {
        return create(dir, c -> c);
    }

    /** The default configuration under {@code dir}, changed by {@code tweak} (quotas, limits...). */
    public static MaildirStore create(Path dir, UnaryOperator<StorageConfig> tweak) {
        try {
            return new MaildirStore(tweak.apply(StorageConfig.under(dir)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of {@code c} with other quotas. */
    public static StorageConfig withQuota(StorageConfig c, long bytes, long messages) {
        return new StorageConfig(c.root(), c.indexDir(), c.fsync(), bytes, messages, c.maxFolderDepth(),
                c.maxFolderNameLength(), c.maxFolders(), c.maxMimeDepth(), c.staleTmpAge(), c.rescanInterval(),
                c.fullTextIndex(), c.maxIndexedTextBytes());
    }

    /** A copy of {@code c} with another rescan interval (0 = rescans on open and on demand only). */
    public static StorageConfig withRescan(StorageConfig c, Duration interval) {
        return new StorageConfig(c.root(), c.indexDir(), c.fsync(), c.quotaBytes(), c.quotaMessages(),
                c.maxFolderDepth(), c.maxFolderNameLength(), c.maxFolders(), c.maxMimeDepth(), c.staleTmpAge(),
                interval, c.fullTextIndex(), c.maxIndexedTextBytes());
    }

    /** A small well-formed message with CRLF line ends. */
    public static byte[] message(String subject, String body) {
        return message("Alice <alice@example.org>", "Bob <bob@example.org>", subject, body);
    }

    public static byte[] message(String from, String to, String subject, String body) {
        String m = "From: " + from + "\r\n"
                + "To: " + to + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Mon, 2 Mar 2026 10:00:00 +0100\r\n"
                + "Message-ID: <" + Integer.toHexString((subject + body).hashCode()) + "."
                + System.nanoTime() + "@example.org>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + body.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n";
        return m.getBytes(StandardCharsets.UTF_8);
    }

    public static ByteArrayInputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    /** Delivers a small message to INBOX and returns what was stored. */
    public static AppendResult deliver(MailStore store, String account, String subject, String body)
            throws IOException {
        return store.deliver(account, "INBOX", stream(message(subject, body)), Set.of());
    }
}
