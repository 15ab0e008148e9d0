package org.facteur.pop3.command;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.session.Pop3Session;
import org.facteur.pop3.session.State;

/** NOOP (RFC 1939 §5). */
final class NoopCommand implements CommandHandler {

    @Override
    public Set<State> states() {
        return EnumSet.of(State.TRANSACTION);
    }

    @Override
    public void execute(Pop3Session session, Command command) throws IOException {
        if (Arguments.count(session, command, 0, 0)) {
            session.reply().ok("");
        }
    }
}
