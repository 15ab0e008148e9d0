package org.facteur.storage;

import java.io.IOException;

/** CREATE or RENAME to a name that is taken: IMAP {@code NO [ALREADYEXISTS]} (RFC 5530). */
public class MailboxExistsException extends IOException {
    public MailboxExistsException(String mailbox) {
        super("a mailbox named " + mailbox + " already exists");
    }
}
