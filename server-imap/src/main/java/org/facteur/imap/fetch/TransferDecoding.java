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

    /** RFC 2045 §6.7: "=XX" escapes, soft line breaks "=" CRLF removed. */
    static byte[] quotedPrintable(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (b != '=') {
                out.write(b);
                continue;
            }
            if (i + 1 < body.length && body[i + 1] == '\n') {
                i += 1;
            } else if (i + 2 < body.length && body[i + 1] == '\r' && body[i + 2] == '\n') {
                i += 2;
            } else if (i + 2 < body.length && hex(body[i + 1]) >= 0 && hex(body[i + 2]) >= 0) {
                out.write(hex(body[i + 1]) * 16 + hex(body[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
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
