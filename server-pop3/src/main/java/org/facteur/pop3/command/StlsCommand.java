package org.facteur.pop3.command;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.session.Pop3Session;
import org.facteur.pop3.session.State;

/** STLS (RFC 2595 §4): upgrades a cleartext connection to TLS before login. */
final class StlsCommand implements CommandHandler {

    @Override
    public Set<State> states() {
        return EnumSet.of(State.AUTHORIZATION);
    }

    @Override
    public void execute(Pop3Session session, Command command) throws IOException {
        if (!Arguments.count(session, command, 0, 0)) {
            return;
        }
        if (session.isSecure()) {
            session.reply().err("TLS is already active");
            return;
        }
        if (!session.stlsAvailable()) {
            session.reply().err("STLS is not offered on this port");
            return;
        }
        session.reply().ok("Begin TLS negotiation");
        // Connection.startTls flushes the +OK, drops any cleartext the client pipelined after STLS
        // (RFC 2595 §3.1, CVE-2011-0411) and performs the handshake. A failed handshake ends the session.
        session.connection().startTls();
        // RFC 2595 §4: the client must forget what it learnt before TLS, and so does the server.
        session.pendingUser(null);
    }
}
