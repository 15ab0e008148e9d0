package org.facteur.storage;

import java.time.Instant;
import java.util.Set;

/** One row of a message list (webmail), decoded for display, read from the index alone. */
public record MessageSummary(long uid, Instant date, String from, String to, String subject, long size,
                             Set<String> flags, boolean hasAttachments, String threadId) {

    public MessageSummary {
        flags = Set.copyOf(flags);
    }
}
