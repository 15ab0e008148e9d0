package org.facteur.pop3.session;

/** The three states of a POP3 session (RFC 1939 §3). */
public enum State {
    /** Before login: USER, PASS, AUTH, STLS, CAPA, UTF8, QUIT. */
    AUTHORIZATION,
    /** Logged in with the maildrop locked: the message commands. */
    TRANSACTION,
    /** After QUIT in TRANSACTION: deletions are applied, then the connection closes. */
    UPDATE
}
