package org.facteur.storage.search;

import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.function.IntPredicate;

import org.facteur.storage.MessageMeta;
import org.facteur.storage.index.IndexDatabase;
import org.facteur.storage.index.MessageRow;

/**
 * One version of a mailbox as columns: UIDs, sizes, MODSEQs, dates and system flags in arrays, in UID order.
 * A criterion on them is one pass over one array into a {@link BitSet} of positions, AND/OR/NOT are BitSet
 * operations, and no UID is boxed until the answer: on 100,000 messages a flag or date criterion costs well
 * under a millisecond and makes almost no garbage (the HashSet of boxed UIDs it replaced made a GC pause the
 * p99). Built from the mailbox's cached message list, plus the Date-header column, which that list lacks: read
 * from H2 once per message (a message's Date never changes) and carried over to the next version.
 */
final class MessageColumns {

    /** The cached list these columns were built from: the same object while the mailbox is unchanged. */
    final List<MessageMeta> source;
    final long[] uids;
    final long[] sizes;
    final long[] modSeqs;
    final long[] internalDates;
    final long[] saveDates;
    final long[] sentDates;
    final int[] systemFlags;

    private MessageColumns(List<MessageMeta> source, long[] sentDates) {
        int n = source.size();
        this.source = source;
        this.uids = new long[n];
        this.sizes = new long[n];
        this.modSeqs = new long[n];
        this.internalDates = new long[n];
        this.saveDates = new long[n];
        this.systemFlags = new int[n];
        this.sentDates = sentDates;
        for (int i = 0; i < n; i++) {
            MessageMeta m = source.get(i);
            uids[i] = m.uid();
            sizes[i] = m.size();
            modSeqs[i] = m.modSeq();
            internalDates[i] = m.internalDate().toEpochMilli();
            saveDates[i] = m.saveDate().toEpochMilli();
            systemFlags[i] = MessageRow.systemBits(m.flags());
        }
    }

    /**
     * The columns of {@code messages}, taking the sent dates known to {@code previous} (may be null) and reading
     * the others from the index.
     */
    static MessageColumns build(IndexDatabase db, long mailboxId, List<MessageMeta> messages, MessageColumns previous)
            throws IOException {
        int n = messages.size();
        long[] sent = new long[n];
        Arrays.fill(sent, Long.MIN_VALUE);
        long firstMissing = Long.MAX_VALUE;
        int missing = 0;
        for (int i = 0; i < n; i++) {
            long uid = messages.get(i).uid();
            int p = previous == null ? -1 : previous.position(uid);
            if (p >= 0) {
                sent[i] = previous.sentDates[p];
            } else {
                firstMissing = Math.min(firstMissing, uid);
                missing++;
            }
        }
        if (missing > 0) {
            // new messages have the highest UIDs: one primary-key range read (the whole mailbox the first time)
            long[] uids = messages.stream().mapToLong(MessageMeta::uid).toArray();
            for (long[] row : db.list("SELECT uid, sent_date FROM message WHERE mailbox_id=? AND uid >= ?",
                    rs -> new long[] {rs.getLong(1), rs.getLong(2)}, mailboxId, firstMissing)) {
                int p = Arrays.binarySearch(uids, row[0]);
                if (p >= 0) {
                    sent[p] = row[1];
                }
            }
        }
        return new MessageColumns(messages, sent);
    }

    int size() {
        return uids.length;
    }

    /** The position of a UID, or a negative number when the mailbox (this version) has no such message. */
    int position(long uid) {
        return Arrays.binarySearch(uids, uid);
    }

    boolean contains(BitSet set, long uid) {
        int p = position(uid);
        return p >= 0 && set.get(p);
    }

    BitSet all() {
        BitSet b = new BitSet(size());
        b.set(0, size());
        return b;
    }

    /** The positions whose index satisfies {@code test}. */
    BitSet where(IntPredicate test) {
        BitSet b = new BitSet(size());
        for (int i = 0; i < uids.length; i++) {
            if (test.test(i)) {
                b.set(i);
            }
        }
        return b;
    }

    /** The positions of these UIDs (those the mailbox has). */
    BitSet of(Collection<Long> set) {
        BitSet b = new BitSet(size());
        for (long uid : set) {
            int p = position(uid);
            if (p >= 0) {
                b.set(p);
            }
        }
        return b;
    }

    /** The positions of these UIDs, given ascending (those the mailbox has): one merge walk of both arrays. */
    BitSet ofAscending(long[] ascending) {
        BitSet b = new BitSet(size());
        int i = 0;
        for (long uid : ascending) {
            while (i < uids.length && uids[i] < uid) {
                i++;
            }
            if (i == uids.length) {
                break;
            }
            if (uids[i] == uid) {
                b.set(i);
            }
        }
        return b;
    }

    /** The positions of UIDs in [lo, hi]. */
    BitSet range(long lo, long hi) {
        BitSet b = new BitSet(size());
        int from = position(lo);
        from = from >= 0 ? from : -from - 1;
        int to = position(hi);
        to = to >= 0 ? to + 1 : -to - 1;
        if (from < to) {
            b.set(from, to);
        }
        return b;
    }

    /** The UIDs at the set positions, ascending. */
    List<Long> uidsOf(BitSet set) {
        Long[] out = new Long[set.cardinality()];
        int k = 0;
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
            out[k++] = uids[i];
        }
        return Arrays.asList(out);
    }
}
