package org.facteur.net;

import org.facteur.config.Default;
import org.facteur.config.Doc;

/** One listening socket of a protocol server. */
public record ListenerConfig(
        @Doc("Address to bind; 0.0.0.0 or :: for all interfaces.") @Default("0.0.0.0") String address,
        @Doc("TCP port. 0 picks a free port (tests).") @Default("0") int port,
        @Doc("plain, starttls or implicit.") @Default("starttls") TlsMode tls,
        @Doc("Ask clients for a TLS certificate: none, want or need.") @Default("want") ClientAuth clientAuth) {

    public ListenerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
    }

    public static ListenerConfig loopback(TlsMode tls) {
        return new ListenerConfig("127.0.0.1", 0, tls, ClientAuth.WANT);
    }
}
