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
import org.facteur.storage.SearchQuery;

/** RFC 9051 §6.4.4 SEARCH, with ESEARCH return options (RFC 4731) and SAVE (RFC 5182 SEARCHRES). */
final class Search implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return SELECTED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        ImapSession session = c.session();
        c.args().sp();
        Set<String> returns = null;
        if (c.args().peekWord("RETURN")) {
            c.args().atom();
            c.args().sp();
            returns = new java.util.LinkedHashSet<>();
            c.args().open();
            while (!c.args().tryClose()) {
                String option = c.args().atom().toUpperCase(Locale.ROOT);
                if (!Set.of("MIN", "MAX", "ALL", "COUNT", "SAVE").contains(option)) {
                    throw new ImapException("Unknown RETURN option " + option);
                }
                returns.add(option);
                c.args().trySp();
            }
            c.args().sp();
            if (returns.isEmpty() || returns.equals(Set.of("SAVE"))) {
                returns.add("ALL"); // RFC 4731 §3.1: RETURN () means ALL
            }
        }
        SearchParser parser = new SearchParser(session, c.args());
        parser.charset();
        SearchQuery query = parser.keys();
        SelectedMailbox box = c.selected();
        List<Long> uids = known(box, box.view().search(query, List.of()));
        if (returns != null && returns.contains("SAVE")) {
            if (returns.contains("ALL") || returns.contains("COUNT") || uids.isEmpty()) {
                session.saveResult(uids);
            } else {
                List<Long> saved = new ArrayList<>();
                if (returns.contains("MIN")) {
                    saved.add(uids.get(0));
                }
                if (returns.contains("MAX") && uids.size() > 1) {
                    saved.add(uids.get(uids.size() - 1));
                }
                session.saveResult(saved);
            }
        }
        if (returns == null && session.rev2()) {
            returns = Set.of("ALL"); // RFC 9051 §6.4.4: IMAP4rev2 answers SEARCH with ESEARCH
        }
        List<Long> numbers = new ArrayList<>(uids.size());
        for (long u : uids) {
            numbers.add(c.uid() ? u : (long) box.msnOf(u));
        }
        // RFC 7162 §3.1.5 / RFC 4731: MODSEQ is the highest of the messages returned (only MIN/MAX's when that is all).
        List<Long> returned = uids;
        if (returns != null && !uids.isEmpty() && !returns.contains("ALL") && !returns.contains("COUNT")) {
            returned = new ArrayList<>();
            if (returns.contains("MIN")) {
                returned.add(uids.get(0));
            }
            if (returns.contains("MAX")) {
                returned.add(uids.get(uids.size() - 1));
            }
        }
        long modSeq = 0;
        for (long u : returned) {
            modSeq = Math.max(modSeq, box.at(box.msnOf(u)).modSeq());
        }
        if (returns == null) {
            StringBuilder sb = new StringBuilder("SEARCH");
            for (long n : numbers) {
                sb.append(' ').append(n);
            }
            if (parser.usedModSeq && !numbers.isEmpty()) {
                sb.append(" (MODSEQ ").append(modSeq).append(')'); // RFC 7162 §3.1.5
            }
            c.out().untagged(sb.toString());
        } else if (!(returns.size() == 1 && returns.contains("SAVE"))) {
            esearch(c, returns, numbers, parser.usedModSeq ? modSeq : 0);
        }
        c.ok("SEARCH completed");
    }

    /** Only messages the client has been told of count (a new delivery appears after its EXISTS). */
    static List<Long> known(SelectedMailbox box, List<Long> found) {
        List<Long> uids = new ArrayList<>(found.size());
        for (long u : found) {
            if (box.msnOf(u) > 0) {
                uids.add(u);
            }
        }
        return uids;
    }

    static void esearch(CommandContext c, Set<String> returns, List<Long> numbers, long modSeq) throws IOException {
        StringBuilder sb = new StringBuilder("ESEARCH (TAG \"").append(c.tag()).append("\")");
        if (c.uid()) {
            sb.append(" UID");
        }
        if (!numbers.isEmpty()) {
            List<Long> sorted = new ArrayList<>(numbers);
            sorted.sort(null);
            if (returns.contains("MIN")) {
                sb.append(" MIN ").append(sorted.get(0));
            }
            if (returns.contains("MAX")) {
                sb.append(" MAX ").append(sorted.get(sorted.size() - 1));
            }
            if (returns.contains("ALL")) {
                sb.append(" ALL ").append(SequenceSet.format(sorted));
            }
        }
        if (returns.contains("COUNT")) {
            sb.append(" COUNT ").append(numbers.size());
        }
        if (modSeq > 0) {
            sb.append(" MODSEQ ").append(modSeq);
        }
        c.out().untagged(sb.toString());
    }
}
