package org.facteur.net;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Builds {@link SSLContext}s from PEM files, the format admins get from certbot and openssl. */
public final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * @param certificateChain PEM file with the server certificate first, then intermediates
     * @param privateKey       PEM file with the key (PKCS#8, or traditional RSA/EC)
     * @param clientCas        PEM file of CAs whose client certificates are accepted, or null for none
     */
    public static TlsContextProvider fromPem(Path certificateChain, Path privateKey, Path clientCas)
            throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = readCertificates(certificateChain);
        if (chain.isEmpty()) {
            throw new GeneralSecurityException(certificateChain + " holds no certificate");
        }
        PrivateKey key = readPrivateKey(privateKey);
        List<X509Certificate> cas = clientCas == null ? List.of() : readCertificates(clientCas);
        return new TlsContextProvider(create(key, chain, cas), !cas.isEmpty());
    }

    public static SSLContext create(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> clientCas)
            throws GeneralSecurityException, IOException {
        char[] password = new char[0];
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);

        TrustManagerFactory tmf = null;
        if (!clientCas.isEmpty()) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate ca : clientCas) {
                trust.setCertificateEntry("ca" + i++, ca);
            }
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return context;
    }

    public static List<X509Certificate> readCertificates(Path pem) throws IOException, GeneralSecurityException {
        try (var in = Files.newInputStream(pem)) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Collection<? extends java.security.cert.Certificate> all = factory.generateCertificates(in);
            List<X509Certificate> result = new ArrayList<>();
            for (var c : all) {
                result.add((X509Certificate) c);
            }
            return result;
        }
    }

    public static PrivateKey readPrivateKey(Path pem) throws IOException {
        try (Reader reader = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(reader)) {
            Object object;
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            while ((object = parser.readObject()) != null) {
                if (object instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new IOException(pem + " holds no private key (expected a PEM 'PRIVATE KEY' block)");
    }
}
