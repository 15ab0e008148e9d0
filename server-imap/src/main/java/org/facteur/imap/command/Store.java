package org.facteur.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.facteur.imap.protocol.ArgumentReader;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.protocol.SequenceSet;
import org.facteur.imap.session.ImapSession;
import org.facteur.imap.session.SelectedMailbox;
import org.facteur.imap.session.SessionState;
import org.facteur.storage.FlagChange;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.StoreResult;

/** RFC 9051 §6.4.6 STORE, with CONDSTORE UNCHANGEDSINCE and the MODIFIED response code (RFC 7162 §3.1.3). */
final class Store implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return SELECTED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        ImapSession session = c.session();
        ArgumentReader in = c.args();
        in.sp();
        SequenceSet set = SequenceSet.parse(in.sequenceSetText(), session.config().maxSequenceSetElements());
        in.sp();
        long unchangedSince = -1;
        if (in.tryOpen()) {
            String modifier = in.atom();
            if (!modifier.equalsIgnoreCase("UNCHANGEDSINCE")) {
                throw new ImapException("Unknown STORE modifier " + modifier);
            }
            in.sp();
            unchangedSince = in.number();
            in.close();
            in.sp();
            session.condstoreUsed();
        }
        String item = in.atom().toUpperCase(Locale.ROOT);
        FlagChange change = switch (item.replace(".SILENT", "")) {
            case "FLAGS" -> FlagChange.REPLACE;
            case "+FLAGS" -> FlagChange.ADD;
            case "-FLAGS" -> FlagChange.REMOVE;
            default -> throw new ImapException("Expected FLAGS, +FLAGS or -FLAGS");
        };
        boolean silent = item.endsWith(".SILENT");
        in.sp();
        Set<String> flags;
        if (in.peekIs('(')) {
            flags = Append.readFlags(in);
        } else {
            flags = new LinkedHashSet<>();
            do {
                flags.add(Append.checkFlag(in.flag()));
            } while (in.trySp());
        }
        in.end();
        SelectedMailbox box = c.selected();
        if (box.readOnly()) {
            throw ImapException.no("READ-ONLY", "Mailbox is read-only");
        }
        List<Long> uids = session.resolve(set, c.uid());
        StoreResult result = uids.isEmpty() ? new StoreResult(List.of(), List.of())
                : box.view().store(uids, change, flags, unchangedSince);
        for (MessageMeta m : result.updated()) {
            int msn = box.msnOf(m.uid());
            if (msn < 0 || !box.update(m)) {
                continue;
            }
            if (!silent) {
                session.writeFlags(msn, m, c.uid() || session.qresync());
            } else if (unchangedSince >= 0) {
                c.out().star().number(msn).raw(" FETCH (").raw(c.uid() ? "UID " + m.uid() + " " : "")
                        .raw("MODSEQ (").number(m.modSeq()).raw("))").end();
            }
        }
        if (!result.modified().isEmpty()) {
            List<Long> numbers = new ArrayList<>();
            for (long u : result.modified()) {
                numbers.add(c.uid() ? u : (long) box.msnOf(u));
            }
            numbers.sort(null);
            c.ok("MODIFIED " + SequenceSet.format(numbers), "Conditional STORE failed for some messages");
            return;
        }
        c.ok("STORE completed");
    }
}
