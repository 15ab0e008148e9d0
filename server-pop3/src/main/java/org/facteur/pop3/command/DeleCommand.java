package org.facteur.pop3.command;

import java.io.IOException;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.protocol.ResponseCode;
import org.facteur.pop3.session.Pop3Session;
import org.facteur.pop3.session.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** DELE (RFC 1939 §5): marks a message; QUIT removes it. */
final class DeleCommand implements CommandHandler {

    private static final Logger log = LoggerFactory.getLogger(DeleCommand.class);

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
        try {
            session.maildrop().delete(n.getAsInt());
        } catch (IOException e) {
            log.warn("pop3 session of {}: cannot mark message {} deleted", session.account().orElse("?"), n.getAsInt(), e);
            session.reply().err(ResponseCode.SYS_TEMP, "Cannot mark message " + n.getAsInt() + " now");
            return;
        }
        session.reply().ok("Message " + n.getAsInt() + " deleted");
    }
}
