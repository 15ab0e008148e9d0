package org.facteur.auth;

import java.util.List;
import java.util.Optional;

/**
 * Domains, accounts and aliases. Read by every protocol (recipients, logins, sender checks), changed by the
 * admin CLI. Addresses are compared case-insensitively in the domain and, as Postfix and Dovecot do by
 * default, in the local part too.
 *
 * <p>Every method may throw {@link DirectoryException} (unchecked) when the database cannot be read: answer
 * with a temporary error (SMTP 451 4.3.0, IMAP NO [UNAVAILABLE]), never a permanent one.
 */
public interface Directory {

    boolean isLocalDomain(String domain);

    List<String> domains();

    /** The account with this login name or any of its addresses. */
    Optional<Account> account(String nameOrAddress);

    List<Account> accounts();

    /**
     * Resolves a recipient address (RFC 5321 {@code Mailbox}, already unquoted): aliases, {@code user+tag}
     * sub-addresses and the domain catch-all when it is on.
     */
    Recipient resolve(String address);

    /**
     * The addresses {@code account} owns: its own, then the aliases that deliver to one of them (sorted). Its
     * user writes from any of them (the webmail's identities) and its auto-reply answers mail sent to them.
     */
    List<String> identities(String account);

    /** Whether {@code account} may use {@code address} as its sender (its own addresses, plus configured exceptions). */
    boolean maySendAs(String account, String address);
}
