package org.facteur.filters.helo;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Verdict;
import org.facteur.filters.dns.DnsClient;
import org.facteur.filters.policy.Scope;

/**
 * HELO/EHLO checks for clients from outside. Claiming to be us (our host name, one of our domains, one of
 * our addresses) is refused: no honest outside server does it. A name that is not a domain or an address
 * literal (RFC 5321 §4.1.1.1), a bare IP, or a name that does not resolve only add points, because many
 * honest but sloppy servers do those.
 */
public final class HeloFilter implements Filter {

    /** RFC 5321 §4.1.2: Domain = sub-domain *("." sub-domain), sub-domain = Let-dig [Ldh-str]. */
    private static final Pattern DOMAIN = Pattern.compile(
            "(?i)(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+\\.?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    /** RFC 5321 §4.1.3 address literals. */
    private static final Pattern LITERAL = Pattern.compile("\\[(?:\\d{1,3}(?:\\.\\d{1,3}){3}|(?i:IPv6:)[0-9a-fA-F:.]+)\\]");

    private final Scope scope;
    private final DnsClient dns;
    private final Set<InetAddress> ownAddresses;
    private final Supplier<String> serverName;

    public HeloFilter(Scope scope, DnsClient dns) {
        this(scope, dns, () -> "");
    }

    /**
     * @param serverName the name the SMTP server greets with (its {@code smtp.hostname}), which counts as ours
     *                   besides {@code filters.local-names}, so the admin does not have to write it twice
     */
    public HeloFilter(Scope scope, DnsClient dns, Supplier<String> serverName) {
        this.scope = scope;
        this.dns = dns;
        this.serverName = serverName;
        this.ownAddresses = localAddresses();
    }

    @Override
    public String name() {
        return "helo";
    }

    @Override
    public Verdict helo(FilterContext context, String name) {
        FilterConfig config = scope.config();
        FilterConfig.Helo helo = config.helo();
        if (!helo.enabled() || scope.exempt(context) || name == null) {
            return Verdict.CONTINUE;
        }
        String h = name.strip().toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (helo.rejectOurName() && claimsUs(h, config)) {
            // RFC 5321 §4.1.4 lets a server refuse a HELO it knows is false; 5.7.1: not authorised.
            return Verdict.reject(550, "5.7.1", "You are not " + name.strip());
        }
        if (IPV4.matcher(h).matches() || h.contains(":") && !h.startsWith("[")) {
            context.score("HELO_BARE_IP", helo.bareIpPoints(), "HELO is a bare IP address: " + printable(name));
        } else if (LITERAL.matcher(h).matches()) {
            return Verdict.CONTINUE;
        } else if (!DOMAIN.matcher(h).matches()) {
            context.score("HELO_INVALID", helo.invalidPoints(), "HELO is not a valid domain name: " + printable(name));
        } else {
            try {
                if (dns.addresses(h).isEmpty() && dns.mx(h).isEmpty()) {
                    context.score("HELO_NO_DNS", helo.unresolvablePoints(), "HELO name does not resolve: " + h);
                }
            } catch (DnsClient.DnsException e) {
                // temporary: no points
            }
        }
        return Verdict.CONTINUE;
    }

    private boolean claimsUs(String h, FilterConfig config) {
        String server = serverName.get();
        if (server != null && !server.isBlank() && server.equalsIgnoreCase(h)) {
            return true;
        }
        for (String own : config.localNames()) {
            if (own.equalsIgnoreCase(h)) {
                return true;
            }
        }
        if (scope.directory() != null && scope.directory().isLocalDomain(h)) {
            return true;
        }
        String literal = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        if (literal.regionMatches(true, 0, "ipv6:", 0, 5)) {
            literal = literal.substring(5);
        }
        if (IPV4.matcher(literal).matches() || literal.contains(":")) {
            try {
                InetAddress address = InetAddress.getByName(literal);
                return ownAddresses.contains(address) && !address.isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private static String printable(String s) {
        String t = s.replaceAll("[^\\x21-\\x7e]", "?");
        return t.length() > 100 ? t.substring(0, 100) : t;
    }

    private static Set<InetAddress> localAddresses() {
        Set<InetAddress> out = new HashSet<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                out.addAll(Collections.list(ni.getInetAddresses()));
            }
        } catch (SocketException e) {
            // no interfaces to compare with
        }
        return Set.copyOf(out);
    }

}
