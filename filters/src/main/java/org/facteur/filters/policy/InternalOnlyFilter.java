package org.facteur.filters.policy;

import java.util.Locale;
import org.facteur.auth.Recipient;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Verdict;

/**
 * Internal-only addresses (a staff list, say): they accept mail only from authenticated users or trusted
 * networks whose sender is in the address's own domain. Mail from outside claiming an inside sender is
 * refused too: only an authenticated session proves it.
 */
public final class InternalOnlyFilter implements Filter {

    private final Scope scope;

    public InternalOnlyFilter(Scope scope) {
        this.scope = scope;
    }

    @Override
    public String name() {
        return "internal-only";
    }

    @Override
    public Verdict rcptTo(FilterContext context, String recipient, Recipient resolution) {
        String address = recipient.toLowerCase(Locale.ROOT);
        boolean internal = scope.config().internalOnly().stream().anyMatch(a -> a.equalsIgnoreCase(address));
        if (!internal) {
            return Verdict.CONTINUE;
        }
        String senderDomain = Scope.domainOf(context.reversePath());
        if (scope.trusted(context) && senderDomain != null && senderDomain.equals(Scope.domainOf(address))) {
            return Verdict.CONTINUE;
        }
        // RFC 3463 §3.8: 5.7.1 delivery not authorized.
        return Verdict.reject(550, "5.7.1", "This address accepts mail only from inside its organisation");
    }
}
