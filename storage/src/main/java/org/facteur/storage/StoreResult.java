package org.facteur.storage;

import java.util.List;

/**
 * The result of a flag change: the messages as they are now, and those left unchanged because their MODSEQ
 * was above UNCHANGEDSINCE (RFC 7162 §3.1.3, the MODIFIED response code).
 */
public record StoreResult(List<MessageMeta> updated, List<Long> modified) {

    public StoreResult {
        updated = List.copyOf(updated);
        modified = List.copyOf(modified);
    }
}
