package org.facteur.storage;

import java.util.List;

/** UIDPLUS's COPYUID / MOVE answer (RFC 4315 §3): source UIDs and the UIDs they got, in the same order. */
public record CopyResult(long destinationUidValidity, List<Long> sourceUids, List<Long> destinationUids) {

    public CopyResult {
        sourceUids = List.copyOf(sourceUids);
        destinationUids = List.copyOf(destinationUids);
    }
}
