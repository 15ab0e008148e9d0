package org.facteur.smtp.command;

import java.io.IOException;

import org.facteur.smtp.session.CommandHandler;
import org.facteur.smtp.session.SmtpSession;

/** EXPN (RFC 5321 §3.5.3): not implemented on purpose (§7.3), so lists and aliases stay private. */
public final class ExpnCommand implements CommandHandler {
    @Override
    public void handle(SmtpSession session, String argument) throws IOException {
        session.reply(502, "5.5.1", "EXPN not available");
    }
}
