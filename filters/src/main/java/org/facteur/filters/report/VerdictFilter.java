package org.facteur.filters.report;

import java.util.List;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;
import org.facteur.filters.Verdict;
import org.facteur.filters.policy.Scope;
import org.facteur.filters.quarantine.Quarantine;

/**
 * The last filter at end of data: adds up the score every filter gave, writes the X-Spam-* headers and turns
 * the total into a verdict (Junk by default, as the user's settings say).
 */
public final class VerdictFilter implements Filter {

    private final Scope scope;
    private final Quarantine quarantine;

    public VerdictFilter(Scope scope, Quarantine quarantine) {
        this.scope = scope;
        this.quarantine = quarantine;
    }

    @Override
    public String name() {
        return "verdict";
    }

    /** Each recipient's own required score and spam action, and its own X-Spam-* headers. */
    @Override
    public boolean perRecipient() {
        return true;
    }

    @Override
    public Verdict data(FilterContext context, MessageData message) throws Exception {
        if (scope.trusted(context)) {
            return Verdict.CONTINUE;
        }
        FilterConfig config = scope.config();
        double score = context.score();
        double required = scope.requiredScore(context);
        boolean spam = score >= required;
        List<FilterContext.ScoreHit> hits = context.hits();
        context.addHeader(SpamReport.STATUS, SpamReport.status(spam, score, required, hits));
        context.addHeader(SpamReport.SCORE, SpamReport.format(score));
        context.addHeader(SpamReport.REPORT, SpamReport.report(hits));
        if (!spam) {
            return Verdict.CONTINUE;
        }
        if (config.rejectScore() > 0 && score >= config.rejectScore()) {
            return Verdict.reject(550, "5.7.1", "Message refused as spam");
        }
        return switch (scope.spamAction(context)) {
            case JUNK -> Verdict.of(Verdict.Action.JUNK);
            case QUARANTINE -> quarantine.hold(context, message, "spam, score " + SpamReport.format(score));
            case REJECT -> Verdict.reject(550, "5.7.1", "Message refused as spam");
            case TAG -> Verdict.CONTINUE;
        };
    }
}
