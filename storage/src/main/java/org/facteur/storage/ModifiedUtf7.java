package org.facteur.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * IMAP's modified UTF-7 (RFC 3501 §5.1.3): printable ASCII stands for itself except {@code &} ({@code &-});
 * anything else is UTF-16BE in base64 with {@code ,} for {@code /}, between {@code &} and {@code -}. One codec
 * for both of its uses: folder names on disk (as Dovecot writes them) and mailbox names on the wire for IMAP4rev1
 * clients without UTF8=ACCEPT (RFC 9051 §5.1, RFC 6855 §3).
 */
public final class ModifiedUtf7 {

    private ModifiedUtf7() {
    }

    /** Encodes a name for the IMAP wire. */
    public static String encode(String text) {
        return encode(text, "");
    }

    /** Encodes; {@code alsoEncode} lists printable characters to encode too (the maildir++ separator '.'). */
    public static String encode(String text, String alsoEncode) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        StringBuilder pending = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean direct = c >= 0x20 && c <= 0x7e && alsoEncode.indexOf(c) < 0;
            if (direct) {
                flush(pending, out);
                out.append(c == '&' ? "&-" : String.valueOf(c));
            } else {
                pending.append(c);
            }
        }
        flush(pending, out);
        return out.toString();
    }

    private static void flush(StringBuilder pending, StringBuilder out) {
        if (pending.isEmpty()) {
            return;
        }
        byte[] utf16 = pending.toString().getBytes(StandardCharsets.UTF_16BE);
        String b64 = Base64.getEncoder().withoutPadding().encodeToString(utf16).replace('/', ',');
        out.append('&').append(b64).append('-');
        pending.setLength(0);
    }

    /** Decodes; malformed sequences are kept as they are (a name from another tool must still be listable). */
    public static String decode(String text) {
        return decode(text, false);
    }

    /**
     * Decodes what a client sent.
     *
     * @throws IllegalArgumentException for an unterminated or malformed shift sequence
     */
    public static String decodeStrict(String text) {
        return decode(text, true);
    }

    private static String decode(String text, boolean strict) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = text.indexOf('-', i + 1);
            if (end < 0) {
                if (strict) {
                    throw new IllegalArgumentException("unterminated modified UTF-7 shift in " + text);
                }
                out.append(text, i, text.length());
                break;
            }
            if (end == i + 1) {
                out.append('&');
            } else {
                String b64 = text.substring(i + 1, end).replace(',', '/');
                try {
                    byte[] bytes = Base64.getDecoder().decode(b64);
                    if (bytes.length % 2 != 0) {
                        throw new IllegalArgumentException("odd UTF-16 length");
                    }
                    out.append(StandardCharsets.UTF_16BE.decode(ByteBuffer.wrap(bytes)));
                } catch (IllegalArgumentException e) {
                    if (strict) {
                        throw new IllegalArgumentException("malformed modified UTF-7 in " + text, e);
                    }
                    out.append(text, i, end + 1);
                }
            }
            i = end + 1;
        }
        return out.toString();
    }
}
