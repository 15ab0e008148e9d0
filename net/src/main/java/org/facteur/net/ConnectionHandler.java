package org.facteur.net;

import java.io.IOException;

/** The protocol side of a listener: one call per accepted connection, on its own virtual thread. */
public interface ConnectionHandler {

    /** Runs the whole session. The connection is closed by the server when this returns or throws. */
    void handle(Connection connection) throws IOException;

    /**
     * Tells a client it is refused before any session starts (over a connection limit): the protocol's own
     * words, such as SMTP {@code 421 4.7.0}, IMAP {@code * BYE} or POP3 {@code -ERR [SYS/TEMP]}.
     */
    void refuse(Connection connection, String reason) throws IOException;
}
