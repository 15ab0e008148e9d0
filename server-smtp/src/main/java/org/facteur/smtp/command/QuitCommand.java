package org.facteur.smtp.command;

import java.io.IOException;

import org.facteur.smtp.session.CommandHandler;
import org.facteur.smtp.session.SmtpSession;

/** QUIT (RFC 5321 §4.1.1.10): 221, then the server closes. */
public final class QuitCommand implements CommandHandler {
    @Override
    public void handle(SmtpSession session, String argument) throws IOException {
        session.resetTransaction();
        session.reply(221, "2.0.0", "Bye");
        session.close();
    }
}
