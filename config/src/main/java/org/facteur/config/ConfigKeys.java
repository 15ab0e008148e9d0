package org.facteur.config;

import java.util.Collection;
import java.util.Locale;

/** How record component names appear in YAML: {@code maxConnectionsPerIp} is written {@code max-connections-per-ip}. */
public final class ConfigKeys {

    private ConfigKeys() {
    }

    /** The YAML key of a record component name. */
    public static String yamlKey(String componentName) {
        StringBuilder s = new StringBuilder(componentName.length() + 4);
        for (int i = 0; i < componentName.length(); i++) {
            char c = componentName.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    s.append('-');
                }
                s.append(Character.toLowerCase(c));
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    /** The closest of {@code known} to a mistyped {@code key}, or null when none is close enough to suggest. */
    public static String closest(String key, Collection<String> known) {
        String wanted = normalise(key);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(wanted, normalise(candidate));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, wanted.length() / 3);
        return bestDistance <= allowed ? best : null;
    }

    // Case, dashes and underscores never make a key "far" from another.
    private static String normalise(String key) {
        return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** Levenshtein distance (insert, delete, substitute), two rows. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
