package org.facteur.storage;

/**
 * One conversation of a mailbox for a threaded list: its newest message and how many messages it has there.
 *
 * @param threadId the index's thread key (root of the References chain, else In-Reply-To, else Message-ID),
 *                 or {@code "uid:N"} for a message that has none of them
 */
public record ThreadSummary(String threadId, MessageSummary newest, int messages) {
}
