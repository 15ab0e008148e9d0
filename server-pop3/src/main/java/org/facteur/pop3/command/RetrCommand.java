package org.facteur.pop3.command;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.session.Pop3Session;
import org.facteur.pop3.session.State;

/** RETR (RFC 1939 §5): the whole message, dot-stuffed. */
final class RetrCommand implements CommandHandler {

    @Override
    public Set<State> states() {
        return EnumSet.of(State.TRANSACTION);
    }

    @Override
    public void execute(Pop3Session session, Command command) throws IOException {
        if (!Arguments.count(session, command, 1, 1)) {
            return;
        }
        OptionalInt n = Arguments.liveMessage(session, command.argument(0));
        if (n.isEmpty()) {
            return;
        }
        int number = n.getAsInt();
        try (InputStream content = MessageContent.open(session, number)) {
            if (content == null) {
                return;
            }
            // An I/O error past this point leaves a half-sent response; the connection loop then closes.
            session.reply().message(session.maildrop().entry(number).size() + " octets", content);
        }
        session.maildrop().markRetrieved(number);
    }
}
