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

    /** The account's TOTP secret (RFC 6238) when its second factor is on; empty otherwise. */
    default Optional<byte[]> totpSecret(String account) {
        return Optional.empty();
    }

    /**
     * Records that the code of time step {@code step} was accepted; false when that step or a later one was used
     * already, so that a code works once (RFC 6238 §5.2).
     */
    default boolean useTotpStep(String account, long step) {
        return false;
    }
}
