package org.facteur.app;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Which ports the listeners use. Every module declares its standard ports as defaults (25, 587, 465, 143, 993,
 * 110, 995, 443); this class finds them generically (int components named {@code port} or {@code ...Port}) so
 * the policy is written once and holds for sections added later:
 * <ul>
 *   <li>started as root: the standard ports;</li>
 *   <li>otherwise: each standard port plus {@value #UNPRIVILEGED_OFFSET} (10025, 10587, ...), since only root may
 *       bind below 1024 on most systems; the chosen ports are written into the generated file;</li>
 *   <li>tests: every port 0 (a free port each).</li>
 * </ul>
 * A port of -1 (off) is left alone.
 */
public final class PortPolicy {

    public static final int UNPRIVILEGED_OFFSET = 10000;
    /** RFC 5321 (25), RFC 6409 (587), RFC 8314 (465, 993, 995), RFC 9051 (143), RFC 1939 (110), HTTPS (443). */
    public static final Set<Integer> STANDARD_PORTS = Set.of(25, 587, 465, 143, 993, 110, 995, 443);

    private PortPolicy() {
    }

    /** The configuration with standard ports shifted for a process that is not root. */
    public static FacteurConfig forUser(FacteurConfig config, boolean root) {
        return root ? config : map(config, p -> STANDARD_PORTS.contains(p) ? p + UNPRIVILEGED_OFFSET : p);
    }

    /** Every listening port set to 0, so the system picks free ones (tests, several instances on one host). */
    public static FacteurConfig ephemeral(FacteurConfig config) {
        return map(config, p -> p > 0 ? 0 : p);
    }

    /** Each port in the configuration by its key path ({@code pop3.tls-port} → 995). */
    public static Map<String, Integer> ports(Record config) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        collect(config, "", ports);
        return ports;
    }

    /** A copy of {@code config} with every port passed through {@code change}. */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R map(R config, IntUnaryOperator change) {
        return (R) rebuild(config, change);
    }

    static boolean isPort(RecordComponent c) {
        return (c.getType() == int.class || c.getType() == Integer.class)
                && (c.getName().equals("port") || c.getName().endsWith("Port"));
    }

    private static void collect(Object value, String path, Map<String, Integer> into) {
        if (value instanceof Optional<?> o) {
            o.ifPresent(v -> collect(v, path, into));
            return;
        }
        if (!(value instanceof Record record)) {
            return;
        }
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Object v = read(record, c);
            String child = (path.isEmpty() ? "" : path + ".") + org.facteur.config.ConfigKeys.yamlKey(c.getName());
            if (isPort(c)) {
                into.put(child, (Integer) v);
            } else {
                collect(v, child, into);
            }
        }
    }

    private static Object rebuild(Object value, IntUnaryOperator change) {
        if (value instanceof Optional<?> o) {
            return o.map(v -> rebuild(v, change));
        }
        if (!(value instanceof Record record) || record.getClass().getRecordComponents().length == 0) {
            return value;
        }
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        boolean changed = false;
        for (int i = 0; i < components.length; i++) {
            Object v = read(record, components[i]);
            Object w = isPort(components[i]) ? (Object) change.applyAsInt((Integer) v) : rebuild(v, change);
            changed |= !w.equals(v);
            values[i] = w;
        }
        if (!changed) {
            return record;
        }
        try {
            Constructor<?> constructor = record.getClass().getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot change the ports of " + record.getClass().getSimpleName(), e);
        }
    }

    private static Object read(Record record, RecordComponent c) {
        try {
            var accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
