package org.facteur.net;

import java.security.cert.X509Certificate;
import java.util.List;

/** What a TLS session negotiated, for Received headers, logs and SASL EXTERNAL. */
public record TlsInfo(String protocol, String cipherSuite, List<X509Certificate> peerCertificates) {

    public TlsInfo {
        peerCertificates = List.copyOf(peerCertificates);
    }

    public boolean hasClientCertificate() {
        return !peerCertificates.isEmpty();
    }
}
