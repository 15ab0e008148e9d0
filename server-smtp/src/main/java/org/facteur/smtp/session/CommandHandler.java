package org.facteur.smtp.session;

import java.io.IOException;

/** One SMTP verb. Handlers are stateless; the session carries the state. */
@FunctionalInterface
public interface CommandHandler {

    void handle(SmtpSession session, String argument) throws IOException;
}
