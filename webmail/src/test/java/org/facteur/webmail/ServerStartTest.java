package org.facteur.webmail;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.facteur.config.ConfigDefaults;
import org.facteur.net.testing.TestPki;
import org.junit.jupiter.api.Test;

class ServerStartTest {

    /** The certificate a fresh TLS connection is given (trusting anything: only the identity is compared). */
    static java.security.cert.Certificate serverCertificate(int port) throws Exception {
        javax.net.ssl.SSLContext any = javax.net.ssl.SSLContext.getInstance("TLS");
        any.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public java.security.cert.X509Certificate[] getAcceptedIssuers() { return new java.security.cert.X509Certificate[0]; }
        }}, null);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) any.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void servesVaadinOverHttpsWithSecurityHeaders() throws Exception {
        WebmailConfig config = ConfigDefaults.of(WebmailConfig.class).onLoopback();
        org.facteur.net.TlsContextProvider tls = TestPki.shared().serverTls();
        try (WebmailServer server = new WebmailServer(() -> config, tls, null, null, null,
                (a, m, r) -> { }, null)) {
            server.start();
            HttpClient client = HttpClient.newBuilder().sslContext(TestPki.shared().clientContext()).build();
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.port() + "/login")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("VAADIN/build/");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(page.headers().firstValue("Strict-Transport-Security")).isPresent();
            String script = page.body().replaceAll("(?s).*src=\"\\./(VAADIN/build/[^\"]+\\.js)\".*", "$1");
            HttpResponse<String> js = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.port() + "/" + script.replaceFirst("^/", ""))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(js.statusCode()).isEqualTo(200);

            // A renewed certificate is served to new connections without a restart.
            var renewed = org.facteur.net.SelfSignedCertificate.create("localhost", java.time.Duration.ofDays(2));
            tls.replace(org.facteur.net.TlsContexts.create(renewed.keyPair().getPrivate(),
                    java.util.List.of(renewed.certificate()), java.util.List.of()), false);
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            java.security.cert.Certificate served = null;
            while (System.nanoTime() < deadline) {
                served = serverCertificate(server.port());
                if (served.equals(renewed.certificate())) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(served).isEqualTo(renewed.certificate());
        }
    }
}
