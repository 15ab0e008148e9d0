package org.facteur.smtp.outbound;

import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Where mail for a domain goes (RFC 5321 §5.1): MX hosts by preference, the domain's own A/AAAA when it has
 * no MX, nothing when it publishes a null MX (RFC 7505). Uses dnsjava with the configured DNS servers, so
 * tests can point it at a responder on loopback.
 */
public final class MxResolver {

    private static final Logger log = LoggerFactory.getLogger(MxResolver.class);

    /** One host to try, with its addresses (IPv6 first when it has both, as RFC 6724 tends to prefer). */
    public record MxHost(String name, int preference, List<InetAddress> addresses) {
    }

    private final Resolver resolver;

    /** @param servers {@code host} or {@code host:port}; empty uses the system's resolvers */
    public MxResolver(List<String> servers, Duration timeout) throws UnknownHostException {
        if (servers.isEmpty()) {
            this.resolver = null;
            return;
        }
        List<Resolver> resolvers = new ArrayList<>();
        for (String server : servers) {
            int colon = server.lastIndexOf(':');
            SimpleResolver simple;
            if (colon > 0 && server.indexOf(':') == colon) {
                simple = new SimpleResolver(new InetSocketAddress(InetAddress.getByName(server.substring(0, colon)),
                        Integer.parseInt(server.substring(colon + 1))));
            } else {
                simple = new SimpleResolver(server);
            }
            simple.setTimeout(timeout);
            resolvers.add(simple);
        }
        this.resolver = resolvers.size() == 1 ? resolvers.get(0) : new ExtendedResolver(resolvers);
    }

    /**
     * @throws DeliveryException permanent for a null MX or a domain that does not exist, temporary when DNS
     *                           does not answer
     */
    public List<MxHost> resolve(String domain) throws DeliveryException {
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new DeliveryException(true, "5.1.2", "Invalid domain name " + domain, null);
        }
        Lookup mx = lookup(ascii, Type.MX);
        Record[] records = mx.run();
        List<MxHost> hosts = new ArrayList<>();
        switch (mx.getResult()) {
            case Lookup.SUCCESSFUL -> {
                List<MXRecord> list = new ArrayList<>();
                for (Record r : records) {
                    list.add((MXRecord) r);
                }
                // RFC 7505 §3: a single MX with target "." means the domain accepts no mail.
                if (list.size() == 1 && list.get(0).getTarget().equals(Name.root)) {
                    throw new DeliveryException(true, "5.1.10", "Domain " + domain + " does not accept mail (null MX, RFC 7505)", null);
                }
                list.sort(Comparator.comparingInt(MXRecord::getPriority));
                for (MXRecord r : list) {
                    if (r.getTarget().equals(Name.root)) {
                        continue;
                    }
                    String target = r.getTarget().toString(true);
                    List<InetAddress> addresses = addresses(target, true);
                    if (!addresses.isEmpty()) {
                        hosts.add(new MxHost(target, r.getPriority(), addresses));
                    }
                }
                if (hosts.isEmpty()) {
                    throw new DeliveryException(false, "4.4.4", "No address for any MX host of " + domain, null);
                }
            }
            case Lookup.TYPE_NOT_FOUND -> {
                // RFC 5321 §5.1: no MX, so the domain itself is the host (implicit MX).
                List<InetAddress> addresses = addresses(ascii, false);
                if (addresses.isEmpty()) {
                    throw new DeliveryException(true, "5.1.2", "Domain " + domain + " has no MX and no address", null);
                }
                hosts.add(new MxHost(ascii, 0, addresses));
            }
            case Lookup.HOST_NOT_FOUND -> throw new DeliveryException(true, "5.1.2", "Domain " + domain + " does not exist", null);
            default -> throw new DeliveryException(false, "4.4.3", "DNS lookup of " + domain + " failed: " + mx.getErrorString(), null);
        }
        return hosts;
    }

    private List<InetAddress> addresses(String host, boolean isMxTarget) {
        List<InetAddress> result = new ArrayList<>();
        for (int type : new int[] {Type.AAAA, Type.A}) {
            try {
                Lookup lookup = lookup(host, type);
                Record[] records = lookup.run();
                if (isMxTarget && lookup.getAliases().length > 0) {
                    // RFC 5321 §5.1 / RFC 2181 §10.3: an MX must name a host, not an alias. Followed anyway.
                    log.warn("dns: MX target {} is a CNAME (to {}); the domain's DNS is misconfigured", host,
                            records == null || records.length == 0 ? "nothing" : records[0].getName());
                }
                if (records != null) {
                    for (Record r : records) {
                        if (r instanceof ARecord a) {
                            result.add(a.getAddress());
                        } else if (r instanceof AAAARecord aaaa) {
                            result.add(aaaa.getAddress());
                        }
                    }
                }
            } catch (DeliveryException e) {
                log.debug("dns: {}", e.getMessage());
            }
        }
        return result;
    }

    private Lookup lookup(String name, int type) throws DeliveryException {
        try {
            Lookup lookup = new Lookup(Name.fromString(name.endsWith(".") ? name : name + "."), type);
            if (resolver != null) {
                lookup.setResolver(resolver);
                lookup.setCache(null); // a private, temporary cache: answers from tests' responders never leak
            }
            return lookup;
        } catch (TextParseException e) {
            throw new DeliveryException(true, "5.1.2", "Invalid domain name " + name, null);
        }
    }
}
