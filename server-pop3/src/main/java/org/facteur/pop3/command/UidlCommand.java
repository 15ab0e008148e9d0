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

/** UIDL (RFC 1939 §7): unique ids that stay the same across sessions; see {@link Maildrop#uniqueId}. */
final class UidlCommand implements CommandHandler {

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
                session.reply().ok(n.getAsInt() + " " + maildrop.uniqueId(n.getAsInt()));
            }
            return;
        }
        List<String> lines = new ArrayList<>();
        for (int n = 1; n <= maildrop.size(); n++) {
            if (!maildrop.isDeleted(n)) {
                lines.add(n + " " + maildrop.uniqueId(n));
            }
        }
        session.reply().multiLine("Unique-id listing follows", lines);
    }
}
