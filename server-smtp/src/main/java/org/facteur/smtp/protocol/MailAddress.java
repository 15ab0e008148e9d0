package org.facteur.smtp.protocol;

import java.util.Locale;

/**
 * An RFC 5321 {@code Mailbox}: a local part (unquoted here; quoting is put back by {@link #toString()}) and a
 * domain (lower case) or an address literal such as {@code [192.0.2.1]}.
 */
public record MailAddress(String localPart, String domain) {

    public MailAddress {
        domain = domain.toLowerCase(Locale.ROOT);
    }

    public boolean isAddressLiteral() {
        return domain.startsWith("[");
    }

    /** Whether any part needs SMTPUTF8 (RFC 6531). */
    public boolean isInternational() {
        return !isAscii(localPart) || !isAscii(domain);
    }

    /** The address as written in a path, re-quoting the local part when it is not a dot-string. */
    @Override
    public String toString() {
        return (isDotString(localPart) ? localPart : quote(localPart)) + "@" + domain;
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    static boolean isAtext(int c) {
        // RFC 5322 §3.2.3 atext, plus UTF8-non-ascii (RFC 6531 §3.3).
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0 || c >= 0x80;
    }

    static boolean isDotString(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && !isAtext(c)) {
                return false;
            }
        }
        return true;
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }
}
