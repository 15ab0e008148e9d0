package org.facteur.storage;

import java.util.List;

/**
 * A change to a mailbox, sent to every other open view of it (IMAP IDLE and unsolicited responses, the
 * webmail's refresh, POP3). The view that made a change gets its result as a return value instead, so a
 * session can tell what it did from what it must be told (RFC 9051 §7: untagged updates).
 */
public sealed interface MailboxEvent {

    /** The mailbox's HIGHESTMODSEQ after the change. */
    long highestModSeq();

    record Added(List<MessageMeta> messages, long highestModSeq) implements MailboxEvent {
        public Added {
            messages = List.copyOf(messages);
        }
    }

    record FlagsChanged(List<MessageMeta> messages, long highestModSeq) implements MailboxEvent {
        public FlagsChanged {
            messages = List.copyOf(messages);
        }
    }

    /** UIDs removed, in ascending order. */
    record Expunged(List<Long> uids, long highestModSeq) implements MailboxEvent {
        public Expunged {
            uids = List.copyOf(uids);
        }
    }

    /** The mailbox was deleted or renamed away; views must deselect (IMAP {@code BYE} or NO on next use). */
    record Gone(long highestModSeq) implements MailboxEvent {
    }
}
