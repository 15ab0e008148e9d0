package org.facteur.filters.bayes;

import java.util.List;

/**
 * What the classifier concluded: the spam probability (0 ham .. 1 spam, from Fisher's chi-square combining)
 * and the strongest tokens with their probabilities, shown to the user in X-Spam-Report.
 *
 * @param trained false when too few messages were trained: no probability then
 */
public record Classification(boolean trained, double probability, List<Clue> clues) {

    public record Clue(String token, double probability) {
    }

    public static final Classification UNTRAINED = new Classification(false, 0.5, List.of());
}
