package org.facteur.filters.dns;

import org.facteur.filters.Filter;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Verdict;
import org.facteur.filters.policy.Scope;

/**
 * Forward-confirmed reverse DNS as a score: a client whose address has no PTR name that resolves back to it
 * is more often a compromised host. The name found is kept for the HELO check and the Authentication-Results
 * header ({@code iprev}, RFC 8601 §2.7.3).
 */
public final class FcrdnsFilter implements Filter {

    /** Connection note: the confirmed name, or "" when there is none; absent when not checked. */
    public static final String NOTE = "fcrdns.name";

    private final Scope scope;
    private final DnsClient dns;

    public FcrdnsFilter(Scope scope, DnsClient dns) {
        this.scope = scope;
        this.dns = dns;
    }

    @Override
    public String name() {
        return "fcrdns";
    }

    @Override
    public Verdict connect(FilterContext context) {
        if (!scope.config().fcrdns().enabled() || context.connectionNotes().containsKey(NOTE) || scope.exempt(context)
                || context.client().address() == null) {
            return Verdict.CONTINUE;
        }
        String name = context.client().reverseName();
        if (name == null) {
            try {
                name = dns.confirmedName(context.client().address());
            } catch (DnsClient.DnsException e) {
                context.connectionNotes().put(NOTE + ".error", e.getMessage());
                return Verdict.CONTINUE; // temporary: no points for the DNS's fault
            }
        }
        context.connectionNotes().put(NOTE, name == null ? "" : name);
        if (name == null) {
            context.score("FCRDNS_NONE", scope.config().fcrdns().points(),
                    "client " + context.client().address().getHostAddress() + " has no forward-confirmed reverse DNS");
        }
        return Verdict.CONTINUE;
    }
}
