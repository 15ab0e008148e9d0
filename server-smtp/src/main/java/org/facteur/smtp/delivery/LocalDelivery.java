package org.facteur.smtp.delivery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.facteur.storage.MailStore;
import org.facteur.storage.MailboxInfo;
import org.facteur.storage.SpecialUse;

/**
 * Puts one copy of a message into one account's mailbox through {@link MailStore#deliver}, which is durable
 * on return. Adds {@code Return-Path:} (RFC 5321 §4.4: the delivery MTA records the reverse path).
 */
public final class LocalDelivery {

    /** Told of each copy once it is stored (the vacation auto-reply); never able to fail the delivery. */
    @FunctionalInterface
    public interface Listener {
        void delivered(String account, String reversePath, byte[] prefix, Path message, boolean junk);
    }

    private final MailStore store;
    private volatile Listener listener;

    public LocalDelivery(MailStore store) {
        this.store = store;
    }

    /** Sets the one listener told of every stored copy, whichever entry point or queue retry it came from. */
    public void listener(Listener newListener) {
        this.listener = newListener;
    }

    public org.facteur.storage.Quota quota(String account) throws IOException {
        return store.account(account).quota();
    }

    /**
     * @param reversePath the envelope sender, empty for {@code <>}
     * @param prefix      header lines to put before the message (CRLF-terminated), may be empty
     * @param junk        deliver to the account's Junk special-use folder
     * @throws org.facteur.storage.QuotaExceededException when the account is full
     */
    public void deliver(String account, String reversePath, byte[] prefix, Path message, boolean junk) throws IOException {
        String mailbox = MailboxInfo.INBOX;
        if (junk) {
            mailbox = store.account(account).specialUse(SpecialUse.JUNK).map(MailboxInfo::name)
                    .orElse(SpecialUse.JUNK.defaultName());
        }
        byte[] returnPath = ("Return-Path: <" + reversePath + ">\r\n").getBytes(StandardCharsets.UTF_8);
        try (InputStream content = new SequenceInputStream(new ByteArrayInputStream(returnPath),
                new SequenceInputStream(new ByteArrayInputStream(prefix), Files.newInputStream(message)))) {
            store.deliver(account, mailbox, content, Set.of());
        }
        Listener l = listener;
        if (l != null) {
            l.delivered(account, reversePath, prefix, message, junk);
        }
    }
}
