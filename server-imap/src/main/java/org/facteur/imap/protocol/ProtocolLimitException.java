package org.facteur.imap.protocol;

import java.io.IOException;

/**
 * A limit that leaves no safe way to go on reading (a line or a non-synchronising literal over the limit): the
 * session says {@code * BYE [code] text} and closes.
 */
public class ProtocolLimitException extends IOException {

    private final String code;

    public ProtocolLimitException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
