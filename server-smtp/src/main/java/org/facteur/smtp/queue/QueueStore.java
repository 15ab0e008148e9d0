package org.facteur.smtp.queue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.facteur.smtp.protocol.MailParameters;
import org.facteur.smtp.protocol.RcptParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue on disk: {@code ID.msg} (the message as it will be sent) and {@code ID.env} (the envelope and
 * delivery state as a properties file an admin can read). Both are written to a temporary name, fsynced,
 * renamed into place and the directory fsynced, message first: an entry exists once its {@code .env} does,
 * so a crash at any point leaves either no entry or a whole one.
 */
public final class QueueStore {

    private static final Logger log = LoggerFactory.getLogger(QueueStore.class);

    private final Path dir;

    public QueueStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public Path messageFile(String id) {
        return dir.resolve(id + ".msg");
    }

    private Path envelopeFile(String id) {
        return dir.resolve(id + ".env");
    }

    /** Copies {@code content} in as the message of a new entry (durable on return, envelope not yet written). */
    public void writeMessage(String id, InputStream content) throws IOException {
        Path tmp = dir.resolve(id + ".msg.tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
            content.transferTo(out);
            out.flush();
            channel.force(true);
        }
        move(tmp, messageFile(id));
    }

    public void writeEnvelope(QueueEntry entry) throws IOException {
        Properties p = new Properties();
        p.setProperty("sender", entry.sender());
        if (entry.ret() != null) {
            p.setProperty("ret", entry.ret().name());
        }
        if (entry.envelopeId() != null) {
            p.setProperty("envid", entry.envelopeId());
        }
        p.setProperty("smtputf8", Boolean.toString(entry.smtpUtf8()));
        p.setProperty("8bit", Boolean.toString(entry.eightBit()));
        p.setProperty("created", entry.created().toString());
        p.setProperty("attempts", Integer.toString(entry.attempts()));
        p.setProperty("next", entry.nextAttempt().toString());
        p.setProperty("delayNotified", Boolean.toString(entry.delayNotified()));
        int i = 0;
        for (QueueRecipient r : entry.recipients()) {
            String k = "rcpt." + i++ + ".";
            p.setProperty(k + "address", r.address());
            p.setProperty(k + "state", r.state().name());
            p.setProperty(k + "notify", String.join(",", r.notifications().stream().map(Enum::name).sorted().toList()));
            setIf(p, k + "orcpt", r.originalRecipient());
            setIf(p, k + "status", r.status());
            setIf(p, k + "diagnostic", r.diagnostic());
            setIf(p, k + "remoteMta", r.remoteMta());
        }
        StringWriter text = new StringWriter();
        p.store(text, "Facteur queue entry " + entry.id());
        Path tmp = dir.resolve(entry.id() + ".env.tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        move(tmp, envelopeFile(entry.id()));
    }

    private static void setIf(Properties p, String key, String value) {
        if (value != null) {
            p.setProperty(key, value);
        }
    }

    public QueueEntry read(String id) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(envelopeFile(id), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        List<QueueRecipient> recipients = new ArrayList<>();
        for (int i = 0; p.containsKey("rcpt." + i + ".address"); i++) {
            String k = "rcpt." + i + ".";
            Set<RcptParameters.Notify> notify = EnumSet.noneOf(RcptParameters.Notify.class);
            for (String n : p.getProperty(k + "notify", "").split(",")) {
                if (!n.isEmpty()) {
                    notify.add(RcptParameters.Notify.valueOf(n));
                }
            }
            recipients.add(new QueueRecipient(p.getProperty(k + "address"), notify, p.getProperty(k + "orcpt"),
                    QueueRecipient.State.valueOf(p.getProperty(k + "state")), p.getProperty(k + "status"),
                    p.getProperty(k + "diagnostic"), p.getProperty(k + "remoteMta")));
        }
        String ret = p.getProperty("ret");
        return new QueueEntry(id, p.getProperty("sender", ""), ret == null ? null : MailParameters.Ret.valueOf(ret),
                p.getProperty("envid"), Boolean.parseBoolean(p.getProperty("smtputf8")),
                Boolean.parseBoolean(p.getProperty("8bit")), Instant.parse(p.getProperty("created")),
                Integer.parseInt(p.getProperty("attempts", "0")), Instant.parse(p.getProperty("next")),
                Boolean.parseBoolean(p.getProperty("delayNotified")), recipients);
    }

    /** Every committed entry (an entry exists once its envelope does). */
    public List<String> ids() throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.env")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                ids.add(name.substring(0, name.length() - 4));
            }
        }
        ids.sort(null);
        return ids;
    }

    /**
     * Removes what an interrupted enqueue left (temporary files, a message without its envelope). Only at
     * start, before anything is enqueued: at run time these are enqueues in progress.
     */
    public void removeLeftovers() throws IOException {
        List<Path> orphans = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(".tmp")
                        || (name.endsWith(".msg") && !Files.exists(dir.resolve(name.replace(".msg", ".env"))))) {
                    orphans.add(f);
                }
            }
        }
        for (Path orphan : orphans) {
            log.info("queue: removing {} left by an interrupted enqueue", orphan.getFileName());
            Files.deleteIfExists(orphan);
        }
    }

    public boolean exists(String id) {
        return Files.exists(envelopeFile(id));
    }

    /** Removes an entry: envelope first, so a crash in between leaves an orphan message, not a half entry. */
    public void delete(String id) throws IOException {
        Files.deleteIfExists(envelopeFile(id));
        Files.deleteIfExists(messageFile(id));
        syncDirectory();
    }

    private void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory();
    }

    private void syncDirectory() {
        // A rename is durable only once its directory is (POSIX); not every platform lets a directory be opened.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            log.debug("queue: cannot fsync directory {}: {}", dir, e.toString());
        }
    }
}
