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

    private final MailStore store;

    public LocalDelivery(MailStore store) {
        this.store = store;
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
    }
}
