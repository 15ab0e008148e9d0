package org.facteur.imap.command;

import java.io.IOException;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SessionState;
import org.facteur.storage.MailboxInfo;

/** RFC 9051 §6.3.10 NAMESPACE: one personal namespace, "/" separated; no shared or other users' folders. */
final class Namespace implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().end();
        c.out().untagged("NAMESPACE ((\"\" \"" + MailboxInfo.SEPARATOR + "\")) NIL NIL");
        c.ok("NAMESPACE completed");
    }
}
