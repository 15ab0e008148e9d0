package org.facteur.imap.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An IMAP sequence set (RFC 9051 §9 sequence-set): numbers and ranges, {@code *} for the largest number in use,
 * or {@code $} for the result of the last SEARCH (RFC 5182 SEARCHRES). The same class serves message sequence
 * numbers and UIDs; the command decides what the numbers mean.
 */
public final class SequenceSet {

    /** Stands for {@code *} until resolved against the mailbox. */
    public static final long STAR = Long.MAX_VALUE;

    private final List<long[]> ranges;
    private final boolean saved;

    private SequenceSet(List<long[]> ranges, boolean saved) {
        this.ranges = ranges;
        this.saved = saved;
    }

    /** The {@code $} set; the session substitutes its saved search result. */
    public boolean isSavedResult() {
        return saved;
    }

    public static SequenceSet of(Collection<long[]> ranges) {
        return new SequenceSet(List.copyOf(ranges), false);
    }

    /**
     * @param maxElements most numbers and ranges accepted (a limit against 100,000-element sets)
     */
    public static SequenceSet parse(String text, int maxElements) throws ImapException {
        if (text.equals("$")) {
            return new SequenceSet(List.of(), true);
        }
        if (text.isEmpty()) {
            throw new ImapException("Empty sequence set");
        }
        List<long[]> ranges = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            if (ranges.size() >= maxElements) {
                throw new ImapException("LIMIT", "Sequence set has more than " + maxElements + " elements");
            }
            long[] first = new long[1];
            i = number(text, i, first);
            long lo = first[0];
            long hi = lo;
            if (i < n && text.charAt(i) == ':') {
                long[] second = new long[1];
                i = number(text, i + 1, second);
                hi = second[0];
            }
            ranges.add(lo <= hi ? new long[] {lo, hi} : new long[] {hi, lo});
            if (i == n) {
                break;
            }
            if (text.charAt(i) != ',') {
                throw new ImapException("Invalid sequence set");
            }
            i++;
        }
        return new SequenceSet(List.copyOf(ranges), false);
    }

    private static int number(String text, int i, long[] out) throws ImapException {
        if (i < text.length() && text.charAt(i) == '*') {
            out[0] = STAR;
            return i + 1;
        }
        int start = i;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            i++;
        }
        if (i == start || i - start > 10) {
            throw new ImapException("Invalid number in sequence set");
        }
        long v = Long.parseLong(text, start, i, 10);
        if (v == 0 || v > 0xffffffffL) {
            // RFC 9051 §9: seq-number is nz-number (1 to 4294967295) or "*".
            throw new ImapException("Sequence numbers run from 1 to 4294967295");
        }
        out[0] = v;
        return i;
    }

    /** The ranges with {@code *} replaced by {@code star} (the largest number in use), each as {lo, hi}. */
    public List<long[]> resolve(long star) {
        List<long[]> out = new ArrayList<>(ranges.size());
        for (long[] r : ranges) {
            long lo = r[0] == STAR ? star : r[0];
            long hi = r[1] == STAR ? star : r[1];
            out.add(lo <= hi ? new long[] {lo, hi} : new long[] {hi, lo});
        }
        return out;
    }

    public boolean contains(long value, long star) {
        for (long[] r : resolve(star)) {
            if (value >= r[0] && value <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /** The largest explicit number (not {@code *}), to check message sequence numbers against the mailbox size. */
    public long largestExplicit() {
        long max = 0;
        for (long[] r : ranges) {
            if (r[0] != STAR) {
                max = Math.max(max, r[0]);
            }
            if (r[1] != STAR) {
                max = Math.max(max, r[1]);
            }
        }
        return max;
    }

    public List<long[]> ranges() {
        return ranges;
    }

    /**
     * Writes numbers in the order given, joining runs of consecutive ones into ranges: {@code 1:3,7,9:10}
     * (ESEARCH, VANISHED; COPYUID's source and destination lists must pair up, so nothing is sorted).
     */
    public static String format(List<Long> values) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < values.size()) {
            long start = values.get(i);
            long end = start;
            while (i + 1 < values.size() && values.get(i + 1) == end + 1) {
                end = values.get(++i);
            }
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(start);
            if (end != start) {
                sb.append(':').append(end);
            }
            i++;
        }
        return sb.toString();
    }
}
