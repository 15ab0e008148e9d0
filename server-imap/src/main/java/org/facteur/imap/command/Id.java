package org.facteur.imap.command;

import java.io.IOException;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SessionState;

/** RFC 2971 ID: reads the client's fields (at most 30 pairs) and names the server. */
final class Id implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return ANY;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().sp();
        if (c.args().tryOpen()) {
            int pairs = 0;
            if (!c.args().tryClose()) {
                do {
                    c.args().string();
                    c.args().sp();
                    c.args().nstring();
                    if (++pairs > 30) {
                        throw new ImapException("Too many ID fields"); // RFC 2971 §3.3
                    }
                } while (c.args().trySp());
                c.args().close();
            }
        } else {
            c.args().nstring();
        }
        c.args().end();
        c.out().untagged("ID (\"name\" \"Facteur\" \"vendor\" \"Facteur\")");
        c.ok("ID completed");
    }
}
