package org.facteur.imap.command;

import java.io.IOException;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SessionState;
import org.facteur.storage.MailboxInfo;

/** RFC 9051 §6.3.5 DELETE. INBOX cannot be deleted. */
final class Delete implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().sp();
        String name = c.session().mailboxName(c.args().astring());
        c.args().end();
        if (name.equals(MailboxInfo.INBOX)) {
            throw ImapException.no("CANNOT", "INBOX cannot be deleted");
        }
        if (c.selected() != null && c.selected().name().equals(name)) {
            c.session().deselect();
        }
        MailboxErrors.map(() -> {
            c.session().accountStore().delete(name);
            return null;
        }, false);
        c.ok("DELETE completed");
    }
}
