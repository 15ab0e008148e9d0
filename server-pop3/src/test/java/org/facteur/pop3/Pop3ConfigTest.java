package org.facteur.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.facteur.config.ConfigDefaults;
import org.facteur.config.Default;
import org.facteur.config.Doc;
import org.facteur.net.ListenerConfig;
import org.facteur.net.TlsMode;
import org.junit.jupiter.api.Test;

class Pop3ConfigTest {

    @Test
    void defaultsAreSecureAndStandard() {
        Pop3Config config = ConfigDefaults.of(Pop3Config.class);
        assertThat(config.listeners()).extracting(ListenerConfig::port, ListenerConfig::tls)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(110, TlsMode.STARTTLS),
                        org.assertj.core.groups.Tuple.tuple(995, TlsMode.IMPLICIT));
        assertThat(config.folder()).isEqualTo("INBOX");
        assertThat(config.hostname()).isEmpty(); // the machine's name
        assertThat(config.leaveOnServer()).isFalse();
        assertThat(config.maxMessages()).isPositive();
        assertThat(config.limits().commandLength()).isEqualTo(255);
        assertThat(config.limits().idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.limits().authFailures()).isPositive();
    }

    @Test
    void everyComponentIsDocumentedAndDefaulted() {
        for (Class<?> type : new Class<?>[] {Pop3Config.class, Pop3Config.Pop3Limits.class}) {
            for (var component : type.getRecordComponents()) {
                assertThat(component.getAnnotation(Doc.class)).as(component.getName()).isNotNull();
                assertThat(component.getAnnotation(Default.class) != null || component.getType().isRecord())
                        .as(component.getName()).isTrue();
            }
        }
    }

    @Test
    void portMinusOneTurnsAListenerOff() {
        Pop3Config d = ConfigDefaults.of(Pop3Config.class);
        Pop3Config only995 = new Pop3Config(true, "::", -1, 995, d.clientAuth(), "h", "INBOX", false, 0, d.limits(), d.connections());
        assertThat(only995.listeners()).singleElement().extracting(ListenerConfig::tls).isEqualTo(TlsMode.IMPLICIT);
    }

    @Test
    void refusesNonsense() {
        Pop3Config d = ConfigDefaults.of(Pop3Config.class);
        assertThatThrownBy(() -> new Pop3Config(true, "::", 70000, 995, d.clientAuth(), "h", "INBOX", false, 0, d.limits(), d.connections()))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> new Pop3Config(true, "::", 110, 995, d.clientAuth(), "h", " ", false, 0, d.limits(), d.connections()))
                .hasMessageContaining("folder");
        assertThatThrownBy(() -> new Pop3Config(true, "::", 110, 995, d.clientAuth(), "h", "INBOX", false, -1, d.limits(), d.connections()))
                .hasMessageContaining("maxMessages");
        assertThatThrownBy(() -> new Pop3Config.Pop3Limits(4, 100, 3, 3, Duration.ofMinutes(1))).hasMessageContaining("line");
        assertThatThrownBy(() -> new Pop3Config.Pop3Limits(255, 1000, 0, 3, Duration.ofMinutes(1))).hasMessageContaining("at least 1");
    }
}
