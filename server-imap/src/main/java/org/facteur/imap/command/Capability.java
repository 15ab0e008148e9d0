package org.facteur.imap.command;

import java.io.IOException;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SessionState;

/** RFC 9051 §6.1.1 CAPABILITY. */
final class Capability implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return ANY;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().end();
        c.out().untagged("CAPABILITY " + String.join(" ", c.session().capabilities()));
        c.ok("CAPABILITY completed");
    }
}
