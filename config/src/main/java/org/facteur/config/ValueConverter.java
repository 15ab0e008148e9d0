package org.facteur.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.LinkedHashSet;

/**
 * Turns configuration scalars (as text) into typed values. Shared by {@link ConfigDefaults} and the YAML
 * binder so that a default and a value from the file are read the same way.
 */
public final class ValueConverter {

    private ValueConverter() {
    }

    /** Whether {@code type} is a scalar this converter reads (as opposed to a record, list, set or optional). */
    public static boolean isScalar(Type type) {
        if (!(type instanceof Class<?> c)) {
            return false;
        }
        return c == String.class || c == int.class || c == Integer.class || c == long.class || c == Long.class
                || c == boolean.class || c == Boolean.class || c == double.class || c == Double.class
                || c == Duration.class || c == DataSize.class || c == Path.class || c.isEnum()
                || parser(c) != null;
    }

    /**
     * A value type's own {@code public static T parse(String)} factory (such as {@code Cidr.parse}), so module
     * types can appear in configuration without this class knowing them; null when there is none.
     */
    static java.lang.reflect.Method parser(Class<?> type) {
        try {
            java.lang.reflect.Method m = type.getMethod("parse", String.class);
            int modifiers = m.getModifiers();
            return java.lang.reflect.Modifier.isStatic(modifiers) && type.isAssignableFrom(m.getReturnType()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** Converts one scalar; throws {@link IllegalArgumentException} with a sentence an admin can act on. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object scalar(String text, Class<?> type) {
        String s = text.trim();
        if (type == String.class) {
            return text;
        }
        if (type == int.class || type == Integer.class) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a whole number");
            }
        }
        if (type == long.class || type == Long.class) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a whole number");
            }
        }
        if (type == double.class || type == Double.class) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a number");
            }
        }
        if (type == boolean.class || type == Boolean.class) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
            };
        }
        if (type == Duration.class) {
            return Durations.parse(s);
        }
        if (type == DataSize.class) {
            return DataSize.parse(s);
        }
        if (type == Path.class) {
            return Path.of(s);
        }
        if (type.isEnum()) {
            String wanted = s.replace('-', '_');
            for (Object constant : type.getEnumConstants()) {
                if (((Enum) constant).name().equalsIgnoreCase(wanted)) {
                    return constant;
                }
            }
            List<String> names = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                names.add(enumText((Enum<?>) constant));
            }
            throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", names));
        }
        java.lang.reflect.Method parse = parser(type);
        if (parse != null) {
            try {
                return parse.invoke(null, s);
            } catch (java.lang.reflect.InvocationTargetException e) {
                Throwable cause = e.getCause();
                throw new IllegalArgumentException(cause.getMessage() != null ? cause.getMessage()
                        : "'" + text + "' is not a valid " + type.getSimpleName(), cause);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException("no conversion to " + type.getSimpleName());
    }

    /** How an enum constant is written in YAML: lower case with dashes ({@code STARTTLS_REQUIRED} → {@code starttls-required}). */
    public static String enumText(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Writes a value back as YAML scalar text (for the generated config file). */
    public static String format(Object value) {
        if (value instanceof Duration d) {
            return Durations.format(d);
        }
        if (value instanceof Enum<?> e) {
            return enumText(e);
        }
        return String.valueOf(value);
    }

    /** Converts a default written as text ({@code "[a, b]"} or {@code "a, b"} for lists) to the declared generic type. */
    public static Object fromDefaultText(String text, Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type element = p.getActualTypeArguments()[0];
            if (raw == List.class || raw == Set.class) {
                String body = text.trim();
                if (body.startsWith("[") && body.endsWith("]")) {
                    body = body.substring(1, body.length() - 1);
                }
                List<Object> values = new ArrayList<>();
                for (String part : body.split(",")) {
                    if (!part.isBlank()) {
                        values.add(scalar(part.trim(), (Class<?>) element));
                    }
                }
                return raw == List.class ? List.copyOf(values) : Set.copyOf(new LinkedHashSet<>(values));
            }
            if (raw == Optional.class) {
                return text.isEmpty() ? Optional.empty() : Optional.of(scalar(text, (Class<?>) element));
            }
        }
        return scalar(text, (Class<?>) type);
    }
}
