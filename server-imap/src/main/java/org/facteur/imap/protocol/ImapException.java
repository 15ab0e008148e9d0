package org.facteur.imap.protocol;

/**
 * A command that cannot be carried out: malformed ({@code BAD}) or refused ({@code NO}, see {@link #no(String, String)}).
 * A command the parser cannot accept. The session answers it with a tagged {@code BAD} (or {@code NO} for
 * {@link #no()}) carrying {@link #code()}, and reads the next command: the connection goes on.
 */
public class ImapException extends Exception {

    private final String code;
    private final boolean no;

    public ImapException(String message) {
        this(null, message, false);
    }

    public ImapException(String code, String message) {
        this(code, message, false);
    }

    public ImapException(String code, String message, boolean no) {
        super(message, null, false, false);
        this.code = code;
        this.no = no;
    }

    /** A well-formed command refused: tagged {@code NO [code] message}. */
    public static ImapException no(String code, String message) {
        return new ImapException(code, message, true);
    }

    /** The response code to send (such as {@code TOOBIG}, {@code LIMIT}, {@code CLIENTBUG}), or null. */
    public String code() {
        return code;
    }

    /** Whether the answer is NO rather than BAD (a limit on a well-formed command). */
    public boolean no() {
        return no;
    }
}
