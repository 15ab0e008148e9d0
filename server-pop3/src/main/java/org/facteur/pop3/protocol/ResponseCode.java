package org.facteur.pop3.protocol;

/**
 * The extended response codes a {@code -ERR} may carry in brackets, so clients can tell a wrong password from a
 * locked maildrop or a server fault without parsing English (RFC 2449 §8, RFC 3206).
 */
public enum ResponseCode {
    /** RFC 2449 §8.1.1: the maildrop is locked by another POP3 session. */
    IN_USE("IN-USE"),
    /** RFC 2449 §8.1.2: logged in again too soon. */
    LOGIN_DELAY("LOGIN-DELAY"),
    /** RFC 3206 §4: a temporary system problem; try later. */
    SYS_TEMP("SYS/TEMP"),
    /** RFC 3206 §4: a permanent system problem; retrying will not help. */
    SYS_PERM("SYS/PERM"),
    /** RFC 3206 §5: a problem with the credentials (or how they were sent), not with the system. */
    AUTH("AUTH");

    private final String text;

    ResponseCode(String text) {
        this.text = text;
    }

    /** The code as sent on the wire, without brackets. */
    public String text() {
        return text;
    }
}
