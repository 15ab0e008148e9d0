package org.facteur.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The default of a configuration key, written as it would be in YAML ({@code "25"}, {@code "30s"},
 * {@code "10MB"}, {@code "true"}, {@code "[a, b]"}). Defined once here, read by {@link ConfigDefaults}
 * and by the YAML binder, so a default is never repeated in code.
 *
 * <p>A record component without {@code @Default} is either a nested record (its own defaults apply),
 * a list or map (empty by default), an {@link java.util.Optional} (empty), or required.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Default {
    String value();
}
