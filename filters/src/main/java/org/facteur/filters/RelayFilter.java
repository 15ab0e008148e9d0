package org.facteur.filters;

import java.net.InetAddress;
import java.util.List;
import java.util.function.Supplier;
import org.facteur.auth.Recipient;

/**
 * Anti-relay, the first rule of the talk this project started from: mail for a domain that is not ours is
 * accepted only from an authenticated session or from a network the admin trusts explicitly (Postfix's
 * {@code permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination}).
 *
 * <p>Address tricks that hide a relay ({@code user%other@ours}, source routes, bang paths, quoted {@code @})
 * are refused by the SMTP address parser before they get here; this filter judges only the resolved domain.
 */
public final class RelayFilter implements Filter {

    private final Supplier<List<Cidr>> trustedNetworks;

    public RelayFilter(Supplier<List<Cidr>> trustedNetworks) {
        this.trustedNetworks = trustedNetworks;
    }

    @Override
    public String name() {
        return "relay";
    }

    @Override
    public Verdict rcptTo(FilterContext context, String recipient, Recipient resolution) {
        if (!(resolution instanceof Recipient.NotLocal)) {
            return Verdict.CONTINUE;
        }
        if (context.isAuthenticated() || trusted(context.client().address())) {
            return Verdict.ACCEPT;
        }
        // RFC 5321 §3.6.2 / RFC 3463: 554 5.7.1 is the relay refusal clients and admins recognise.
        return Verdict.reject(554, "5.7.1", "Relay access denied: authenticate to send mail to other domains");
    }

    private boolean trusted(InetAddress address) {
        for (Cidr network : trustedNetworks.get()) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
