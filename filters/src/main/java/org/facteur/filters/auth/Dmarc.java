package org.facteur.filters.auth;

import com.google.common.net.InternetDomainName;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.facteur.filters.dns.DnsClient;

/** DMARC records and alignment (RFC 7489). */
public final class Dmarc {

    /** A parsed DMARC record: p, sp, adkim, aspf, pct (§6.3). */
    public record Record(String policy, String subdomainPolicy, boolean strictDkim, boolean strictSpf, int percent) {
    }

    /** The record that applies to a From domain and the policy it gives that domain. */
    public record Found(Record record, String policy) {
    }

    private Dmarc() {
    }

    /**
     * The organizational domain (§3.2): the public suffix plus one label, from the Public Suffix List that
     * Guava ships. A name that is not under a known suffix is its own organizational domain.
     */
    public static String organizationalDomain(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        try {
            InternetDomainName name = InternetDomainName.from(d);
            if (name.isUnderPublicSuffix()) {
                return name.topPrivateDomain().toString();
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // not a valid domain name: compare as it is
        }
        return d;
    }

    /** §6.3 tag-value list; null when the text is not a DMARC record or lacks a valid p=. */
    public static Record parse(String text) {
        Map<String, String> tags = new HashMap<>();
        String[] parts = text.split(";");
        if (parts.length == 0 || !parts[0].strip().replace(" ", "").equalsIgnoreCase("v=DMARC1")) {
            return null;
        }
        for (String part : parts) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                tags.put(part.substring(0, eq).strip().toLowerCase(Locale.ROOT), part.substring(eq + 1).strip());
            }
        }
        String p = tags.getOrDefault("p", "").toLowerCase(Locale.ROOT);
        if (!List.of("none", "quarantine", "reject").contains(p)) {
            return null;
        }
        String sp = tags.getOrDefault("sp", p).toLowerCase(Locale.ROOT);
        if (!List.of("none", "quarantine", "reject").contains(sp)) {
            sp = p;
        }
        int pct = 100;
        try {
            pct = Math.max(0, Math.min(100, Integer.parseInt(tags.getOrDefault("pct", "100"))));
        } catch (NumberFormatException e) {
            // §6.3: an invalid pct is ignored
        }
        return new Record(p, sp, "s".equalsIgnoreCase(tags.get("adkim")), "s".equalsIgnoreCase(tags.get("aspf")), pct);
    }

    /** §6.6.3 policy discovery: the From domain's record, else the organizational domain's (with sp=). */
    public static Optional<Found> discover(DnsClient dns, String fromDomain) throws DnsClient.DnsException {
        Record own = first(dns.txt("_dmarc." + fromDomain));
        if (own != null) {
            return Optional.of(new Found(own, own.policy()));
        }
        String org = organizationalDomain(fromDomain);
        if (org.equals(fromDomain)) {
            return Optional.empty();
        }
        Record parent = first(dns.txt("_dmarc." + org));
        return parent == null ? Optional.empty() : Optional.of(new Found(parent, parent.subdomainPolicy()));
    }

    private static Record first(List<String> txt) {
        // §6.6.3 step 5: more than one record is treated as none.
        Record found = null;
        for (String t : txt) {
            Record r = parse(t);
            if (r != null) {
                if (found != null) {
                    return null;
                }
                found = r;
            }
        }
        return found;
    }

    /** §3.1: identifiers align when equal (strict) or sharing the organizational domain (relaxed). */
    public static boolean aligned(String authenticated, String from, boolean strict) {
        if (authenticated == null || from == null) {
            return false;
        }
        String a = authenticated.toLowerCase(Locale.ROOT);
        String f = from.toLowerCase(Locale.ROOT);
        return strict ? a.equals(f) : organizationalDomain(a).equals(organizationalDomain(f));
    }
}
