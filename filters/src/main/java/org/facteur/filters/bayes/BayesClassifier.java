package org.facteur.filters.bayes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.ParsedMessage;

/**
 * The Bayesian classifier. Each token's spam probability is Paul Graham's ratio of frequencies, smoothed
 * with Gary Robinson's f(w) = (s·x + n·p(w)) / (s + n) so rare tokens stay near x; the strongest tokens
 * (|f − 0.5| ≥ min_dev, at most {@link #MAX_CLUES}) are combined with Fisher's method: two chi-square tests,
 * one for "these tokens are spammy", one for "they are hammy", and the indicator (1 + S − H) / 2, as
 * SpamBayes and bogofilter do. Training is idempotent per message (keyed by the hash of its token set).
 */
public final class BayesClassifier {

    /** SpamBayes' max_discriminators: more tokens add noise, fewer miss evidence. */
    static final int MAX_CLUES = 150;

    private final TokenStore store;
    private final Supplier<FilterConfig.Bayes> config;

    public BayesClassifier(TokenStore store, Supplier<FilterConfig.Bayes> config) {
        this.store = store;
        this.config = config;
    }

    public TokenStore store() {
        return store;
    }

    public Set<String> tokens(ParsedMessage message) {
        return new Tokenizer(config.get().maxTokens()).tokens(message);
    }

    /** Classifies against the global database plus the account's own (when given). */
    public Classification classify(ParsedMessage message, String account) throws IOException {
        return classify(tokens(message), account);
    }

    public Classification classify(Set<String> tokens, String account) throws IOException {
        FilterConfig.Bayes cfg = config.get();
        List<String> scopes = account == null || account.isEmpty() ? List.of("") : List.of("", account);
        TokenStore.Counts totals = store.totals(scopes);
        if (totals.spam() < cfg.minSpam() || totals.ham() < cfg.minHam()) {
            return Classification.UNTRAINED;
        }
        Map<Long, String> byHash = new HashMap<>(tokens.size() * 2);
        for (String token : tokens) {
            byHash.put(Tokenizer.hash(token), token);
        }
        Map<Long, TokenStore.Counts> counts = store.counts(scopes, byHash.keySet());
        double s = cfg.robinsonS();
        double x = cfg.robinsonX();
        List<Classification.Clue> clues = new ArrayList<>();
        for (Map.Entry<Long, TokenStore.Counts> e : counts.entrySet()) {
            TokenStore.Counts c = e.getValue();
            int n = c.spam() + c.ham();
            if (n == 0) {
                continue;
            }
            double spamRatio = (double) c.spam() / totals.spam();
            double hamRatio = (double) c.ham() / totals.ham();
            double p = spamRatio / (spamRatio + hamRatio);
            double f = (s * x + n * p) / (s + n);
            if (Math.abs(f - 0.5) >= cfg.minDev()) {
                clues.add(new Classification.Clue(byHash.get(e.getKey()), f));
            }
        }
        clues.sort(Comparator.comparingDouble((Classification.Clue c) -> -Math.abs(c.probability() - 0.5))
                .thenComparing(Classification.Clue::token));
        if (clues.size() > MAX_CLUES) {
            clues = clues.subList(0, MAX_CLUES);
        }
        return new Classification(true, fisher(clues), List.copyOf(clues));
    }

    /** Fisher's combining (SpamBayes' chi2_spamprob): 0.5 with no evidence. */
    static double fisher(List<Classification.Clue> clues) {
        if (clues.isEmpty()) {
            return 0.5;
        }
        double lnHam = 0;
        double lnSpam = 0;
        for (Classification.Clue clue : clues) {
            double f = Math.min(0.9999, Math.max(0.0001, clue.probability()));
            lnHam += Math.log(f);
            lnSpam += Math.log(1 - f);
        }
        int n = clues.size();
        double spamminess = 1 - chi2Q(-2 * lnSpam, 2 * n);
        double hamminess = 1 - chi2Q(-2 * lnHam, 2 * n);
        return (spamminess - hamminess + 1) / 2;
    }

    /** P(χ² ≥ x2) for even degrees of freedom v (the series of Numerical Recipes, as SpamBayes uses). */
    static double chi2Q(double x2, int v) {
        double m = x2 / 2;
        double term = Math.exp(-m);
        double sum = term;
        for (int i = 1; i < v / 2; i++) {
            term *= m / i;
            sum += term;
        }
        return Math.min(sum, 1.0);
    }

    /** Trains one message into a scope ("" is global); false when it was already trained so. */
    public boolean train(ParsedMessage message, boolean spam, String scope) throws IOException {
        return train(message, spam, scope, true);
    }

    /** @param flush false in bulk runs, which call {@link TokenStore#flush()} at the end */
    public boolean train(ParsedMessage message, boolean spam, String scope, boolean flush) throws IOException {
        Set<String> tokens = tokens(message);
        return store.train(scope == null ? "" : scope, hash(tokens), hashes(tokens), spam, flush);
    }

    public boolean forget(ParsedMessage message, String scope) throws IOException {
        Set<String> tokens = tokens(message);
        return store.forget(scope == null ? "" : scope, hash(tokens), hashes(tokens));
    }

    private static List<Long> hashes(Set<String> tokens) {
        List<Long> list = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            list.add(Tokenizer.hash(t));
        }
        return list;
    }

    /**
     * The message's identity for idempotent training: SHA-256 of its sorted token hashes. Our own X-Spam
     * headers are not tokens, so the copy in a mailbox and the file given to {@code facteur train} agree.
     */
    static byte[] hash(Set<String> tokens) {
        long[] h = new long[tokens.size()];
        int i = 0;
        for (String t : tokens) {
            h[i++] = Tokenizer.hash(t);
        }
        Arrays.sort(h);
        ByteBuffer buffer = ByteBuffer.allocate(h.length * 8);
        for (long v : h) {
            buffer.putLong(v);
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(buffer.array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
