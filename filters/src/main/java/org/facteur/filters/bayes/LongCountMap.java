package org.facteur.filters.bayes;

/**
 * Token hash → (spam, ham) counts, open addressing over primitive arrays: 16 bytes a token instead of the
 * ~90 of a {@code HashMap<Long, int[]>}, so a million-token database fits in memory. Not thread-safe: the
 * {@link TokenStore} guards it.
 */
final class LongCountMap {

    private static final long EMPTY = 0L;
    private long[] keys;
    private int[] spam;
    private int[] ham;
    private int size;

    LongCountMap() {
        this(1024);
    }

    LongCountMap(int capacity) {
        int n = Integer.highestOneBit(Math.max(16, capacity * 2 - 1));
        keys = new long[n];
        spam = new int[n];
        ham = new int[n];
    }

    int size() {
        return size;
    }

    /** 0 is the empty marker; a real hash of 0 is stored as 1 (a collision that costs nothing). */
    private static long key(long token) {
        return token == EMPTY ? 1L : token;
    }

    private int slot(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        int mask = keys.length - 1;
        int i = (int) (h >>> 40) & mask;
        while (keys[i] != EMPTY && keys[i] != k) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Spam count in the high 32 bits, ham in the low, or -1 when absent. */
    long get(long token) {
        long k = key(token);
        int i = slot(k);
        return keys[i] == EMPTY ? -1 : ((long) spam[i] << 32) | (ham[i] & 0xffffffffL);
    }

    void add(long token, int spamDelta, int hamDelta) {
        long k = key(token);
        int i = slot(k);
        if (keys[i] == EMPTY) {
            keys[i] = k;
            size++;
        }
        spam[i] = Math.max(0, spam[i] + spamDelta);
        ham[i] = Math.max(0, ham[i] + hamDelta);
        if (size * 10 > keys.length * 6) {
            grow();
        }
    }

    void put(long token, int spamCount, int hamCount) {
        long k = key(token);
        int i = slot(k);
        if (keys[i] == EMPTY) {
            keys[i] = k;
            size++;
        }
        spam[i] = spamCount;
        ham[i] = hamCount;
        if (size * 10 > keys.length * 6) {
            grow();
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldSpam = spam;
        int[] oldHam = ham;
        keys = new long[oldKeys.length * 2];
        spam = new int[keys.length];
        ham = new int[keys.length];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = slot(oldKeys[j]);
                keys[i] = oldKeys[j];
                spam[i] = oldSpam[j];
                ham[i] = oldHam[j];
            }
        }
    }
}
