package org.facteur.smtp.command;

import java.io.IOException;

import org.facteur.smtp.session.CommandHandler;
import org.facteur.smtp.session.SmtpSession;

/** NOOP (RFC 5321 §4.1.1.9). */
public final class NoopCommand implements CommandHandler {
    @Override
    public void handle(SmtpSession session, String argument) throws IOException {
        session.reply(250, "2.0.0", "OK");
    }
}
