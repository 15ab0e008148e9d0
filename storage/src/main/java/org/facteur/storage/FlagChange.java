package org.facteur.storage;

/** IMAP STORE's three modes (RFC 9051 §6.4.6): FLAGS, +FLAGS, -FLAGS. */
public enum FlagChange {
    REPLACE,
    ADD,
    REMOVE
}
