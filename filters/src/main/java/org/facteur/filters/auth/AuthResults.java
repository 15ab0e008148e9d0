package org.facteur.filters.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.facteur.filters.FilterContext;

/**
 * The results of SPF, DKIM and DMARC for one transaction, kept in the context's transaction notes so DMARC
 * can read what SPF and DKIM found, and written as one {@code Authentication-Results} header (RFC 8601).
 */
public final class AuthResults {

    private static final String NOTE = AuthResults.class.getName();

    /** spf=RESULT smtp.mailfrom=IDENTITY (RFC 8601 §2.7.2). {@code domain} is the domain checked. */
    public record Spf(String result, String identity, String domain, boolean helo) {
    }

    /** dkim=RESULT header.d=D header.s=S (RFC 8601 §2.7.1). */
    public record Dkim(String result, String domain, String selector) {
    }

    /** dmarc=RESULT header.from=DOMAIN (RFC 7489 §11.2), with the policy that applied. */
    public record Dmarc(String result, String fromDomain, String policy) {
    }

    public Spf spf;
    public final List<Dkim> dkim = new ArrayList<>();
    public Dmarc dmarc;
    public String iprev;
    public String clientAddress;

    public static AuthResults of(FilterContext context) {
        return (AuthResults) context.transactionNotes().computeIfAbsent(NOTE, k -> new AuthResults());
    }

    /** The header value: authserv-id, then one folded resinfo per method. */
    public String header(String authservId) {
        List<String> parts = new ArrayList<>();
        if (iprev != null) {
            parts.add("iprev=" + iprev + (clientAddress == null ? "" : " policy.iprev=" + clientAddress));
        }
        if (spf != null) {
            parts.add("spf=" + spf.result() + (spf.helo() ? " smtp.helo=" : " smtp.mailfrom=") + value(spf.identity()));
        }
        for (Dkim d : dkim) {
            parts.add("dkim=" + d.result() + (d.domain() == null ? "" : " header.d=" + value(d.domain()))
                    + (d.selector() == null ? "" : " header.s=" + value(d.selector())));
        }
        if (dmarc != null) {
            parts.add("dmarc=" + dmarc.result() + (dmarc.policy() == null ? "" : " policy.dmarc=" + dmarc.policy())
                    + (dmarc.fromDomain() == null ? "" : " header.from=" + value(dmarc.fromDomain())));
        }
        if (parts.isEmpty()) {
            return authservId + "; none";
        }
        return authservId + ";\r\n\t" + String.join(";\r\n\t", parts);
    }

    /** RFC 8601 §2.2: a value is a token or a quoted string. */
    private static String value(String v) {
        if (v == null || v.isEmpty()) {
            return "\"\"";
        }
        if (v.matches("[A-Za-z0-9.@_+=!#$%&'*/?^`{|}~-]+")) {
            return v.toLowerCase(Locale.ROOT).equals(v) ? v : v;
        }
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\r\\n]", " ") + "\"";
    }
}
