package org.facteur.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class YamlConfigTest {

    private static SampleConfig parse(String yaml) throws ConfigException {
        return YamlConfig.parse(yaml, "facteur.yaml", SampleConfig.class);
    }

    private static List<String> problems(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems in:\n" + yaml);
    }

    @Test
    void emptyFileGivesTheDefaults() throws Exception {
        SampleConfig config = parse("");
        assertThat(config).isEqualTo(ConfigDefaults.of(SampleConfig.class));
        assertThat(config.server().hostname()).isEqualTo("mail.example.org");
        assertThat(config.server().idle()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.server().maxMessageSize()).isEqualTo(DataSize.ofMegabytes(25));
        assertThat(config.listeners().smtp().port()).isEqualTo(25);
        assertThat(config.listeners().smtp().tls()).isEqualTo(SampleConfig.Mode.STARTTLS_REQUIRED);
        assertThat(config.listeners().imaps().port()).isEqualTo(993);
        assertThat(config.domains()).containsExactly("example.org");
        assertThat(config.trusted()).hasSize(2);
        assertThat(config.banner()).isEmpty();
    }

    @Test
    void bindsEveryKindOfValueAndKeepsDefaultsForMissingKeys() throws Exception {
        SampleConfig config = parse("""
                server:
                  hostname: mx.example.net
                  data-dir: /var/lib/facteur
                  idle: 250ms
                  max-message-size: 10MB
                  debug: yes
                  threshold: 6.5
                  runAs: facteur
                listeners:
                  smtp:
                    port: 2525
                  imaps: {address: 127.0.0.1}
                domains:
                  - example.net
                  - example.com
                trusted: 10.0.0.0/8
                quotas:
                  example.net: 2GB
                users:
                  - name: alice
                    admin: true
                  - name: bob
                banner: "Hello: world"
                """);
        assertThat(config.server().hostname()).isEqualTo("mx.example.net");
        assertThat(config.server().dataDir()).isEqualTo(Path.of("/var/lib/facteur"));
        assertThat(config.server().idle()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.server().debug()).isTrue();
        assertThat(config.server().threshold()).isEqualTo(6.5);
        assertThat(config.server().runAs()).contains("facteur");
        // Missing keys of a nested record take the parent's default for that record, not the record type's.
        assertThat(config.listeners().smtp().port()).isEqualTo(2525);
        assertThat(config.listeners().smtp().tls()).isEqualTo(SampleConfig.Mode.STARTTLS_REQUIRED);
        assertThat(config.listeners().imaps().port()).isEqualTo(993);
        assertThat(config.listeners().imaps().address()).isEqualTo("127.0.0.1");
        assertThat(config.domains()).containsExactly("example.net", "example.com");
        assertThat(config.trusted()).containsExactly(new SampleConfig.Network("10.0.0.0/8"));
        assertThat(config.quotas()).isEqualTo(Map.of("example.net", DataSize.parse("2GB")));
        assertThat(config.users()).containsExactly(new SampleConfig.User("alice", true), new SampleConfig.User("bob", false));
        assertThat(config.banner()).isEqualTo(Optional.of("Hello: world"));
    }

    @Test
    void yamlTypingIsNotUsedForStrings() throws Exception {
        SampleConfig config = parse("server: {hostname: yes}\ndomains: [no, 010]\n");
        assertThat(config.server().hostname()).isEqualTo("yes");
        assertThat(config.domains()).containsExactly("no", "010");
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("unknown key with a suggestion", """
                        server:
                          hostnme: mx.example.org
                        """, List.of("facteur.yaml:2:3: server.hostnme: unknown key; fix: did you mean 'hostname'?")),
                Arguments.of("unknown key with no close match", """
                        smtpd: {}
                        """, List.of("facteur.yaml:1:1: smtpd: unknown key; fix: remove it; the keys here are "
                        + "server, listeners, domains, trusted, quotas, users, banner")),
                Arguments.of("not a number", """
                        listeners:
                          max-connections: lots
                        """, List.of("facteur.yaml:2:20: listeners.max-connections: 'lots' is not a whole number; "
                        + "fix: write a whole number, like 100")),
                Arguments.of("port out of range", """
                        listeners:
                          smtp:
                            port: 70000
                        """, List.of("facteur.yaml:3:11: listeners.smtp.port: 70000 is not a port; "
                        + "fix: use 1-65535, 0 for any free port, or -1 to turn it off")),
                Arguments.of("bad duration", """
                        server:
                          idle: 5 minutes
                        """, List.of("facteur.yaml:2:9: server.idle: '5 minutes' is not a duration (a number and a unit); "
                        + "fix: write a duration (a number and a unit), like 30s (or 250ms, 5m, 4h, 5d)")),
                Arguments.of("bad size", """
                        server:
                          max-message-size: 10XB
                        """, List.of("facteur.yaml:2:21: server.max-message-size: '10XB' is not a size (a number with an optional unit); "
                        + "fix: write a size (a number with an optional unit), like 10MB (or 512, 64KB, 2GB)")),
                Arguments.of("bad boolean", """
                        server:
                          debug: maybe
                        """, List.of("facteur.yaml:2:10: server.debug: 'maybe' is not true or false; "
                        + "fix: write true or false, like true")),
                Arguments.of("bad enum", """
                        listeners:
                          smtp: {tls: ssl}
                        """, List.of("facteur.yaml:2:15: listeners.smtp.tls: 'ssl' is not a valid choice; "
                        + "fix: write one of: plain, starttls-required, implicit")),
                Arguments.of("value type's own parser", """
                        trusted: [10.0.0.1]
                        """, List.of("facteur.yaml:1:11: trusted[0]: '10.0.0.1' is not a network; fix: write an address "
                        + "and a prefix, like 192.0.2.0/24")),
                Arguments.of("section where a value is expected", """
                        server:
                          hostname:
                            name: x
                        """, List.of("facteur.yaml:3:5: server.hostname: expected a single value, found a section; "
                        + "fix: write one value on the key's line, like 'hostname: ...'")),
                Arguments.of("value where a section is expected", """
                        server: mail.example.org
                        """, List.of("facteur.yaml:1:9: server: expected a section of 'key: value' lines, found "
                        + "'mail.example.org'; fix: put the keys on their own lines, indented below 'server:'")),
                Arguments.of("empty value", """
                        server:
                          hostname:
                        """, List.of()), // empty means "the default": allowed
                Arguments.of("missing required key in a list item", """
                        users:
                          - admin: true
                        """, List.of("facteur.yaml:2:5: users[0].name: is required; fix: add 'name: ...' to 'users[0]'")),
                Arguments.of("key given twice", """
                        server:
                          hostname: a.example
                          hostname: b.example
                        """, List.of("facteur.yaml:3:3: server.hostname: is given twice (also on line 2); fix: keep one of them")),
                Arguments.of("cross-field rule from ValidatedConfig", """
                        listeners:
                          smtp:
                            port: 25
                            tls: implicit
                        """, List.of("facteur.yaml:4:5: listeners.smtp.tls: port 25 speaks cleartext first; "
                        + "fix: use starttls-required, or port 465 for implicit TLS")),
                Arguments.of("compact constructor rule mapped to its key", """
                        listeners:
                          smtp: {port: 993}
                          imaps:
                            port: 993
                        """, List.of("facteur.yaml:4:5: listeners.imaps.port: 993 is also the smtp port; "
                        + "fix: give each listener its own port")),
                Arguments.of("all errors at once", """
                        server:
                          hostnam: x
                          idle: forever
                        listeners:
                          smtp: {port: -2}
                        """, List.of(
                        "facteur.yaml:2:3: server.hostnam: unknown key; fix: did you mean 'hostname'?",
                        "facteur.yaml:3:9: server.idle: 'forever' is not a duration (a number and a unit); "
                                + "fix: write a duration (a number and a unit), like 30s (or 250ms, 5m, 4h, 5d)",
                        "facteur.yaml:5:16: listeners.smtp.port: -2 is not a port; fix: use 1-65535, 0 for any free port, or -1 to turn it off")),
                Arguments.of("broken YAML", """
                        server:
                          hostname: "unterminated
                        """, List.of("facteur.yaml:3:1: is not valid YAML: found unexpected end of stream "
                        + "(while scanning a quoted scalar); fix: check the indentation (spaces only) and that every "
                        + "'key: value' has a space after the colon")),
                Arguments.of("tab indentation", "server:\n\thostname: x\n",
                        List.of("facteur.yaml:2:1: is not valid YAML: found character '\\t(TAB)' that cannot start any token. "
                                + "(Do not use \\t(TAB) for indentation) (while scanning for the next token); fix: check the "
                                + "indentation (spaces only) and that every 'key: value' has a space after the colon")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFilesGetExactMessages(String name, String yaml, List<String> expected) throws Exception {
        if (expected.isEmpty()) {
            parse(yaml);
            return;
        }
        assertThat(problems(yaml)).containsExactlyElementsOf(expected);
    }

    @Test
    void relativePathsAreRelativeToTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("facteur.yaml");
        java.nio.file.Files.writeString(file, "server: {data-dir: data}\n");
        assertThat(YamlConfig.load(file, SampleConfig.class).server().dataDir()).isEqualTo(dir.toAbsolutePath().resolve("data"));
    }

    @Test
    void missingFileIsAProblemToo(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThatThrownBy(() -> YamlConfig.load(dir.resolve("nope.yaml"), SampleConfig.class))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.yaml: file not found; fix: check the path");
    }

    @Test
    void writtenFileReadsBackToTheSameConfiguration() throws Exception {
        SampleConfig defaults = ConfigDefaults.of(SampleConfig.class);
        String text = YamlConfig.write(defaults, "Facteur test\nsecond line");
        assertThat(parse(text)).isEqualTo(defaults);

        SampleConfig custom = parse("""
                server: {hostname: "odd: name #1", data-dir: "/srv/mail dir", run-as: facteur}
                users: [{name: alice, admin: true}, {name: "-bob"}]
                quotas: {example.net: 2GB, "a b": 1KB}
                banner: "null"
                domains: ["", "x,y", "[z]"]
                """);
        String written = YamlConfig.write(custom, null);
        assertThat(parse(written)).isEqualTo(custom);
    }

    @Test
    void writtenFileCarriesTheDocumentation() {
        String text = YamlConfig.write(ConfigDefaults.of(SampleConfig.class), "Header");
        assertThat(text).startsWith("# Header\n\n# The server part.\nserver:\n  # Host name.\n  hostname: mail.example.org\n");
        assertThat(text).contains("  # Largest message.\n  max-message-size: 25MB\n");
        assertThat(text).contains("    # TLS mode. One of: plain, starttls-required, implicit.\n    tls: starttls-required\n");
        assertThat(text).contains("trusted: [127.0.0.1/32, ::1/128]".replace("::1/128", "\"::1/128\""));
        assertThat(text).contains("quotas: {}\n");
        assertThat(text).contains("  run-as:\n");
    }

    @Test
    void didYouMeanIgnoresCaseAndDashes() {
        assertThat(ConfigKeys.closest("maxconnections", Set.of("max-connections", "port"))).isEqualTo("max-connections");
        assertThat(ConfigKeys.closest("zzzzzz", Set.of("max-connections", "port"))).isNull();
        assertThat(ConfigKeys.yamlKey("maxConnectionsPerIp")).isEqualTo("max-connections-per-ip");
    }
}
