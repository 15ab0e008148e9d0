package org.facteur.app;

import org.facteur.net.TlsMode;

/** One open listening port, as printed at start: {@code imaps  0.0.0.0:993  implicit TLS}. */
public record Endpoint(String name, String address, int port, TlsMode tls) {

    @Override
    public String toString() {
        String how = switch (tls) {
            case PLAIN -> "cleartext";
            case STARTTLS -> "STARTTLS";
            case IMPLICIT -> "implicit TLS";
        };
        return String.format("%-12s %s:%d  %s", name, address, port, how);
    }
}
