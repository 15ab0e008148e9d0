package org.facteur.imap.command;

import java.io.IOException;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SessionState;

/** RFC 9051 §6.1.3 LOGOUT. */
final class Logout implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return ANY;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().end();
        c.out().untagged("BYE Logging out");
        c.out().tagged(c.tag(), "OK", null, "LOGOUT completed");
        c.out().flush();
        c.session().logout();
    }
}
