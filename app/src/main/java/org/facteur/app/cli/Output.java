package org.facteur.app.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Prints records for people (aligned columns) or scripts ({@code --json}: an array of objects). */
final class Output {

    private Output() {
    }

    /** A list: a table with a header line, or a JSON array. */
    static void print(PrintWriter out, boolean json, List<? extends Map<String, ?>> rows) {
        if (json) {
            out.println(json(rows));
        } else {
            table(out, rows);
        }
        out.flush();
    }

    /** One thing: "name  value" lines, or a JSON object. */
    static void printOne(PrintWriter out, boolean json, Map<String, ?> fields) {
        if (json) {
            out.println(json(fields));
        } else {
            int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
            fields.forEach((k, v) -> out.printf("%-" + width + "s  %s%n", k, text(v)));
        }
        out.flush();
    }

    private static void table(PrintWriter out, List<? extends Map<String, ?>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<String> columns = List.copyOf(rows.getFirst().keySet());
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
            for (Map<String, ?> row : rows) {
                widths[i] = Math.max(widths[i], text(row.get(columns.get(i))).length());
            }
        }
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            header.append(String.format("%-" + widths[i] + "s  ", columns.get(i).toUpperCase()));
        }
        out.println(header.toString().stripTrailing());
        for (Map<String, ?> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) {
                line.append(String.format("%-" + widths[i] + "s  ", text(row.get(columns.get(i)))));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String text(Object value) {
        if (value instanceof List<?> list) {
            return String.join(", ", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    static String json(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder s = new StringBuilder("{");
            map.forEach((k, v) -> {
                if (s.length() > 1) {
                    s.append(',');
                }
                s.append(quote(String.valueOf(k))).append(':').append(json(v));
            });
            return s.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder s = new StringBuilder("[");
            for (Object v : list) {
                if (s.length() > 1) {
                    s.append(',');
                }
                s.append(json(v));
            }
            return s.append(']').toString();
        }
        if (value instanceof Boolean || value instanceof Number) {
            return value.toString();
        }
        return quote(String.valueOf(value));
    }

    // RFC 8259 §7: quote, backslash and control characters are escaped.
    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
