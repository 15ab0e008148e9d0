package org.facteur.storage.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.facteur.config.MachineName;
import org.facteur.storage.mime.BinaryParts;
import org.facteur.storage.mime.HeaderBlock;
import org.facteur.storage.mime.IndexFields;
import org.facteur.storage.mime.StructureParser;
import org.facteur.storage.mime.TextExtractor;

/**
 * Writing message files the maildir way and reading them back for parsing. Messages are stored exactly as
 * given (no line-ending conversion): the size reported is the size of the file, and BODY[] returns the very
 * bytes received, so RFC822.SIZE and partial fetches always agree with what is sent.
 */
final class MessageFiles {

    private static final AtomicLong SEQ = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();
    private static final String HOST = hostName();

    private MessageFiles() {
    }

    private static String hostName() {
        String h = MachineName.get();
        // maildir spec: '/' and ':' in the host name are written as \057 and \072
        return h.replace("/", "\\057").replace(":", "\\072").replace(",", "\\054");
    }

    /** A unique base name: {@code <seconds>.M<micros>P<pid>Q<seq>.<host>} (the Dovecot/qmail style). */
    static String uniqueBase() {
        Instant now = Instant.now();
        // micro-seconds zero-padded so that names sort in delivery order (UIDs follow it after a lost uidlist)
        String micros = Integer.toString(now.getNano() / 1000);
        return now.getEpochSecond() + ".M" + "000000".substring(micros.length()) + micros + "P" + PID + "Q"
                + SEQ.incrementAndGet() + "." + HOST;
    }

    /**
     * Whether a tmp/ file was written by a process that is gone (its name carries the writer's pid, as ours
     * do): such a file is a torn delivery that was never acknowledged and can be removed at once.
     */
    static boolean writerIsGone(String name) {
        int m = name.indexOf(".M");
        int p = m < 0 ? -1 : name.indexOf('P', m + 2);
        int q = p < 0 ? -1 : name.indexOf('Q', p);
        if (q < 0) {
            return false;
        }
        try {
            long pid = Long.parseLong(name.substring(p + 1, q));
            return pid != PID && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Writes {@code content} to {@code folder/tmp/}, fsyncs it (when asked), sets its mtime to the internal
     * date (Dovecot reads the received date from it) and parses it. With {@code encodeNul}, parts that hold a
     * NUL byte are stored in base64 ({@link BinaryParts}). The one parse also yields the searchable text when
     * an {@code extractor} is given (null: no full-text index).
     */
    static Staged stage(Path folder, InputStream content, Set<String> flags, Instant internalDate, boolean fsync,
                        StructureParser parser, TextExtractor extractor, long maxSize, boolean encodeNul)
            throws IOException {
        String unique = uniqueBase();
        Path tmp = folder.resolve("tmp").resolve(unique);
        Instant date = internalDate == null ? Instant.now() : internalDate;
        Parsing[] parsing = new Parsing[1];
        long size = 0;
        long bareLf = 0;
        boolean nul = false;
        boolean ok = false;
        // a copy of what is written, parsed without reading the file back (most mail; larger ones are read)
        byte[] kept = new byte[16 * 1024];
        int keptLength = 0;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buf = new byte[64 * 1024];
            byte prev = 0;
            int n;
            while ((n = content.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n' && prev != '\r') {
                        bareLf++;
                    }
                    nul |= b == 0;
                    prev = b;
                }
                size += n;
                if (maxSize > 0 && size > maxSize) {
                    throw new org.facteur.storage.QuotaExceededException("message larger than the quota allows");
                }
                write(ch, buf, n);
                if (kept != null && keptLength + n > HeaderBlock.IN_HEAP_LIMIT) {
                    kept = null;
                } else if (kept != null) {
                    if (keptLength + n > kept.length) {
                        int grown = Math.max(keptLength + n, kept.length * 2);
                        kept = Arrays.copyOf(kept, Math.min(HeaderBlock.IN_HEAP_LIMIT, grown));
                    }
                    System.arraycopy(buf, 0, kept, keptLength, n);
                    keptLength += n;
                }
            }
            if (nul && encodeNul) {
                // A NUL cannot be sent in an IMAP literal (RFC 9051 §4.3): store those parts in base64.
                byte[] encoded = BinaryParts.encodeForLiterals(
                        kept != null ? Arrays.copyOf(kept, keptLength) : Files.readAllBytes(tmp), parser);
                ch.truncate(0);
                ch.position(0);
                write(ch, encoded, encoded.length);
                size = encoded.length;
                bareLf = countBareLf(encoded);
                kept = encoded.length <= HeaderBlock.IN_HEAP_LIMIT ? encoded : null;
                keptLength = encoded.length;
            }
            // before the fsync, which makes the internal date durable with the content
            Files.setLastModifiedTime(tmp, FileTime.from(date));
            ByteBuffer bytes = kept != null ? ByteBuffer.wrap(kept, 0, keptLength) : load(tmp);
            Overlapped.Step parse = () -> parsing[0] = parse(bytes, parser, extractor);
            if (fsync) {
                Overlapped.run(parse, List.of(() -> ch.force(true))); // the parse needs the bytes, not the disk
            } else {
                parse.run();
            }
            ok = true;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
        StructureParser.Parsed parsed = parsing[0].parsed();
        TextExtractor.Extracted text = parsing[0].text();
        // S= and W= let Dovecot know the sizes without reading the file (W counts CRLF line ends)
        String base = unique + ",S=" + size + ",W=" + (size + bareLf);
        return new Staged(tmp, base, size, size + bareLf, flags, date.toEpochMilli(),
                org.facteur.storage.mime.StructureCodec.encode(parsed.structure()),
                IndexFields.of(parsed.structure(), parsed.header()), text);
    }

    private record Parsing(StructureParser.Parsed parsed, TextExtractor.Extracted text) {
    }

    private static Parsing parse(ByteBuffer bytes, StructureParser parser, TextExtractor extractor) {
        StructureParser.Parsed parsed = parser.parseWithHeader(bytes);
        TextExtractor.Extracted text = null;
        if (extractor != null) {
            try {
                text = extractor.extract(bytes, parsed);
            } catch (RuntimeException e) {
                // never fails a delivery: the full-text index reads the file itself instead
            }
        }
        return new Parsing(parsed, text);
    }

    private static void write(FileChannel ch, byte[] bytes, int length) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(bytes, 0, length);
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
    }

    private static long countBareLf(byte[] bytes) {
        long n = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) {
                n++;
            }
        }
        return n;
    }

    /** Parses a stored file; never throws for bad content (only for I/O). */
    static StructureParser.Parsed parse(Path file, StructureParser parser) throws IOException {
        return parser.parseWithHeader(load(file));
    }

    /** A stored file's bytes (read, or mapped when large). */
    private static ByteBuffer load(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException("message file over 2 GB: " + file);
            }
            return HeaderBlock.load(ch, size);
        }
    }

    /** The base size from {@code ,S=} in a name, or -1. */
    static long sizeFromName(String base) {
        int s = base.indexOf(",S=");
        if (s < 0) {
            return -1;
        }
        int e = s + 3;
        while (e < base.length() && Character.isDigit(base.charAt(e))) {
            e++;
        }
        try {
            return Long.parseLong(base.substring(s + 3, e));
        } catch (NumberFormatException ex) {
            return -1;
        }
    }
}
