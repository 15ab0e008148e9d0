package org.facteur.smtp.queue;

import java.nio.file.Path;
import java.util.List;

/**
 * Delivers one queued message to a group of its pending recipients that share a destination (one domain, or
 * the smarthost), over one connection, and says what became of each.
 */
@FunctionalInterface
public interface DeliveryAgent {

    /**
     * @return the same recipients with their new state: DELIVERED, FAILED (permanent) or still PENDING
     *         (temporary failure), each with its status and diagnostic
     */
    List<QueueRecipient> deliver(QueueEntry entry, Path message, List<QueueRecipient> group);
}
