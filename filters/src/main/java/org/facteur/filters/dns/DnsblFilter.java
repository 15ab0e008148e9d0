package org.facteur.filters.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.facteur.filters.Cidr;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Verdict;
import org.facteur.filters.policy.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS blocklists and allowlists (RFC 5782), checked once per connection: the client address, reversed, under
 * each zone. An answer in the zone's return codes adds the zone's weight (negative for an allowlist) or,
 * for a zone marked reject, refuses the connection. A DNS failure is logged and counts as "not listed":
 * a dead blocklist must not stop mail.
 */
public final class DnsblFilter implements Filter {

    private static final Logger log = LoggerFactory.getLogger(DnsblFilter.class);
    private static final String DONE = "dnsbl.done";

    private final Scope scope;
    private final DnsClient dns;

    public DnsblFilter(Scope scope, DnsClient dns) {
        this.scope = scope;
        this.dns = dns;
    }

    @Override
    public String name() {
        return "dnsbl";
    }

    @Override
    public Verdict connect(FilterContext context) {
        FilterConfig.Dnsbl config = scope.config().dnsbl();
        if (!config.enabled() || config.zones().isEmpty() || context.connectionNotes().containsKey(DONE)
                || scope.exempt(context) || context.client().address() == null) {
            return Verdict.CONTINUE;
        }
        context.connectionNotes().put(DONE, Boolean.TRUE);
        InetAddress address = context.client().address();
        for (FilterConfig.DnsZone zone : config.zones()) {
            List<String> answers;
            try {
                answers = dns.a(queryName(address, zone.zone()));
            } catch (DnsClient.DnsException e) {
                log.info("session {}: blocklist {} did not answer: {}", context.client().sessionId(), zone.zone(), e.getMessage());
                continue;
            }
            List<String> matching = matching(answers, zone.returnCodes());
            if (matching.isEmpty()) {
                continue;
            }
            if (zone.reject() && zone.weight() > 0) {
                // RFC 5782 §2.1 / RFC 3463: a policy refusal, with the list named so the sender can act.
                return Verdict.reject(554, "5.7.1", "Service unavailable; client [" + address.getHostAddress()
                        + "] blocked using " + zone.zone());
            }
            String rule = (zone.weight() < 0 ? "DNSWL_" : "DNSBL_") + zone.zone().toUpperCase(Locale.ROOT)
                    .replaceAll("[^A-Z0-9]+", "_");
            context.score(rule, zone.weight(), "client " + address.getHostAddress() + " listed in " + zone.zone()
                    + " (" + String.join(",", matching) + ")");
        }
        return Verdict.CONTINUE;
    }

    /** RFC 5782 §2.1 (IPv4: reversed octets) and §2.4 (IPv6: reversed nibbles). */
    static String queryName(InetAddress address, String zone) {
        byte[] bytes = address.getAddress();
        StringBuilder name = new StringBuilder();
        if (bytes.length == 4) {
            for (int i = 3; i >= 0; i--) {
                name.append(bytes[i] & 0xff).append('.');
            }
        } else {
            for (int i = bytes.length - 1; i >= 0; i--) {
                name.append(Character.forDigit(bytes[i] & 0xf, 16)).append('.')
                        .append(Character.forDigit((bytes[i] >> 4) & 0xf, 16)).append('.');
            }
        }
        return name.append(zone).toString();
    }

    /** Answers that count: those listed, or any in 127.0.0.0/8 when none is (RFC 5782 §2.3). */
    static List<String> matching(List<String> answers, List<String> returnCodes) {
        List<String> out = new ArrayList<>();
        Cidr loopback = Cidr.parse("127.0.0.0/8");
        for (String answer : answers) {
            boolean counts;
            if (returnCodes.isEmpty()) {
                try {
                    counts = loopback.contains(InetAddress.getByName(answer));
                } catch (java.net.UnknownHostException e) {
                    counts = false;
                }
            } else {
                counts = returnCodes.contains(answer);
            }
            if (counts) {
                out.add(answer);
            }
        }
        return out;
    }
}
