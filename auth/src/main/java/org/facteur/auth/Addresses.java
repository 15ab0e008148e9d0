package org.facteur.auth;

import java.net.IDN;
import java.util.Locale;

/** Normalised mail addresses: the one place that decides how addresses compare. */
public final class Addresses {

    private Addresses() {
    }

    /**
     * Trims, lower-cases (local part included: Facteur, like Postfix and Dovecot by default, treats
     * {@code Alice@} and {@code alice@} as one), and turns an IDN domain into its A-label form.
     *
     * @throws DirectoryException when it is not {@code local@domain} within RFC 5321 §4.5.3.1 sizes
     */
    public static String normalize(String address) {
        if (address == null) {
            throw new DirectoryException("no address given");
        }
        String a = address.trim();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1);
        }
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1) {
            throw new DirectoryException("'" + address + "' is not an address: write it as name@domain");
        }
        String local = a.substring(0, at).toLowerCase(Locale.ROOT);
        String domain = normalizeDomain(a.substring(at + 1));
        if (local.length() > 64 || local.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new DirectoryException("'" + address + "': the part before @ must be at most 64 characters, without spaces or controls");
        }
        return local + "@" + domain;
    }

    /** Lower case A-label form without a trailing dot. */
    public static String normalizeDomain(String domain) {
        if (domain == null) {
            throw new DirectoryException("no domain given");
        }
        String d = domain.trim();
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        try {
            d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new DirectoryException("'" + domain + "' is not a domain name: " + e.getMessage());
        }
        if (d.isEmpty() || d.length() > 253 || !d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw new DirectoryException("'" + domain + "' is not a domain name (letters, digits, dashes and dots)");
        }
        return d;
    }

    public static String localPart(String normalized) {
        return normalized.substring(0, normalized.lastIndexOf('@'));
    }

    public static String domain(String normalized) {
        return normalized.substring(normalized.lastIndexOf('@') + 1);
    }
}
