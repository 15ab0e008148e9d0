package org.facteur.filters.rules;

import java.util.regex.Pattern;

/**
 * One scored rule of a rules file. Kinds follow SpamAssassin: {@code header} (a named header, {@code ALL}
 * headers, or {@code exists:Name}), {@code body} (decoded, rendered text), {@code rawbody} (decoded text with
 * markup), {@code uri} (each link), {@code mimeheader} (headers of every MIME part) and {@code meta} (a
 * boolean or arithmetic expression over other rules). Names starting with {@code __} are sub-rules: never
 * scored or reported, only used by metas.
 */
public record Rule(String name, Kind kind, String header, Pattern pattern, boolean negate, Meta meta,
                   double score, String description) {

    public enum Kind { HEADER, EXISTS, BODY, RAWBODY, URI, MIMEHEADER, META }

    public boolean isSubRule() {
        return name.startsWith("__");
    }

    Rule withScore(double newScore) {
        return new Rule(name, kind, header, pattern, negate, meta, newScore, description);
    }

    Rule withDescription(String text) {
        return new Rule(name, kind, header, pattern, negate, meta, score, text);
    }
}
