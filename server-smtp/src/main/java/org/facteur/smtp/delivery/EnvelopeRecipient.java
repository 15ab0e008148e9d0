package org.facteur.smtp.delivery;

import org.facteur.auth.Recipient;
import org.facteur.smtp.protocol.MailAddress;
import org.facteur.smtp.protocol.RcptParameters;

/** One accepted RCPT TO: the address as given, what the directory made of it, and its DSN parameters. */
public record EnvelopeRecipient(MailAddress address, Recipient resolution, RcptParameters parameters) {
}
