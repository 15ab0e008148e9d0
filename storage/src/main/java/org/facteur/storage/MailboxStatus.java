package org.facteur.storage;

/** The counters STATUS and the webmail's folder list need, read from the index without opening files. */
public record MailboxStatus(String name, long messages, long unseen, long uidNext, long uidValidity,
                            long highestModSeq, long size, long deleted) {
}
