package org.facteur.imap.protocol;

import java.util.Map;

/**
 * One complete command as read from the wire: its tag and name, and every byte after the name with literals
 * spliced in. {@code literals} maps the offset just after each {@code {n}} marker to the literal's length, so the
 * argument reader can tell a literal from text that happens to look like one.
 */
public record RawCommand(String tag, String name, byte[] bytes, int argumentsStart, Map<Integer, Integer> literals) {

    public ArgumentReader arguments(int maxNesting) {
        return new ArgumentReader(bytes, argumentsStart, literals, maxNesting);
    }
}
