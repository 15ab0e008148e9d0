package org.facteur.filters.auth;

import java.util.Locale;
import org.apache.james.jspf.executor.SPFResult;
import org.apache.james.jspf.impl.SPF;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Verdict;
import org.facteur.filters.dns.DnsClient;
import org.facteur.filters.policy.Scope;

/**
 * SPF (RFC 7208) with Apache James jSPF, at MAIL FROM: the MAIL FROM identity, or the HELO identity for the
 * null sender (§2.4). Fail and softfail add points, or fail refuses when the admin wants (550 5.7.23,
 * RFC 7372 §3.2). The result is kept for DMARC and Authentication-Results.
 */
public final class SpfFilter implements Filter {

    private final Scope scope;
    private final DnsClient dns;
    private final SPF spf;

    public SpfFilter(Scope scope, DnsClient dns) {
        this.scope = scope;
        this.dns = dns;
        this.spf = new SPF(new SpfDns(dns));
    }

    @Override
    public String name() {
        return "spf";
    }

    /**
     * jSPF's result, waited for at most a few DNS timeouts: its future has no timed wait, so the check runs
     * on a virtual thread and a stuck evaluation becomes temperror instead of a stuck session.
     */
    private String check(String ip, String identity, String helo) {
        java.util.concurrent.CompletableFuture<String> outcome = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().name("spf").start(() -> {
            try {
                SPFResult result = spf.checkSPF(ip, identity, helo);
                String r = result.getResult();
                outcome.complete(r == null ? "temperror" : r.toLowerCase(Locale.ROOT));
            } catch (RuntimeException e) {
                outcome.complete("temperror");
            }
        });
        long wait = Math.max(1000, scope.config().dns().timeout().toMillis() * 4);
        try {
            return outcome.get(wait, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return "temperror";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "temperror";
        }
    }

    @Override
    public Verdict mailFrom(FilterContext context, String reversePath) {
        FilterConfig.Spf config = scope.config().spf();
        if (!config.enabled() || scope.exempt(context) || context.client().address() == null) {
            return Verdict.CONTINUE;
        }
        String helo = context.helo() == null ? "" : context.helo();
        boolean nullSender = reversePath == null || reversePath.isEmpty();
        String identity = nullSender ? "postmaster@" + helo : reversePath;
        String domain = Scope.domainOf(identity);
        if (domain == null || domain.isEmpty()) {
            return Verdict.CONTINUE;
        }
        String outcome = check(context.client().address().getHostAddress(), identity, helo);
        AuthResults.of(context).spf = new AuthResults.Spf(outcome, nullSender ? helo : identity, domain, nullSender);
        switch (outcome) {
            case "fail" -> {
                if (config.rejectOnFail()) {
                    return Verdict.reject(550, "5.7.23", "SPF: " + domain + " does not allow "
                            + context.client().address().getHostAddress() + " to send its mail");
                }
                context.score("SPF_FAIL", config.failPoints(), "SPF fail for " + domain);
            }
            case "softfail" -> context.score("SPF_SOFTFAIL", config.softfailPoints(), "SPF softfail for " + domain);
            case "pass" -> {
                if (config.passPoints() != 0) {
                    context.score("SPF_PASS", config.passPoints(), "SPF pass for " + domain);
                }
            }
            default -> {
                // none, neutral, temperror, permerror: no points
            }
        }
        return Verdict.CONTINUE;
    }
}
