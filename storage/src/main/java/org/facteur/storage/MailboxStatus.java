package org.facteur.storage;

/**
 * The counters STATUS and the webmail's folder list need, read from the index without opening files.
 *
 * @param recent messages no read-write session has seen yet (IMAP4rev1 \Recent; RFC 3501 §6.3.10)
 */
public record MailboxStatus(String name, long messages, long unseen, long uidNext, long uidValidity,
                            long highestModSeq, long size, long deleted, long recent) {
}
