package org.facteur.auth;

/**
 * An admin operation the directory refuses, with a message that says what to do (shown as is by the CLI), or
 * a directory that cannot be read.
 */
public class DirectoryException extends RuntimeException {

    public DirectoryException(String message) {
        super(message);
    }

    public DirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
