package org.facteur.filters.rules;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A set of rules parsed from SpamAssassin-style rules files (a subset of the syntax: {@code header},
 * {@code body}, {@code rawbody}, {@code uri}, {@code mimeheader}, {@code meta}, {@code score},
 * {@code describe}; {@code tflags}, {@code lang}, {@code priority}, {@code if}/{@code endif} and other
 * directives are accepted and ignored). Later files override earlier ones rule by rule. Each problem is kept
 * with its file and line so the admin can fix it; a bad rule never stops the others.
 */
public final class RuleSet {

    /** A line that could not be used. */
    public record Problem(String source, int line, String message) {
        @Override
        public String toString() {
            return source + ":" + line + ": " + message;
        }
    }

    private final Map<String, Rule> rules = new LinkedHashMap<>();
    private final Map<String, Double> scores = new HashMap<>();
    private final Map<String, String> descriptions = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    public List<Rule> rules() {
        List<Rule> list = new ArrayList<>();
        for (Rule r : rules.values()) {
            Double score = scores.get(r.name());
            // SpamAssassin: a rule without a score line scores 1.0, a sub-rule 0.
            Rule scored = r.withScore(score != null ? score : r.isSubRule() ? 0 : 1.0);
            String d = descriptions.get(r.name());
            list.add(d == null ? scored : scored.withDescription(d));
        }
        return list;
    }

    public List<Problem> problems() {
        return problems;
    }

    /** Adds the rules of one file. */
    public RuleSet parse(Reader reader, String source) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            try {
                parseLine(text);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(source, number, e.getMessage()));
            }
        }
        for (Rule r : rules.values()) {
            if (r.kind() == Rule.Kind.META) {
                for (String name : r.meta().names()) {
                    if (!rules.containsKey(name)) {
                        problems.add(new Problem(source, 0, "meta " + r.name() + " uses unknown rule " + name));
                    }
                }
            }
        }
        return this;
    }

    private void parseLine(String text) {
        String[] head = text.split("\\s+", 3);
        String directive = head[0].toLowerCase(Locale.ROOT);
        switch (directive) {
            case "header", "body", "rawbody", "uri", "mimeheader", "meta", "score", "describe" -> {
                if (head.length < 3) {
                    throw new IllegalArgumentException(directive + " needs a name and a value");
                }
            }
            default -> {
                return; // tflags, lang, priority, if, endif, ifplugin, report...: not needed here.
            }
        }
        String name = head[1];
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("'" + name + "' is not a rule name (letters, digits, _)");
        }
        String value = head[2].strip();
        switch (directive) {
            case "score" -> {
                try {
                    scores.put(name, Double.parseDouble(value.split("\\s+")[0]));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("score of " + name + " is not a number: " + value);
                }
            }
            case "describe" -> descriptions.put(name, value);
            case "meta" -> rules.put(name, new Rule(name, Rule.Kind.META, null, null, false, Meta.parse(value), 0, ""));
            case "body" -> rules.put(name, new Rule(name, Rule.Kind.BODY, null, regex(value), false, null, 0, ""));
            case "rawbody" -> rules.put(name, new Rule(name, Rule.Kind.RAWBODY, null, regex(value), false, null, 0, ""));
            case "uri" -> rules.put(name, new Rule(name, Rule.Kind.URI, null, regex(value), false, null, 0, ""));
            case "header", "mimeheader" -> {
                if (directive.equals("header") && value.startsWith("exists:")) {
                    rules.put(name, new Rule(name, Rule.Kind.EXISTS, value.substring(7).strip(), null, false, null, 0, ""));
                    return;
                }
                String[] parts = value.split("\\s+", 3);
                if (parts.length < 3 || !(parts[1].equals("=~") || parts[1].equals("!~"))) {
                    throw new IllegalArgumentException("write: " + directive + " NAME Header =~ /regex/");
                }
                String rest = parts[2];
                int unset = rest.indexOf(" [if-unset:");
                if (unset > 0) {
                    rest = rest.substring(0, unset).strip();
                }
                rules.put(name, new Rule(name, directive.equals("header") ? Rule.Kind.HEADER : Rule.Kind.MIMEHEADER,
                        parts[0], regex(rest), parts[1].equals("!~"), null, 0, ""));
            }
            default -> throw new IllegalStateException(directive);
        }
    }

    /** Perl's {@code /re/flags}, {@code m{re}flags} or {@code m!re!flags} to a Java pattern. */
    static Pattern regex(String text) {
        String s = text.strip();
        char open;
        int start;
        if (s.startsWith("/")) {
            open = '/';
            start = 1;
        } else if (s.startsWith("m") && s.length() > 2) {
            open = s.charAt(1);
            start = 2;
        } else {
            throw new IllegalArgumentException("a regular expression is written /like this/i");
        }
        char close = switch (open) {
            case '{' -> '}';
            case '(' -> ')';
            case '<' -> '>';
            case '[' -> ']';
            default -> open;
        };
        int end = s.lastIndexOf(close);
        if (end < start) {
            throw new IllegalArgumentException("regular expression not closed by " + close);
        }
        String body = s.substring(start, end);
        if (open == '/') {
            body = body.replace("\\/", "/");
        }
        int flags = 0;
        for (char f : s.substring(end + 1).strip().toCharArray()) {
            switch (f) {
                case 'i' -> flags |= Pattern.CASE_INSENSITIVE;
                case 'm' -> flags |= Pattern.MULTILINE;
                case 's' -> flags |= Pattern.DOTALL;
                case 'x' -> flags |= Pattern.COMMENTS;
                default -> throw new IllegalArgumentException("unknown regular expression flag '" + f + "'");
            }
        }
        try {
            return Pattern.compile(body, flags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad regular expression: " + e.getDescription() + " in " + body);
        }
    }
}
