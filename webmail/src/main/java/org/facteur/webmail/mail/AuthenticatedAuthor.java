package org.facteur.webmail.mail;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The author of a message, when this server's own checks proved the From domain: what a per-sender allowance
 * (remote images) may rely on, since anyone can write any From.
 *
 * <p>Only {@code Authentication-Results} fields carrying this server's authserv-id count (RFC 8601 §5: the
 * filters remove inbound fields that claim it, so one that carries it was written here; fields of other
 * servers are the sender's word). The From field must hold exactly one address, and one of those fields must
 * say either {@code dmarc=pass} for that address's domain (RFC 7489 §3: DKIM or SPF aligned with From), or,
 * for a domain publishing no DMARC policy, {@code dkim=pass} with a signing domain ({@code header.d}) equal to
 * the From domain or a parent of it (relaxed alignment, RFC 7489 §3.1.1). SPF alone is not enough without
 * DMARC: it vouches for the envelope sender, not for From. A {@code dmarc=fail} anywhere in our results
 * refuses.
 */
public final class AuthenticatedAuthor {

    private static final Pattern RESULT = Pattern.compile("^\\s*([a-z0-9-]+)\\s*=\\s*([a-z]+)(.*)$", Pattern.DOTALL);
    private static final Pattern PROPERTY = Pattern.compile("([a-z0-9-]+\\.[a-z0-9-]+)\\s*=\\s*(\"[^\"]*\"|[^\\s;]+)");

    private AuthenticatedAuthor() {
    }

    /** The From address (lower case) when our results prove it, else empty. */
    public static Optional<String> of(ReadMessage message, String authservId) {
        if (message.fromAddresses().size() != 1 || authservId == null || authservId.isBlank()) {
            return Optional.empty();
        }
        String author = message.fromAddresses().getFirst().strip().toLowerCase(Locale.ROOT);
        int at = author.lastIndexOf('@');
        if (at <= 0 || at == author.length() - 1) {
            return Optional.empty();
        }
        String domain = author.substring(at + 1);
        boolean proven = false;
        for (ReadMessage.HeaderLine line : message.verdict()) {
            if (!line.name().equalsIgnoreCase("Authentication-Results")) {
                continue;
            }
            // RFC 8601 §2.2: authserv-id [version] ; resinfo ; resinfo ... (comments in parentheses dropped)
            String[] parts = line.value().replaceAll("\\([^()]*\\)", " ").toLowerCase(Locale.ROOT).split(";");
            String id = parts[0].strip().split("\\s+")[0];
            if (!id.equals(authservId.strip().toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (int i = 1; i < parts.length; i++) {
                Matcher m = RESULT.matcher(parts[i]);
                if (!m.matches()) {
                    continue;
                }
                String method = m.group(1);
                String result = m.group(2);
                String properties = m.group(3);
                if (method.equals("dmarc") && result.equals("fail")) {
                    return Optional.empty();
                }
                if (method.equals("dmarc") && result.equals("pass")
                        && property(properties, "header.from").map(domain::equals).orElse(true)) {
                    proven = true;
                } else if (method.equals("dkim") && result.equals("pass")
                        && property(properties, "header.d").filter(d -> aligned(d, domain)).isPresent()) {
                    proven = true;
                }
            }
        }
        return proven ? Optional.of(author) : Optional.empty();
    }

    /** Relaxed alignment without a public-suffix list: the same domain, or a parent of at least two labels. */
    static boolean aligned(String signingDomain, String fromDomain) {
        return fromDomain.equals(signingDomain)
                || (signingDomain.contains(".") && fromDomain.endsWith("." + signingDomain));
    }

    private static Optional<String> property(String properties, String name) {
        Matcher m = PROPERTY.matcher(properties);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                String v = m.group(2);
                return Optional.of(v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
            }
        }
        return Optional.empty();
    }
}
