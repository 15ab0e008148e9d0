package org.facteur.net;

import java.io.IOException;

/** A line exceeded the limit; the rest of it (up to LF) was consumed so the session can answer and go on. */
public class LineTooLongException extends IOException {
    private final int limit;

    public LineTooLongException(int limit) {
        super("line longer than " + limit + " bytes");
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
