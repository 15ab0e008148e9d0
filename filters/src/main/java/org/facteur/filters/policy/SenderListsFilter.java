package org.facteur.filters.policy;

import java.util.Optional;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;
import org.facteur.filters.ParsedMessage;
import org.facteur.filters.Verdict;

/**
 * Applies the recipient account's allow and block lists to the envelope sender and the From address: an
 * allowed sender gets −100 (never spam), a blocked one +100 (always spam, so it goes to Junk by default).
 */
public final class SenderListsFilter implements Filter {

    public static final double POINTS = 100;

    private final Scope scope;
    private final SenderLists lists;

    public SenderListsFilter(Scope scope, SenderLists lists) {
        this.scope = scope;
        this.lists = lists;
    }

    @Override
    public String name() {
        return "sender-lists";
    }

    /** Each recipient's own allow and block lists. */
    @Override
    public boolean perRecipient() {
        return true;
    }

    @Override
    public Verdict data(FilterContext context, MessageData message) throws Exception {
        if (scope.trusted(context)) {
            return Verdict.CONTINUE;
        }
        Optional<String> account = scope.account(context);
        if (account.isEmpty()) {
            return Verdict.CONTINUE;
        }
        String from = ParsedMessage.of(context, message).header("From");
        String fromAddress = from == null ? null : address(from);
        Boolean verdict = lists.judge(account.get(), fromAddress);
        Boolean envelope = lists.judge(account.get(), context.reversePath());
        // A block on either wins over an allow: a forged From cannot bypass a blocked envelope.
        if (Boolean.FALSE.equals(verdict) || Boolean.FALSE.equals(envelope)) {
            context.score("USER_BLOCKLIST", POINTS, "sender is on the recipient's block list");
        } else if (Boolean.TRUE.equals(verdict) || Boolean.TRUE.equals(envelope)) {
            context.score("USER_ALLOWLIST", -POINTS, "sender is on the recipient's allow list");
        }
        return Verdict.CONTINUE;
    }

    static String address(String header) {
        int lt = header.lastIndexOf('<');
        if (lt >= 0) {
            int gt = header.indexOf('>', lt);
            return header.substring(lt + 1, gt < 0 ? header.length() : gt).strip();
        }
        return header.strip();
    }
}
