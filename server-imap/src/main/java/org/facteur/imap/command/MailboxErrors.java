package org.facteur.imap.command;

import java.io.IOException;
import org.facteur.imap.protocol.ImapException;
import org.facteur.storage.InvalidMailboxNameException;
import org.facteur.storage.MailboxNotFoundException;
import org.facteur.storage.QuotaExceededException;

/** Storage refusals as IMAP response codes (RFC 5530). */
final class MailboxErrors {

    private MailboxErrors() {
    }

    interface StorageCall<T> {
        T call() throws IOException;
    }

    /** Runs a storage call; a missing mailbox is {@code NONEXISTENT}, or {@code TRYCREATE} for a COPY/APPEND target. */
    static <T> T map(StorageCall<T> call, boolean target) throws IOException, ImapException {
        try {
            return call.call();
        } catch (MailboxNotFoundException e) {
            throw ImapException.no(target ? "TRYCREATE" : "NONEXISTENT", "No such mailbox");
        } catch (InvalidMailboxNameException e) {
            throw ImapException.no("CANNOT", "Invalid mailbox name: " + e.getMessage());
        } catch (QuotaExceededException e) {
            throw ImapException.no("OVERQUOTA", "Quota exceeded");
        }
    }
}
