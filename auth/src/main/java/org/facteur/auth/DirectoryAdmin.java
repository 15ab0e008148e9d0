package org.facteur.auth;

import java.util.List;
import java.util.Optional;

/**
 * Changes to the directory: what {@code facteur domain|user|alias} do. Every address argument is normalised
 * (trimmed, lower case, IDN domains as A-labels); every refusal is a {@link DirectoryException} whose message
 * can be shown to the admin as it is.
 */
public interface DirectoryAdmin extends Directory {

    /** Adds a local domain. Refused when it exists already. */
    void addDomain(String domain);

    /** Removes a domain. Refused while accounts' addresses or aliases still use it. */
    void removeDomain(String domain);

    /**
     * Turns the domain's catch-all on (mail to unknown addresses of the domain goes to {@code target}, a local
     * account address or a remote address) or off with {@code null}. Off for new domains.
     */
    void setCatchAll(String domain, String target);

    Optional<String> catchAll(String domain);

    /** Creates an account whose name is {@code address} (its domain must be local). */
    Account addAccount(String address, String password, boolean admin);

    void setPassword(String account, String password);

    void setAdmin(String account, boolean admin);

    /** The account's own quota ({@link AccountQuota#DEFAULT} for a name that is no account). */
    AccountQuota quota(String account);

    /** Sets the account's own quota; the mail store applies it at its next check. */
    void setQuota(String account, AccountQuota quota);

    /** Deletes an account and its addresses (aliases pointing at them stay and are skipped; the mail store is not touched). */
    void removeAccount(String account);

    /** Gives an account one more address (in a local domain, not used by any account or alias). */
    void addAddress(String account, String address);

    /** Takes a secondary address away from its account; the primary address (the account name) cannot be removed. */
    void removeAddress(String address);

    /** Adds one target to an alias, creating it; call again to fan out to more targets. */
    void addAlias(String address, String target);

    /** Removes one target of an alias, or the whole alias when {@code target} is null. */
    void removeAlias(String address, String target);

    List<Alias> aliases();
}
