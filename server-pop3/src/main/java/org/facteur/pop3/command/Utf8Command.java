package org.facteur.pop3.command;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.session.Pop3Session;
import org.facteur.pop3.session.State;

/**
 * UTF8 (RFC 6856 §2): the client accepts UTF-8 headers in messages. The store keeps messages as delivered, so
 * this changes nothing on the wire; it is acknowledged so that clients may rely on it.
 */
final class Utf8Command implements CommandHandler {

    @Override
    public Set<State> states() {
        return EnumSet.of(State.AUTHORIZATION);
    }

    @Override
    public void execute(Pop3Session session, Command command) throws IOException {
        if (!Arguments.count(session, command, 0, 0)) {
            return;
        }
        session.enableUtf8();
        session.reply().ok("UTF8 enabled");
    }
}
