package org.facteur.filters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.facteur.filters.policy.Scope;
import org.facteur.filters.policy.SenderLists;
import org.facteur.filters.policy.SenderListsFilter;
import org.facteur.filters.quarantine.Quarantine;
import org.facteur.filters.report.SpamReport;
import org.facteur.filters.report.VerdictFilter;
import org.facteur.filters.store.FilterDatabase;
import org.facteur.filters.testing.Configs;
import org.facteur.filters.testing.Messages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain's end-of-data contract: message-wide filters once, the recipient's filters once per recipient
 * (each copy its own verdict and X-Spam-* headers), refusals by some recipients only, per-filter deadlines and
 * the fallback read live. Real filters (sender lists, verdict, quarantine on disk), with two small ones of the
 * test's own: one that scores, one that hangs.
 */
class FilterChainTest {

    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";
    private static final String CAROL = "carol@example.org";

    @TempDir
    Path dir;
    private final AtomicReference<FilterConfig> config = new AtomicReference<>();
    private FilterDatabase database;
    private SenderLists lists;
    private Quarantine quarantine;
    private Scope scope;

    /** A message-wide content filter: six points, and counts its calls (the message is judged once). */
    static final class SixPoints implements Filter {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() {
            return "six";
        }

        @Override
        public Verdict data(FilterContext context, MessageData message) {
            calls.incrementAndGet();
            context.score("SIX", 6, "six points for the test");
            return Verdict.CONTINUE;
        }
    }

    /** A filter that does not answer for {@code hang}, deaf to interruption, and only then leaves a trace. */
    static final class Hanging implements Filter {
        final Duration hang;
        final AtomicInteger finished = new AtomicInteger();

        Hanging(Duration hang) {
            this.hang = hang;
        }

        @Override
        public String name() {
            return "hanging";
        }

        @Override
        public Verdict data(FilterContext context, MessageData message) {
            long end = System.nanoTime() + hang.toNanos();
            while (System.nanoTime() < end) {
                try {
                    Thread.sleep(Duration.ofMillis(20));
                } catch (InterruptedException deaf) {
                    // a badly written filter: ignores the interruption and goes on
                }
            }
            context.score("LATE", 50, "should never count");
            context.addHeader("X-Late", "yes");
            finished.incrementAndGet();
            return Verdict.CONTINUE;
        }
    }

    @BeforeEach
    void setUp() {
        config.set(Configs.with(Configs.defaults(), "overrides", List.of(
                new FilterConfig.Override(BOB, Optional.of(10.0), Optional.empty(), List.of()),
                new FilterConfig.Override(CAROL, Optional.of(10.0), Optional.empty(), List.of()))));
        database = FilterDatabase.inMemory("chain-" + System.nanoTime());
        lists = new SenderLists(database);
        quarantine = new Quarantine(() -> dir.resolve("quarantine"), null);
        scope = new Scope(config::get, null);
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    private FilterChain chain(Filter... messageWide) {
        List<Filter> filters = new java.util.ArrayList<>(List.of(messageWide));
        filters.add(new SenderListsFilter(scope, lists));
        filters.add(new VerdictFilter(scope, quarantine));
        return new FilterChain(() -> filters, config::get, null, quarantine);
    }

    private DataVerdict send(FilterChain chain, String... recipients) throws Exception {
        FilterContext context = Messages.mta("198.51.100.7");
        chain.mailFrom(context, "news@spammy.example");
        for (String r : recipients) {
            chain.rcptTo(context, r, new org.facteur.auth.Recipient.Local(List.of(r), null));
        }
        return chain.data(context, Messages.write(dir, "m" + System.nanoTime() + ".eml",
                "From: news@spammy.example\nSubject: offer\n\nBuy now.\n"));
    }

    private static String status(DataVerdict.Copy copy) {
        return copy.headers().stream().filter(h -> h.name().equals(SpamReport.STATUS))
                .map(FilterContext.AddedHeader::value).findFirst().orElse(null);
    }

    @Test
    void eachRecipientHasItsOwnVerdictAndHeadersFromOneScoring() throws Exception {
        lists.put(CAROL, "spammy.example", false);
        SixPoints six = new SixPoints();
        DataVerdict verdict = send(chain(six), ALICE, BOB, CAROL);

        assertThat(six.calls).hasValue(1);
        assertThat(verdict.isWhole()).isFalse();
        DataVerdict.Copy alice = verdict.copyFor(ALICE);
        DataVerdict.Copy bob = verdict.copyFor(BOB);
        DataVerdict.Copy carol = verdict.copyFor(CAROL);
        // the default required score (5.0): six points are spam
        assertThat(alice.verdict().action()).isEqualTo(Verdict.Action.JUNK);
        assertThat(status(alice)).startsWith("Yes, score=6.0 required=5.0 tests=SIX");
        // Bob's own required score (10.0): the same six points are not
        assertThat(bob.verdict().action()).isEqualTo(Verdict.Action.CONTINUE);
        assertThat(status(bob)).startsWith("No, score=6.0 required=10.0 tests=SIX");
        // Carol also needs 10, but blocks the sender's domain
        assertThat(carol.verdict().action()).isEqualTo(Verdict.Action.JUNK);
        assertThat(status(carol)).startsWith("Yes, score=106.0 required=10.0 tests=SIX,USER_BLOCKLIST");
        assertThat(carol.score()).isEqualTo(106.0);
        // each copy carries exactly one verdict, its own
        assertThat(alice.headers()).filteredOn(h -> h.name().equals(SpamReport.STATUS)).hasSize(1);
    }

    @Test
    void aRefusalBySomeRecipientsOnlyHoldsTheirCopyAndTheOthersAccept() throws Exception {
        config.set(Configs.with(config.get(), "overrides", List.of(
                new FilterConfig.Override(BOB, Optional.empty(), Optional.of(FilterConfig.SpamAction.REJECT), List.of()))));
        DataVerdict mixed = send(chain(new SixPoints()), ALICE, BOB);
        assertThat(mixed.isWhole()).isFalse();
        assertThat(mixed.copyFor(ALICE).verdict().action()).isEqualTo(Verdict.Action.JUNK);
        assertThat(mixed.copyFor(BOB).verdict().action()).isEqualTo(Verdict.Action.QUARANTINE);
        assertThat(quarantine.list()).singleElement().satisfies(held -> {
            assertThat(held.recipients()).containsExactly(BOB);
            assertThat(held.reason()).contains("refused by the recipient's policy");
        });

        // A recipient whose spam action is quarantine: its copy alone is held, for it alone.
        config.set(Configs.with(config.get(), "overrides", List.of(
                new FilterConfig.Override(CAROL, Optional.empty(), Optional.of(FilterConfig.SpamAction.QUARANTINE), List.of()),
                new FilterConfig.Override(BOB, Optional.empty(), Optional.of(FilterConfig.SpamAction.REJECT), List.of()))));
        DataVerdict quarantined = send(chain(new SixPoints()), ALICE, CAROL);
        assertThat(quarantined.copyFor(ALICE).verdict().action()).isEqualTo(Verdict.Action.JUNK);
        assertThat(quarantined.copyFor(CAROL).verdict().action()).isEqualTo(Verdict.Action.QUARANTINE);
        assertThat(quarantine.list()).hasSize(2).anySatisfy(held -> assertThat(held.recipients()).containsExactly(CAROL));

        // When every recipient refuses, the one SMTP reply can say so.
        DataVerdict refused = send(chain(new SixPoints()), BOB);
        assertThat(refused.isWhole()).isTrue();
        assertThat(refused.message().action()).isEqualTo(Verdict.Action.REJECT);
        assertThat(refused.message().code()).isEqualTo(550);
        assertThat(quarantine.list()).hasSize(2);
    }

    @Test
    void anOverrideTurnsOffAFilterForItsRecipientOnly() throws Exception {
        config.set(Configs.with(config.get(), "overrides", List.of(
                new FilterConfig.Override(BOB, Optional.empty(), Optional.empty(), List.of("verdict", "six")))));
        SixPoints six = new SixPoints();
        DataVerdict verdict = send(chain(six), ALICE, BOB);
        assertThat(six.calls).hasValue(1); // Alice still wants it
        assertThat(verdict.copyFor(ALICE).verdict().action()).isEqualTo(Verdict.Action.JUNK);
        assertThat(verdict.copyFor(BOB).verdict().action()).isEqualTo(Verdict.Action.CONTINUE);
        assertThat(status(verdict.copyFor(BOB))).isNull();

        SixPoints unused = new SixPoints();
        send(chain(unused), BOB);
        assertThat(unused.calls).hasValue(0); // off for every recipient: not run at all
    }

    @Test
    void aHangingFilterGetsTheFallbackAtItsDeadlineAndLeavesNoTrace() throws Exception {
        config.set(Configs.with(config.get(), "filterTimeout", Duration.ofMillis(300)));
        Hanging hanging = new Hanging(Duration.ofSeconds(2));
        FilterChain chain = chain(hanging, new SixPoints());
        FilterContext context = Messages.mta("198.51.100.7");
        chain.mailFrom(context, "a@sender.example");
        chain.rcptTo(context, ALICE, new org.facteur.auth.Recipient.Local(List.of(ALICE), null));
        MessageData message = Messages.write(dir, "h.eml", "Subject: hi\n\nhello\n");

        long start = System.nanoTime();
        DataVerdict verdict = chain.data(context, message);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(verdict.message()).isEqualTo(FilterChain.DEFAULT_FALLBACK);
        assertThat(took).isLessThan(Duration.ofMillis(1500));

        // The abandoned filter finishes later, on its own copy of the context: the session never sees it.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hanging.finished.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(hanging.finished).hasValue(1);
        assertThat(context.hits()).extracting(FilterContext.ScoreHit::rule).doesNotContain("LATE");
        assertThat(context.headers()).extracting(FilterContext.AddedHeader::name).doesNotContain("X-Late");
    }

    @Test
    void theFallbackIsReadAtEachCallSoAReloadAppliesToTheNextMessage() throws Exception {
        config.set(Configs.with(config.get(), "filterTimeout", Duration.ofMillis(200)));
        FilterChain chain = chain(new Hanging(Duration.ofMillis(600)), new SixPoints());
        assertThat(send(chain, ALICE).message().action()).isEqualTo(Verdict.Action.TEMPFAIL);

        config.set(Configs.with(config.get(), "fallback", FilterConfig.FallbackAction.ACCEPT));
        DataVerdict accepted = send(chain, ALICE);
        // accept: the hanging filter is skipped, the others still judge
        assertThat(accepted.isWhole()).isFalse();
        assertThat(accepted.only().verdict().action()).isEqualTo(Verdict.Action.JUNK);
        assertThat(status(accepted.only())).startsWith("Yes, score=6.0");
    }
}
