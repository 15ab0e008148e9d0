package org.facteur.net;

/** How a listener uses TLS. */
public enum TlsMode {
    /** Cleartext only; for tests and trusted loopback use. */
    PLAIN,
    /** Cleartext first, upgraded by the protocol's STARTTLS/STLS command (RFC 3207, RFC 2595). */
    STARTTLS,
    /** TLS from the first byte (RFC 8314 implicit TLS: ports 465, 993, 995, 443). */
    IMPLICIT
}
