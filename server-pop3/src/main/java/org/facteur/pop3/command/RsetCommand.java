package org.facteur.pop3.command;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.protocol.ResponseCode;
import org.facteur.pop3.session.Maildrop;
import org.facteur.pop3.session.Pop3Session;
import org.facteur.pop3.session.State;

/** RSET (RFC 1939 §5): unmarks every message marked deleted in this session. */
final class RsetCommand implements CommandHandler {

    @Override
    public Set<State> states() {
        return EnumSet.of(State.TRANSACTION);
    }

    @Override
    public void execute(Pop3Session session, Command command) throws IOException {
        if (!Arguments.count(session, command, 0, 0)) {
            return;
        }
        Maildrop maildrop = session.maildrop();
        try {
            maildrop.reset();
        } catch (IOException e) {
            session.reply().err(ResponseCode.SYS_TEMP, "Cannot unmark messages now");
            return;
        }
        session.reply().ok("Maildrop has " + maildrop.countLive() + " messages (" + maildrop.sizeLive() + " octets)");
    }
}
