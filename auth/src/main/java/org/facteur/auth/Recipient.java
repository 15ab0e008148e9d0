package org.facteur.auth;

import java.util.List;

/** Where mail for an address goes, as the directory resolves it at RCPT time (aliases expanded once). */
public sealed interface Recipient {

    /** One or more local accounts (an alias may fan out); {@code folder} is a {@code +tag} hint or null. */
    record Local(List<String> accounts, String detail) implements Recipient {
        public Local {
            accounts = List.copyOf(accounts);
        }
    }

    /** An alias of ours that forwards to addresses elsewhere (it may also name local accounts in {@code local}). */
    record Forward(List<String> remoteAddresses, List<String> localAccounts) implements Recipient {
        public Forward {
            remoteAddresses = List.copyOf(remoteAddresses);
            localAccounts = List.copyOf(localAccounts);
        }
    }

    /** A domain of ours with no such user: refuse at RCPT with {@code 550 5.1.1}, never bounce later. */
    record Unknown() implements Recipient {
    }

    /** Not one of our domains: relaying, allowed only for authenticated or trusted clients. */
    record NotLocal() implements Recipient {
    }
}
