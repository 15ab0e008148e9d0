package org.facteur.auth;

import java.util.Set;

/**
 * A mailbox owner. {@code name} is the login and the key of the account's storage (its primary address, in
 * lower case, such as {@code alice@example.org}); {@code addresses} are every address it may receive at and
 * send from, the primary one included.
 */
public record Account(String name, Set<String> addresses, boolean admin) {

    public Account {
        addresses = Set.copyOf(addresses);
    }
}
