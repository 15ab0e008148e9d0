package org.facteur.filters.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.facteur.filters.ParsedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a rule set over a parsed message; returns the rules hit. */
public final class RuleEngine {

    private static final Logger log = LoggerFactory.getLogger(RuleEngine.class);
    private static final Pattern ANGLE_ADDRESS = Pattern.compile("<([^<>]*)>");

    private final List<Rule> rules;
    private final Map<String, Rule> byName = new HashMap<>();
    private final int maxBodyChars;

    public RuleEngine(List<Rule> rules, int maxBodyChars) {
        this.rules = List.copyOf(rules);
        for (Rule r : rules) {
            byName.put(r.name(), r);
        }
        this.maxBodyChars = maxBodyChars;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The rules hit (sub-rules included), in rule-set order. */
    public List<Rule> evaluate(ParsedMessage message) {
        Map<String, Boolean> hits = new HashMap<>();
        Inputs inputs = new Inputs(message, maxBodyChars);
        for (Rule r : rules) {
            if (r.kind() != Rule.Kind.META) {
                hits.put(r.name(), test(r, inputs));
            }
        }
        for (Rule r : rules) {
            if (r.kind() == Rule.Kind.META) {
                meta(r, hits, new HashSet<>());
            }
        }
        List<Rule> result = new ArrayList<>();
        for (Rule r : rules) {
            if (Boolean.TRUE.equals(hits.get(r.name()))) {
                result.add(r);
            }
        }
        return result;
    }

    private boolean meta(Rule r, Map<String, Boolean> hits, Set<String> visiting) {
        Boolean known = hits.get(r.name());
        if (known != null) {
            return known;
        }
        if (!visiting.add(r.name())) {
            return false; // a cycle: the rule never fires
        }
        for (String name : r.meta().names()) {
            Rule dependency = byName.get(name);
            if (dependency != null && dependency.kind() == Rule.Kind.META) {
                meta(dependency, hits, visiting);
            }
        }
        boolean hit = r.meta().eval(hits);
        hits.put(r.name(), hit);
        return hit;
    }

    /** What the rules read, computed once per message. */
    private static final class Inputs {
        final ParsedMessage message;
        final String body;
        final String rawBody;
        String allHeaders;

        Inputs(ParsedMessage message, int maxChars) {
            this.message = message;
            String subject = message.header("Subject");
            // SpamAssassin's body starts with the Subject line.
            String text = (subject == null ? "" : subject + "\n") + message.text();
            this.body = text.length() > maxChars ? text.substring(0, maxChars) : text;
            String raw = message.rawText();
            this.rawBody = raw.length() > maxChars ? raw.substring(0, maxChars) : raw;
        }

        String allHeaders() {
            if (allHeaders == null) {
                StringBuilder b = new StringBuilder();
                for (ParsedMessage.Header h : message.headers()) {
                    b.append(h.name()).append(": ").append(h.value()).append('\n');
                }
                allHeaders = b.toString();
            }
            return allHeaders;
        }
    }

    private boolean test(Rule r, Inputs in) {
        try {
            return switch (r.kind()) {
                case EXISTS -> in.message.header(r.header()) != null;
                case BODY -> find(r.pattern(), in.body);
                case RAWBODY -> find(r.pattern(), in.rawBody);
                case URI -> in.message.uris().stream().anyMatch(u -> find(r.pattern(), u));
                case HEADER -> header(r, in) != r.negate();
                case MIMEHEADER -> mimeHeader(r, in) != r.negate();
                case META -> false;
            };
        } catch (BudgetExceeded e) {
            log.warn("rule {} gave up: its regular expression backtracks too much", r.name());
            return false;
        }
    }

    private boolean header(Rule r, Inputs in) {
        String name = r.header();
        if (name.equals("ALL")) {
            return find(r.pattern(), in.allHeaders());
        }
        String mode = null;
        int colon = name.indexOf(':');
        if (colon > 0) {
            mode = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        List<String> values = in.message.headers(name);
        if (values.isEmpty()) {
            return find(r.pattern(), ""); // SpamAssassin matches an absent header as empty
        }
        for (String value : values) {
            String v = value;
            if ("addr".equals(mode)) {
                Matcher m = ANGLE_ADDRESS.matcher(value);
                v = m.find() ? m.group(1) : value.strip();
            } else if ("name".equals(mode)) {
                int lt = value.indexOf('<');
                v = lt > 0 ? value.substring(0, lt).replace("\"", "").strip() : "";
            }
            if (find(r.pattern(), v)) {
                return true;
            }
        }
        return false;
    }

    private boolean mimeHeader(Rule r, Inputs in) {
        for (ParsedMessage.Part part : in.message.parts()) {
            String value = part.header(r.header());
            if (value != null && find(r.pattern(), value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean find(Pattern pattern, String text) {
        return pattern.matcher(new Budgeted(text, 200L * text.length() + 1_000_000L)).find();
    }

    private static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() {
            super(null, null, false, false);
        }
    }

    /**
     * A text that stops a regular expression after a number of character reads, so an admin's rule that
     * backtracks catastrophically on some message costs milliseconds, not minutes.
     */
    private static final class Budgeted implements CharSequence {
        private final String text;
        private long budget;

        Budgeted(String text, long budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (--budget < 0) {
                throw new BudgetExceeded();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
