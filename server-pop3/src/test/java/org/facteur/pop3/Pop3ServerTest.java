package org.facteur.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.facteur.net.testing.TestPki;
import org.facteur.pop3.testing.Pop3TestServer;
import org.junit.jupiter.api.Test;

/** Listener wiring: which ports are bound for which configuration. No session is opened. */
class Pop3ServerTest {

    private static Pop3Config config(boolean enabled, int port, int tlsPort) {
        Pop3Config c = Pop3TestServer.loopback();
        return new Pop3Config(enabled, c.address(), port, tlsPort, c.clientAuth(), c.hostname(), c.folder(),
                c.leaveOnServer(), c.maxMessages(), c.limits(), c.connections());
    }

    @Test
    void bindsBothListeners() throws Exception {
        try (Pop3Server server = new Pop3Server(() -> config(true, 0, 0), TestPki.shared().serverTls(), null, null).start()) {
            assertThat(server.ports()).containsOnlyKeys(Pop3Server.STLS_LISTENER, Pop3Server.TLS_LISTENER)
                    .allSatisfy((name, port) -> assertThat(port).isPositive());
        }
    }

    @Test
    void portMinusOneLeavesAListenerOut() throws Exception {
        try (Pop3Server server = new Pop3Server(() -> config(true, -1, 0), TestPki.shared().serverTls(), null, null).start()) {
            assertThat(server.ports()).containsOnlyKeys(Pop3Server.TLS_LISTENER);
        }
    }

    @Test
    void disabledBindsNothing() throws Exception {
        try (Pop3Server server = new Pop3Server(() -> config(false, 0, 0), TestPki.shared().serverTls(), null, null).start()) {
            assertThat(server.ports()).isEmpty();
        }
    }

    @Test
    void refusesToRunWithoutTls() {
        assertThatThrownBy(() -> new Pop3Server(() -> config(true, 0, 0), null, null, null))
                .hasMessageContaining("TLS");
    }

    @Test
    void aPortInUseFailsTheStartAndReleasesTheOther() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Pop3Server server = new Pop3Server(() -> config(true, 0, taken.getLocalPort()), TestPki.shared().serverTls(), null, null);
            assertThatThrownBy(server::start).isInstanceOf(java.io.IOException.class);
            assertThat(server.ports()).isEmpty();
        }
    }
}
