package org.facteur.storage.importexport;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.facteur.storage.Flags;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.maildir.MaildirStore;

/**
 * {@code facteur export}: a mailbox to mboxrd (the lossless mbox: every {@code ^>*From } body line gets one
 * more '>', LF line ends as mbox readers expect, flags in Status/X-Status), or an account's whole maildir tree
 * copied as it is (files, dovecot-uidlist, dovecot-keywords, subscriptions), which Dovecot or a later
 * {@link MailImporter#importMaildir} can take with its UIDs.
 */
public final class MailExporter {

    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final MaildirStore store;

    public MailExporter(MaildirStore store) {
        this.store = store;
    }

    public long exportMbox(String account, String mailbox, OutputStream target, MailImporter.Progress progress)
            throws IOException {
        OutputStream out = new BufferedOutputStream(target, 1 << 16);
        long n = 0;
        try (Mailbox box = store.account(account).open(mailbox, true, null)) {
            List<MessageMeta> all = box.messages();
            for (MessageMeta m : all) {
                byte[] content;
                try (InputStream in = box.open(m.uid())) {
                    content = in.readAllBytes();
                } catch (NoSuchFileException e) {
                    continue; // expunged meanwhile
                }
                writeMessage(out, content, m);
                progress.update(++n, all.size(), 0);
            }
        }
        out.flush();
        return n;
    }

    static void writeMessage(OutputStream out, byte[] content, MessageMeta m) throws IOException {
        out.write(("From MAILER-DAEMON " + ASCTIME.format(m.internalDate()) + "\n").getBytes(StandardCharsets.US_ASCII));
        String status = m.has(Flags.SEEN) ? "RO" : "O";
        StringBuilder x = new StringBuilder();
        if (m.has(Flags.ANSWERED)) {
            x.append('A');
        }
        if (m.has(Flags.FLAGGED)) {
            x.append('F');
        }
        if (m.has(Flags.DRAFT)) {
            x.append('T');
        }
        if (m.has(Flags.DELETED)) {
            x.append('D');
        }
        out.write(("Status: " + status + "\n" + (x.isEmpty() ? "" : "X-Status: " + x + "\n"))
                .getBytes(StandardCharsets.US_ASCII));
        int start = 0;
        boolean inHeader = true;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int i = 0; i <= content.length; i++) {
            if (i < content.length && content[i] != '\n') {
                continue;
            }
            int end = i;
            if (end > start && content[end - 1] == '\r') {
                end--;
            }
            line.reset();
            line.write(content, start, end - start);
            byte[] l = line.toByteArray();
            String text = new String(l, StandardCharsets.ISO_8859_1);
            if (inHeader && text.isEmpty()) {
                inHeader = false;
            }
            boolean ownStatus = inHeader && (text.regionMatches(true, 0, "Status:", 0, 7)
                    || text.regionMatches(true, 0, "X-Status:", 0, 9));
            if (!ownStatus && !(i == content.length && l.length == 0)) {
                if (text.matches("^>*From .*")) {
                    out.write('>'); // mboxrd quoting
                }
                out.write(l);
                out.write('\n');
            }
            start = i + 1;
        }
        out.write('\n');
    }

    /** Copies the account's maildir tree into {@code target} (which must not exist yet). */
    public long exportMaildir(String account, Path target, MailImporter.Progress progress) throws IOException {
        Path root = store.maildir(account);
        Files.createDirectories(target);
        long[] n = {0};
        copyTree(root, target, n, progress);
        return n[0];
    }

    private static void copyTree(Path from, Path to, long[] n, MailImporter.Progress progress) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(from)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p)) {
                    if (name.equals("tmp")) {
                        Files.createDirectories(to.resolve(name)); // never copy deliveries in progress
                        continue;
                    }
                    Files.createDirectories(to.resolve(name));
                    copyTree(p, to.resolve(name), n, progress);
                } else if (!name.startsWith("dovecot.index") && !name.contains(".tmp")) {
                    try {
                        Files.copy(p, to.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
                    } catch (NoSuchFileException e) {
                        continue; // renamed by a flag change while we copied; its new name comes later or not
                    }
                    if (from.getFileName().toString().equals("cur") || from.getFileName().toString().equals("new")) {
                        progress.update(++n[0], -1, 0);
                    }
                }
            }
        }
    }
}
