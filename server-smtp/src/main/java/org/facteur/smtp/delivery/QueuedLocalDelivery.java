package org.facteur.smtp.delivery;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.facteur.auth.Directory;
import org.facteur.auth.Recipient;
import org.facteur.smtp.queue.DeliveryAgent;
import org.facteur.smtp.queue.QueueEntry;
import org.facteur.smtp.queue.QueueRecipient;
import org.facteur.storage.QuotaExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's agent for our own domains: local copies that failed at receipt time (a full mailbox, a
 * storage hiccup) and DSNs to our own users are retried from the queue like remote mail.
 */
public final class QueuedLocalDelivery implements DeliveryAgent {

    private static final Logger log = LoggerFactory.getLogger(QueuedLocalDelivery.class);

    private final Directory directory;
    private final LocalDelivery local;

    public QueuedLocalDelivery(Directory directory, LocalDelivery local) {
        this.directory = directory;
        this.local = local;
    }

    @Override
    public List<QueueRecipient> deliver(QueueEntry entry, Path message, List<QueueRecipient> group) {
        List<QueueRecipient> results = new ArrayList<>();
        for (QueueRecipient r : group) {
            Recipient resolution = directory.resolve(r.address());
            List<String> accounts = switch (resolution) {
                case Recipient.Local l -> l.accounts();
                case Recipient.Forward f -> f.localAccounts();
                default -> List.of();
            };
            if (accounts.isEmpty()) {
                results.add(r.with(QueueRecipient.State.FAILED, "5.1.1", "No such user here", null));
                continue;
            }
            QueueRecipient result = r.with(QueueRecipient.State.DELIVERED, "2.0.0", "Delivered", null);
            for (String account : accounts) {
                try {
                    local.deliver(account, entry.sender(), new byte[0], message, false);
                } catch (QuotaExceededException e) {
                    result = r.with(QueueRecipient.State.PENDING, "4.2.2", "Mailbox full", null);
                } catch (IOException | RuntimeException e) {
                    log.warn("queue {}: local delivery to {} failed", entry.id(), account, e);
                    result = r.with(QueueRecipient.State.PENDING, "4.3.0", "Local delivery failed temporarily", null);
                }
            }
            results.add(result);
        }
        return results;
    }
}
