package org.facteur.storage;

import java.io.IOException;

/** A mailbox name the storage refuses: path traversal, control characters, too deep or too long. */
public class InvalidMailboxNameException extends IOException {
    public InvalidMailboxNameException(String message) {
        super(message);
    }
}
