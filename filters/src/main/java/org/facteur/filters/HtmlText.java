package org.facteur.filters;

import java.util.List;
import java.util.Locale;

/**
 * HTML to the text a reader sees, and its links, in one pass without building a DOM (a DOM parser was the
 * slowest step of scanning). Tags become spaces, script and style bodies and comments are dropped, entities
 * are decoded; {@code href}, {@code src} and {@code action} attribute values are collected as links.
 */
final class HtmlText {

    private HtmlText() {
    }

    static String render(String html, List<String> links) {
        StringBuilder out = new StringBuilder(html.length() / 2);
        int n = html.length();
        int i = 0;
        while (i < n) {
            char c = html.charAt(i);
            if (c == '<') {
                if (html.startsWith("<!--", i)) {
                    int end = html.indexOf("-->", i + 4);
                    i = end < 0 ? n : end + 3;
                    continue;
                }
                int end = html.indexOf('>', i + 1);
                if (end < 0) {
                    break;
                }
                String tag = html.substring(i + 1, end);
                String name = tagName(tag);
                if (name.equals("script") || name.equals("style")) {
                    int close = indexOfIgnoreCase(html, "</" + name, end + 1);
                    i = close < 0 ? n : close;
                    continue;
                }
                attribute(tag, "href", links);
                attribute(tag, "src", links);
                attribute(tag, "action", links);
                if (name.equals("br") || name.equals("p") || name.equals("div") || name.equals("tr") || name.equals("li")) {
                    out.append('\n');
                } else {
                    out.append(' ');
                }
                i = end + 1;
            } else if (c == '&') {
                int semi = html.indexOf(';', i + 1);
                if (semi > 0 && semi - i <= 10) {
                    String entity = html.substring(i + 1, semi);
                    String decoded = entity(entity);
                    if (decoded != null) {
                        out.append(decoded);
                        i = semi + 1;
                        continue;
                    }
                }
                out.append(c);
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String tagName(String tag) {
        int start = tag.startsWith("/") ? 1 : 0;
        int end = start;
        while (end < tag.length() && Character.isLetterOrDigit(tag.charAt(end))) {
            end++;
        }
        return tag.substring(start, end).toLowerCase(Locale.ROOT);
    }

    private static void attribute(String tag, String name, List<String> links) {
        int at = indexOfIgnoreCase(tag, name, 0);
        while (at > 0) {
            int j = at + name.length();
            while (j < tag.length() && tag.charAt(j) == ' ') {
                j++;
            }
            char before = tag.charAt(at - 1);
            if (j < tag.length() && tag.charAt(j) == '=' && (before == ' ' || before == '\t' || before == '\n' || before == '\r')) {
                j++;
                while (j < tag.length() && tag.charAt(j) == ' ') {
                    j++;
                }
                if (j >= tag.length()) {
                    return;
                }
                char quote = tag.charAt(j);
                int end;
                if (quote == '"' || quote == '\'') {
                    end = tag.indexOf(quote, j + 1);
                    j++;
                } else {
                    end = j;
                    while (end < tag.length() && !Character.isWhitespace(tag.charAt(end))) {
                        end++;
                    }
                }
                if (end < 0) {
                    end = tag.length();
                }
                String value = tag.substring(j, end).strip();
                if (value.regionMatches(true, 0, "http", 0, 4) || value.regionMatches(true, 0, "www.", 0, 4)) {
                    links.add(value);
                }
                return;
            }
            at = indexOfIgnoreCase(tag, name, at + 1);
        }
    }

    private static String entity(String entity) {
        switch (entity.toLowerCase(Locale.ROOT)) {
            case "amp": return "&";
            case "lt": return "<";
            case "gt": return ">";
            case "quot": return "\"";
            case "apos": return "'";
            case "nbsp": return " ";
            case "copy": return "\u00a9";
            case "reg": return "\u00ae";
            default:
                break;
        }
        if (entity.startsWith("#")) {
            try {
                int code = entity.length() > 1 && (entity.charAt(1) == 'x' || entity.charAt(1) == 'X')
                        ? Integer.parseInt(entity.substring(2), 16) : Integer.parseInt(entity.substring(1));
                return Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : "";
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static int indexOfIgnoreCase(String s, String what, int from) {
        int max = s.length() - what.length();
        for (int i = Math.max(0, from); i <= max; i++) {
            if (s.regionMatches(true, i, what, 0, what.length())) {
                return i;
            }
        }
        return -1;
    }
}
