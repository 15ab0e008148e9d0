package org.facteur.filters;

import org.facteur.auth.Recipient;

/**
 * One policy of the chain. Each stage defaults to {@link Verdict#CONTINUE}, so a filter implements only the
 * stages it cares about. Filters are shared by all sessions and must be thread-safe; per-session state goes
 * in the {@link FilterContext}.
 */
public interface Filter {

    /** The name used in the configuration's order list, in logs and in X-Spam-Report. */
    String name();

    default Verdict connect(FilterContext context) throws Exception {
        return Verdict.CONTINUE;
    }

    default Verdict helo(FilterContext context, String name) throws Exception {
        return Verdict.CONTINUE;
    }

    default Verdict mailFrom(FilterContext context, String reversePath) throws Exception {
        return Verdict.CONTINUE;
    }

    /** {@code resolution} is what the directory says of the address (local, forward, unknown, not ours). */
    default Verdict rcptTo(FilterContext context, String recipient, Recipient resolution) throws Exception {
        return Verdict.CONTINUE;
    }

    /**
     * End of data: the whole message, once per transaction, or once per recipient group when
     * {@link #perRecipient()} says so.
     */
    default Verdict data(FilterContext context, MessageData message) throws Exception {
        return Verdict.CONTINUE;
    }

    /**
     * Whether this filter's end-of-data answer depends on the recipient (its Bayes database, allow and block
     * lists, required score, spam action). Such filters run after the others, once for each
     * {@link RecipientGroups.Group}, on a context holding only that group's recipients; the others run once for
     * the whole message, as amavis and MIMEDefang do.
     */
    default boolean perRecipient() {
        return false;
    }
}
