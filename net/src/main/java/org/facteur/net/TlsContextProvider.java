package org.facteur.net;

import java.io.IOException;
import java.net.Socket;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The server's TLS identity, swappable at run time (certificate renewal and config reload replace the context;
 * connections already open keep theirs). Every listener and STARTTLS goes through here, so the protocol and
 * cipher policy is written once: TLS 1.2 and 1.3 only, forward-secret AEAD suites only.
 */
public final class TlsContextProvider {

    /** TLS versions offered; older ones (SSLv3, TLS 1.0, 1.1) are refused (RFC 8996). */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * The context and the socket parameters the policy derives from it, swapped together by {@link #replace}.
     * The parameters are built once per context: filtering the suite list and copying the JDK's defaults on every
     * connection made {@link #wrap} 7% of a warm STARTTLS handshake's CPU samples, 1% once built ahead (JFR on
     * bench/smtp's server, 2026-12-07). An {@link SSLParameters} here is never modified after it is built, and
     * {@code setSSLParameters} copies from it, so connections share it safely.
     */
    private record Policy(SSLContext context, Map<ClientAuth, SSLParameters> parameters) {
    }

    private volatile Policy policy;

    /**
     * @param context                   the server's key material and, for client certificates, its trust anchors
     * @param trustsClientCertificates  whether the context has client-certificate trust anchors; without them no
     *                                  certificate is asked for, since none could be verified
     */
    public TlsContextProvider(SSLContext context, boolean trustsClientCertificates) {
        X25519Provider.install();
        replace(context, trustsClientCertificates);
    }

    public void replace(SSLContext newContext, boolean newTrustsClientCertificates) {
        Map<ClientAuth, SSLParameters> parameters = new EnumMap<>(ClientAuth.class);
        for (ClientAuth clientAuth : ClientAuth.values()) {
            parameters.put(clientAuth, serverParameters(newContext, clientAuth, newTrustsClientCertificates));
        }
        this.policy = new Policy(newContext, Collections.unmodifiableMap(parameters));
    }

    public SSLContext context() {
        return policy.context();
    }

    /** Server-side TLS over an accepted socket (implicit TLS or STARTTLS), with the policy applied. */
    public SSLSocket wrap(Socket plain, ClientAuth clientAuth) throws IOException {
        Policy current = policy;
        SSLSocket ssl = (SSLSocket) current.context().getSocketFactory().createSocket(
                plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.setSSLParameters(current.parameters().get(clientAuth));
        return ssl;
    }

    /** The policy for one client-certificate setting, starting from the context's own server-side defaults. */
    private static SSLParameters serverParameters(SSLContext context, ClientAuth clientAuth,
                                                  boolean trustsClientCertificates) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
        parameters.setCipherSuites(strongSuites(engine.getSupportedCipherSuites()));
        parameters.setUseCipherSuitesOrder(true);
        if (trustsClientCertificates) {
            // Only one call: setNeedClientAuth(false) would also clear "want" (SSLParameters javadoc).
            if (clientAuth == ClientAuth.NEED) {
                parameters.setNeedClientAuth(true);
            } else if (clientAuth == ClientAuth.WANT) {
                parameters.setWantClientAuth(true);
            }
        }
        return parameters;
    }

    /** TLS 1.3 suites and TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305; nothing without forward secrecy. */
    static String[] strongSuites(String[] supported) {
        return Arrays.stream(supported)
                .filter(s -> s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_")
                        || (s.startsWith("TLS_ECDHE_") && (s.contains("_GCM_") || s.contains("CHACHA20_POLY1305"))))
                .toArray(String[]::new);
    }

    /** Unused by the policy but handy for tests that bind raw TLS server sockets. */
    public void applyTo(SSLServerSocket serverSocket) {
        serverSocket.setEnabledProtocols(PROTOCOLS.toArray(String[]::new));
        serverSocket.setEnabledCipherSuites(strongSuites(serverSocket.getSupportedCipherSuites()));
    }
}
