package org.facteur.smtp.command;

import java.io.IOException;

import org.facteur.smtp.session.CommandHandler;
import org.facteur.smtp.session.SmtpSession;

/** RSET (RFC 5321 §4.1.1.5): drops the transaction, keeps EHLO, TLS and AUTH. */
public final class RsetCommand implements CommandHandler {
    @Override
    public void handle(SmtpSession session, String argument) throws IOException {
        session.resetTransaction();
        session.reply(250, "2.0.0", "OK");
    }
}
