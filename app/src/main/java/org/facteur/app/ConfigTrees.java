package org.facteur.app;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.facteur.config.ConfigKeys;

/**
 * Generic edits of a configuration tree, whatever sections it has: each leaf value (not a nested record) is
 * passed to a function with its component, and the records on the way are rebuilt only where something changed.
 * The port policy, the data-folder paths and the host names are applied this way, so they hold for any
 * module's section without knowing it.
 */
final class ConfigTrees {

    @FunctionalInterface
    interface LeafChange {
        /**
         * The new value of {@code component} in a record, given its current {@code value} (may return it);
         * {@code path} is its key path in the file, such as {@code pop3.tls-port}.
         */
        Object apply(String path, RecordComponent component, Object value);
    }

    private ConfigTrees() {
    }

    @SuppressWarnings("unchecked")
    static <R extends Record> R map(R config, LeafChange change) {
        return (R) rebuild(config, "", change);
    }

    private static Object rebuild(Record record, String path, LeafChange change) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        boolean changed = false;
        for (int i = 0; i < components.length; i++) {
            Object v = read(record, components[i]);
            String child = (path.isEmpty() ? "" : path + ".") + ConfigKeys.yamlKey(components[i].getName());
            Object w;
            if (v instanceof Record nested && components[i].getType().isRecord() && !isValue(nested)) {
                w = rebuild(nested, child, change);
            } else if (v instanceof Optional<?> o && o.isPresent() && o.get() instanceof Record nested && !isValue(nested)) {
                w = Optional.of(rebuild(nested, child, change));
            } else {
                w = change.apply(child, components[i], v);
            }
            changed |= !Objects.equals(w, v);
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
            throw new IllegalStateException("cannot rebuild " + record.getClass().getSimpleName(), e);
        }
    }

    /** Value records (DataSize, ...) are leaves, not sections. */
    private static boolean isValue(Record r) {
        return org.facteur.config.ValueConverter.isScalar(r.getClass());
    }

    static Object read(Record record, RecordComponent c) {
        try {
            var accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
