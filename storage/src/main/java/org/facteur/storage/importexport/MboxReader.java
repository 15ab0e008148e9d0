package org.facteur.storage.importexport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.facteur.storage.Flags;

/**
 * Reads messages out of an mbox, one at a time, converting line ends to CRLF (what IMAP serves) and undoing the
 * "From " quoting of the chosen {@link MboxFormat}. The "From " separator line gives the internal date; the
 * Status and X-Status headers written by mutt, Thunderbird and Dovecot give the flags (and are kept).
 */
public final class MboxReader implements AutoCloseable {

    /** One message read from an mbox. */
    public record Message(byte[] content, Instant internalDate, Set<String> flags) {
    }

    static final int MAX_LINE = 1 << 20;
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ENGLISH);

    private final PushbackInputStream in;
    private final MboxFormat format;
    private byte[] pendingSeparator;
    private long bytesRead;

    public MboxReader(InputStream in, MboxFormat format) {
        this.in = new PushbackInputStream(in, 1);
        this.format = format;
    }

    public long bytesRead() {
        return bytesRead;
    }

    /** The next message, or null at the end. */
    public Message next() throws IOException {
        byte[] sep = pendingSeparator;
        pendingSeparator = null;
        while (sep == null) {
            byte[] line = readLine();
            if (line == null) {
                return null;
            }
            if (isSeparator(line)) {
                sep = line;
            }
            // text before the first "From " line is not a message: skipped
        }
        Instant date = separatorDate(sep);
        ByteArrayOutputStream msg = new ByteArrayOutputStream(4096);
        boolean inHeader = true;
        long contentLength = -1;
        Set<String> flags = new TreeSet<>();
        boolean pendingBlank = false;
        while (true) {
            if (!inHeader && contentLength >= 0 && format == MboxFormat.MBOXCL) {
                copyBody(msg, contentLength);
                // after the body: a blank line, then the next separator (or the end)
                byte[] line;
                while ((line = readLine()) != null) {
                    if (isSeparator(line)) {
                        pendingSeparator = line;
                        break;
                    }
                }
                return new Message(msg.toByteArray(), date, flags);
            }
            byte[] line = readLine();
            if (line == null) {
                break;
            }
            String text = stripEol(line);
            if (inHeader) {
                if (text.isEmpty()) {
                    inHeader = false;
                    msg.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                    continue;
                }
                String lower = text.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    try {
                        contentLength = Long.parseLong(text.substring(15).trim());
                    } catch (NumberFormatException e) {
                        contentLength = -1;
                    }
                } else if (lower.startsWith("status:")) {
                    if (text.indexOf('R', 7) >= 0) {
                        flags.add(Flags.SEEN);
                    }
                } else if (lower.startsWith("x-status:")) {
                    String v = text.substring(9);
                    if (v.indexOf('A') >= 0) {
                        flags.add(Flags.ANSWERED);
                    }
                    if (v.indexOf('F') >= 0) {
                        flags.add(Flags.FLAGGED);
                    }
                    if (v.indexOf('T') >= 0) {
                        flags.add(Flags.DRAFT);
                    }
                    if (v.indexOf('D') >= 0) {
                        flags.add(Flags.DELETED);
                    }
                }
                writeLine(msg, text);
                continue;
            }
            if (isSeparator(line)) {
                pendingSeparator = line;
                break; // the blank line before it belongs to the separator
            }
            if (pendingBlank) {
                msg.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                pendingBlank = false;
            }
            if (text.isEmpty()) {
                pendingBlank = true;
                continue;
            }
            writeLine(msg, unquote(text));
        }
        // at the end of the file a held-back empty line was the mbox's own terminator: dropped
        return new Message(msg.toByteArray(), date, flags);
    }

    private void copyBody(ByteArrayOutputStream msg, long length) throws IOException {
        long left = length;
        boolean prevCr = false;
        while (left > 0) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            bytesRead++;
            left--;
            if (b == '\n' && !prevCr) {
                msg.write('\r');
            }
            msg.write(b);
            prevCr = b == '\r';
        }
    }

    private String unquote(String text) {
        return switch (format) {
            case MBOXRD -> text.matches("^>+From .*") ? text.substring(1) : text;
            case MBOXO -> text.startsWith(">From ") ? text.substring(1) : text;
            case MBOXCL -> text;
        };
    }

    private static void writeLine(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean isSeparator(byte[] line) {
        return line.length >= 5 && line[0] == 'F' && line[1] == 'r' && line[2] == 'o' && line[3] == 'm'
                && line[4] == ' ';
    }

    /** Bytes as ISO-8859-1 so that any octet survives the round trip to bytes. */
    private static String stripEol(byte[] line) {
        int n = line.length;
        if (n > 0 && line[n - 1] == '\n') {
            n--;
        }
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        return new String(line, 0, n, StandardCharsets.ISO_8859_1);
    }

    static Instant separatorDate(byte[] sep) {
        String s = stripEol(sep).substring(5).trim();
        // "From sender@example.org Mon Jan  1 00:00:00 2024": the date is the last five fields
        String[] f = s.split("\\s+");
        if (f.length >= 6) {
            String d = String.join(" ", f[f.length - 5], f[f.length - 4], f[f.length - 3], f[f.length - 2],
                    f[f.length - 1]);
            try {
                return LocalDateTime.parse(d, ASCTIME).toInstant(ZoneOffset.UTC);
            } catch (RuntimeException e) {
                // not asctime
            }
        }
        return null;
    }

    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            bytesRead++;
            line.write(b);
            if (b == '\n' || line.size() >= MAX_LINE) {
                break;
            }
        }
        return line.size() == 0 && b < 0 ? null : line.toByteArray();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
