package org.facteur.filters.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.facteur.auth.Recipient;
import org.facteur.filters.ClientInfo;
import org.facteur.filters.EntryPoint;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.DataVerdict;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Filters;
import org.facteur.filters.Verdict;
import org.facteur.filters.testing.Configs;
import org.facteur.filters.testing.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFiltersTest {

    @TempDir
    Path dir;

    static final Recipient LOCAL = new Recipient.Local(List.of("bob@example.org"), null);

    /** A clock tests move by hand. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private FilterConfig offline() {
        FilterConfig c = Configs.defaults();
        return Configs.with(c, "fcrdns", new FilterConfig.Fcrdns(false, 1), "helo", Configs.with(c.helo(), "enabled", false),
                "spf", Configs.with(c.spf(), "enabled", false));
    }

    private static Verdict attempt(Filters f, String ip, String from, String to) throws Exception {
        FilterContext ctx = new FilterContext(new ClientInfo("g", EntryPoint.MTA, InetAddress.getByName(ip), null, null));
        f.chain().mailFrom(ctx, from);
        return f.chain().rcptTo(ctx, to, LOCAL);
    }

    @Test
    void greylistingDelaysNewTripletsAndAllowlistsRetriers() throws Exception {
        FilterConfig c = offline();
        FilterConfig config = Configs.with(c, "greylist", Configs.with(c.greylist(), "enabled", true, "autoAllowlistAfter", 2));
        MovableClock clock = new MovableClock();
        try (Filters f = Filters.builder(() -> config).dataDir(dir).clock(clock).build()) {
            Verdict first = attempt(f, "198.51.100.7", "a@sender.example", "bob@example.org");
            assertThat(first.action()).isEqualTo(Verdict.Action.TEMPFAIL);
            assertThat(first.code()).isEqualTo(451);
            clock.now = clock.now.plus(Duration.ofMinutes(1));
            assertThat(attempt(f, "198.51.100.7", "a@sender.example", "bob@example.org").action()).isEqualTo(Verdict.Action.TEMPFAIL);
            clock.now = clock.now.plus(Duration.ofMinutes(5));
            // A retry from another server of the same /24 passes.
            assertThat(attempt(f, "198.51.100.8", "a@sender.example", "bob@example.org").action()).isEqualTo(Verdict.Action.CONTINUE);
            assertThat(attempt(f, "198.51.100.7", "a@sender.example", "bob@example.org").action()).isEqualTo(Verdict.Action.CONTINUE);
            // Second triplet from the same network and domain, then the pair is allowlisted.
            assertThat(attempt(f, "198.51.100.7", "b@sender.example", "bob@example.org").action()).isEqualTo(Verdict.Action.TEMPFAIL);
            clock.now = clock.now.plus(Duration.ofMinutes(6));
            assertThat(attempt(f, "198.51.100.7", "b@sender.example", "bob@example.org").action()).isEqualTo(Verdict.Action.CONTINUE);
            assertThat(attempt(f, "198.51.100.7", "new@sender.example", "carol@example.org").action()).isEqualTo(Verdict.Action.CONTINUE);
            // Another network still waits; our own users never do.
            assertThat(attempt(f, "203.0.113.1", "c@other.example", "bob@example.org").action()).isEqualTo(Verdict.Action.TEMPFAIL);
            assertThat(attempt(f, "127.0.0.1", "c@other.example", "bob@example.org").action()).isEqualTo(Verdict.Action.CONTINUE);
        }
    }

    @Test
    void tarpitDelayGrowsWithScore() {
        FilterConfig.Tarpit t = Configs.defaults().tarpit();
        assertThat(TarpitFilter.delay(t, 1.0)).isEqualTo(Duration.ZERO);
        assertThat(TarpitFilter.delay(t, 3.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(TarpitFilter.delay(t, 5.0)).isEqualTo(Duration.ofSeconds(6));
        assertThat(TarpitFilter.delay(t, 100)).isEqualTo(t.maxDelay());
    }

    @Test
    void tarpitSleepsForScoredClients() throws Exception {
        FilterConfig c = offline();
        FilterConfig config = Configs.with(c, "tarpit", new FilterConfig.Tarpit(true, 1.0, Duration.ofMillis(100), Duration.ofMillis(300)));
        try (Filters f = Filters.builder(() -> config).dataDir(dir).build()) {
            FilterContext ctx = Messages.mta("198.51.100.7");
            ctx.score("TEST", 2.0, "test");
            long start = System.nanoTime();
            f.chain().rcptTo(ctx, "bob@example.org", LOCAL);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void internalOnlyAddresses() throws Exception {
        FilterConfig config = Configs.with(offline(), "internalOnly", List.of("staff@example.org"));
        try (Filters f = Filters.builder(() -> config).dataDir(dir).build()) {
            Verdict outside = attempt(f, "198.51.100.7", "boss@example.org", "staff@example.org");
            assertThat(outside.action()).isEqualTo(Verdict.Action.REJECT);
            assertThat(outside.enhancedCode()).isEqualTo("5.7.1");
            FilterContext inside = Messages.submission("alice@example.org");
            f.chain().mailFrom(inside, "alice@example.org");
            assertThat(f.chain().rcptTo(inside, "Staff@Example.org", LOCAL).action()).isEqualTo(Verdict.Action.CONTINUE);
            FilterContext otherDomain = Messages.submission("eve@other.example");
            f.chain().mailFrom(otherDomain, "eve@other.example");
            assertThat(f.chain().rcptTo(otherDomain, "staff@example.org", LOCAL).action()).isEqualTo(Verdict.Action.REJECT);
        }
    }

    @Test
    void perAccountSenderLists() throws Exception {
        FilterConfig config = offline();
        try (Filters f = Filters.builder(() -> config).dataDir(dir).build()) {
            f.senderLists().put("bob@example.org", "friend@pals.example", true);
            f.senderLists().put("bob@example.org", "spammy.example", false);
            assertThat(f.senderLists().judge("bob@example.org", "x@news.spammy.example")).isFalse();
            assertThat(f.senderLists().judge("bob@example.org", "friend@pals.example")).isTrue();
            assertThat(f.senderLists().judge("bob@example.org", "other@pals.example")).isNull();

            FilterContext blocked = Messages.mta("198.51.100.7");
            f.chain().mailFrom(blocked, "x@spammy.example");
            f.chain().rcptTo(blocked, "bob@example.org", LOCAL);
            Verdict v = f.chain().data(blocked, Messages.write(dir, "b.eml", "From: x@spammy.example\nSubject: hi\n\nhello\n")).verdict();
            assertThat(v.action()).isEqualTo(Verdict.Action.JUNK);

            FilterContext allowed = Messages.mta("198.51.100.7");
            f.chain().mailFrom(allowed, "friend@pals.example");
            f.chain().rcptTo(allowed, "bob@example.org", LOCAL);
            DataVerdict.Copy ok = f.chain().data(allowed, Messages.write(dir, "a.eml", "From: Friend <friend@pals.example>\nSubject: hi\n\n"
                    + org.facteur.filters.policy.GtubeFilter.GTUBE + "\n")).only();
            assertThat(ok.verdict().action()).isEqualTo(Verdict.Action.JUNK); // GTUBE (1000) still wins over -100
            assertThat(ok.hits()).extracting(FilterContext.ScoreHit::rule).contains("USER_ALLOWLIST");
        }
    }
}
