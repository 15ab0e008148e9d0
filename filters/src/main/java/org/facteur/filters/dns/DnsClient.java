package org.facteur.filters.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.facteur.filters.FilterConfig;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The DNS the filters use (dnsjava): the configured resolver (address:port, so tests point it at a loopback
 * responder) or the system's, with a timeout and a small answer cache shared by all connections, so a
 * blocklist or SPF record is asked once per cache period, not once per message.
 */
public final class DnsClient {

    /** The query could not be answered (timeout, SERVFAIL): a temporary condition, never "not listed". */
    public static final class DnsException extends IOException {
        public DnsException(String message) {
            super(message);
        }
    }

    private record Key(String name, int type) {
    }

    private record Cached(long expiresAt, List<String> values, boolean failed) {
    }

    private static final int MAX_CACHE = 20_000;

    private final Supplier<FilterConfig.Dns> config;
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();
    private volatile FilterConfig.Dns resolverFor;
    private volatile Resolver resolver;

    public DnsClient(Supplier<FilterConfig.Dns> config) {
        this.config = config;
    }

    /** The dnsjava resolver for the current configuration (also given to jSPF). */
    public Resolver resolver() {
        FilterConfig.Dns cfg = config.get();
        if (!cfg.equals(resolverFor)) {
            synchronized (this) {
                if (!cfg.equals(resolverFor)) {
                    resolver = build(cfg);
                    resolverFor = cfg;
                    cache.clear();
                }
            }
        }
        return resolver;
    }

    private static Resolver build(FilterConfig.Dns cfg) {
        Resolver r;
        try {
            if (cfg.resolver().isBlank()) {
                r = new ExtendedResolver();
            } else {
                String text = cfg.resolver().strip();
                int colon = text.lastIndexOf(':');
                String host = text;
                int port = 53;
                if (colon > 0 && text.indexOf(':') == colon) {
                    host = text.substring(0, colon);
                    port = Integer.parseInt(text.substring(colon + 1));
                } else if (text.startsWith("[") && text.contains("]:")) {
                    host = text.substring(1, text.indexOf(']'));
                    port = Integer.parseInt(text.substring(text.indexOf("]:") + 2));
                }
                SimpleResolver simple = new SimpleResolver(InetAddress.getByName(host));
                simple.setPort(port);
                r = simple;
            }
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("filters.dns.resolver '" + cfg.resolver() + "' is not address:port");
        }
        r.setTimeout(cfg.timeout());
        return r;
    }

    public List<String> a(String name) throws DnsException {
        return query(name, Type.A);
    }

    public List<String> txt(String name) throws DnsException {
        return query(name, Type.TXT);
    }

    public List<String> mx(String name) throws DnsException {
        return query(name, Type.MX);
    }

    /** A and AAAA addresses. */
    public List<InetAddress> addresses(String name) throws DnsException {
        List<InetAddress> out = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            for (String value : query(name, type)) {
                try {
                    out.add(InetAddress.getByName(value));
                } catch (UnknownHostException e) {
                    // not an address literal: ignore
                }
            }
        }
        return out;
    }

    public List<String> ptr(InetAddress address) throws DnsException {
        return query(ReverseMap.fromAddress(address).toString(), Type.PTR);
    }

    /**
     * Forward-confirmed reverse DNS: a PTR name of the address that resolves back to it, or null (RFC 8601
     * §3's "iprev").
     */
    public String confirmedName(InetAddress address) throws DnsException {
        for (String name : ptr(address)) {
            for (InetAddress forward : addresses(name)) {
                if (forward.equals(address)) {
                    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
                }
            }
        }
        return null;
    }

    /** Answers of one type as text; empty for NXDOMAIN or no data; throws when the DNS cannot answer. */
    public List<String> query(String name, int type) throws DnsException {
        Resolver r = resolver();
        Key key = new Key(name.toLowerCase(java.util.Locale.ROOT), type);
        long now = System.nanoTime();
        Cached cached = cache.get(key);
        if (cached != null && cached.expiresAt() - now > 0) {
            if (cached.failed()) {
                throw new DnsException("DNS failure for " + name + " (cached)");
            }
            return cached.values();
        }
        Duration ttl = config.get().cacheTime();
        try {
            Name qname = Name.fromString(name.endsWith(".") ? name : name + ".");
            Message response = r.send(Message.newQuery(Record.newRecord(qname, type, DClass.IN)));
            int rcode = response.getRcode();
            if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                throw new DnsException("DNS " + Rcode.string(rcode) + " for " + name);
            }
            List<String> values = new ArrayList<>();
            for (Record record : response.getSection(Section.ANSWER)) {
                if (record.getType() != type) {
                    continue;
                }
                switch (record) {
                    case ARecord a -> values.add(a.getAddress().getHostAddress());
                    case AAAARecord a -> values.add(a.getAddress().getHostAddress());
                    case TXTRecord t -> values.add(String.join("", t.getStrings()));
                    case PTRRecord p -> values.add(p.getTarget().toString());
                    case MXRecord m -> values.add(m.getTarget().toString());
                    default -> values.add(record.rdataToString());
                }
            }
            List<String> result = List.copyOf(values);
            remember(key, new Cached(now + ttl.toNanos(), result, false));
            return result;
        } catch (TextParseException e) {
            return List.of(); // not a valid DNS name: nothing can be listed under it
        } catch (DnsException e) {
            remember(key, new Cached(now + Math.min(ttl.toNanos(), Duration.ofSeconds(30).toNanos()), List.of(), true));
            throw e;
        } catch (IOException e) {
            remember(key, new Cached(now + Math.min(ttl.toNanos(), Duration.ofSeconds(30).toNanos()), List.of(), true));
            throw new DnsException("DNS query for " + name + " failed: " + e.getMessage());
        }
    }

    private void remember(Key key, Cached value) {
        if (cache.size() >= MAX_CACHE) {
            cache.clear();
        }
        cache.put(key, value);
    }
}
