package org.facteur.pop3.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.session.Maildrop;
import org.facteur.pop3.session.Pop3Session;
import org.facteur.pop3.session.State;

/** LIST (RFC 1939 §5): the size of one message, or of every message not marked deleted. */
final class ListCommand implements CommandHandler {

    @Override
    public Set<State> states() {
        return EnumSet.of(State.TRANSACTION);
    }

    @Override
    public void execute(Pop3Session session, Command command) throws IOException {
        if (!Arguments.count(session, command, 0, 1)) {
            return;
        }
        Maildrop maildrop = session.maildrop();
        if (command.argumentCount() == 1) {
            OptionalInt n = Arguments.liveMessage(session, command.argument(0));
            if (n.isPresent()) {
                session.reply().ok(n.getAsInt() + " " + maildrop.entry(n.getAsInt()).size());
            }
            return;
        }
        List<String> lines = new ArrayList<>();
        for (int n = 1; n <= maildrop.size(); n++) {
            if (!maildrop.isDeleted(n)) {
                lines.add(n + " " + maildrop.entry(n).size());
            }
        }
        session.reply().multiLine(maildrop.countLive() + " messages (" + maildrop.sizeLive() + " octets)", lines);
    }
}
