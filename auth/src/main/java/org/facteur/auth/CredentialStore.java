package org.facteur.auth;

import java.util.Optional;

/** Where the authenticator reads stored secrets and writes upgraded ones; the H2 directory implements it. */
public interface CredentialStore {

    /** The stored secrets of an account, by its exact (lower-case) name. */
    Optional<Credentials> credentials(String account);

    /**
     * Re-derives every stored secret from a password just proven right, when the stored ones are out of date
     * (cheaper Argon2id cost than configured, missing SCRAM keys, CRAM-MD5 turned on or off).
     */
    void upgradeCredentials(String account, String password);
}
