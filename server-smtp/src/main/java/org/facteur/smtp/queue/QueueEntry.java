package org.facteur.smtp.queue;

import java.time.Instant;
import java.util.List;

import org.facteur.smtp.protocol.MailParameters;

/**
 * A queued message's envelope and delivery state, as stored beside the message file.
 *
 * @param sender        reverse path, empty for {@code <>} (a DSN: never bounced, RFC 3461 §6.2 / RFC 5321 §4.5.5)
 * @param ret           RFC 3461 RET, null when the client did not say
 * @param envelopeId    RFC 3461 ENVID, or null
 * @param smtpUtf8      whether the message needs SMTPUTF8 from the next hop
 */
public record QueueEntry(String id, String sender, MailParameters.Ret ret, String envelopeId, boolean smtpUtf8,
                         boolean eightBit, Instant created, int attempts, Instant nextAttempt, boolean delayNotified,
                         List<QueueRecipient> recipients) {

    public QueueEntry {
        recipients = List.copyOf(recipients);
    }

    public List<QueueRecipient> pending() {
        return recipients.stream().filter(r -> r.state() == QueueRecipient.State.PENDING).toList();
    }

    public QueueEntry withRecipients(List<QueueRecipient> newRecipients) {
        return new QueueEntry(id, sender, ret, envelopeId, smtpUtf8, eightBit, created, attempts, nextAttempt,
                delayNotified, newRecipients);
    }

    public QueueEntry scheduled(int newAttempts, Instant next, boolean newDelayNotified) {
        return new QueueEntry(id, sender, ret, envelopeId, smtpUtf8, eightBit, created, newAttempts, next,
                newDelayNotified, recipients);
    }
}
