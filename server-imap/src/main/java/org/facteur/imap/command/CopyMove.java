package org.facteur.imap.command;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.protocol.SequenceSet;
import org.facteur.imap.session.SelectedMailbox;
import org.facteur.imap.session.SessionState;
import org.facteur.storage.CopyResult;

/**
 * RFC 9051 §6.4.7 COPY and §6.4.8 MOVE (RFC 6851), with UIDPLUS COPYUID. Both go through the storage's copy and
 * move, so moves into and out of Junk reach its reclassification listeners whatever the client does.
 */
final class CopyMove implements ImapCommand {

    private final boolean move;

    CopyMove(boolean move) {
        this.move = move;
    }

    @Override
    public Set<SessionState> states() {
        return SELECTED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().sp();
        SequenceSet set = SequenceSet.parse(c.args().sequenceSetText(), c.session().config().maxSequenceSetElements());
        c.args().sp();
        String destination = c.session().mailboxName(c.args().astring());
        c.args().end();
        SelectedMailbox box = c.selected();
        if (move && box.readOnly()) {
            throw ImapException.no("READ-ONLY", "Mailbox is read-only");
        }
        List<Long> uids = c.session().resolve(set, c.uid());
        if (uids.isEmpty()) {
            c.ok(move ? "MOVE completed" : "COPY completed");
            return;
        }
        CopyResult result = MailboxErrors.map(() -> move ? box.view().move(uids, destination)
                : box.view().copy(uids, destination), true);
        String copyUid = "COPYUID " + result.destinationUidValidity() + " " + SequenceSet.format(result.sourceUids())
                + " " + SequenceSet.format(result.destinationUids());
        if (move) {
            // RFC 6851 §4.3: COPYUID goes in an untagged OK before the expunges.
            c.out().untagged("OK [" + copyUid + "] Moved");
            // Expunges first: a move into the selected mailbox itself queues an Added event that must not be
            // counted before the moved messages have left (RFC 6851 §3.3).
            c.session().announceExpunged(box, result.sourceUids());
        }
        if (box.name().equals(destination)) {
            showAdded(c, result.destinationUids());
        }
        c.ok(move ? null : copyUid, move ? "MOVE completed" : "COPY completed");
    }

    /** Messages this session added to its own selected mailbox (COPY to itself, APPEND): EXISTS now. */
    static void showAdded(CommandContext c, List<Long> uids) throws IOException {
        SelectedMailbox box = c.selected();
        c.session().sendUpdates(c.expungeAllowed());
        int added = 0;
        for (long uid : uids) {
            var meta = box.view().message(uid);
            if (meta.isPresent()) {
                added += box.add(List.of(meta.get()));
            }
        }
        if (added > 0) {
            c.out().untagged(box.size() + " EXISTS");
            if (!c.session().rev2()) {
                c.out().untagged(c.session().recentCount(box) + " RECENT");
            }
        }
    }
}
