package org.facteur.imap.command;

import java.io.IOException;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SessionState;
import org.facteur.storage.MailboxInfo;

/** RFC 9051 §6.3.6 RENAME (of INBOX: its messages move, INBOX stays, which storage does). */
final class Rename implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().sp();
        String from = c.session().mailboxName(c.args().astring());
        c.args().sp();
        String to = c.session().mailboxName(c.args().astring());
        c.args().end();
        for (MailboxInfo existing : c.session().accountStore().mailboxes()) {
            if (existing.name().equals(to) || to.equals(MailboxInfo.INBOX)) {
                throw ImapException.no("ALREADYEXISTS", "Mailbox " + to + " already exists");
            }
        }
        MailboxErrors.map(() -> {
            c.session().accountStore().rename(from, to);
            return null;
        }, false);
        c.ok("RENAME completed");
    }
}
