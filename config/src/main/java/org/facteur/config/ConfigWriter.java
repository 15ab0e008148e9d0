package org.facteur.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes a record tree as a commented YAML file: each key's {@link Doc} above it, then its value. What it writes
 * reads back ({@link YamlConfig#parse}) to an equal record, which the tests check.
 */
final class ConfigWriter {

    private static final int WIDTH = 100;
    /** Scalars that YAML reads as written, with no quoting: no indicators, no leading/trailing space. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./+=(][A-Za-z0-9_./@+*=()$%^ -]*");
    private static final Set<String> NULL_WORDS = Set.of("~", "null", "Null", "NULL");

    private ConfigWriter() {
    }

    static String write(Record config, String header) {
        StringBuilder out = new StringBuilder();
        if (header != null && !header.isBlank()) {
            for (String line : header.strip().split("\n")) {
                out.append(line.isBlank() ? "#" : "# " + line).append('\n');
            }
            out.append('\n');
        }
        writeRecord(out, config, 0, true);
        return out.toString();
    }

    private static void writeRecord(StringBuilder out, Record record, int indent, boolean documented) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        for (RecordComponent component : components) {
            Object value = valueOf(record, component);
            String key = ConfigKeys.yamlKey(component.getName());
            if (documented) {
                comment(out, indent, documentation(component));
            }
            writeEntry(out, indent, key, value, component.getGenericType(), documented);
            if (documented && indent == 0) {
                out.append('\n'); // a blank line between top-level sections
            }
        }
    }

    private static void writeEntry(StringBuilder out, int indent, String key, Object value, Type type,
                                   boolean documented) {
        String pad = " ".repeat(indent);
        if (value instanceof Optional<?> optional) {
            if (optional.isEmpty()) {
                out.append(pad).append(key).append(":\n");
                return;
            }
            value = optional.get();
            type = argument(type, 0);
        }
        if (value instanceof Record r && !ValueConverter.isScalar(r.getClass())) {
            if (r.getClass().getRecordComponents().length == 0) {
                out.append(pad).append(key).append(": {}\n");
                return;
            }
            out.append(pad).append(key).append(":\n");
            writeRecord(out, r, indent + 2, documented);
            return;
        }
        if (value instanceof Collection<?> items) {
            writeCollection(out, indent, key, items, documented);
            return;
        }
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append(pad).append(key).append(": {}\n");
                return;
            }
            out.append(pad).append(key).append(":\n");
            // Sorted, so the same configuration always gives the same file.
            for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
                writeEntry(out, indent + 2, scalar(String.valueOf(e.getKey())), e.getValue(), argument(type, 1),
                        documented);
            }
            return;
        }
        out.append(pad).append(key).append(": ").append(scalar(ValueConverter.format(value))).append('\n');
    }

    private static void writeCollection(StringBuilder out, int indent, String key, Collection<?> items,
                                        boolean documented) {
        String pad = " ".repeat(indent);
        List<?> ordered = items instanceof Set<?> ? sortedByText(items) : List.copyOf(items);
        boolean scalars = ordered.stream().noneMatch(v -> v instanceof Record r && !ValueConverter.isScalar(r.getClass()));
        if (scalars) {
            List<String> texts = new ArrayList<>();
            for (Object v : ordered) {
                texts.add(scalar(ValueConverter.format(v)));
            }
            out.append(pad).append(key).append(": [").append(String.join(", ", texts)).append("]\n");
            return;
        }
        out.append(pad).append(key).append(":\n");
        for (Object item : ordered) {
            StringBuilder nested = new StringBuilder();
            writeRecord(nested, (Record) item, indent + 4, false);
            // "- " takes the place of the first line's indentation.
            String text = nested.toString();
            out.append(pad).append("  - ").append(text.substring(indent + 4));
        }
    }

    private static List<?> sortedByText(Collection<?> items) {
        List<Object> list = new ArrayList<>(items);
        list.sort((a, b) -> ValueConverter.format(a).compareTo(ValueConverter.format(b)));
        return list;
    }

    /** The text of a scalar, quoted when YAML would otherwise read it differently (or not at all). */
    static String scalar(String text) {
        if (PLAIN.matcher(text).matches() && !NULL_WORDS.contains(text) && !text.endsWith(" ")
                && !text.startsWith("-") || text.matches("-?[0-9][0-9.]*")) {
            return text;
        }
        StringBuilder s = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\x%02x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }

    private static String documentation(RecordComponent component) {
        StringBuilder text = new StringBuilder();
        Doc doc = component.getAnnotation(Doc.class);
        if (doc != null) {
            text.append(doc.value());
        }
        Class<?> type = component.getType();
        if (type.isRecord() && type.getAnnotation(Doc.class) != null && doc == null) {
            text.append(type.getAnnotation(Doc.class).value());
        }
        if (type.isEnum()) {
            List<String> names = Arrays.stream(type.getEnumConstants())
                    .map(c -> ValueConverter.enumText((Enum<?>) c)).toList();
            if (!names.stream().allMatch(n -> text.toString().contains(n))) {
                text.append(text.isEmpty() ? "" : " ").append("One of: ").append(String.join(", ", names)).append('.');
            }
        }
        return text.toString();
    }

    private static void comment(StringBuilder out, int indent, String text) {
        if (text.isBlank()) {
            return;
        }
        String prefix = " ".repeat(indent) + "# ";
        for (String paragraph : text.split("\n")) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" ")) {
                if (!line.isEmpty() && prefix.length() + line.length() + 1 + word.length() > WIDTH) {
                    out.append(prefix).append(line).append('\n');
                    line.setLength(0);
                }
                if (!line.isEmpty()) {
                    line.append(' ');
                }
                line.append(word);
            }
            out.append(line.isEmpty() ? prefix.stripTrailing() : prefix + line).append('\n');
        }
    }

    private static Object valueOf(Record record, RecordComponent component) {
        try {
            var accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Type argument(Type type, int index) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
    }
}
