package org.facteur.filters;

import java.util.List;
import java.util.function.Supplier;
import org.facteur.auth.Recipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one chain every entry point calls, stage by stage. Filters run in the configured order; the first
 * verdict that is not CONTINUE ends the stage. A filter that throws never loses the message: the fallback
 * verdict (a temporary failure by default) applies, and it is logged.
 */
public final class FilterChain {

    private static final Logger log = LoggerFactory.getLogger(FilterChain.class);

    /** What applies when a filter fails: the client retries later, nothing is lost. */
    public static final Verdict DEFAULT_FALLBACK =
            Verdict.tempfail(451, "4.3.0", "Temporary failure while checking the message, try again later");

    private final Supplier<List<Filter>> filters;
    private final Verdict fallback;

    /** @param filters read at each stage, so a configuration reload applies to the next command */
    public FilterChain(Supplier<List<Filter>> filters, Verdict fallback) {
        this.filters = filters;
        this.fallback = fallback;
    }

    public FilterChain(List<Filter> filters) {
        this(() -> filters, DEFAULT_FALLBACK);
    }

    public Verdict connect(FilterContext context) {
        return run(context, "connect", f -> f.connect(context));
    }

    public Verdict helo(FilterContext context, String name) {
        context.helo(name);
        return run(context, "helo", f -> f.helo(context, name));
    }

    public Verdict mailFrom(FilterContext context, String reversePath) {
        context.resetTransaction();
        context.reversePath(reversePath);
        return run(context, "mail", f -> f.mailFrom(context, reversePath));
    }

    /** Records the recipient in the context only when the stage accepts it. */
    public Verdict rcptTo(FilterContext context, String recipient, Recipient resolution) {
        Verdict verdict = run(context, "rcpt", f -> f.rcptTo(context, recipient, resolution));
        if (verdict.action() == Verdict.Action.CONTINUE || verdict.action() == Verdict.Action.ACCEPT) {
            context.addRecipient(recipient);
        }
        return verdict;
    }

    public Verdict data(FilterContext context, MessageData message) {
        return run(context, "data", f -> f.data(context, message));
    }

    @FunctionalInterface
    private interface Stage {
        Verdict apply(Filter filter) throws Exception;
    }

    private Verdict run(FilterContext context, String stage, Stage call) {
        for (Filter filter : filters.get()) {
            Verdict verdict;
            try {
                verdict = call.apply(filter);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fallback;
            } catch (Exception | LinkageError e) {
                log.warn("session {}: filter {} failed at {}; applying fallback {}", context.client().sessionId(),
                        filter.name(), stage, fallback.action(), e);
                return fallback;
            }
            if (verdict == null) {
                continue;
            }
            if (verdict.isFinal()) {
                log.debug("session {}: {} at {}: {} {}", context.client().sessionId(), filter.name(), stage,
                        verdict.action(), verdict.text());
                return verdict;
            }
        }
        return Verdict.CONTINUE;
    }
}
