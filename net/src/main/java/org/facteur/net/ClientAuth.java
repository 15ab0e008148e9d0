package org.facteur.net;

/** Whether a TLS listener asks the client for a certificate (used by SASL EXTERNAL and webmail certificate login). */
public enum ClientAuth {
    NONE,
    /** Ask for a certificate; go on without one. */
    WANT,
    /** Refuse the handshake without a valid certificate. */
    NEED
}
