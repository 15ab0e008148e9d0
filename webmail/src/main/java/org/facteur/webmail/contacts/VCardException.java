package org.facteur.webmail.contacts;

/** A vCard file that cannot be read: the message says where (line) and why, for the user who imported it. */
public final class VCardException extends Exception {

    private final int line;

    public VCardException(int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    /** The physical line (1-based) where the problem was found, 0 when it concerns the whole file. */
    public int line() {
        return line;
    }
}
