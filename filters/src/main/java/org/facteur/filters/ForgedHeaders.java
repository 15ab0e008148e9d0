package org.facteur.filters;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Removes, from a message as received, the header fields that only this server writes: every {@code X-Spam-*}
 * field (our verdict) and each {@code Authentication-Results} field carrying our authserv-id. RFC 8601 §5: an
 * MTA must remove or rename such fields arriving from elsewhere before adding its own, or a sender could claim
 * passed checks. Other servers' Authentication-Results stay. The body is copied byte for byte; when nothing
 * is forged the file is left alone.
 */
public final class ForgedHeaders {

    private ForgedHeaders() {
    }

    /** Rewrites the message (through {@link MessageData#replace}) when it holds a forged field. */
    public static void remove(MessageData message, String authservId) throws IOException {
        Path source = message.file();
        Path rewritten = null;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(source))) {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            boolean forged = false;
            byte[] field;
            // Header fields end at the first empty line (RFC 5322 §2.1); each field with its folded lines.
            while ((field = nextField(in)) != null) {
                if (isOurs(new String(field, StandardCharsets.ISO_8859_1), authservId)) {
                    forged = true;
                } else {
                    kept.write(field);
                }
                if (isBlankLine(field)) {
                    break;
                }
            }
            if (!forged) {
                return;
            }
            rewritten = Files.createTempFile(source.toAbsolutePath().getParent(), "unforged", ".eml");
            try (OutputStream out = Files.newOutputStream(rewritten)) {
                kept.writeTo(out);
                in.transferTo(out);
            }
        }
        message.replace(rewritten);
    }

    static boolean isOurs(String field, String authservId) {
        int colon = field.indexOf(':');
        if (colon <= 0 || isBlankLine(field.getBytes(StandardCharsets.ISO_8859_1))) {
            return false;
        }
        String name = field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("x-spam-")) {
            return true;
        }
        if (!name.equals("authentication-results")) {
            return false;
        }
        // RFC 8601 §2.2: authserv-id [ CFWS authres-version ] ";" ... ; comments are dropped first.
        String value = field.substring(colon + 1).replaceAll("\\([^)]*\\)", " ").strip();
        int semi = value.indexOf(';');
        String id = (semi < 0 ? value : value.substring(0, semi)).strip().split("\\s+")[0];
        return id.equalsIgnoreCase(authservId);
    }

    private static boolean isBlankLine(byte[] line) {
        return line.length == 0 || line[0] == '\n' || (line[0] == '\r' && (line.length == 1 || line[1] == '\n'));
    }

    /** The next field (its first line and continuation lines), or the blank line, or null at the end. */
    private static byte[] nextField(InputStream in) throws IOException {
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        while (true) {
            in.mark(1);
            int first = in.read();
            if (first < 0) {
                return field.size() == 0 ? null : field.toByteArray();
            }
            boolean continuation = first == ' ' || first == '\t';
            if (field.size() > 0 && !continuation) {
                in.reset();
                return field.toByteArray();
            }
            field.write(first);
            int b = first;
            while (b != '\n') {
                b = in.read();
                if (b < 0) {
                    return field.toByteArray();
                }
                field.write(b);
            }
            if (field.size() <= 2 && isBlankLine(field.toByteArray())) {
                return field.toByteArray();
            }
        }
    }
}
