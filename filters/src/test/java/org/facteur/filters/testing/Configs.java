package org.facteur.filters.testing;

import org.facteur.config.ConfigDefaults;
import org.facteur.filters.FilterConfig;
import org.facteur.net.testing.TestDns;

/** Copies of the default configuration with one part changed (records have no withers). */
public final class Configs {

    private Configs() {
    }

    public static FilterConfig defaults() {
        return ConfigDefaults.of(FilterConfig.class);
    }

    /** Rebuilds a record with some components replaced by name. */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R with(R record, Object... namesAndValues) {
        try {
            var components = record.getClass().getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = components[i].getAccessor().invoke(record);
                for (int j = 0; j < namesAndValues.length; j += 2) {
                    if (components[i].getName().equals(namesAndValues[j])) {
                        values[i] = namesAndValues[j + 1];
                    }
                }
            }
            var constructor = record.getClass().getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return (R) constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static FilterConfig withDns(FilterConfig config, TestDns dns) {
        return with(config, "dns", with(config.dns(), "resolver", dns.address()));
    }

}
