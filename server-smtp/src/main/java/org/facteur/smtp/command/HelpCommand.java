package org.facteur.smtp.command;

import java.io.IOException;

import org.facteur.smtp.session.CommandHandler;
import org.facteur.smtp.session.SmtpSession;

/** HELP (RFC 5321 §4.1.1.8). */
public final class HelpCommand implements CommandHandler {
    @Override
    public void handle(SmtpSession session, String argument) throws IOException {
        session.reply(214, "2.0.0", "See RFC 5321; commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY STARTTLS AUTH");
    }
}
