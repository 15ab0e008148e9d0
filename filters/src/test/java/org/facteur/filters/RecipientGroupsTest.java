package org.facteur.filters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.facteur.auth.AuthConfig;
import org.facteur.auth.H2Directory;
import org.facteur.config.ConfigDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How end of data splits recipients into the copies judged apart, with the real H2 directory. */
class RecipientGroupsTest {

    @TempDir
    Path dir;

    @Test
    void eachLocalAccountOnceAndEverythingElseTogether() {
        AuthConfig auth = ConfigDefaults.of(AuthConfig.class);
        try (H2Directory directory = H2Directory.openInDataDirectory(dir, () -> auth)) {
            directory.addDomain("example.org");
            directory.addAccount("alice@example.org", "a long enough password", false);
            directory.addAccount("bob@example.org", "a long enough password", false);
            directory.addAlias("team@example.org", "alice@example.org");
            directory.addAlias("team@example.org", "bob@example.org");
            directory.addAlias("fwd@example.org", "carol@elsewhere.example");
            directory.addAlias("fwd@example.org", "alice@example.org");

            List<RecipientGroups.Group> groups = RecipientGroups.split(directory,
                    List.of("team@example.org", "Alice@example.org", "fwd@example.org", "dave@other.example"));
            // an alias fans out to each account's own copy; Alice is judged once, however she was reached
            assertThat(groups).containsExactly(
                    new RecipientGroups.Group("alice@example.org", List.of("alice@example.org")),
                    new RecipientGroups.Group("bob@example.org", List.of("bob@example.org")),
                    new RecipientGroups.Group(null, List.of("carol@elsewhere.example", "dave@other.example")));
        }
    }

    @Test
    void noRecipientIsOneGroupOfNone() {
        assertThat(RecipientGroups.split(null, List.of())).containsExactly(new RecipientGroups.Group(null, List.of()));
        assertThat(RecipientGroups.split(null, List.of("A@x.example", "a@x.example")))
                .containsExactly(new RecipientGroups.Group("a@x.example", List.of("a@x.example")));
    }
}
