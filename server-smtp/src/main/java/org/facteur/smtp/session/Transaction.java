package org.facteur.smtp.session;

import java.util.ArrayList;
import java.util.List;

import org.facteur.smtp.delivery.Envelope;
import org.facteur.smtp.delivery.EnvelopeRecipient;
import org.facteur.smtp.protocol.MailAddress;
import org.facteur.smtp.protocol.MailParameters;

/** The mail transaction in progress (RFC 5321 §3.3): from MAIL to the end of data or RSET. */
public final class Transaction {

    private final MailAddress sender;
    private final MailParameters parameters;
    private final List<EnvelopeRecipient> recipients = new ArrayList<>();
    private int rcptCommands;
    /** Open while BDAT chunks arrive (RFC 3030). */
    private BdatState bdat;

    public Transaction(MailAddress sender, MailParameters parameters) {
        this.sender = sender;
        this.parameters = parameters;
    }

    public MailAddress sender() {
        return sender;
    }

    public MailParameters parameters() {
        return parameters;
    }

    public List<EnvelopeRecipient> recipients() {
        return recipients;
    }

    /** Counts every RCPT, accepted or not, for the recipients limit. */
    public int countRcpt() {
        return ++rcptCommands;
    }

    public BdatState bdat() {
        return bdat;
    }

    public void bdat(BdatState state) {
        this.bdat = state;
    }

    public Envelope envelope() {
        return new Envelope(sender, parameters, recipients);
    }
}
