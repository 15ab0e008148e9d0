package org.facteur.filters.bayes;

import java.util.List;
import java.util.Locale;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;
import org.facteur.filters.ParsedMessage;
import org.facteur.filters.Verdict;
import org.facteur.filters.policy.Scope;

/** Adds the Bayes points (by probability band, as SpamAssassin's BAYES_xx rules) with the strongest tokens. */
public final class BayesFilter implements Filter {

    private final Scope scope;
    private final BayesClassifier classifier;

    public BayesFilter(Scope scope, BayesClassifier classifier) {
        this.scope = scope;
        this.classifier = classifier;
    }

    @Override
    public String name() {
        return "bayes";
    }

    /** Each recipient's own Bayes database (with the global one). */
    @Override
    public boolean perRecipient() {
        return true;
    }

    @Override
    public Verdict data(FilterContext context, MessageData message) throws Exception {
        FilterConfig config = scope.config();
        if (!config.bayes().enabled() || scope.exemptSender(context) || message.size() > config.maxScanSize().bytes()) {
            return Verdict.CONTINUE;
        }
        ParsedMessage parsed = ParsedMessage.of(context, message);
        Classification c = classifier.classify(parsed, scope.account(context).orElse(null));
        if (!c.trained()) {
            return Verdict.CONTINUE;
        }
        Band band = band(config.bayes().points(), c.probability());
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "Bayes spam probability %.4f", c.probability()));
        List<Classification.Clue> clues = c.clues();
        int shown = Math.min(config.bayes().reportTokens(), clues.size());
        if (shown > 0) {
            text.append("; tokens:");
            for (int i = 0; i < shown; i++) {
                Classification.Clue clue = clues.get(i);
                text.append(String.format(Locale.ROOT, " \"%s\" %.3f", printable(clue.token()), clue.probability()));
                if (i < shown - 1) {
                    text.append(',');
                }
            }
        }
        context.score(band.rule(), band.points(), text.toString());
        return Verdict.CONTINUE;
    }

    private static String printable(String token) {
        String t = token.replaceAll("[^\\p{L}\\p{N}\\p{P}\\p{S} ]", "?");
        return t.length() > 40 ? t.substring(0, 40) : t;
    }

    /** A probability band: from {@code min} up, these points. */
    public record Band(double min, double points) {
        String rule() {
            String digits = String.format(Locale.ROOT, "%.3f", min).substring(2).replaceAll("0+$", "");
            if (digits.length() < 2) {
                digits = (digits + "00").substring(0, 2);
            }
            return "BAYES_" + digits;
        }
    }

    /** The highest band not above the probability, from "probability:points" texts. */
    public static Band band(List<String> bands, double probability) {
        Band chosen = new Band(0, 0);
        for (String text : bands) {
            String[] parts = text.split(":");
            Band b = new Band(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
            if (probability >= b.min() && b.min() >= chosen.min()) {
                chosen = b;
            }
        }
        return chosen;
    }
}
