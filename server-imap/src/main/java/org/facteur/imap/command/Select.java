package org.facteur.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.protocol.SequenceSet;
import org.facteur.imap.session.ImapSession;
import org.facteur.imap.session.SelectedMailbox;
import org.facteur.imap.session.SessionState;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MailboxNotFoundException;
import org.facteur.storage.MessageMeta;

/**
 * RFC 9051 §6.3.2 SELECT and §6.3.3 EXAMINE, with RFC 7162 CONDSTORE and QRESYNC parameters (§3.2.5).
 */
final class Select implements ImapCommand {

    private final boolean readOnly;

    Select(boolean readOnly) {
        this.readOnly = readOnly;
    }

    @Override
    public Set<SessionState> states() {
        return AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        ImapSession session = c.session();
        c.args().sp();
        String name = session.mailboxName(c.args().astring());
        Qresync qresync = null;
        if (c.args().trySp()) {
            c.args().open();
            do {
                String p = c.args().atom().toUpperCase(Locale.ROOT);
                switch (p) {
                    case "CONDSTORE" -> session.enable(ImapSession.Extension.CONDSTORE);
                    case "QRESYNC" -> {
                        if (!session.qresync()) {
                            throw new ImapException("CLIENTBUG", "QRESYNC must be enabled first"); // RFC 7162 §3.2.5
                        }
                        c.args().sp();
                        qresync = Qresync.read(c);
                    }
                    default -> throw new ImapException("Unknown SELECT parameter " + p);
                }
            } while (c.args().trySp());
            c.args().close();
        }
        c.args().end();

        boolean wasSelected = session.selected() != null;
        session.deselect();
        if (wasSelected) {
            c.out().untagged("OK [CLOSED] Previous mailbox closed"); // RFC 7162 §3.2.11, RFC 9051 §6.3.2
        }
        SelectedMailbox box = new SelectedMailbox(name, readOnly);
        Mailbox view;
        try {
            view = session.accountStore().open(name, readOnly, box.listener());
        } catch (MailboxNotFoundException e) {
            throw ImapException.no("NONEXISTENT", "No mailbox named " + name);
        }
        box.attach(view);
        session.select(box);

        c.out().untagged("FLAGS (" + box.announceKeywords(List.of()) + ")");
        c.out().untagged(box.size() + " EXISTS");
        if (!session.rev2()) {
            c.out().untagged(session.recentCount(box) + " RECENT");
            for (int i = 1; i <= box.size(); i++) {
                if (!box.at(i).has("\\Seen")) {
                    c.out().untagged("OK [UNSEEN " + i + "] First unseen message");
                    break;
                }
            }
        }
        c.out().untagged("OK [PERMANENTFLAGS (" + (box.readOnly() ? "" : "\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*")
                + ")] Flags permitted");
        c.out().untagged("OK [UIDVALIDITY " + view.uidValidity() + "] UIDs valid");
        c.out().untagged("OK [UIDNEXT " + view.uidNext() + "] Predicted next UID");
        c.out().untagged("OK [HIGHESTMODSEQ " + Math.max(1, view.highestModSeq()) + "] Highest");
        if (session.rev2()) {
            c.out().star().raw("LIST () \"/\" ").mailbox(name).end(); // RFC 9051 §6.3.2
        }
        if (qresync != null && qresync.uidValidity == view.uidValidity()) {
            qresync.report(c, box);
        }
        c.ok(box.readOnly() ? "READ-ONLY" : "READ-WRITE", (readOnly ? "EXAMINE" : "SELECT") + " completed");
    }

    /** QRESYNC (uidvalidity modseq [known-uids [(seq-match)]]) — RFC 7162 §3.2.5. */
    private record Qresync(long uidValidity, long modSeq, SequenceSet knownUids) {

        static Qresync read(CommandContext c) throws ImapException {
            c.args().open();
            long uidValidity = c.args().nzNumber();
            c.args().sp();
            long modSeq = c.args().nzNumber();
            SequenceSet known = null;
            if (c.args().trySp()) {
                if (!c.args().peekIs('(')) {
                    known = SequenceSet.parse(c.args().sequenceSetText(), c.session().config().maxSequenceSetElements());
                    c.args().trySp();
                }
                if (c.args().tryOpen()) {
                    // seq-match-data narrows the range the server must examine; reporting everything is allowed.
                    SequenceSet.parse(c.args().sequenceSetText(), c.session().config().maxSequenceSetElements());
                    c.args().sp();
                    SequenceSet.parse(c.args().sequenceSetText(), c.session().config().maxSequenceSetElements());
                    c.args().close();
                }
            }
            c.args().close();
            return new Qresync(uidValidity, modSeq, known);
        }

        /**
         * VANISHED (EARLIER) for known UIDs now gone, then FETCH for messages changed since the client's MODSEQ.
         * Without an expunge log the vanished set is "what the client may know that is not here", which RFC 7162
         * §3.2.5.2 allows.
         */
        void report(CommandContext c, SelectedMailbox box) throws IOException {
            long lastUid = box.view().uidNext() - 1;
            List<long[]> ranges = knownUids == null ? List.of(new long[] {1, lastUid}) : knownUids.resolve(lastUid);
            List<Long> vanished = new ArrayList<>();
            int budget = 1_000_000;
            for (long[] r : ranges) {
                for (long u = r[0]; u <= Math.min(r[1], lastUid) && budget-- > 0; u++) {
                    if (box.msnOf(u) < 0) {
                        vanished.add(u);
                    }
                }
            }
            if (!vanished.isEmpty()) {
                c.out().untagged("VANISHED (EARLIER) " + SequenceSet.format(vanished));
            }
            for (int msn = 1; msn <= box.size(); msn++) {
                MessageMeta m = box.at(msn);
                if (m.modSeq() > modSeq) {
                    c.session().writeFlags(msn, m, true);
                }
            }
        }
    }
}
