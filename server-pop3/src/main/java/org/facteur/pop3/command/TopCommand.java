package org.facteur.pop3.command;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.session.Pop3Session;
import org.facteur.pop3.session.State;

/** TOP msg n (RFC 1939 §7): the header and the first n lines of the body. Does not count as retrieval. */
final class TopCommand implements CommandHandler {

    @Override
    public Set<State> states() {
        return EnumSet.of(State.TRANSACTION);
    }

    @Override
    public void execute(Pop3Session session, Command command) throws IOException {
        if (!Arguments.count(session, command, 2, 2)) {
            return;
        }
        OptionalLong lines = Arguments.number(command.argument(1));
        if (lines.isEmpty()) {
            // RFC 1939 §7: "n" must be non-negative.
            session.reply().err("Invalid line count: " + Arguments.printable(command.argument(1)));
            return;
        }
        OptionalInt n = Arguments.liveMessage(session, command.argument(0));
        if (n.isEmpty()) {
            return;
        }
        try (InputStream content = MessageContent.open(session, n.getAsInt())) {
            if (content != null) {
                session.reply().top("Top of message follows", content, lines.getAsLong());
            }
        }
    }
}
