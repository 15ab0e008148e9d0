package org.facteur.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.protocol.SequenceSet;
import org.facteur.imap.session.SelectedMailbox;
import org.facteur.imap.session.SessionState;
import org.facteur.storage.Flags;
import org.facteur.storage.MessageMeta;

/** RFC 9051 §6.4.3 EXPUNGE and UID EXPUNGE (RFC 4315 §2.1). */
final class Expunge implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return SELECTED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        SelectedMailbox box = c.selected();
        Set<Long> only = null;
        if (c.uid()) {
            c.args().sp();
            SequenceSet set = SequenceSet.parse(c.args().sequenceSetText(), c.session().config().maxSequenceSetElements());
            only = new HashSet<>(c.session().resolve(set, true));
        }
        c.args().end();
        if (box.readOnly()) {
            throw ImapException.no("READ-ONLY", "Mailbox is read-only");
        }
        List<Long> deleted = new ArrayList<>();
        for (MessageMeta m : box.messages()) {
            if (m.has(Flags.DELETED) && (only == null || only.contains(m.uid()))) {
                deleted.add(m.uid());
            }
        }
        if (!deleted.isEmpty()) {
            c.session().sendUpdates(true);
            List<Long> removed = box.view().expunge(deleted);
            c.session().announceExpunged(box, removed);
        }
        c.ok("EXPUNGE completed");
    }
}
