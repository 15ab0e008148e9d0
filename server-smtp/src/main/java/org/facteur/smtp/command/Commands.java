package org.facteur.smtp.command;

import java.util.Map;

import org.facteur.smtp.session.CommandHandler;

/** The verbs the server knows, each handled by its own class. */
public final class Commands {

    private Commands() {
    }

    public static Map<String, CommandHandler> all() {
        EhloCommand ehlo = new EhloCommand();
        return Map.ofEntries(
                Map.entry("EHLO", ehlo::ehlo),
                Map.entry("HELO", ehlo::helo),
                Map.entry("MAIL", new MailCommand()),
                Map.entry("RCPT", new RcptCommand()),
                Map.entry("DATA", new DataCommand()),
                Map.entry("BDAT", new BdatCommand()),
                Map.entry("RSET", new RsetCommand()),
                Map.entry("NOOP", new NoopCommand()),
                Map.entry("QUIT", new QuitCommand()),
                Map.entry("VRFY", new VrfyCommand()),
                Map.entry("EXPN", new ExpnCommand()),
                Map.entry("HELP", new HelpCommand()),
                Map.entry("STARTTLS", new StartTlsCommand()),
                Map.entry("AUTH", new AuthCommand()));
    }
}
