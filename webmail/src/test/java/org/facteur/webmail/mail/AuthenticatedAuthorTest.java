package org.facteur.webmail.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which Authentication-Results prove a From address (what the per-sender image allowance relies on). */
class AuthenticatedAuthorTest {

    static final String US = "mx.example.test";

    private static Optional<String> author(List<String> from, String... results) {
        List<ReadMessage.HeaderLine> lines = Arrays.stream(results)
                .map(v -> new ReadMessage.HeaderLine("Authentication-Results", v)).toList();
        ReadMessage m = new ReadMessage("s", "", "", "", "", "", "", from, List.of(), List.of(), "t", null,
                List.of(), lines, from);
        return AuthenticatedAuthor.of(m, US);
    }

    @Test
    void dmarcPassOrAlignedDkimPassOfOurOwnResultsProveTheAuthor() {
        assertThat(author(List.of("News@Example.org"),
                "mx.example.test; spf=pass smtp.mailfrom=bounce@mailer.net; dkim=pass header.d=example.org header.s=s1;"
                        + " dmarc=pass policy.dmarc=none header.from=example.org"))
                .contains("news@example.org");
        // No DMARC policy published: a DKIM signature of the From domain or a parent of it is enough.
        assertThat(author(List.of("news@mail.example.org"), "mx.example.test; dkim=pass header.d=example.org header.s=s1"))
                .contains("news@mail.example.org");
        assertThat(author(List.of("news@example.org"), "MX.Example.Test 1; dkim=pass (good signature) header.d=example.org"))
                .contains("news@example.org");
    }

    @Test
    void forgedOrUnprovenFromIsRefused() {
        // DMARC failed: a forged From of an allowed sender.
        assertThat(author(List.of("news@example.org"),
                "mx.example.test; spf=pass smtp.mailfrom=evil.test; dkim=pass header.d=evil.test; dmarc=fail header.from=example.org"))
                .isEmpty();
        // Another server's results are the sender's word, not ours.
        assertThat(author(List.of("news@example.org"), "evil.test; dkim=pass header.d=example.org; dmarc=pass header.from=example.org"))
                .isEmpty();
        // DKIM of an unrelated domain, or of a bare top-level domain, does not align.
        assertThat(author(List.of("news@example.org"), "mx.example.test; dkim=pass header.d=mailer.net")).isEmpty();
        assertThat(author(List.of("news@example.org"), "mx.example.test; dkim=pass header.d=org")).isEmpty();
        assertThat(author(List.of("news@example.org"), "mx.example.test; dkim=pass header.d=notexample.org")).isEmpty();
        // SPF alone vouches for the envelope, not for From.
        assertThat(author(List.of("news@example.org"), "mx.example.test; spf=pass smtp.mailfrom=news@example.org")).isEmpty();
        // A pass for another From domain, several authors, no results at all.
        assertThat(author(List.of("news@example.org"), "mx.example.test; dmarc=pass header.from=other.example")).isEmpty();
        assertThat(author(List.of("a@example.org", "b@example.org"), "mx.example.test; dmarc=pass header.from=example.org"))
                .isEmpty();
        assertThat(author(List.of("news@example.org"))).isEmpty();
        // Ours says fail, even if a second field of ours were to say pass.
        assertThat(author(List.of("news@example.org"), "mx.example.test; dmarc=pass header.from=example.org",
                "mx.example.test; dmarc=fail header.from=example.org")).isEmpty();
    }
}
