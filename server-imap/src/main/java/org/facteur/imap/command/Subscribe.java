package org.facteur.imap.command;

import java.io.IOException;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SessionState;

/** RFC 9051 §6.3.7 SUBSCRIBE and §6.3.8 UNSUBSCRIBE. */
final class Subscribe implements ImapCommand {

    private final boolean subscribe;

    Subscribe(boolean subscribe) {
        this.subscribe = subscribe;
    }

    @Override
    public Set<SessionState> states() {
        return AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().sp();
        String name = c.session().mailboxName(c.args().astring());
        c.args().end();
        MailboxErrors.map(() -> {
            c.session().accountStore().subscribe(name, subscribe);
            return null;
        }, false);
        c.ok(subscribe ? "SUBSCRIBE completed" : "UNSUBSCRIBE completed");
    }
}
