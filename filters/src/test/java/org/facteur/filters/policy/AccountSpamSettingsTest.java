package org.facteur.filters.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.facteur.auth.Recipient;
import org.facteur.config.ConfigDefaults;
import org.facteur.filters.DataVerdict;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Filters;
import org.facteur.filters.MessageData;
import org.facteur.filters.Verdict;
import org.facteur.filters.testing.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's own threshold and spam placement, consulted before the configuration's default. */
class AccountSpamSettingsTest {

    @TempDir
    Path dir;

    private static final String GTUBE_MAIL = "From: x@example.net\nTo: someone@example.org\nSubject: test\n\n"
            + GtubeFilter.GTUBE + "\n";

    private DataVerdict.Copy deliver(Filters filters, String recipient, FilterContext ctx) throws Exception {
        filters.chain().connect(ctx);
        filters.chain().mailFrom(ctx, "x@example.net");
        filters.chain().rcptTo(ctx, recipient, new Recipient.Local(List.of(recipient), null));
        MessageData m = Messages.write(dir, recipient + ".eml", GTUBE_MAIL);
        return filters.chain().data(ctx, m).only();
    }

    private static String status(DataVerdict.Copy copy) {
        return copy.headers().stream().filter(h -> h.name().equals("X-Spam-Status"))
                .map(FilterContext.AddedHeader::value).findFirst().orElseThrow();
    }

    @Test
    void accountKeepsSpamInItsInboxWithItsOwnThresholdOthersGetTheConfiguration() throws Exception {
        FilterConfig config = ConfigDefaults.of(FilterConfig.class);
        AccountSpamSettings own = account -> switch (account) {
            case "bob@example.org" -> new AccountSpamSettings.Settings(Optional.of(2.5), Optional.of(FilterConfig.SpamAction.TAG));
            default -> AccountSpamSettings.Settings.NONE;
        };
        try (Filters filters = Filters.builder(() -> config).dataDir(dir).accountSettings(own).build()) {
            DataVerdict.Copy bob = deliver(filters, "bob@example.org", Messages.mta("198.51.100.7"));
            assertThat(bob.verdict().action()).isNotEqualTo(Verdict.Action.JUNK);
            assertThat(status(bob)).startsWith("Yes").contains("required=2.5");

            DataVerdict.Copy carol = deliver(filters, "carol@example.org", Messages.mta("198.51.100.7"));
            assertThat(carol.verdict().action()).isEqualTo(Verdict.Action.JUNK);
            assertThat(status(carol)).contains("required=5.0");
        }
    }
}
