package org.facteur.pop3.protocol;

/** A command line that is not a POP3 command at all; the message is safe to send back after {@code -ERR}. */
public final class CommandSyntaxException extends Exception {

    public CommandSyntaxException(String message) {
        super(message);
    }
}
