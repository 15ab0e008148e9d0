package org.facteur.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.facteur.config.ConfigDefaults;
import org.facteur.config.ConfigException;
import org.facteur.config.ConfigProblem;
import org.facteur.config.YamlConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole facteur.yaml: every module's section binds, the generated file reads back, the port policy. */
class ConfigurationTest {

    @TempDir
    Path dir;

    @Test
    void generatedFileReadsBackToTheSameConfiguration() throws Exception {
        FacteurConfig defaults = ConfigDefaults.of(FacteurConfig.class);
        String text = YamlConfig.write(defaults, Setup.HEADER);
        assertThat(YamlConfig.parse(text, "facteur.yaml", FacteurConfig.class)).isEqualTo(defaults);
        // Every key of every section is documented in the file.
        for (String line : text.split("\n")) {
            assertThat(line).doesNotEndWith(": null");
        }
    }

    @Test
    void notRootShiftsEveryStandardPortAndRootKeepsThem() {
        FacteurConfig defaults = ConfigDefaults.of(FacteurConfig.class);
        Map<String, Integer> standard = PortPolicy.ports(defaults);
        Map<String, Integer> shifted = PortPolicy.ports(PortPolicy.forUser(defaults, false));
        assertThat(PortPolicy.ports(PortPolicy.forUser(defaults, true))).isEqualTo(standard);
        standard.forEach((key, port) -> assertThat(shifted.get(key))
                .as(key).isEqualTo(PortPolicy.STANDARD_PORTS.contains(port) ? port + 10000 : port));
        assertThat(PortPolicy.ports(PortPolicy.ephemeral(defaults)).values()).allMatch(p -> p <= 0);
        // Every listener the policy names exists (a renamed key in a module would otherwise escape it).
        assertThat(standard.keySet()).containsExactlyElementsOf(PortPolicy.LISTENERS);
        assertThat(standard.values()).containsExactlyInAnyOrderElementsOf(PortPolicy.STANDARD_PORTS);
    }

    @Test
    void firstStartWritesACommentedFileWithThisMachinesValues() throws Exception {
        ConfigLocation location = ConfigLocation.of(null, dir.resolve("data"));
        Setup.Prepared prepared = Setup.prepare(location, c -> PortPolicy.forUser(c, false), Optional.empty());
        assertThat(prepared.firstStart()).isTrue();
        String text = Files.readString(location.file());
        assertThat(text).startsWith("# Facteur configuration.");
        assertThat(text).contains("data-dir: " + dir.resolve("data").toAbsolutePath());
        assertThat(Files.exists(prepared.layout().certificate(prepared.config().tls()))).isTrue();
        assertThat(Files.getPosixFilePermissions(prepared.layout().privateKey(prepared.config().tls())))
                .hasSize(2); // rw------- : owner read and write only
        assertThat(Facteur.loadTls(prepared.config(), prepared.layout())).isNotNull();
        // A second start finds it all and changes nothing.
        assertThat(Setup.prepare(location, c -> c, Optional.empty()).firstStart()).isFalse();
    }

    @Test
    void checkReportsEveryProblemAtItsLine() throws Exception {
        Path file = dir.resolve("facteur.yaml");
        Files.writeString(file, """
                server:
                  hostname: mail.example.org
                  domains: [example.org, "bad domain"]
                tls:
                  certificate: /nonexistent/cert.pem
                filters:
                  required-scor: 5
                """);
        List<String> problems = Facteur.check(ConfigLocation.of(file, null)).stream().map(ConfigProblem::toString).toList();
        assertThat(problems).containsExactly(
                file.toAbsolutePath() + ":3:26: server.domains[1]: 'bad domain' is not a domain name; "
                        + "fix: write a name such as example.org",
                file.toAbsolutePath() + ":5:3: tls.key: a certificate and its key go together; "
                        + "fix: set both, or neither to use the generated pair",
                file.toAbsolutePath() + ":5:3: tls.certificate: /nonexistent/cert.pem does not exist; fix: give the "
                        + "path of a PEM file readable by Facteur, or remove the key to use the generated one",
                file.toAbsolutePath() + ":7:3: filters.required-scor: unknown key; fix: did you mean 'required-score'?");
    }

    @Test
    void everySectionsHostNameFollowsServerHostnameUnlessSet() throws Exception {
        Path file = dir.resolve("hostnames.yaml");
        Files.writeString(file, """
                server:
                  hostname: mail.example.org
                pop3:
                  hostname: pop.example.org
                """);
        FacteurConfig c = ConfigLocation.of(file, dir.resolve("hostnames-data")).load();
        // One source of truth: a section names its own host only to differ from the server's.
        assertThat(List.of(c.smtp().hostname(), c.imap().hostname(), c.webmail().hostname()))
                .containsOnly("mail.example.org");
        assertThat(c.pop3().hostname()).isEqualTo("pop.example.org");
    }

    @Test
    void aPortUsedTwiceIsRefusedAtTheSecondKey() {
        String yaml = """
                imap:
                  starttls-port: 2500
                pop3:
                  port: 2500
                """;
        assertThatThrownBy(() -> YamlConfig.parse(yaml, "f.yaml", FacteurConfig.class))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("f.yaml:4:3: pop3.port: port 2500 is also imap.starttls-port; "
                        + "fix: give each listener its own port");
    }

    @Test
    void anOpenRelayIsRefused() {
        String yaml = """
                filters:
                  trusted-networks:
                    - 10.0.0.0/8
                    - 0.0.0.0/0
                    - "::/0"
                """;
        assertThatThrownBy(() -> YamlConfig.parse(yaml, "f.yaml", FacteurConfig.class))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).map(ConfigProblem::toString).containsExactly(
                        "f.yaml:4:7: filters.trusted-networks[1]: 0.0.0.0/0 would make Facteur an open relay for a large "
                                + "part of the internet; fix: list only your own networks, such as 192.0.2.0/24, and let "
                                + "users authenticate",
                        "f.yaml:5:7: filters.trusted-networks[2]: ::/0 would make Facteur an open relay for a large "
                                + "part of the internet; fix: list only your own networks, such as 192.0.2.0/24, and let "
                                + "users authenticate"));
    }

    /** Trusted networks have one key, the filter chain's: the old SMTP one is refused, not silently ignored. */
    @Test
    void smtpHasNoTrustedNetworksOfItsOwn() {
        String yaml = """
                smtp:
                  trusted-networks: [10.0.0.0/8]
                """;
        assertThatThrownBy(() -> YamlConfig.parse(yaml, "f.yaml", FacteurConfig.class))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).map(ConfigProblem::toString)
                        .singleElement().asString().contains("smtp.trusted-networks").contains("unknown key"));
    }

    @Test
    void aModulesOwnRuleIsReportedAtTheValueItQuotes() {
        String yaml = """
                filters:
                  required-score: 5.0
                  trusted-networks:
                    - 10.0.0.0/8
                    - 10.0.0.0/x
                """;
        assertThatThrownBy(() -> YamlConfig.parse(yaml, "f.yaml", FacteurConfig.class))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).map(ConfigProblem::toString).containsExactly(
                        "f.yaml:5:7: filters.trusted-networks[1]: '10.0.0.0/x' is not a network; fix: write an "
                                + "address with an optional /prefix, like 192.0.2.0/24"));
    }
}
