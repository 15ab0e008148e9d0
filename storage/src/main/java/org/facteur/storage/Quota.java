package org.facteur.storage;

/** An account's use and limits (RFC 9208 STORAGE in bytes, MESSAGE in count); a limit of -1 means none. */
public record Quota(long usedBytes, long limitBytes, long usedMessages, long limitMessages) {

    public boolean allows(long moreBytes, long moreMessages) {
        return (limitBytes < 0 || usedBytes + moreBytes <= limitBytes)
                && (limitMessages < 0 || usedMessages + moreMessages <= limitMessages);
    }
}
