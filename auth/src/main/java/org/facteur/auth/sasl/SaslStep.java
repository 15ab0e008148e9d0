package org.facteur.auth.sasl;

/** What the server answers to one client response in a SASL exchange (RFC 4422 §3). */
public sealed interface SaslStep {

    /** Send this challenge (raw bytes; the protocol base64-encodes it) and wait for the next response. */
    record Challenge(byte[] data) implements SaslStep {
    }

    /**
     * Authenticated as {@code account}. {@code additionalData} is the server's final message (SCRAM's
     * {@code v=...}), or null; a protocol that cannot carry it sends it as a last challenge.
     */
    record Success(String account, byte[] additionalData) implements SaslStep {
    }

    /**
     * Refused. {@code temporary} means the account or address is throttled or the directory is unavailable
     * (IMAP {@code [UNAVAILABLE]}, SMTP {@code 454 4.7.0}); otherwise the credentials were wrong ({@code 535 5.7.8}).
     */
    record Failure(String reason, boolean temporary) implements SaslStep {
    }
}
