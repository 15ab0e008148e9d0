package org.facteur.storage.importexport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.facteur.storage.AccountStore;
import org.facteur.storage.MailboxNotFoundException;
import org.facteur.storage.maildir.MailboxNames;
import org.facteur.storage.maildir.MaildirStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code facteur import}: mbox (mboxo, mboxrd, Content-Length), maildir (Dovecot's or Facteur's, keeping UIDs
 * and keywords when the target folder is empty) and MH. Resumable: every imported message is noted in
 * {@code facteur-import-ledger} at the account's maildir root by Message-ID and SHA-256, and a message already
 * noted is skipped, so running the same import twice imports nothing twice.
 */
public final class MailImporter {

    private static final Logger LOG = LoggerFactory.getLogger(MailImporter.class);
    static final String LEDGER = "facteur-import-ledger";
    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(<[^>\\s]*>)");

    /** Told after each message; {@code total} is -1 when unknown (mbox: use bytes against the file size). */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total, long bytes);

        Progress NONE = (d, t, b) -> {
        };
    }

    public record Result(long imported, long skipped, long failed) {
        Result plus(Result o) {
            return new Result(imported + o.imported, skipped + o.skipped, failed + o.failed);
        }
    }

    private final MaildirStore store;

    public MailImporter(MaildirStore store) {
        this.store = store;
    }

    public Result importMbox(String account, String mailbox, Path mbox, MboxFormat format, Progress progress)
            throws IOException {
        AccountStore acc = store.account(account);
        ensureMailbox(acc, mailbox);
        Ledger ledger = new Ledger(store.maildir(account).resolve(LEDGER));
        long imported = 0;
        long skipped = 0;
        long failed = 0;
        try (InputStream in = Files.newInputStream(mbox); MboxReader reader = new MboxReader(
                new java.io.BufferedInputStream(in, 1 << 16), format)) {
            MboxReader.Message m;
            while ((m = reader.next()) != null) {
                switch (add(acc, ledger, mailbox, m.content(), m.flags(), m.internalDate())) {
                    case 1 -> imported++;
                    case 0 -> skipped++;
                    default -> failed++;
                }
                progress.update(imported + skipped + failed, -1, reader.bytesRead());
            }
        }
        return new Result(imported, skipped, failed);
    }

    /**
     * Imports a whole maildir tree (INBOX at {@code root}, folders as {@code .Name.Sub}). Empty target folders
     * take the source's UIDs and UIDVALIDITY; others get the messages appended (skipping known ones).
     */
    public Result importMaildir(String account, Path root, Progress progress) throws IOException {
        AccountStore acc = store.account(account);
        Ledger ledger = new Ledger(store.maildir(account).resolve(LEDGER));
        List<Path> folders = new ArrayList<>();
        folders.add(root);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                if (MailboxNames.fromDirectory(p.getFileName().toString()) != null && Files.isDirectory(p.resolve("cur"))) {
                    folders.add(p);
                }
            }
        }
        Result total = new Result(0, 0, 0);
        long done = 0;
        for (Path folder : folders) {
            String name = folder.equals(root) ? "INBOX" : MailboxNames.fromDirectory(folder.getFileName().toString());
            List<Path> files = messageFiles(folder);
            List<String> keys = new ArrayList<>();
            for (Path f : files) {
                keys.add(Ledger.key(Files.readAllBytes(f)));
            }
            if (!keys.isEmpty() && keys.stream().noneMatch(ledger::contains) && store.adoptFolder(account, name, folder)) {
                for (String k : keys) {
                    ledger.add(k);
                }
                done += files.size();
                total = total.plus(new Result(files.size(), 0, 0));
                progress.update(done, -1, 0);
                continue;
            }
            ensureMailbox(acc, name);
            for (Path f : files) {
                byte[] content = Files.readAllBytes(f);
                Set<String> flags = org.facteur.storage.maildir.MaildirFlags.parse(f.getFileName().toString(),
                        org.facteur.storage.maildir.Keywords.load(folder));
                int r = add(acc, ledger, name, content, flags, Files.getLastModifiedTime(f).toInstant());
                total = total.plus(new Result(r == 1 ? 1 : 0, r == 0 ? 1 : 0, r < 0 ? 1 : 0));
                progress.update(++done, -1, 0);
            }
        }
        return total;
    }

    /** MH: numbered files in a folder; {@code .mh_sequences} "unseen" marks the ones not \Seen. */
    public Result importMh(String account, String mailbox, Path folder, Progress progress) throws IOException {
        AccountStore acc = store.account(account);
        ensureMailbox(acc, mailbox);
        Ledger ledger = new Ledger(store.maildir(account).resolve(LEDGER));
        Set<Long> unseen = mhSequence(folder, "unseen");
        List<Long> numbers = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.matches("\\d{1,9}") && Files.isRegularFile(p)) {
                    numbers.add(Long.parseLong(n));
                }
            }
        }
        numbers.sort(null);
        long imported = 0;
        long skipped = 0;
        long failed = 0;
        for (long n : numbers) {
            Path p = folder.resolve(Long.toString(n));
            byte[] content = toCrlf(Files.readAllBytes(p));
            Set<String> flags = unseen.contains(n) ? Set.of() : Set.of(org.facteur.storage.Flags.SEEN);
            switch (add(acc, ledger, mailbox, content, flags, Files.getLastModifiedTime(p).toInstant())) {
                case 1 -> imported++;
                case 0 -> skipped++;
                default -> failed++;
            }
            progress.update(imported + skipped + failed, numbers.size(), 0);
        }
        return new Result(imported, skipped, failed);
    }

    private static Set<Long> mhSequence(Path folder, String name) throws IOException {
        Set<Long> out = new HashSet<>();
        try {
            for (String line : Files.readAllLines(folder.resolve(".mh_sequences"), StandardCharsets.ISO_8859_1)) {
                if (!line.startsWith(name + ":")) {
                    continue;
                }
                for (String part : line.substring(name.length() + 1).trim().split("\\s+")) {
                    if (part.isEmpty()) {
                        continue;
                    }
                    int dash = part.indexOf('-');
                    try {
                        long a = Long.parseLong(dash < 0 ? part : part.substring(0, dash));
                        long b = dash < 0 ? a : Long.parseLong(part.substring(dash + 1));
                        for (long i = a; i <= b && i - a < 10_000_000; i++) {
                            out.add(i);
                        }
                    } catch (NumberFormatException e) {
                        // a named range we do not understand: ignored
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // no sequences: everything seen
        }
        return out;
    }

    static byte[] toCrlf(byte[] in) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(in.length + in.length / 40);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(in[i]);
        }
        return out.toByteArray();
    }

    private static List<Path> messageFiles(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("cur", "new")) {
            if (!Files.isDirectory(folder.resolve(sub))) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder.resolve(sub))) {
                for (Path p : ds) {
                    if (!p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)) {
                        files.add(p);
                    }
                }
            }
        }
        files.sort(null);
        return files;
    }

    private static void ensureMailbox(AccountStore acc, String mailbox) throws IOException {
        try {
            acc.status(mailbox);
        } catch (MailboxNotFoundException e) {
            acc.create(mailbox, Optional.empty());
        }
    }

    /** 1 imported, 0 skipped (already there), -1 failed. */
    private int add(AccountStore acc, Ledger ledger, String mailbox, byte[] content, Set<String> flags,
                    Instant date) throws IOException {
        String key = Ledger.key(content);
        if (ledger.contains(key)) {
            return 0;
        }
        try {
            acc.append(mailbox, new ByteArrayInputStream(content), flags, date);
        } catch (org.facteur.storage.QuotaExceededException e) {
            throw e;
        } catch (IOException e) {
            LOG.warn("import into {} failed for one message: {}", mailbox, e.getMessage());
            return -1;
        }
        ledger.add(key);
        return 1;
    }

    /** The set of imported messages, one {@code <message-id> <sha256>} line each, appended as we go. */
    static final class Ledger {
        private final Path file;
        private final Set<String> keys = new HashSet<>();

        Ledger(Path file) throws IOException {
            this.file = file;
            try {
                keys.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                // first import
            }
        }

        static String key(byte[] content) {
            String head = new String(content, 0, Math.min(content.length, 65536), StandardCharsets.ISO_8859_1);
            Matcher m = MESSAGE_ID.matcher(head);
            String id = m.find() ? m.group(1) : "<>";
            try {
                return id + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        boolean contains(String key) {
            return keys.contains(key);
        }

        void add(String key) throws IOException {
            keys.add(key);
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }
}
