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
 * <p>A nested record, a list of records or a map may take a default too, written as YAML flow text:
 * {@code @Default("{port: 25, tls: starttls}") ListenerConfig mta}. Keys the file leaves out inside such a
 * component then take these values, not the record type's own defaults.
 *
 * <p>A record component without {@code @Default} is either a nested record (its own defaults apply),
 * a list or map (empty by default), an {@link java.util.Optional} (empty), or required.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Default {
    String value();
}
