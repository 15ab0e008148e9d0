package org.facteur.auth.password;

import java.text.Normalizer;

/**
 * SASLprep (RFC 4013), the StringPrep profile for user names and passwords: non-ASCII spaces become spaces,
 * characters "commonly mapped to nothing" go, the result is NFKC-normalised, and prohibited characters
 * (controls, private use, surrogates, non-characters) are refused. The bidirectional-text rule of RFC 3454 §6
 * is not checked; it only refuses strings, it never changes them.
 */
public final class SaslPrep {

    private SaslPrep() {
    }

    /** Prepares a stored string (RFC 4013 §2); throws {@link IllegalArgumentException} for prohibited input. */
    public static String prepare(String input) {
        StringBuilder mapped = new StringBuilder(input.length());
        for (int i = 0; i < input.length(); ) {
            int c = input.codePointAt(i);
            i += Character.charCount(c);
            if (mapsToNothing(c)) {
                continue; // RFC 3454 B.1
            }
            mapped.appendCodePoint(isNonAsciiSpace(c) ? ' ' : c); // RFC 4013 §2.1, C.1.2
        }
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC); // RFC 4013 §2.2
        for (int i = 0; i < normalized.length(); ) {
            int c = normalized.codePointAt(i);
            i += Character.charCount(c);
            if (prohibited(c)) {
                throw new IllegalArgumentException("prohibited character U+" + Integer.toHexString(c).toUpperCase());
            }
        }
        return normalized;
    }

    /** {@link #prepare}, or the input unchanged when it holds a prohibited character (so old passwords keep working). */
    public static String prepareOrKeep(String input) {
        try {
            return prepare(input);
        } catch (IllegalArgumentException e) {
            return input;
        }
    }

    private static boolean mapsToNothing(int c) {
        return c == 0x00AD || c == 0x034F || c == 0x1806 || (c >= 0x180B && c <= 0x180D)
                || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF;
    }

    private static boolean isNonAsciiSpace(int c) {
        return c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }

    private static boolean prohibited(int c) {
        int type = Character.getType(c);
        return c < 0x20 || c == 0x7F // C.2.1
                || (c >= 0x80 && c <= 0x9F) || type == Character.CONTROL || type == Character.FORMAT || c == 0x2028 || c == 0x2029 // C.2.2 (approx.)
                || type == Character.PRIVATE_USE // C.3
                || type == Character.SURROGATE // C.5
                || (c & 0xFFFE) == 0xFFFE || (c >= 0xFDD0 && c <= 0xFDEF) // C.4
                || (c >= 0xFFF9 && c <= 0xFFFD) // C.6, C.7
                || (c >= 0x2FF0 && c <= 0x2FFB) // C.7
                || c == 0x0340 || c == 0x0341 || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x206A && c <= 0x206F) // C.8
                || c == 0xE0001 || (c >= 0xE0020 && c <= 0xE007F) // C.9
                || type == Character.UNASSIGNED && c > 0xFFFF && c >= 0xF0000; // planes 15-16 private use
    }
}
