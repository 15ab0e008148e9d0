package org.facteur.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.facteur.config.ConfigDefaults;
import org.facteur.config.YamlConfig;
import org.junit.jupiter.api.Test;

class AuthConfigTest {

    @Test
    void defaultsAreSafe() {
        AuthConfig d = ConfigDefaults.of(AuthConfig.class);
        assertThat(d.mechanisms()).containsExactly(AuthConfig.Mechanism.SCRAM_SHA_256, AuthConfig.Mechanism.PLAIN,
                AuthConfig.Mechanism.LOGIN, AuthConfig.Mechanism.EXTERNAL);
        assertThat(d.cramMd5Enabled()).isFalse();
        assertThat(d.subaddressSeparator()).isEqualTo("+");
        assertThat(d.hashing()).isEqualTo(new AuthConfig.PasswordHashing(19456, 2, 1, 4096));
        assertThat(d.throttling().accountLockoutAfter()).isEqualTo(10);
        assertThat(d.external().byCertificateEmail()).isTrue();
        assertThat(d.external().rules()).isEmpty();
        assertThat(d.senderPermissions()).isEmpty();
    }

    @Test
    void bindsFromYaml() throws Exception {
        AuthConfig c = YamlConfig.parse("""
                mechanisms: [scram-sha-256, cram-md5]
                subaddressSeparator: "-"
                throttling:
                  baseDelay: 250ms
                external:
                  byCertificateEmail: false
                  rules:
                    - issuer: "CN=Example CA"
                      subject: "CN=([^,]+),O=Example"
                      account: "$1@example.org"
                senderPermissions:
                  - account: web@example.org
                    address: "*"
                """, "facteur.yaml", AuthConfig.class);
        assertThat(c.mechanisms()).containsExactly(AuthConfig.Mechanism.SCRAM_SHA_256, AuthConfig.Mechanism.CRAM_MD5);
        assertThat(c.cramMd5Enabled()).isTrue();
        assertThat(c.subaddressSeparator()).isEqualTo("-");
        assertThat(c.throttling().baseDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.throttling().maxDelay()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.external().rules()).containsExactly(
                new AuthConfig.CertificateRule("CN=Example CA", "CN=([^,]+),O=Example", "$1@example.org"));
        assertThat(c.senderPermissions()).containsExactly(new AuthConfig.SenderPermission("web@example.org", "*"));
    }
}
