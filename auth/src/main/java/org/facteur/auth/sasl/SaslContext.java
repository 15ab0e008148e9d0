package org.facteur.auth.sasl;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a SASL exchange knows of its connection.
 *
 * @param protocol   {@code smtp}, {@code imap}, {@code pop3} or {@code http}, for logs and per-protocol policy
 * @param serverName the host name, used in CRAM-MD5 challenges
 * @param secure     whether the connection is protected by TLS
 * @param clientCertificates the verified client certificate chain, empty without one (EXTERNAL needs it)
 */
public record SaslContext(String protocol, String serverName, InetAddress client, boolean secure,
                          List<X509Certificate> clientCertificates) {

    public SaslContext {
        clientCertificates = List.copyOf(clientCertificates);
    }

    /** The context of a connection as it is now (call again after STARTTLS). */
    public static SaslContext of(String protocol, String serverName, org.facteur.net.Connection connection) {
        return new SaslContext(protocol, serverName, connection.remoteAddress().getAddress(), connection.isSecure(),
                connection.tls().map(org.facteur.net.TlsInfo::peerCertificates).orElse(List.of()));
    }
}
