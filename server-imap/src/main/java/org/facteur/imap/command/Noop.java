package org.facteur.imap.command;

import java.io.IOException;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SessionState;

/** RFC 9051 §6.1.2 NOOP, and RFC 3501 §6.4.1 CHECK (nothing to checkpoint: storage is durable at once). */
final class Noop implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return ANY;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().end();
        if (c.name().equals("CHECK") && c.session().state() != SessionState.SELECTED) {
            throw new ImapException("CLIENTBUG", "CHECK needs a selected mailbox");
        }
        c.ok(c.name() + " completed");
    }
}
