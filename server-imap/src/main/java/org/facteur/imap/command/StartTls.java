package org.facteur.imap.command;

import java.io.IOException;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SessionState;

/**
 * RFC 9051 §6.2.1 STARTTLS. Input the client pipelined after the command is discarded by
 * {@link org.facteur.net.Connection#startTls()} (CVE-2011-0411).
 */
final class StartTls implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return NOT_AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().end();
        if (!c.session().startTlsPossible()) {
            throw new ImapException("CLIENTBUG", c.session().secure() ? "TLS is already active" : "STARTTLS is not available here");
        }
        c.out().tagged(c.tag(), "OK", null, "Begin TLS negotiation now");
        c.out().flush();
        c.session().connection().startTls();
    }
}
