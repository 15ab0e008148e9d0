package org.facteur.storage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One account's mail: its mailboxes, quota and search. Obtained from {@link MailStore#account}. */
public interface AccountStore {

    String account();

    List<MailboxInfo> mailboxes() throws IOException;

    MailboxInfo create(String name, Optional<SpecialUse> specialUse) throws IOException;

    /** Renames a mailbox and its children; renaming INBOX moves its messages to a new mailbox (RFC 9051 §6.3.6). */
    void rename(String from, String to) throws IOException;

    void delete(String name) throws IOException;

    void subscribe(String name, boolean subscribed) throws IOException;

    /**
     * The subscribed names, including those of mailboxes deleted since: a server must not unsubscribe a name on
     * its own (RFC 9051 §6.3.9).
     */
    java.util.SortedSet<String> subscriptions() throws IOException;

    MailboxStatus status(String name) throws IOException;

    /** The mailbox with this special use, such as the Junk folder a spam verdict delivers to. */
    Optional<MailboxInfo> specialUse(SpecialUse use) throws IOException;

    Mailbox open(String name, boolean readOnly, Mailbox.MailboxListener listener) throws IOException;

    /**
     * Stores a message (IMAP APPEND, the webmail's Drafts and Sent). Durable on return: written to
     * {@code tmp/}, fsynced, moved into place, indexed. A part holding a NUL byte (binary content, RFC 3516
     * §4.4) is stored in base64, so that IMAP can send it back in a literal (RFC 9051 §4.3).
     *
     * @param internalDate null for now
     */
    AppendResult append(String mailbox, InputStream content, Set<String> flags, Instant internalDate)
            throws IOException;

    Quota quota() throws IOException;
}
