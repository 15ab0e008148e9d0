package org.facteur.webmail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Hands a message written in the webmail to the mail system, as an authenticated submission would
 * (RFC 6409). The app wires it to the SMTP module's in-process submission entry point, so the webmail's mail
 * goes through the same filters, signing and queue as a mail client's.
 */
@FunctionalInterface
public interface MailSubmitter {

    /**
     * Submits {@code message} (a complete RFC 5322 message with CRLF line ends) from {@code account} to
     * {@code recipients}. Returns once the message is accepted (queued or delivered).
     *
     * @throws RejectedException when the submission refuses it (unknown recipient, policy, size)
     */
    void submit(String account, Path message, List<String> recipients) throws IOException;

    /** The submission refused the message; the text is shown to the user. */
    class RejectedException extends IOException {
        public RejectedException(String message) {
            super(message);
        }
    }
}
