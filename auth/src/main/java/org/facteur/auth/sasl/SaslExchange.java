package org.facteur.auth.sasl;

/** One authentication attempt in progress. Not thread-safe; one per AUTH/AUTHENTICATE command. */
public interface SaslExchange {

    /**
     * Feeds the client's next response.
     *
     * @param response the decoded bytes, or {@code null} when the client sent no initial response (the
     *                 protocol then sends an empty challenge first, as RFC 4422 §4 describes); an empty array
     *                 is an empty initial response ({@code =} in SMTP and IMAP SASL-IR)
     */
    SaslStep evaluate(byte[] response);

    /** The client cancelled ({@code *}); throttling counts it as a failure. */
    void abort();
}
