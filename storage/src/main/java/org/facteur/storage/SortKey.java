package org.facteur.storage;

/** RFC 5256 sort criteria (and the webmail's columns); {@code reverse} flips one key. */
public record SortKey(Criterion criterion, boolean reverse) {

    public enum Criterion { ARRIVAL, DATE, FROM, TO, CC, SUBJECT, SIZE, DISPLAY_FROM, DISPLAY_TO }

    public static SortKey of(Criterion criterion) {
        return new SortKey(criterion, false);
    }

    public static SortKey reversed(Criterion criterion) {
        return new SortKey(criterion, true);
    }
}
