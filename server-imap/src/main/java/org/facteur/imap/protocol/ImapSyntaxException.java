package org.facteur.imap.protocol;

/**
 * A command the parser cannot accept. The session answers it with a tagged {@code BAD} (or {@code NO} for
 * {@link #no()}) carrying {@link #code()}, and reads the next command: the connection goes on.
 */
public class ImapSyntaxException extends Exception {

    private final String code;
    private final boolean no;

    public ImapSyntaxException(String message) {
        this(null, message, false);
    }

    public ImapSyntaxException(String code, String message) {
        this(code, message, false);
    }

    public ImapSyntaxException(String code, String message, boolean no) {
        super(message, null, false, false);
        this.code = code;
        this.no = no;
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
