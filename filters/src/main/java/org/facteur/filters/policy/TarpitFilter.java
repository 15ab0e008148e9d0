package org.facteur.filters.policy;

import java.time.Duration;
import org.facteur.auth.Recipient;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Verdict;

/**
 * Tarpit: once a client's score reaches the threshold (a blocklist hit, a bad HELO), each answer at HELO,
 * MAIL and RCPT waits longer as the score grows. Spam engines that send to thousands give up; honest servers
 * just wait. Sessions run on virtual threads, so a sleeping client costs no platform thread.
 */
public final class TarpitFilter implements Filter {

    private final Scope scope;

    public TarpitFilter(Scope scope) {
        this.scope = scope;
    }

    @Override
    public String name() {
        return "tarpit";
    }

    /** The delay for a score: (score − threshold + 1) × delay-per-point, capped; zero below the threshold. */
    public static Duration delay(FilterConfig.Tarpit config, double score) {
        if (!config.enabled() || score < config.threshold()) {
            return Duration.ZERO;
        }
        long millis = (long) ((score - config.threshold() + 1) * config.delayPerPoint().toMillis());
        return Duration.ofMillis(Math.min(millis, config.maxDelay().toMillis()));
    }

    private Verdict pause(FilterContext context) throws InterruptedException {
        if (scope.trusted(context)) {
            return Verdict.CONTINUE;
        }
        Duration d = delay(scope.config().tarpit(), context.score());
        if (!d.isZero()) {
            Thread.sleep(d);
        }
        return Verdict.CONTINUE;
    }

    @Override
    public Verdict helo(FilterContext context, String name) throws InterruptedException {
        return pause(context);
    }

    @Override
    public Verdict mailFrom(FilterContext context, String reversePath) throws InterruptedException {
        return pause(context);
    }

    @Override
    public Verdict rcptTo(FilterContext context, String recipient, Recipient resolution) throws InterruptedException {
        return pause(context);
    }
}
