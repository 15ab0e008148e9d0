package org.facteur.imap.protocol;

/** Character classes of RFC 9051 §9 (formal syntax). Bytes of 0x80 and above are never atom characters. */
public final class Chars {

    private Chars() {
    }

    /** ATOM-CHAR: any CHAR except atom-specials ( ) { SP CTL % * " \ ] */
    public static boolean isAtomChar(int b) {
        if (b <= 0x1f || b >= 0x7f) {
            return false;
        }
        return switch (b) {
            case '(', ')', '{', ' ', '%', '*', '"', '\\', ']' -> false;
            default -> true;
        };
    }

    /** ASTRING-CHAR: ATOM-CHAR or resp-specials ("]"). */
    public static boolean isAstringChar(int b) {
        return isAtomChar(b) || b == ']';
    }

    /** tag: 1*<any ASTRING-CHAR except "+">. */
    public static boolean isTagChar(int b) {
        return isAstringChar(b) && b != '+';
    }

    /** list-char: ATOM-CHAR / list-wildcards / resp-specials. */
    public static boolean isListChar(int b) {
        return isAstringChar(b) || b == '%' || b == '*';
    }

    /** Whether {@code s} can be sent as an atom (for flags, keywords, capability names). */
    public static boolean isAtom(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isAtomChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
