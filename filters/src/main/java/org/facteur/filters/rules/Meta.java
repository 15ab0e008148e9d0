package org.facteur.filters.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A meta rule's expression, parsed once: rule names (1 when hit, 0 otherwise), numbers, {@code ! && || + - *
 * > >= < <= == !=} and parentheses, with C precedence as in SpamAssassin's Perl evaluation.
 */
public final class Meta {

    private interface Node {
        double eval(Map<String, Boolean> hits);
    }

    private final Node root;
    private final Set<String> names;

    private Meta(Node root, Set<String> names) {
        this.root = root;
        this.names = names;
    }

    /** The rules the expression reads (they are evaluated first). */
    public Set<String> names() {
        return names;
    }

    public boolean eval(Map<String, Boolean> hits) {
        return root.eval(hits) != 0;
    }

    public static Meta parse(String expression) {
        Parser p = new Parser(tokenize(expression));
        Node node = p.or();
        if (p.pos != p.tokens.size()) {
            throw new IllegalArgumentException("unexpected '" + p.tokens.get(p.pos) + "' in meta expression");
        }
        return new Meta(node, Set.copyOf(p.names));
    }

    private static List<String> tokenize(String s) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                tokens.add(s.substring(i, j));
                i = j;
            } else if (Character.isDigit(c) || c == '.') {
                int j = i;
                while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                    j++;
                }
                tokens.add(s.substring(i, j));
                i = j;
            } else if (i + 1 < s.length() && List.of("&&", "||", ">=", "<=", "==", "!=").contains(s.substring(i, i + 2))) {
                tokens.add(s.substring(i, i + 2));
                i += 2;
            } else if ("!()+-*<>".indexOf(c) >= 0) {
                tokens.add(String.valueOf(c));
                i++;
            } else {
                throw new IllegalArgumentException("unexpected character '" + c + "' in meta expression");
            }
        }
        return tokens;
    }

    private static final class Parser {
        final List<String> tokens;
        final List<String> names = new ArrayList<>();
        int pos;

        Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        boolean accept(String t) {
            if (pos < tokens.size() && tokens.get(pos).equals(t)) {
                pos++;
                return true;
            }
            return false;
        }

        Node or() {
            Node left = and();
            while (accept("||")) {
                Node l = left;
                Node r = and();
                left = h -> (l.eval(h) != 0 || r.eval(h) != 0) ? 1 : 0;
            }
            return left;
        }

        Node and() {
            Node left = comparison();
            while (accept("&&")) {
                Node l = left;
                Node r = comparison();
                left = h -> (l.eval(h) != 0 && r.eval(h) != 0) ? 1 : 0;
            }
            return left;
        }

        Node comparison() {
            Node left = sum();
            for (String op : List.of(">=", "<=", "==", "!=", ">", "<")) {
                if (accept(op)) {
                    Node l = left;
                    Node r = sum();
                    return switch (op) {
                        case ">=" -> h -> l.eval(h) >= r.eval(h) ? 1 : 0;
                        case "<=" -> h -> l.eval(h) <= r.eval(h) ? 1 : 0;
                        case "==" -> h -> l.eval(h) == r.eval(h) ? 1 : 0;
                        case "!=" -> h -> l.eval(h) != r.eval(h) ? 1 : 0;
                        case ">" -> h -> l.eval(h) > r.eval(h) ? 1 : 0;
                        default -> h -> l.eval(h) < r.eval(h) ? 1 : 0;
                    };
                }
            }
            return left;
        }

        Node sum() {
            Node left = product();
            while (true) {
                if (accept("+")) {
                    Node l = left;
                    Node r = product();
                    left = h -> l.eval(h) + r.eval(h);
                } else if (accept("-")) {
                    Node l = left;
                    Node r = product();
                    left = h -> l.eval(h) - r.eval(h);
                } else {
                    return left;
                }
            }
        }

        Node product() {
            Node left = unary();
            while (accept("*")) {
                Node l = left;
                Node r = unary();
                left = h -> l.eval(h) * r.eval(h);
            }
            return left;
        }

        Node unary() {
            if (accept("!")) {
                Node inner = unary();
                return h -> inner.eval(h) == 0 ? 1 : 0;
            }
            if (accept("(")) {
                Node inner = or();
                if (!accept(")")) {
                    throw new IllegalArgumentException("missing ')' in meta expression");
                }
                return inner;
            }
            if (pos >= tokens.size()) {
                throw new IllegalArgumentException("meta expression ends too early");
            }
            String t = tokens.get(pos++);
            if (Character.isDigit(t.charAt(0)) || t.charAt(0) == '.') {
                double v = Double.parseDouble(t);
                return h -> v;
            }
            if (!Character.isLetter(t.charAt(0)) && t.charAt(0) != '_') {
                throw new IllegalArgumentException("unexpected '" + t + "' in meta expression");
            }
            names.add(t);
            return h -> Boolean.TRUE.equals(h.get(t)) ? 1 : 0;
        }
    }
}
