package org.facteur.imap.fetch;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Locale;

/** Content-Transfer-Encoding decoding for FETCH BINARY (RFC 3516 §4.2). */
public final class TransferDecoding {

    private TransferDecoding() {
    }

    /** The decoded bytes, or null for an encoding we do not know (the client gets NO [UNKNOWN-CTE]). */
    public static byte[] decode(byte[] body, String encoding) {
        String e = encoding == null ? "7bit" : encoding.toLowerCase(Locale.ROOT).trim();
        return switch (e) {
            case "7bit", "8bit", "binary" -> body;
            case "base64" -> base64(body);
            case "quoted-printable" -> quotedPrintable(body);
            default -> null;
        };
    }

    private static byte[] base64(byte[] body) {
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            // Broken base64 in the wild: decode what can be decoded, up to the first bad quantum.
            ByteArrayOutputStream clean = new ByteArrayOutputStream();
            for (byte b : body) {
                if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/') {
                    clean.write(b);
                }
            }
            byte[] chars = clean.toByteArray();
            int usable = chars.length - chars.length % 4;
            return Base64.getDecoder().decode(java.util.Arrays.copyOf(chars, usable));
        }
    }

    /**
     * RFC 2045 §6.7: "=XX" escapes; trailing spaces and tabs of each line are transport padding and dropped
     * (rule 3); a line ending in "=" is a soft line break (rule 5), joined to the next.
     */
    static byte[] quotedPrintable(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        int start = 0;
        while (start < body.length) {
            int lf = start;
            while (lf < body.length && body[lf] != '\n') {
                lf++;
            }
            boolean hasBreak = lf < body.length;
            int end = lf > start && body[lf - 1] == '\r' ? lf - 1 : lf;
            while (end > start && (body[end - 1] == ' ' || body[end - 1] == '\t')) {
                end--;
            }
            boolean soft = end > start && body[end - 1] == '=';
            if (soft) {
                end--;
            }
            for (int i = start; i < end; i++) {
                byte b = body[i];
                if (b == '=' && i + 2 < end && hex(body[i + 1]) >= 0 && hex(body[i + 2]) >= 0) {
                    out.write(hex(body[i + 1]) * 16 + hex(body[i + 2]));
                    i += 2;
                } else {
                    out.write(b);
                }
            }
            if (hasBreak && !soft) {
                out.write('\r');
                out.write('\n');
            }
            start = lf + 1;
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }
}
