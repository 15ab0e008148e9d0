package org.facteur.pop3.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.session.Pop3Session;
import org.facteur.pop3.session.State;

/**
 * CAPA (RFC 2449 §5): what this connection offers now. USER and password SASL mechanisms appear only over
 * TLS, STLS only where it can be used, so a client never tries what the server would refuse.
 */
final class CapaCommand implements CommandHandler {

    /** The implementation name sent in IMPLEMENTATION (RFC 2449 §6.9). */
    static final String IMPLEMENTATION = "Facteur";

    @Override
    public Set<State> states() {
        return EnumSet.of(State.AUTHORIZATION, State.TRANSACTION);
    }

    @Override
    public void execute(Pop3Session session, Command command) throws IOException {
        if (!Arguments.count(session, command, 0, 0)) {
            return;
        }
        session.reply().multiLine("Capability list follows", capabilities(session));
    }

    static List<String> capabilities(Pop3Session session) {
        List<String> lines = new ArrayList<>();
        lines.add("TOP");
        lines.add("UIDL");
        if (session.state() == State.AUTHORIZATION) {
            if (session.passwordLoginAllowed()) {
                lines.add("USER");
            }
            // RFC 2449 §6.3: the SASL mechanisms usable on this connection, from the one source the AUTH
            // command also asks.
            List<String> mechanisms = session.services().authenticator().mechanisms(session.saslContext());
            if (!mechanisms.isEmpty()) {
                lines.add("SASL " + String.join(" ", mechanisms));
            }
            if (session.stlsAvailable()) {
                lines.add("STLS"); // RFC 2595 §4
            }
        }
        lines.add("RESP-CODES"); // RFC 2449 §6.4
        lines.add("AUTH-RESP-CODE"); // RFC 3206 §6
        lines.add("PIPELINING"); // RFC 2449 §6.6
        lines.add("UTF8 USER"); // RFC 6856 §2: UTF8 command, and UTF-8 in USER/PASS
        lines.add("IMPLEMENTATION " + IMPLEMENTATION);
        return lines;
    }
}
