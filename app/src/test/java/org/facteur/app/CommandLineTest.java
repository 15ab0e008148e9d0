package org.facteur.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.facteur.app.cli.FacteurCommand;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The admin commands against a real data folder (directory in H2), as a script would use them. */
class CommandLineTest {

    @TempDir
    Path dir;

    private Path data;

    @BeforeEach
    void firstStart() throws Exception {
        data = dir.resolve("data");
        Setup.prepare(ConfigLocation.of(null, data), c -> PortPolicy.ephemeral(c), Optional.empty());
    }

    private record Result(int exit, String out, String err) {
    }

    private Result run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = FacteurCommand.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return new Result(line.execute(args), out.toString(), err.toString());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void usersDomainsAndAliasesFromTheCommandLine() {
        String d = data.toString();
        assertThat(run("", "domain", "add", "example.org", "--data", d).out())
                .contains("added example.org")
                .contains("created the alias postmaster@example.org -> admin@localhost")
                .contains("created the alias abuse@example.org -> admin@localhost");
        assertThat(run("correct horse battery\n", "user", "add", "alice@example.org", "--data", d).out())
                .isEqualTo("added alice@example.org\n");
        assertThat(run("", "user", "list", "--json", "--data", d).out().strip()).isEqualTo(
                "[{\"name\":\"admin@localhost\",\"admin\":true,\"addresses\":[\"admin@localhost\"]},"
                        + "{\"name\":\"alice@example.org\",\"admin\":false,\"addresses\":[\"alice@example.org\"]}]");
        assertThat(run("", "alias", "add", "sales@example.org", "alice@example.org", "--data", d).exit()).isZero();
        assertThat(run("", "alias", "list", "--data", d).out()).contains("sales@example.org       alice@example.org");
        assertThat(run("new password\n", "user", "passwd", "alice@example.org", "--data", d).out())
                .isEqualTo("password changed for alice@example.org\n");

        Result refused = run("", "domain", "del", "example.org", "--data", d);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).startsWith("facteur: ");

        Result noPassword = run("", "user", "add", "bob@example.org", "--data", d);
        assertThat(noPassword.exit()).isEqualTo(1);
        assertThat(noPassword.err()).contains("no password on standard input");
    }

    @Test
    void anAccountsQuotaFromTheCommandLine() {
        String d = data.toString();
        run("", "domain", "add", "example.org", "--data", d);
        run("correct horse battery\n", "user", "add", "alice@example.org", "--data", d);
        assertThat(run("", "user", "quota", "alice@example.org", "--data", d).out())
                .isEqualTo("alice@example.org: storage default (none), messages default (none)\n");
        assertThat(run("", "user", "quota", "Alice@Example.org", "--storage", "500MB", "--data", d).out())
                .isEqualTo("alice@example.org: storage 500MB, messages default (none)\n");
        assertThat(run("", "user", "quota", "alice@example.org", "--messages", "1000", "--data", d).out())
                .isEqualTo("alice@example.org: storage 500MB, messages 1000\n");
        assertThat(run("", "user", "quota", "alice@example.org", "--storage", "default", "--messages", "none",
                "--data", d).out()).isEqualTo("alice@example.org: storage default (none), messages none\n");
        Result bad = run("", "user", "quota", "alice@example.org", "--storage", "lots", "--data", d);
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("'lots' is not a size");
        Result unknown = run("", "user", "quota", "nobody@example.org", "--data", d);
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("no account nobody@example.org");
    }

    @Test
    void checkConfigExitsNonZeroWithEveryProblem() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "server:\n  hostnme: x\nimap:\n  starttls-port: 99999\n");
        Result result = run("", "check-config", bad.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains(":2:3: server.hostnme: unknown key; fix: did you mean 'hostname'?")
                .contains(":4:18: imap.starttls-port: 99999 is not a port")
                .contains("2 problems");
        assertThat(run("", "check-config", data.resolve("facteur.yaml").toString()).out()).endsWith(": OK\n");
    }

    @Test
    void certShowDescribesTheGeneratedCertificate() {
        String out = run("", "cert", "show", "--data", data.toString(), "--json").out();
        assertThat(out).contains("\"selfSigned\":\"true\"").contains("localhost");
    }
}
