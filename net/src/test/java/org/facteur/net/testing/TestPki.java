package org.facteur.net.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.facteur.net.TlsContextProvider;
import org.facteur.net.TlsContexts;

/**
 * A small certificate authority made in the test: a server certificate for localhost and client certificates
 * for SASL EXTERNAL, all signed by one CA that the server trusts for client authentication.
 */
public final class TestPki {

    private static volatile TestPki shared;

    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final KeyPair serverKeys;
    private final X509Certificate server;

    private TestPki() throws Exception {
        caKeys = newKeys();
        ca = sign(new X500Name("CN=Facteur Test CA"), caKeys, true, null);
        serverKeys = newKeys();
        server = sign(new X500Name("CN=localhost"), serverKeys, false, "localhost");
    }

    /** One PKI per test JVM: key generation is the slow part. */
    public static TestPki shared() {
        if (shared == null) {
            synchronized (TestPki.class) {
                if (shared == null) {
                    try {
                        shared = new TestPki();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return shared;
    }

    public X509Certificate caCertificate() {
        return ca;
    }

    public X509Certificate serverCertificate() {
        return server;
    }

    public PrivateKey serverKey() {
        return serverKeys.getPrivate();
    }

    /** The server side: the localhost certificate, trusting this CA's client certificates. */
    public TlsContextProvider serverTls() {
        try {
            return new TlsContextProvider(TlsContexts.create(serverKeys.getPrivate(), List.of(server), List.of(ca)), true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context that trusts the test CA and presents no certificate. */
    public SSLContext clientContext() {
        return clientContext(null, null);
    }

    /** A client that presents a certificate for {@code subjectDn} with an rfc822Name SAN of {@code email}. */
    public SSLContext clientContext(String subjectDn, String email) {
        try {
            KeyManagerFactory kmf = null;
            if (subjectDn != null) {
                KeyPair keys = newKeys();
                X509Certificate cert = signClient(new X500Name(subjectDn), keys, email);
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("client", keys.getPrivate(), new char[0], new X509Certificate[] {cert, ca});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, new char[0]);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public SSLSocketFactory clientSocketFactory() {
        return clientContext().getSocketFactory();
    }

    private static KeyPair newKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private X509Certificate sign(X500Name subject, KeyPair keys, boolean isCa, String dnsName) throws Exception {
        X500Name issuer = isCa ? subject : new X500Name(ca.getSubjectX500Principal().getName());
        PrivateKey signingKey = isCa ? keys.getPrivate() : caKeys.getPrivate();
        X509v3CertificateBuilder builder = builder(issuer, subject, keys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (dnsName != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, dnsName), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey)));
    }

    private X509Certificate signClient(X500Name subject, KeyPair keys, String email) throws Exception {
        X509v3CertificateBuilder builder = builder(new X500Name(ca.getSubjectX500Principal().getName()), subject, keys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        if (email != null) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(96, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), subject, keys.getPublic());
    }
}
