package org.facteur.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a configuration record from its {@link Default} annotations alone: what Facteur runs with when the
 * file says nothing. Tests use it to get a realistic configuration without repeating any default.
 */
public final class ConfigDefaults {

    private ConfigDefaults() {
    }

    public static <R extends Record> R of(Class<R> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = defaultValue(type, components[i]);
        }
        try {
            Constructor<R> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the defaults of " + type.getSimpleName() + " are invalid: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean needsYaml(Class<?> raw, Type generic) {
        if (ValueConverter.isScalar(raw)) {
            return false;
        }
        if (raw.isRecord() || raw == Map.class) {
            return true;
        }
        if (generic instanceof ParameterizedType p && (raw == List.class || raw == Set.class || raw == Optional.class)) {
            Type element = p.getActualTypeArguments()[0];
            return !ValueConverter.isScalar(element);
        }
        return false;
    }

    /** The default of one component: its {@link Default}, a nested record's defaults, or an empty collection. */
    @SuppressWarnings("unchecked")
    public static Object defaultValue(Class<?> owner, RecordComponent component) {
        Default d = component.getAnnotation(Default.class);
        Type generic = component.getGenericType();
        Class<?> raw = component.getType();
        if (d != null) {
            if (needsYaml(raw, generic)) {
                // A nested record or a list of records: the default is YAML text, e.g. "{port: 25, tls: starttls}".
                try {
                    return YamlConfig.parse(d.value(), "@Default of " + owner.getSimpleName() + "."
                            + component.getName(), generic, null, null);
                } catch (ConfigException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
            return ValueConverter.fromDefaultText(d.value(), generic);
        }
        if (raw.isRecord()) {
            return of((Class<? extends Record>) raw);
        }
        if (raw == List.class) {
            return List.of();
        }
        if (raw == Set.class) {
            return Set.of();
        }
        if (raw == Map.class) {
            return Map.of();
        }
        if (raw == Optional.class) {
            return Optional.empty();
        }
        throw new IllegalStateException(owner.getSimpleName() + "." + component.getName()
                + " has no @Default and is not a record, collection or Optional; it is required");
    }
}
