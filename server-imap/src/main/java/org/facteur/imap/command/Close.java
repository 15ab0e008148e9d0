package org.facteur.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SelectedMailbox;
import org.facteur.imap.session.SessionState;
import org.facteur.storage.Flags;
import org.facteur.storage.MessageMeta;

/** RFC 9051 §6.4.1 CLOSE (silently expunges \Deleted) and §6.4.2 UNSELECT (RFC 3691: does not). */
final class Close implements ImapCommand {

    private final boolean expunge;

    Close(boolean expunge) {
        this.expunge = expunge;
    }

    @Override
    public Set<SessionState> states() {
        return SELECTED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().end();
        SelectedMailbox box = c.selected();
        if (expunge && !box.readOnly()) {
            List<Long> deleted = new ArrayList<>();
            for (MessageMeta m : box.messages()) {
                if (m.has(Flags.DELETED)) {
                    deleted.add(m.uid());
                }
            }
            if (!deleted.isEmpty()) {
                box.view().expunge(deleted);
            }
        }
        c.session().deselect();
        c.ok(expunge ? "CLOSE completed" : "UNSELECT completed");
    }
}
