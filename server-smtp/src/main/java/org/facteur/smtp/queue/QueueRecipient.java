package org.facteur.smtp.queue;

import java.util.Set;

import org.facteur.smtp.protocol.RcptParameters;

/**
 * One recipient of a queued message and where its delivery stands.
 *
 * @param status      RFC 3463 status of the last attempt (such as {@code 4.4.1}), null before any
 * @param diagnostic  the remote reply or our reason, for the DSN's Diagnostic-Code
 * @param remoteMta   the server that gave the reply, or null
 */
public record QueueRecipient(String address, Set<RcptParameters.Notify> notifications, String originalRecipient,
                             State state, String status, String diagnostic, String remoteMta) {

    public enum State { PENDING, DELIVERED, FAILED }

    public QueueRecipient {
        notifications = Set.copyOf(notifications);
    }

    public static QueueRecipient pending(String address, RcptParameters parameters) {
        return new QueueRecipient(address, parameters.notifications(), parameters.originalRecipient(), State.PENDING,
                null, null, null);
    }

    public QueueRecipient with(State newState, String newStatus, String newDiagnostic, String newRemoteMta) {
        return new QueueRecipient(address, notifications, originalRecipient, newState, newStatus, newDiagnostic, newRemoteMta);
    }

    /**
     * This recipient once the next hop has taken over its notifications (it offered DSN and got our NOTIFY,
     * RFC 3461 §5.2.1): no success notice is due from us any more.
     */
    public QueueRecipient handedOver() {
        Set<RcptParameters.Notify> rest = java.util.EnumSet.noneOf(RcptParameters.Notify.class);
        rest.addAll(notifications);
        rest.remove(RcptParameters.Notify.SUCCESS);
        if (rest.isEmpty() && !notifications.isEmpty()) {
            rest.add(RcptParameters.Notify.NEVER);
        }
        return new QueueRecipient(address, rest, originalRecipient, state, status, diagnostic, remoteMta);
    }

    public RcptParameters parameters() {
        return new RcptParameters(notifications, originalRecipient);
    }

    public String domain() {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
