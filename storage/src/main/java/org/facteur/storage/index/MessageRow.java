package org.facteur.storage.index;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import org.facteur.storage.Flags;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.mime.IndexFields;

/**
 * One message as the index holds it.
 *
 * @param fileName path relative to the folder: {@code new/BASE} or {@code cur/BASE:2,FLAGS}
 * @param fields   sort and search fields; null when read without them
 */
public record MessageRow(long mailboxId, long uid, long modSeq, Set<String> flags, long internalDate, long saveDate,
                         long size, String fileName, IndexFields fields, byte[] structure) {

    public MessageMeta meta() {
        return new MessageMeta(uid, modSeq, flags, size, Instant.ofEpochMilli(internalDate),
                Instant.ofEpochMilli(saveDate));
    }

    public MessageRow withFlags(Set<String> newFlags, long newModSeq, String newFileName) {
        return new MessageRow(mailboxId, uid, newModSeq, newFlags, internalDate, saveDate, size, newFileName, fields,
                structure);
    }

    public MessageRow withFileName(String newFileName) {
        return new MessageRow(mailboxId, uid, modSeq, flags, internalDate, saveDate, size, newFileName, fields,
                structure);
    }

    static final String[] SYSTEM_ORDER = {Flags.SEEN, Flags.ANSWERED, Flags.FLAGGED, Flags.DELETED, Flags.DRAFT};

    public static int systemBits(Set<String> flags) {
        int bits = 0;
        for (int i = 0; i < SYSTEM_ORDER.length; i++) {
            if (flags.contains(SYSTEM_ORDER[i])) {
                bits |= 1 << i;
            }
        }
        return bits;
    }

    public static int bit(String systemFlag) {
        for (int i = 0; i < SYSTEM_ORDER.length; i++) {
            if (SYSTEM_ORDER[i].equalsIgnoreCase(systemFlag)) {
                return 1 << i;
            }
        }
        return 0;
    }

    /** Keywords as stored: " a b " so that one can be found with LIKE '% a %'. */
    public static String keywordColumn(Set<String> flags) {
        StringBuilder b = new StringBuilder(" ");
        for (String f : new TreeSet<>(flags)) {
            if (!Flags.isSystem(f)) {
                b.append(f).append(' ');
            }
        }
        return b.toString();
    }

    private static final java.util.Map<String, Set<String>> FLAG_SETS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Flag sets are few and immutable: one shared instance per combination (a 100,000-message list allocates none). */
    static Set<String> flags(int bits, String keywords) {
        String key = bits + (keywords == null ? "" : keywords);
        Set<String> cached = FLAG_SETS.get(key);
        if (cached != null) {
            return cached;
        }
        Set<String> made = Set.copyOf(buildFlags(bits, keywords));
        if (FLAG_SETS.size() < 10_000) {
            FLAG_SETS.put(key, made);
        }
        return made;
    }

    private static Set<String> buildFlags(int bits, String keywords) {
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < SYSTEM_ORDER.length; i++) {
            if ((bits & (1 << i)) != 0) {
                out.add(SYSTEM_ORDER[i]);
            }
        }
        if (keywords != null) {
            for (String k : keywords.trim().split(" ")) {
                if (!k.isEmpty()) {
                    out.add(k);
                }
            }
        }
        return out;
    }
}
