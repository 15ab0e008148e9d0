package org.facteur.filters.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ham/spam corpus in {@code shared/corpus}, which lies beside the project's root (in a developer's
 * checkout and in CI's fresh clone alike). {@code -Dfacteur.corpus=DIR} points elsewhere.
 */
public final class Corpus {

    private Corpus() {
    }

    public static Path location() {
        String configured = System.getProperty("facteur.corpus");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("corpus");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return Path.of("../shared/corpus");
    }
}
