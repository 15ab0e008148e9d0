package org.facteur.filters.auth;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;
import org.facteur.filters.ParsedMessage;
import org.facteur.filters.RecipientGroups;
import org.facteur.filters.Verdict;
import org.facteur.filters.dns.DnsClient;
import org.facteur.filters.dns.FcrdnsFilter;
import org.facteur.filters.policy.Scope;

/**
 * DMARC (RFC 7489) at end of data: the RFC 5322 From domain must be aligned with an SPF pass (MAIL FROM
 * domain) or a DKIM pass (d=). On failure the domain's policy applies when enforcement is on: reject
 * refuses with 550 5.7.1, quarantine scores the message as spam (so it lands in Junk), none only scores.
 * Writes the Authentication-Results header (RFC 8601) with SPF, DKIM, DMARC and iprev results.
 */
public final class DmarcFilter implements Filter {

    private static final Pattern ADDRESS_DOMAIN = Pattern.compile("@([A-Za-z0-9.-]+)\\s*>?\\s*$");

    private final Scope scope;
    private final DnsClient dns;

    public DmarcFilter(Scope scope, DnsClient dns) {
        this.scope = scope;
        this.dns = dns;
    }

    @Override
    public String name() {
        return "dmarc";
    }

    @Override
    public Verdict data(FilterContext context, MessageData message) throws Exception {
        FilterConfig config = scope.config();
        if (scope.trusted(context)) {
            return Verdict.CONTINUE;
        }
        AuthResults results = AuthResults.of(context);
        Object iprev = context.connectionNotes().get(FcrdnsFilter.NOTE);
        if (iprev != null && context.client().address() != null) {
            results.iprev = iprev.toString().isEmpty() ? "fail" : "pass";
            results.clientAddress = context.client().address().getHostAddress();
        }
        Verdict verdict = Verdict.CONTINUE;
        if (config.dmarc().enabled()) {
            verdict = evaluate(context, ParsedMessage.of(context, message), config, results);
        }
        context.addHeader("Authentication-Results", results.header(config.effectiveAuthservId()));
        return verdict;
    }

    private Verdict evaluate(FilterContext context, ParsedMessage parsed, FilterConfig config, AuthResults results) {
        List<String> froms = parsed.headers("From");
        String fromDomain = froms.size() == 1 ? fromDomain(froms.get(0)) : null;
        if (fromDomain == null) {
            // §6.6.1: a message without exactly one From domain cannot be evaluated.
            results.dmarc = new AuthResults.Dmarc("permerror", null, null);
            return Verdict.CONTINUE;
        }
        Optional<Dmarc.Found> found;
        try {
            found = Dmarc.discover(dns, fromDomain);
        } catch (DnsClient.DnsException e) {
            results.dmarc = new AuthResults.Dmarc("temperror", fromDomain, null);
            return Verdict.CONTINUE;
        }
        if (found.isEmpty()) {
            results.dmarc = new AuthResults.Dmarc("none", fromDomain, null);
            return Verdict.CONTINUE;
        }
        Dmarc.Record record = found.get().record();
        boolean spfAligned = results.spf != null && results.spf.result().equals("pass") && !results.spf.helo()
                && Dmarc.aligned(results.spf.domain(), fromDomain, record.strictSpf());
        boolean dkimAligned = results.dkim.stream().anyMatch(d -> d.result().equals("pass")
                && Dmarc.aligned(d.domain(), fromDomain, record.strictDkim()));
        String policy = found.get().policy();
        if (spfAligned || dkimAligned) {
            results.dmarc = new AuthResults.Dmarc("pass", fromDomain, policy);
            return Verdict.CONTINUE;
        }
        results.dmarc = new AuthResults.Dmarc("fail", fromDomain, policy);
        // §6.6.4: pct sampling; outside the sample the next weaker policy applies.
        boolean sampled = ThreadLocalRandom.current().nextInt(100) < record.percent();
        if (config.dmarc().enforce() && sampled && policy.equals("reject")) {
            return Verdict.reject(550, "5.7.1", "Message refused: " + fromDomain + "'s DMARC policy (RFC 7489)");
        }
        if (config.dmarc().enforce() && (policy.equals("quarantine") || policy.equals("reject"))) {
            context.score("DMARC_QUARANTINE", highestRequiredScore(context),
                    "DMARC fail; " + fromDomain + " asks to quarantine");
        } else {
            context.score("DMARC_FAIL", config.dmarc().failPoints(), "DMARC fail for " + fromDomain);
        }
        return Verdict.CONTINUE;
    }

    /**
     * DMARC is judged once for the message, but each recipient has its own required score: the points are the
     * highest of them, so the domain's request sends every copy to spam (unless a recipient allows the sender).
     */
    private double highestRequiredScore(FilterContext context) {
        double highest = Double.NEGATIVE_INFINITY;
        for (RecipientGroups.Group group : RecipientGroups.split(scope.directory(), context.recipients())) {
            highest = Math.max(highest, scope.requiredScore(context.forRecipients(group.account(), group.recipients())));
        }
        return highest;
    }

    static String fromDomain(String from) {
        // The address is in <...> or bare; take the domain of the last address-looking part.
        String value = from;
        int lt = value.lastIndexOf('<');
        if (lt >= 0) {
            int gt = value.indexOf('>', lt);
            value = value.substring(lt + 1, gt < 0 ? value.length() : gt);
        }
        Matcher m = ADDRESS_DOMAIN.matcher(value.strip());
        return m.find() ? m.group(1).toLowerCase(java.util.Locale.ROOT) : null;
    }
}
