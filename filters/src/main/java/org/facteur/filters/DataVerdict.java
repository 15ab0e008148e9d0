package org.facteur.filters;

import java.util.List;

/**
 * The chain's answer at end of data. SMTP has one reply for the whole message (RFC 5321 §4.2.5, §3.3), so
 * {@link #message()} says what the client is told and what happens to every copy when it is final (a virus, a
 * blocked attachment, a refusal or a temporary failure that concerns all recipients). Otherwise each recipient
 * group has its own {@link Copy}: its verdict (CONTINUE for INBOX, JUNK, QUARANTINE already held, DISCARD) and
 * the headers that explain it, X-Spam-* included.
 *
 * @param message the verdict for the whole message; CONTINUE when the copies decide
 * @param headers the headers every copy carries (those of the whole-message filters)
 * @param hits    the score hits of the whole-message filters
 * @param copies  one per {@link RecipientGroups.Group}, in its order; empty when {@code message} is final
 */
public record DataVerdict(Verdict message, List<FilterContext.AddedHeader> headers, List<FilterContext.ScoreHit> hits,
                          List<Copy> copies) {

    /**
     * One recipient group's copy.
     *
     * @param account the local account, or null for the copy delivered elsewhere
     * @param hits    every score hit this copy was judged on, the message's and its own
     */
    public record Copy(String account, List<String> recipients, Verdict verdict,
                       List<FilterContext.AddedHeader> headers, List<FilterContext.ScoreHit> hits) {
        public Copy {
            recipients = List.copyOf(recipients);
            headers = List.copyOf(headers);
            hits = List.copyOf(hits);
        }

        public double score() {
            return hits.stream().mapToDouble(FilterContext.ScoreHit::points).sum();
        }
    }

    public DataVerdict {
        headers = List.copyOf(headers);
        hits = List.copyOf(hits);
        copies = List.copyOf(copies);
    }

    /** The same verdict for the whole message and every copy. */
    static DataVerdict whole(Verdict verdict, FilterContext context) {
        if (!verdict.isFinal()) {
            throw new IllegalArgumentException("a whole-message verdict is final, not " + verdict.action());
        }
        return new DataVerdict(verdict, context.headers(), context.hits(), List.of());
    }

    /** Copies that decide each for itself, under the whole-message filters' headers and hits in {@code context}. */
    static DataVerdict perCopy(FilterContext context, List<Copy> copies) {
        return new DataVerdict(Verdict.CONTINUE, context.headers(), context.hits(), copies);
    }

    /** Whether {@link #message()} decides for every recipient. */
    public boolean isWhole() {
        return message.isFinal();
    }

    /**
     * The copy of a local account. When the message verdict is whole, or the account was not judged apart (the
     * directory changed between RCPT and end of data), it gets the whole-message verdict, or the copy of the
     * addresses that are not local, or the first copy, in that order.
     */
    public Copy copyFor(String account) {
        if (!isWhole()) {
            for (Copy c : copies) {
                if (account != null && account.equalsIgnoreCase(c.account())) {
                    return c;
                }
            }
        }
        return others();
    }

    /** The copy for the addresses that are not local (relayed or forwarded elsewhere). */
    public Copy others() {
        if (isWhole()) {
            return new Copy(null, List.of(), message, headers, hits);
        }
        return copies.stream().filter(c -> c.account() == null).findFirst().orElse(copies.get(0));
    }

    /**
     * The one verdict when there is one: the message's when it is whole, else the copies' when they all agree
     * (always so for a message with one recipient, as {@code facteur scan} and most tests see it).
     *
     * @throws IllegalStateException when the copies disagree; read {@link #copies()} then
     */
    public Verdict verdict() {
        if (isWhole()) {
            return message;
        }
        Verdict first = copies.get(0).verdict();
        for (Copy c : copies) {
            if (c.verdict().action() != first.action()) {
                throw new IllegalStateException("the recipients' copies have different verdicts: " + copies);
            }
        }
        return first;
    }

    /**
     * The only copy, for callers that judge a message with one recipient group (scan, benchmarks, tests); the
     * whole-message verdict with its headers and hits when it is whole.
     */
    public Copy only() {
        if (isWhole()) {
            return others();
        }
        if (copies.size() != 1) {
            throw new IllegalStateException("not a single copy: " + copies);
        }
        return copies.get(0);
    }
}
