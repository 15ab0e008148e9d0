package org.facteur.filters.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.facteur.filters.FilterContext;

/**
 * The X-Spam-* headers, SpamAssassin's spelling so that existing client rules keep working:
 * {@code X-Spam-Status: Yes, score=7.3 required=5.0 tests=A,B}, {@code X-Spam-Score: 7.3} and an
 * {@code X-Spam-Report} listing each hit with its points and description, so a user can see why.
 */
public final class SpamReport {

    public static final String SCORE = "X-Spam-Score";
    public static final String STATUS = "X-Spam-Status";
    public static final String REPORT = "X-Spam-Report";
    /** Folding continuation (RFC 5322 §2.2.3). */
    private static final String FOLD = "\r\n\t";

    private SpamReport() {
    }

    public static String format(double score) {
        return String.format(Locale.ROOT, "%.1f", score);
    }

    public static String status(boolean spam, double score, double required, List<FilterContext.ScoreHit> hits) {
        StringBuilder tests = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (FilterContext.ScoreHit hit : hits) {
            if (!names.contains(hit.rule())) {
                names.add(hit.rule());
            }
        }
        // Fold the test list so no header line exceeds 78 characters (RFC 5322 §2.1.1).
        int line = 40;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i) + (i < names.size() - 1 ? "," : "");
            if (line + name.length() > 76) {
                tests.append(FOLD);
                line = 1;
            }
            tests.append(name);
            line += name.length();
        }
        return (spam ? "Yes" : "No") + ", score=" + format(score) + " required=" + format(required)
                + " tests=" + (names.isEmpty() ? "none" : tests);
    }

    /** One folded line per hit: {@code * 3.0 RULE description}. */
    public static String report(List<FilterContext.ScoreHit> hits) {
        if (hits.isEmpty()) {
            return "no rule hit";
        }
        StringBuilder out = new StringBuilder("Content analysis details:");
        for (FilterContext.ScoreHit hit : hits) {
            String description = hit.description() == null ? "" : hit.description().replaceAll("[\\r\\n\\t]+", " ");
            String lineText = String.format(Locale.ROOT, "* %5.1f %s %s", hit.points(), hit.rule(), description).stripTrailing();
            if (lineText.length() > 900) {
                lineText = lineText.substring(0, 900);
            }
            out.append(FOLD).append(lineText);
        }
        return out.toString();
    }
}
