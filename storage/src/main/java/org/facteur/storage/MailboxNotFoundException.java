package org.facteur.storage;

import java.io.IOException;

/** No such mailbox: IMAP {@code NO [NONEXISTENT]}, or {@code [TRYCREATE]} for COPY/APPEND targets. */
public class MailboxNotFoundException extends IOException {
    public MailboxNotFoundException(String mailbox) {
        super("no mailbox named " + mailbox);
    }
}
