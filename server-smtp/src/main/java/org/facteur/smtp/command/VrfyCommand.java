package org.facteur.smtp.command;

import java.io.IOException;

import org.facteur.smtp.session.CommandHandler;
import org.facteur.smtp.session.SmtpSession;

/**
 * VRFY (RFC 5321 §3.5.3): 252 "cannot verify, but will try" - the answer RFC 5321 §7.3 allows so that the
 * command never tells a harvester which accounts exist.
 */
public final class VrfyCommand implements CommandHandler {
    @Override
    public void handle(SmtpSession session, String argument) throws IOException {
        session.reply(252, "2.5.2", "Cannot VRFY user, but will accept message and attempt delivery");
    }
}
