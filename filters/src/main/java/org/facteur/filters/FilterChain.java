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
    private final Supplier<String> authservId;

    /**
     * @param filters read at each stage, so a configuration reload applies to the next command
     * @param authservId ours, whose forged Authentication-Results are removed at end of data
     */
    public FilterChain(Supplier<List<Filter>> filters, Verdict fallback, Supplier<String> authservId) {
        this.filters = filters;
        this.fallback = fallback;
        this.authservId = authservId;
    }

    public FilterChain(Supplier<List<Filter>> filters, Verdict fallback) {
        this(filters, fallback, () -> "localhost");
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

    /**
     * End of data. First the headers only we may write are removed from the message as received (a sender
     * could otherwise forge a clean verdict or a passed authentication), then the filters run on the result.
     */
    public Verdict data(FilterContext context, MessageData message) {
        try {
            ForgedHeaders.remove(message, authservId.get());
        } catch (java.io.IOException e) {
            log.warn("session {}: removing forged headers failed; applying fallback {}", context.client().sessionId(),
                    fallback.action(), e);
            return fallback;
        }
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
