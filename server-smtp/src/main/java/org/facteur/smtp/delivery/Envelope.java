package org.facteur.smtp.delivery;

import java.util.List;

import org.facteur.smtp.protocol.MailAddress;
import org.facteur.smtp.protocol.MailParameters;

/** MAIL FROM and the accepted RCPT TOs of one transaction. {@code sender} is null for the null path {@code <>}. */
public record Envelope(MailAddress sender, MailParameters parameters, List<EnvelopeRecipient> recipients) {

    public Envelope {
        recipients = List.copyOf(recipients);
    }

    /** The reverse path as text, empty for {@code <>}. */
    public String reversePath() {
        return sender == null ? "" : sender.toString();
    }
}
