package org.facteur.filters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.facteur.auth.Recipient;
import org.facteur.config.ConfigDefaults;
import org.facteur.filters.policy.GtubeFilter;
import org.facteur.filters.testing.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiltersTest {

    @TempDir
    Path dir;

    private static final String HAM = """
            From: Alice <alice@example.net>
            To: bob@example.org
            Subject: lunch tomorrow?
            Message-ID: <1@example.net>

            Shall we meet at noon at the usual place?
            """;

    @Test
    void defaultsLoadAndEveryConfiguredNameIsKnown() throws Exception {
        FilterConfig config = ConfigDefaults.of(FilterConfig.class);
        assertThat(config.requiredScore()).isEqualTo(5.0);
        assertThat(config.greylist().enabled()).isFalse();
        assertThat(config.clamav().enabled()).isFalse();
        try (Filters filters = Filters.builder(() -> config).dataDir(dir).build()) {
            assertThat(filters.names()).containsAll(config.order());
        }
    }

    @Test
    void gtubeIsJunkedWithReportHeaders() throws Exception {
        FilterConfig config = ConfigDefaults.of(FilterConfig.class);
        try (Filters filters = Filters.builder(() -> config).dataDir(dir).build()) {
            FilterChain chain = filters.chain();
            FilterContext ctx = Messages.mta("198.51.100.7");
            assertThat(chain.connect(ctx).action()).isEqualTo(Verdict.Action.CONTINUE);
            chain.mailFrom(ctx, "spammer@example.net");
            chain.rcptTo(ctx, "bob@example.org", new Recipient.Local(List.of("bob@example.org"), null));
            MessageData m = Messages.write(dir, "gtube.eml", HAM + GtubeFilter.GTUBE + "\n");
            DataVerdict.Copy v = chain.data(ctx, m).only();
            assertThat(v.verdict().action()).isEqualTo(Verdict.Action.JUNK);
            assertThat(v.headers()).extracting(FilterContext.AddedHeader::name)
                    .contains("X-Spam-Status", "X-Spam-Score", "X-Spam-Report");
            assertThat(header(v.headers(), "X-Spam-Status")).startsWith("Yes, score=");
            assertThat(header(v.headers(), "X-Spam-Report")).contains("GTUBE");
        }
    }

    @Test
    void relayIsRefusedFromOutside() throws Exception {
        FilterConfig config = ConfigDefaults.of(FilterConfig.class);
        try (Filters filters = Filters.builder(() -> config).dataDir(dir).build()) {
            FilterContext ctx = Messages.mta("198.51.100.7");
            filters.chain().mailFrom(ctx, "a@example.net");
            Verdict v = filters.chain().rcptTo(ctx, "x@elsewhere.example", new Recipient.NotLocal());
            assertThat(v.action()).isEqualTo(Verdict.Action.REJECT);
            assertThat(v.enhancedCode()).isEqualTo("5.7.1");
        }
    }

    static String header(List<FilterContext.AddedHeader> headers, String name) {
        return headers.stream().filter(h -> h.name().equals(name)).map(FilterContext.AddedHeader::value)
                .findFirst().orElse(null);
    }
}
