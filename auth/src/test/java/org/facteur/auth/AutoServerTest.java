package org.facteur.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.facteur.auth.sasl.SaslStep;
import org.facteur.auth.testing.TestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin CLI's situation: another process changes the directory while this one (the server) has it open. */
class AutoServerTest {

    @TempDir
    Path temp;

    @Test
    void anotherProcessChangesTheOpenDirectoryAndTheChangeAppliesAtOnce() throws Exception {
        try (TestDirectory server = TestDirectory.create(temp)) {
            // remembered by the recipient cache before the other process adds the domain and the account
            assertThat(server.directory().resolve("carol@cli.test")).isEqualTo(new Recipient.NotLocal());
            assertThat(server.directory().resolve("carol@cli.test")).isEqualTo(new Recipient.NotLocal());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process cli = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    SecondProcessProbe.class.getName(), temp.toString(), "cli.test"))
                    .redirectErrorStream(true).start();
            cli.getOutputStream().close();
            String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(cli.exitValue()).as(output).isZero();
            assertThat(output).contains("accounts=3").contains("caches=false");
            assertThat(server.directory().cachesRecipients()).isTrue();
            assertThat(server.directory().isLocalDomain("cli.test")).isTrue();
            assertThat(server.directory().resolve("carol@cli.test")).isEqualTo(new Recipient.Local(List.of("carol@cli.test"), null));
            assertThat(server.authenticator().checkPassword("carol@cli.test", "carol-Pa55word", TestDirectory.tlsContext("imap")))
                    .isInstanceOf(SaslStep.Success.class);
        }
        assertThat(new File(temp.toFile(), "directory.mv.db")).exists();
    }
}
