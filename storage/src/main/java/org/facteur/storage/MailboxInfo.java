package org.facteur.storage;

import java.util.Optional;

/**
 * A mailbox as LIST shows it. Names are UTF-8, with {@code /} as the hierarchy separator ({@code INBOX} is
 * the root of the maildir; {@code Lists/Java} is {@code .Lists.Java} on disk in modified UTF-7).
 */
public record MailboxInfo(String name, Optional<SpecialUse> specialUse, boolean subscribed, boolean hasChildren) {

    public static final char SEPARATOR = '/';
    public static final String INBOX = "INBOX";
}
