package org.facteur.filters.bayes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.facteur.config.ConfigDefaults;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.Filters;
import org.facteur.filters.ParsedMessage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains on part of the shared corpus (read in place), checks held-out messages and persistence. */
class BayesTest {

    static final Path CORPUS = org.facteur.filters.testing.Corpus.location();

    @TempDir
    Path data;

    static List<Path> files(String kind, int limit) throws Exception {
        try (Stream<Path> s = Files.list(CORPUS.resolve(kind))) {
            return s.sorted().limit(limit).toList();
        }
    }

    @Test
    void learnsFromTheCorpusAndPersists() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(CORPUS), "corpus not present");
        FilterConfig config = ConfigDefaults.of(FilterConfig.class);
        List<Path> ham = files("ham", 190);
        List<Path> spam = files("spam", 110);
        try (Filters filters = Filters.builder(() -> config).dataDir(data).build()) {
            Trainer trainer = filters.trainer();
            for (Path p : ham.subList(0, 150)) {
                trainer.trainDeferred(ParsedMessage.parse(Files.readAllBytes(p)), false, null);
            }
            for (Path p : spam.subList(0, 80)) {
                trainer.trainDeferred(ParsedMessage.parse(Files.readAllBytes(p)), true, null);
            }
            trainer.flush();
        }
        // A new instance reads the database back from H2.
        try (Filters filters = Filters.builder(() -> config).dataDir(data).build()) {
            BayesClassifier bayes = filters.bayes();
            int hamRight = 0;
            for (Path p : ham.subList(150, 190)) {
                Classification c = bayes.classify(ParsedMessage.parse(Files.readAllBytes(p)), null);
                assertThat(c.trained()).isTrue();
                hamRight += c.probability() < 0.5 ? 1 : 0;
            }
            int spamRight = 0;
            for (Path p : spam.subList(80, 110)) {
                Classification c = bayes.classify(ParsedMessage.parse(Files.readAllBytes(p)), null);
                spamRight += c.probability() > 0.5 ? 1 : 0;
                assertThat(c.clues()).isNotEmpty();
            }
            assertThat(hamRight).isGreaterThanOrEqualTo(37);
            assertThat(spamRight).isGreaterThanOrEqualTo(24);
        }
    }

    @Test
    void trainingIsIdempotentAndReclassificationMoves() throws Exception {
        FilterConfig config = ConfigDefaults.of(FilterConfig.class);
        try (Filters filters = Filters.builder(() -> config).dataDir(data).build()) {
            ParsedMessage m = ParsedMessage.parse("Subject: cheap pills\r\n\r\nbuy cheap pills now\r\n".getBytes());
            Trainer trainer = filters.trainer();
            TokenStore store = filters.bayes().store();
            assertThat(trainer.train(m, true, "alice@example.org")).isTrue();
            assertThat(trainer.train(m, true, "alice@example.org")).isFalse();
            assertThat(store.totals(List.of("alice@example.org"))).isEqualTo(new TokenStore.Counts(1, 0));
            assertThat(trainer.train(m, false, "alice@example.org")).isTrue();
            assertThat(store.totals(List.of("alice@example.org"))).isEqualTo(new TokenStore.Counts(0, 1));
            long token = Tokenizer.hash("pills");
            assertThat(store.counts(List.of("", "alice@example.org"), List.of(token)).get(token))
                    .isEqualTo(new TokenStore.Counts(0, 1));
            assertThat(store.totals(List.of(""))).isEqualTo(TokenStore.Counts.ZERO);
        }
    }

    @Test
    void fisherCombiningIsNeutralWithoutEvidence() {
        assertThat(BayesClassifier.fisher(List.of())).isEqualTo(0.5);
        double spammy = BayesClassifier.fisher(List.of(new Classification.Clue("a", 0.99), new Classification.Clue("b", 0.95)));
        double hammy = BayesClassifier.fisher(List.of(new Classification.Clue("a", 0.01), new Classification.Clue("b", 0.05)));
        assertThat(spammy).isGreaterThan(0.9);
        assertThat(hammy).isLessThan(0.1);
        assertThat(BayesClassifier.chi2Q(0, 4)).isEqualTo(1.0);
    }
}
