package org.facteur.filters;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network such as {@code 192.0.2.0/24} or {@code 2001:db8::/32}. A record over the
 * {@link InetAddress} (not its byte array), so equality, hash code and {@link #toString()} go by value: configs
 * that hold networks compare equal, and the config writer prints {@code addr/len}.
 */
public record Cidr(InetAddress network, int prefixLength) {

    /** IP literals only: dotted-quad IPv4, or hex groups with colons (an IPv4 tail allowed) for IPv6. */
    private static final Pattern IPV4 = Pattern.compile("(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    /** Starts with a hex digit or colon and holds a colon: the JDK then parses it as IPv6 and never asks DNS. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** Letters, digits, dots and hyphens with at least one letter: a host name, not a literal. */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.-]*[A-Za-z][A-Za-z0-9.-]*");
    private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

    public Cidr {
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix /" + prefixLength + " is too long for " + network.getHostAddress());
        }
    }

    /**
     * Parses {@code address[/prefix]}. Only IP literals: a host name would make {@link InetAddress#getByName}
     * ask DNS while reading the configuration, so it is refused before that call.
     */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        String[] parts = trimmed.split("/", 2);
        String address = parts[0];
        if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()
                || parts.length == 2 && !PREFIX.matcher(parts[1]).matches()) {
            throw HOST_NAME.matcher(address).matches() ? hostName(text) : notANetwork(text);
        }
        try {
            // A literal never triggers a lookup: getByName only checks its format.
            InetAddress parsed = InetAddress.getByName(address);
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : parsed.getAddress().length * 8;
            return new Cidr(parsed, prefix);
        } catch (UnknownHostException e) {
            throw notANetwork(text);
        }
    }

    private static IllegalArgumentException notANetwork(String text) {
        return new IllegalArgumentException("'" + text + "' is not a network: write an address with an optional /prefix, like 192.0.2.0/24");
    }

    private static IllegalArgumentException hostName(String text) {
        return new IllegalArgumentException("'" + text + "' is not a network (host names are not looked up): write an IP "
                + "address with an optional /prefix, like 192.0.2.0/24 or 2001:db8::/32");
    }

    public boolean contains(InetAddress address) {
        byte[] net = network.getAddress();
        byte[] candidate = address.getAddress();
        if (candidate.length != net.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != net[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (candidate[full] & mask) == (net[full] & mask);
    }

    /** {@code 192.0.2.0/24}: the form {@link #parse} reads, so the config writer round-trips. */
    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
