package org.facteur.filters.auth;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.exceptions.TempFailException;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;
import org.facteur.filters.ParsedMessage;
import org.facteur.filters.Verdict;
import org.facteur.filters.dns.DnsClient;
import org.facteur.filters.policy.Scope;

/**
 * DKIM verification (RFC 6376) with Apache James jDKIM, keys fetched through our DNS client. A valid
 * signature earns a small bonus; signatures that all fail add points (a forged or broken signer). The
 * outcomes are kept for DMARC and Authentication-Results.
 */
public final class DkimFilter implements Filter {

    private static final java.util.regex.Pattern TAG_D = java.util.regex.Pattern.compile("(?:^|;)\\s*d\\s*=\\s*([^;\\s]+)");
    private static final java.util.regex.Pattern TAG_S = java.util.regex.Pattern.compile("(?:^|;)\\s*s\\s*=\\s*([^;\\s]+)");

    private final Scope scope;
    private final DnsClient dns;

    public DkimFilter(Scope scope, DnsClient dns) {
        this.scope = scope;
        this.dns = dns;
    }

    @Override
    public String name() {
        return "dkim";
    }

    /** RFC 6376 §3.6.2.2: the key is the TXT record at selector._domainkey.domain. */
    private PublicKeyRecordRetriever retriever() {
        return (method, selector, token) -> {
            try {
                List<String> records = dns.txt(selector + "._domainkey." + token);
                if (records.isEmpty()) {
                    throw new PermFailException("no key for signature: " + selector + "._domainkey." + token);
                }
                return records;
            } catch (DnsClient.DnsException e) {
                throw new TempFailException(e.getMessage());
            }
        };
    }

    @Override
    public Verdict data(FilterContext context, MessageData message) throws Exception {
        FilterConfig.Dkim config = scope.config().dkim();
        if (!config.enabled() || scope.trusted(context)) {
            return Verdict.CONTINUE;
        }
        ParsedMessage parsed = ParsedMessage.of(context, message);
        List<String> signatures = parsed.headers("DKIM-Signature");
        if (signatures.isEmpty()) {
            AuthResults.of(context).dkim.add(new AuthResults.Dkim("none", null, null));
            return Verdict.CONTINUE;
        }
        AuthResults results = AuthResults.of(context);
        if (signatures.size() > config.maxSignatures()) {
            results.dkim.add(new AuthResults.Dkim("policy", null, null));
            return Verdict.CONTINUE;
        }
        List<String> passed = new ArrayList<>();
        String failure = "fail";
        try (InputStream in = message.open()) {
            List<SignatureRecord> ok = new DKIMVerifier(retriever()).verify(in);
            if (ok != null) {
                for (SignatureRecord r : ok) {
                    String d = r.getDToken().toString().toLowerCase(Locale.ROOT);
                    passed.add(d);
                    results.dkim.add(new AuthResults.Dkim("pass", d, r.getSelector().toString()));
                }
            }
        } catch (TempFailException e) {
            failure = "temperror";
        } catch (FailException e) {
            failure = "fail";
        }
        // Signatures that did not verify are reported as fail (or temperror), with their d= and s=.
        for (String header : signatures) {
            String d = tag(TAG_D, header);
            if (d != null && passed.remove(d.toLowerCase(Locale.ROOT))) {
                continue;
            }
            results.dkim.add(new AuthResults.Dkim(failure, d, tag(TAG_S, header)));
        }
        boolean anyPass = results.dkim.stream().anyMatch(d -> d.result().equals("pass"));
        if (anyPass) {
            if (config.passPoints() != 0) {
                context.score("DKIM_VALID", config.passPoints(), "valid DKIM signature");
            }
        } else if (failure.equals("fail")) {
            context.score("DKIM_INVALID", config.failPoints(), "DKIM signature does not verify");
        }
        return Verdict.CONTINUE;
    }

    private static String tag(java.util.regex.Pattern p, String header) {
        java.util.regex.Matcher m = p.matcher(header.replaceAll("\\s+", ""));
        return m.find() ? m.group(1) : null;
    }
}
