package org.facteur.filters.policy;

import org.facteur.filters.Filter;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;
import org.facteur.filters.ParsedMessage;
import org.facteur.filters.Verdict;

/**
 * GTUBE, the Generic Test for Unsolicited Bulk Email: a message holding this string is spam, as in
 * SpamAssassin and Rspamd, so admins can test their setup end to end.
 */
public final class GtubeFilter implements Filter {

    public static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    private final Scope scope;

    public GtubeFilter(Scope scope) {
        this.scope = scope;
    }

    @Override
    public String name() {
        return "gtube";
    }

    @Override
    public Verdict data(FilterContext context, MessageData message) throws Exception {
        if (scope.trusted(context)) {
            return Verdict.CONTINUE;
        }
        ParsedMessage parsed = ParsedMessage.of(context, message);
        if (parsed.rawText().contains(GTUBE)) {
            context.score("GTUBE", 1000, "Generic Test for Unsolicited Bulk Email");
        }
        return Verdict.CONTINUE;
    }
}
