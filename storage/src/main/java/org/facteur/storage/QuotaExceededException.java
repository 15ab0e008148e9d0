package org.facteur.storage;

import java.io.IOException;

/** Refused because of the account's quota: SMTP {@code 552 5.2.2}, IMAP {@code NO [OVERQUOTA]}. */
public class QuotaExceededException extends IOException {
    public QuotaExceededException(String message) {
        super(message);
    }
}
