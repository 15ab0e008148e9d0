package org.facteur.storage;

import java.time.Instant;
import java.util.Set;

/**
 * What the index knows of one message without reading it.
 *
 * @param flags        system flags and keywords, IMAP spelling ({@link Flags})
 * @param size         the exact size in bytes of the stored message (RFC822.SIZE; CRLF line endings)
 * @param internalDate the delivery or APPEND time (IMAP INTERNALDATE)
 * @param saveDate     when it was saved into this mailbox (RFC 8514 SAVEDATE)
 */
public record MessageMeta(long uid, long modSeq, Set<String> flags, long size, Instant internalDate, Instant saveDate) {

    public MessageMeta {
        flags = Set.copyOf(flags);
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }
}
