package org.facteur.smtp.command;

import java.io.IOException;

import org.facteur.smtp.session.CommandHandler;
import org.facteur.smtp.session.SmtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STARTTLS (RFC 3207). Commands pipelined after STARTTLS in the same cleartext packet are the CVE-2011-0411
 * injection: they would run as if sent over TLS. Such a client is refused and the connection closed;
 * {@code Connection.startTls} also discards any cleartext still buffered.
 */
public final class StartTlsCommand implements CommandHandler {

    private static final Logger log = LoggerFactory.getLogger(StartTlsCommand.class);

    @Override
    public void handle(SmtpSession session, String argument) throws IOException {
        if (!argument.isEmpty()) {
            session.reply(501, "5.5.4", "STARTTLS takes no argument");
            session.error();
            return;
        }
        if (!session.canStartTls()) {
            session.reply(503, "5.5.1", "TLS already active");
            session.error();
            return;
        }
        if (session.helo() == null) {
            session.reply(503, "5.5.1", "Send EHLO first");
            session.error();
            return;
        }
        if (session.connection().hasBufferedInput()) {
            log.warn("session {}: commands pipelined after STARTTLS from {}; closing", session.id(),
                    session.clientAddress().getHostAddress());
            session.reply(421, "4.7.0", "Commands after STARTTLS must wait for TLS; closing");
            return;
        }
        session.reply(220, "2.0.0", "Ready to start TLS");
        session.connection().startTls();
        session.afterStartTls();
    }
}
