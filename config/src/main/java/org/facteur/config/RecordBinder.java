package org.facteur.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Maps a composed YAML node tree onto records, generically, by reflection over record components. Keys the file
 * leaves out take the default (the parent's default instance when there is one, else {@link ConfigDefaults}).
 * Every problem is collected with its line and column; nothing is built from a subtree that had one.
 */
final class RecordBinder {

    /** A problem's optional leading key path: {@code "submission.tls: AUTH needs TLS; fix: ..."}. */
    private static final Pattern KEY_PREFIX = Pattern.compile("^([A-Za-z][A-Za-z0-9.\\-\\[\\]]*): (.+)$",
            Pattern.DOTALL);

    private final String file;
    /** Folder that relative paths written in the file are relative to, or null to keep them as written. */
    private final Path baseDir;
    private final List<ConfigProblem> problems = new ArrayList<>();
    /** Where each key path given in the file is (its key's mark), for errors found after binding. */
    private final Map<String, Mark> keyMarks = new HashMap<>();
    /** The text of each scalar value by key path, so a rule quoting a value can point at it. */
    private final Map<String, String> scalarTexts = new LinkedHashMap<>();

    RecordBinder(String file, Path baseDir) {
        this.file = file;
        this.baseDir = baseDir;
    }

    List<ConfigProblem> problems() {
        return problems;
    }

    /**
     * Binds {@code node} (null when the file is empty) as {@code type}; {@code base} is what a missing value is
     * (the default), or null to compute it from annotations.
     */
    Object bind(Node node, Type type, String path, Object base) {
        Class<?> raw = rawType(type);
        if (raw == Optional.class) {
            if (isNull(node)) {
                return base != null ? base : Optional.empty();
            }
            Object inner = base instanceof Optional<?> o ? o.orElse(null) : null;
            Object value = bind(node, typeArgument(type, 0), path, inner);
            return Optional.ofNullable(value);
        }
        if (raw.isRecord() && !ValueConverter.isScalar(raw)) {
            return bindRecord(node, raw, path, (Record) base);
        }
        if (ValueConverter.isScalar(raw)) {
            return bindScalar(node, raw, path, base);
        }
        if (raw == List.class || raw == Set.class) {
            return bindCollection(node, type, raw, path, base);
        }
        if (raw == Map.class) {
            return bindMap(node, type, path, base);
        }
        throw new IllegalStateException("configuration type " + type + " at " + path + " is not supported");
    }

    private Object bindScalar(Node node, Class<?> type, String path, Object base) {
        if (isNull(node)) {
            if (base != null) {
                return base;
            }
            String what = describe(type);
            problem(node, path, "has no value", "write " + (what == null ? "a value" : what)
                    + ", or remove the key to use the default");
            return null;
        }
        if (!(node instanceof ScalarNode scalar)) {
            problem(node, path, "expected a single value, found " + kind(node),
                    "write one value on the key's line, like '" + lastKey(path) + ": " + example(type) + "'");
            return null;
        }
        String text = scalar.getValue();
        scalarTexts.put(path, text);
        keyMarks.putIfAbsent(path, mark(node));
        Object value;
        try {
            value = ValueConverter.scalar(text, type);
        } catch (IllegalArgumentException e) {
            if (type.isEnum()) {
                List<String> names = new ArrayList<>();
                for (Object c : type.getEnumConstants()) {
                    names.add(ValueConverter.enumText((Enum<?>) c));
                }
                problem(node, path, "'" + text + "' is not a valid choice", "write one of: " + String.join(", ", names));
            } else if (describe(type) == null) {
                // A module's value type (its own parse method): its message says what is wrong and what to write.
                String message = String.valueOf(e.getMessage());
                int split = message.indexOf(": ", message.lastIndexOf('\'') + 1);
                if (split > 0) {
                    problem(node, path, message.substring(0, split), message.substring(split + 2));
                } else {
                    problem(node, path, message, "write a valid " + type.getSimpleName());
                }
            } else {
                problem(node, path, "'" + text + "' is not " + describe(type), "write " + describe(type) + ", like " + example(type));
            }
            return null;
        }
        if (value instanceof Path p && baseDir != null && !p.isAbsolute()) {
            value = baseDir.resolve(p).normalize();
        }
        return value;
    }

    private Object bindCollection(Node node, Type type, Class<?> raw, String path, Object base) {
        if (isNull(node)) {
            return base != null ? base : (raw == List.class ? List.of() : Set.of());
        }
        Type element = typeArgument(type, 0);
        List<Node> items;
        if (node instanceof SequenceNode sequence) {
            items = sequence.getValue();
        } else if (node instanceof ScalarNode && ValueConverter.isScalar(rawType(element))) {
            items = List.of(node); // "domains: example.org" is a list of one
        } else {
            problem(node, path, "expected a list, found " + kind(node),
                    "write the items as '[a, b]' or one '- item' per line below the key");
            return null;
        }
        List<Object> values = new ArrayList<>();
        int before = problems.size();
        for (int i = 0; i < items.size(); i++) {
            keyMarks.put(path + "[" + i + "]", mark(items.get(i)));
            Object v = bind(items.get(i), element, path + "[" + i + "]", null);
            values.add(v);
        }
        if (problems.size() > before) {
            return null;
        }
        if (raw == List.class) {
            return List.copyOf(values);
        }
        Set<Object> set = new LinkedHashSet<>(values);
        return Set.copyOf(set);
    }

    private Object bindMap(Node node, Type type, String path, Object base) {
        if (isNull(node)) {
            return base != null ? base : Map.of();
        }
        if (!(node instanceof MappingNode mapping)) {
            problem(node, path, "expected a section of 'name: value' lines, found " + kind(node),
                    "write one 'name: value' per line, indented below the key");
            return null;
        }
        Type valueType = typeArgument(type, 1);
        Map<String, Object> values = new LinkedHashMap<>();
        int before = problems.size();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = keyText(tuple.getKeyNode(), path);
            if (key == null) {
                continue;
            }
            String childPath = child(path, key);
            if (values.containsKey(key)) {
                problem(tuple.getKeyNode(), childPath, "is given twice", "keep one of them");
                continue;
            }
            keyMarks.putIfAbsent(childPath, mark(tuple.getKeyNode()));
            values.put(key, bind(tuple.getValueNode(), valueType, childPath, null));
        }
        return problems.size() > before ? null : Map.copyOf(values);
    }

    private Record bindRecord(Node node, Class<?> type, String path, Record base) {
        RecordComponent[] components = type.getRecordComponents();
        Map<String, Integer> byKey = new LinkedHashMap<>();
        for (int i = 0; i < components.length; i++) {
            byKey.put(ConfigKeys.yamlKey(components[i].getName()), i);
            byKey.putIfAbsent(components[i].getName(), i); // camelCase is accepted too
        }
        Node[] given = new Node[components.length];
        Node[] givenKeys = new Node[components.length];
        int before = problems.size();
        if (!isNull(node)) {
            if (!(node instanceof MappingNode mapping)) {
                problem(node, path, "expected a section of 'key: value' lines, found " + kind(node),
                        "put the keys on their own lines, indented below '" + lastKey(path) + ":'");
                return null;
            }
            for (NodeTuple tuple : mapping.getValue()) {
                String key = keyText(tuple.getKeyNode(), path);
                if (key == null) {
                    continue;
                }
                Integer index = byKey.get(key);
                if (index == null) {
                    unknownKey(tuple.getKeyNode(), path, key, components);
                    continue;
                }
                String childPath = child(path, ConfigKeys.yamlKey(components[index].getName()));
                if (given[index] != null) {
                    problem(tuple.getKeyNode(), childPath, "is given twice (also on line "
                            + (mark(givenKeys[index]).getLine() + 1) + ")", "keep one of them");
                    continue;
                }
                given[index] = tuple.getValueNode();
                givenKeys[index] = tuple.getKeyNode();
                keyMarks.put(childPath, mark(tuple.getKeyNode()));
            }
        }

        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            String childPath = child(path, ConfigKeys.yamlKey(component.getName()));
            Object fallback = defaultOf(type, component, base);
            if (given[i] == null) {
                if (fallback == null) {
                    problem(node, childPath, "is required", "add '" + ConfigKeys.yamlKey(component.getName())
                            + ": " + example(component.getType()) + "' to " + (path.isEmpty() ? "the file" : "'" + path + "'"));
                }
                values[i] = fallback;
                continue;
            }
            values[i] = bind(given[i], component.getGenericType(), childPath, fallback);
            checkPort(component, values[i], given[i], childPath);
        }
        if (problems.size() > before) {
            return null;
        }
        Record built;
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            constructor.setAccessible(true);
            built = (Record) constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                ruleBroken(node, path, components, bad.getMessage());
                return null;
            }
            throw new IllegalStateException("building " + type.getSimpleName() + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        if (built instanceof ValidatedConfig validated) {
            for (String rule : validated.problems()) {
                ruleBroken(node, path, components, rule);
            }
            if (problems.size() > before) {
                return null;
            }
        }
        return built;
    }

    /** The value a missing component takes, or null when it is required. */
    private static Object defaultOf(Class<?> type, RecordComponent component, Record base) {
        if (base != null) {
            try {
                return component.getAccessor().invoke(base);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return ConfigDefaults.defaultValue(type, component);
        } catch (IllegalStateException required) {
            return null;
        }
    }

    // RFC 6335: ports are 16-bit; 0 asks the system for any free port, and the servers read -1 as "off".
    private void checkPort(RecordComponent component, Object value, Node node, String path) {
        String name = component.getName();
        boolean isPort = name.equals("port") || name.endsWith("Port");
        if (isPort && value instanceof Integer port && (port < -1 || port > 65535)) {
            problem(node, path, port + " is not a port", "use 1-65535, 0 for any free port, or -1 to turn it off");
        }
    }

    private void unknownKey(Node keyNode, String path, String key, RecordComponent[] components) {
        List<String> known = Arrays.stream(components).map(c -> ConfigKeys.yamlKey(c.getName())).toList();
        String suggestion = ConfigKeys.closest(key, known);
        String fix = suggestion != null ? "did you mean '" + suggestion + "'?"
                : known.isEmpty() ? "remove it; this section has no keys"
                : "remove it; the keys here are " + String.join(", ", known);
        problem(keyNode, child(path, key), "unknown key", fix);
    }

    /** Reports a broken cross-field rule at the line of the key it names. */
    private void ruleBroken(Node recordNode, String path, RecordComponent[] components, String text) {
        String message = text == null ? "is invalid" : text;
        String fix = null;
        int fixAt = message.indexOf("; fix: ");
        if (fixAt >= 0) {
            fix = message.substring(fixAt + "; fix: ".length());
            message = message.substring(0, fixAt);
        }
        String keyPath = null;
        Matcher prefix = KEY_PREFIX.matcher(message);
        if (prefix.matches()) {
            String candidate = normalisePath(prefix.group(1));
            if (keyMarks.containsKey(child(path, candidate)) || isComponentPath(components, candidate)) {
                keyPath = child(path, candidate);
                message = prefix.group(2);
            }
        }
        if (keyPath == null) {
            // A rule that quotes a value ("'x' is not a network") points at the place the file gives it.
            Matcher quoted = Pattern.compile("'([^']+)'").matcher(message);
            while (keyPath == null && quoted.find()) {
                for (Map.Entry<String, String> e : scalarTexts.entrySet()) {
                    if (e.getValue().equals(quoted.group(1)) && (path.isEmpty() || e.getKey().startsWith(path + ".")
                            || e.getKey().startsWith(path + "["))) {
                        keyPath = e.getKey();
                        break;
                    }
                }
            }
            if (keyPath != null && fix == null) {
                // "'x' is not a network: write ..." reads as problem, then fix.
                int split = message.indexOf(": ", message.lastIndexOf('\'') + 1);
                if (split > 0) {
                    fix = message.substring(split + 2);
                    message = message.substring(0, split);
                }
            }
        }
        if (keyPath == null) {
            for (RecordComponent c : components) {
                String key = ConfigKeys.yamlKey(c.getName());
                if (containsWord(message, c.getName()) || containsWord(message, key)) {
                    keyPath = child(path, key);
                    break;
                }
            }
        }
        if (keyPath == null) {
            keyPath = path;
        }
        // The key named, else the nearest enclosing key given in the file, else the record itself.
        Mark at = null;
        for (String p = keyPath; at == null && p.length() > path.length(); p = parentPath(p)) {
            at = keyMarks.get(p);
        }
        if (at == null) {
            at = mark(recordNode);
        }
        add(at, keyPath, message, fix);
    }

    private static String parentPath(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    private static boolean isComponentPath(RecordComponent[] components, String candidate) {
        String first = candidate.split("[.\\[]", 2)[0];
        return Arrays.stream(components).anyMatch(c -> ConfigKeys.yamlKey(c.getName()).equals(first));
    }

    private static String normalisePath(String path) {
        StringBuilder s = new StringBuilder();
        for (String segment : path.split("\\.")) {
            if (!s.isEmpty()) {
                s.append('.');
            }
            s.append(ConfigKeys.yamlKey(segment));
        }
        return s.toString();
    }

    private static boolean containsWord(String text, String word) {
        return Pattern.compile("(?<![A-Za-z0-9-])" + Pattern.quote(word) + "(?![A-Za-z0-9-])").matcher(text).find();
    }

    private String keyText(Node keyNode, String path) {
        if (keyNode instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        problem(keyNode, path, "a key must be a plain name, found " + kind(keyNode), "write the key as a simple word");
        return null;
    }

    private void problem(Node node, String path, String message, String fix) {
        add(mark(node), path, message, fix);
    }

    private void add(Mark at, String path, String message, String fix) {
        int line = at == null ? 0 : at.getLine() + 1;
        int column = at == null ? 0 : at.getColumn() + 1;
        problems.add(new ConfigProblem(file, line, column, path, message, fix));
    }

    private static Mark mark(Node node) {
        return node == null ? null : node.getStartMark().orElse(null);
    }

    static boolean isNull(Node node) {
        return node == null || (node instanceof ScalarNode && node.getTag().equals(Tag.NULL));
    }

    private static String kind(Node node) {
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof MappingNode) {
            return "a section";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String lastKey(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static String describe(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "a duration (a number and a unit)";
        }
        if (type == DataSize.class) {
            return "a size (a number with an optional unit)";
        }
        if (type == Path.class) {
            return "a file path";
        }
        if (type.isEnum()) {
            return "one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
                    .map(c -> ValueConverter.enumText((Enum<?>) c)).toList());
        }
        if (type == String.class) {
            return "a text";
        }
        return null;
    }

    private static String example(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "100";
        }
        if (type == double.class || type == Double.class) {
            return "0.5";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true";
        }
        if (type == Duration.class) {
            return "30s (or 250ms, 5m, 4h, 5d)";
        }
        if (type == DataSize.class) {
            return "10MB (or 512, 64KB, 2GB)";
        }
        if (type == Path.class) {
            return "/var/lib/facteur";
        }
        if (type.isEnum()) {
            return ValueConverter.enumText((Enum<?>) type.getEnumConstants()[0]);
        }
        return "...";
    }

    static Class<?> rawType(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unsupported configuration type " + type);
    }

    static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[index];
        }
        throw new IllegalStateException("raw collection type " + type + ": declare its element type");
    }
}
