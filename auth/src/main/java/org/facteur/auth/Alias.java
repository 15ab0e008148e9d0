package org.facteur.auth;

import java.util.List;

/** An address of a local domain that delivers to other addresses, local accounts' or remote ones. */
public record Alias(String address, List<String> targets) {

    public Alias {
        targets = List.copyOf(targets);
    }
}
