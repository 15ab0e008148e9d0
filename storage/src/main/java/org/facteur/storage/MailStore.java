package org.facteur.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * All accounts' mail. One instance per server, shared by SMTP delivery, IMAP, POP3, the webmail and the
 * filters.
 */
public interface MailStore extends AutoCloseable {

    /**
     * The account's store, creating its maildir and special-use mailboxes on first use.
     */
    AccountStore account(String account) throws IOException;

    /**
     * Local delivery from SMTP. Durable on return (written to {@code tmp/}, fsynced with its directory,
     * renamed into {@code new/}, indexed): only then may SMTP answer 250.
     *
     * @param mailbox INBOX, or the Junk folder's name for spam
     * @throws QuotaExceededException when the account is full
     */
    AppendResult deliver(String account, String mailbox, InputStream content, Set<String> flags) throws IOException;

    /** Registers a listener for spam/ham reclassification (a message moved into or out of a \Junk mailbox). */
    void addReclassificationListener(ReclassificationListener listener);

    @Override
    void close() throws IOException;

    /** Told when a user moves mail into Junk (spam) or out of it (ham), however it was moved. */
    @FunctionalInterface
    interface ReclassificationListener {
        /**
         * @param mailbox and {@code uid}: where the message is now; open it through {@link #account}
         */
        void onReclassified(String account, String mailbox, long uid, boolean spam);
    }
}
