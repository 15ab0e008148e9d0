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

    @Test
    void servesVaadinOverHttpsWithSecurityHeaders() throws Exception {
        WebmailConfig config = ConfigDefaults.of(WebmailConfig.class).onLoopback();
        try (WebmailServer server = new WebmailServer(() -> config, TestPki.shared().serverTls(), null, null, null,
                (a, m, r) -> { })) {
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
        }
    }
}
