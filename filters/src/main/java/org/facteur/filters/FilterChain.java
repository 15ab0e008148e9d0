package org.facteur.filters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.facteur.auth.Directory;
import org.facteur.auth.Recipient;
import org.facteur.config.ConfigDefaults;
import org.facteur.filters.quarantine.Quarantine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one chain every entry point calls, stage by stage. Filters run in the configured order; the first
 * verdict that is not CONTINUE ends the stage. Each filter call has a deadline ({@code filters.filter-timeout}):
 * a filter that throws or does not answer in time never loses the message: the fallback verdict (a temporary
 * failure by default) applies, and it is logged. Both are read from the configuration at each call, so a
 * reload applies to the next command.
 *
 * <p>At end of data the message-wide filters run once; then the filters whose answer depends on the
 * recipient ({@link Filter#perRecipient()}) run once per {@link RecipientGroups.Group}, each on a context
 * narrowed to its recipients, so each copy gets its own verdict and X-Spam-* headers ({@link DataVerdict}).
 */
public final class FilterChain {

    private static final Logger log = LoggerFactory.getLogger(FilterChain.class);

    /** What applies when a filter fails: the client retries later, nothing is lost. */
    public static final Verdict DEFAULT_FALLBACK =
            Verdict.tempfail(451, "4.3.0", "Temporary failure while checking the message, try again later");

    private final Supplier<List<Filter>> filters;
    private final Supplier<FilterConfig> config;
    private final Directory directory;
    private final Quarantine quarantine;

    /**
     * @param filters    read at each stage, so a configuration reload applies to the next command
     * @param config     the fallback, the per-filter deadline, the authserv-id whose forged Authentication-Results
     *                   are removed at end of data, and the recipients' overrides; read at each stage
     * @param directory  splits the recipients into local accounts at end of data; null takes each address as one
     * @param quarantine where a copy whose recipient's policy refuses the message goes when other recipients
     *                   accept it; null (chains without recipient policies) delivers that copy to Junk instead
     */
    public FilterChain(Supplier<List<Filter>> filters, Supplier<FilterConfig> config, Directory directory,
                       Quarantine quarantine) {
        this.filters = filters;
        this.config = config;
        this.directory = directory;
        this.quarantine = quarantine;
    }

    /** A fixed list of filters with the default configuration (tests, and servers built without filters). */
    public FilterChain(List<Filter> filters) {
        this(() -> filters, Defaults::config, null, null);
    }

    /** Built once, on first use: the simple constructor's configuration. */
    private static final class Defaults {
        private static final FilterConfig CONFIG = ConfigDefaults.of(FilterConfig.class);

        static FilterConfig config() {
            return CONFIG;
        }
    }

    public Verdict connect(FilterContext context) {
        return run(context, "connect", filters.get(), null, (f, c, m) -> f.connect(c));
    }

    public Verdict helo(FilterContext context, String name) {
        context.helo(name);
        return run(context, "helo", filters.get(), null, (f, c, m) -> f.helo(c, name));
    }

    public Verdict mailFrom(FilterContext context, String reversePath) {
        context.resetTransaction();
        context.reversePath(reversePath);
        return run(context, "mail", filters.get(), null, (f, c, m) -> f.mailFrom(c, reversePath));
    }

    /** Records the recipient in the context only when the stage accepts it. */
    public Verdict rcptTo(FilterContext context, String recipient, Recipient resolution) {
        Verdict verdict = run(context, "rcpt", filters.get(), null, (f, c, m) -> f.rcptTo(c, recipient, resolution));
        if (verdict.action() == Verdict.Action.CONTINUE || verdict.action() == Verdict.Action.ACCEPT) {
            context.addRecipient(recipient);
        }
        return verdict;
    }

    /**
     * End of data. First the headers only we may write are removed from the message as received (a sender
     * could otherwise forge a clean verdict or a passed authentication); then the message-wide filters run once
     * on the result, and the per-recipient ones once for each recipient group.
     */
    public DataVerdict data(FilterContext context, MessageData message) {
        FilterConfig current = config.get();
        try {
            ForgedHeaders.remove(message, current.effectiveAuthservId());
        } catch (java.io.IOException e) {
            log.warn("session {}: removing forged headers failed; applying fallback {}", context.client().sessionId(),
                    current.fallback(), e);
            if (current.fallbackVerdict().isFinal()) {
                return DataVerdict.whole(current.fallbackVerdict(), context);
            }
        }
        List<RecipientGroups.Group> groups = RecipientGroups.split(directory, context.recipients());
        List<Filter> messageWide = new ArrayList<>();
        List<Filter> perRecipient = new ArrayList<>();
        for (Filter filter : filters.get()) {
            if (!filter.perRecipient()) {
                // Turned off by an override only when every copy's recipient turns it off.
                if (groups.stream().anyMatch(g -> !disabled(current, g, filter))) {
                    messageWide.add(filter);
                }
            } else {
                perRecipient.add(filter);
            }
        }
        Verdict whole = run(context, "data", messageWide, message, (f, c, m) -> f.data(c, m));
        if (whole.isFinal()) {
            return DataVerdict.whole(whole, context);
        }
        List<DataVerdict.Copy> copies = new ArrayList<>();
        for (RecipientGroups.Group group : groups) {
            FilterContext own = context.forRecipients(group.account(), group.recipients());
            List<Filter> applying = perRecipient.stream().filter(f -> !disabled(current, group, f)).toList();
            Verdict verdict = run(own, "data", applying, message, (f, c, m) -> f.data(c, m));
            copies.add(new DataVerdict.Copy(group.account(), group.recipients(), verdict, own.headers(), own.hits()));
        }
        return settle(context, message, copies);
    }

    /** {@code filters.overrides[].disabled}: the end-of-data filters a recipient's override turns off. */
    private static boolean disabled(FilterConfig config, RecipientGroups.Group group, Filter filter) {
        Optional<FilterConfig.Override> override = group.recipients().isEmpty() ? Optional.empty()
                : config.overrideFor(group.recipients().get(0));
        return override.isPresent() && override.get().disabled().contains(filter.name());
    }

    /**
     * One SMTP reply for copies that may disagree. A temporary failure of any copy fails the whole message (the
     * client retries; nothing was delivered). A refusal by every copy refuses the message. A refusal by some
     * copies only cannot be told to the client, whose other recipients accept the message: those copies are
     * held in the quarantine with the reason, as amavis does, never silently dropped, and never bounced (the
     * sender of refused spam is usually forged).
     */
    private DataVerdict settle(FilterContext context, MessageData message, List<DataVerdict.Copy> copies) {
        for (DataVerdict.Copy copy : copies) {
            if (copy.verdict().action() == Verdict.Action.TEMPFAIL) {
                return DataVerdict.whole(copy.verdict(), context);
            }
        }
        List<DataVerdict.Copy> refused = copies.stream().filter(c -> c.verdict().action() == Verdict.Action.REJECT).toList();
        if (refused.size() == copies.size()) {
            return DataVerdict.whole(refused.get(0).verdict(), context);
        }
        List<DataVerdict.Copy> settled = new ArrayList<>();
        for (DataVerdict.Copy copy : copies) {
            if (copy.verdict().action() != Verdict.Action.REJECT) {
                settled.add(copy);
                continue;
            }
            Verdict instead = Verdict.of(Verdict.Action.JUNK);
            String reason = "refused by the recipient's policy: " + copy.verdict().text();
            if (quarantine != null) {
                try {
                    instead = quarantine.hold(context.forRecipients(copy.account(), copy.recipients()), message, reason);
                } catch (java.io.IOException e) {
                    Verdict fallback = config.get().fallbackVerdict();
                    log.warn("session {}: could not hold the copy for {} ({}); applying fallback {}",
                            context.client().sessionId(), copy.recipients(), reason, config.get().fallback(), e);
                    if (fallback.isFinal()) {
                        return DataVerdict.whole(fallback, context);
                    }
                }
            }
            log.info("session {}: {} for {}, accepted for the others: {}", context.client().sessionId(), reason,
                    copy.recipients(), instead.action());
            settled.add(new DataVerdict.Copy(copy.account(), copy.recipients(), instead, copy.headers(), copy.hits()));
        }
        return DataVerdict.perCopy(context, settled);
    }

    @FunctionalInterface
    private interface Stage {
        Verdict apply(Filter filter, FilterContext context, MessageData message) throws Exception;
    }

    /**
     * Runs {@code chain} at one stage; {@code message} is the message at end of data, null before. A filter
     * that fails or times out gets the fallback: {@code tempfail} ends the stage with a 4xx (the client keeps
     * the message and retries), {@code accept} skips that filter and lets the others judge.
     */
    private Verdict run(FilterContext context, String stage, List<Filter> chain, MessageData message, Stage call) {
        for (Filter filter : chain) {
            FilterConfig current = config.get();
            Verdict verdict;
            try {
                verdict = callWithDeadline(filter, context, message, call, current.filterTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return DEFAULT_FALLBACK; // the server is stopping: never accept unchecked mail for that
            } catch (TimeoutException e) {
                log.warn("session {}: filter {} did not answer at {} within {}; applying fallback {}",
                        context.client().sessionId(), filter.name(), stage, current.filterTimeout(), current.fallback());
                verdict = current.fallbackVerdict();
            } catch (Exception | LinkageError e) {
                log.warn("session {}: filter {} failed at {}; applying fallback {}", context.client().sessionId(),
                        filter.name(), stage, current.fallback(), e);
                verdict = current.fallbackVerdict();
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

    /**
     * Runs one filter call on its own virtual thread, on private copies of the context and of the message
     * handle, and waits at most {@code deadline}. In time, the session takes the copies' state (a rewritten
     * message included); too late, the thread is interrupted (which aborts its blocking socket reads) and
     * abandoned with its copies, so it cannot change the session or the message delivered any more.
     *
     * @throws InterruptedException only when the session's own thread is interrupted while waiting
     */
    private static Verdict callWithDeadline(Filter filter, FilterContext context, MessageData message, Stage call,
                                            Duration deadline) throws Exception {
        FilterContext isolated = context.isolated();
        MessageData ownMessage = message == null ? null : new MessageData(message.file());
        FutureTask<Verdict> task = new FutureTask<>(() -> call.apply(filter, isolated, ownMessage));
        Thread worker = Thread.ofVirtual().name("filter-" + filter.name()).start(task);
        Verdict verdict;
        try {
            verdict = task.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            worker.interrupt();
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException) {
                // the filter's own thread was interrupted, not the session's: a failure like any other
                throw new IllegalStateException("filter " + filter.name() + " was interrupted", cause);
            }
            if (cause instanceof Exception failure) {
                throw failure;
            }
            if (cause instanceof LinkageError linkage) {
                throw linkage;
            }
            throw e;
        }
        context.adopt(isolated);
        if (message != null && !ownMessage.file().equals(message.file())) {
            message.replace(ownMessage.file());
        }
        return verdict;
    }
}
