package org.facteur.pop3.command;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.protocol.ResponseCode;
import org.facteur.pop3.session.Maildrop;
import org.facteur.pop3.session.Pop3Session;
import org.facteur.pop3.session.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** QUIT (RFC 1939 §4 and §6): before login it just closes; after login it enters UPDATE and applies DELE. */
final class QuitCommand implements CommandHandler {

    private static final Logger log = LoggerFactory.getLogger(QuitCommand.class);

    @Override
    public Set<State> states() {
        return EnumSet.of(State.AUTHORIZATION, State.TRANSACTION);
    }

    @Override
    public void execute(Pop3Session session, Command command) throws IOException {
        session.close();
        if (session.state() == State.AUTHORIZATION) {
            session.reply().ok("Bye");
            return;
        }
        Maildrop.UpdateResult result;
        try {
            result = session.update();
        } catch (IOException | RuntimeException e) {
            log.warn("pop3 session of {}: UPDATE failed", session.account().orElse("?"), e);
            session.end();
            // RFC 1939 §6: "-ERR some deleted messages not removed"; RFC 3206 SYS/TEMP: try again later.
            session.reply().err(ResponseCode.SYS_TEMP, "Some deleted messages not removed");
            return;
        }
        // RFC 1939 §6 releases the lock after the reply; releasing it just before means a client that logs in
        // again as soon as it reads +OK (fetchmail in a loop) never meets its own lock as [IN-USE].
        session.end();
        if (result.failed() > 0) {
            session.reply().err(ResponseCode.SYS_TEMP, "Some deleted messages not removed (" + result.failed() + ")");
        } else {
            session.reply().ok("Bye; " + result.removed() + " messages removed, " + result.left() + " left");
        }
    }
}
