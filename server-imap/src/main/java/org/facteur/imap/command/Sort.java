package org.facteur.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SelectedMailbox;
import org.facteur.imap.session.SessionState;
import org.facteur.storage.SearchQuery;
import org.facteur.storage.SortKey;
import org.facteur.storage.SortKey.Criterion;

/** RFC 5256 SORT and UID SORT, through the storage's search with sort keys. */
final class Sort implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return SELECTED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().sp();
        List<SortKey> keys = new ArrayList<>();
        c.args().open();
        boolean reverse = false;
        do {
            String word = c.args().atom().toUpperCase(Locale.ROOT);
            if (word.equals("REVERSE")) {
                reverse = true;
                continue;
            }
            Criterion criterion = switch (word) {
                case "ARRIVAL" -> Criterion.ARRIVAL;
                case "CC" -> Criterion.CC;
                case "DATE" -> Criterion.DATE;
                case "FROM" -> Criterion.FROM;
                case "SIZE" -> Criterion.SIZE;
                case "SUBJECT" -> Criterion.SUBJECT;
                case "TO" -> Criterion.TO;
                case "DISPLAYFROM" -> Criterion.DISPLAY_FROM; // RFC 5957
                case "DISPLAYTO" -> Criterion.DISPLAY_TO;
                default -> throw new ImapException("Unknown sort criterion " + word);
            };
            keys.add(new SortKey(criterion, reverse));
            reverse = false;
        } while (c.args().trySp());
        c.args().close();
        if (reverse) {
            throw new ImapException("REVERSE needs a criterion after it");
        }
        c.args().sp();
        SearchParser.checkCharset(c.args().astring());
        c.args().sp();
        SearchParser parser = new SearchParser(c.session(), c.args());
        SearchQuery query = parser.keys();
        SelectedMailbox box = c.selected();
        List<Long> uids = Search.known(box, box.view().search(query, keys));
        StringBuilder sb = new StringBuilder("SORT");
        for (long u : uids) {
            sb.append(' ').append(c.uid() ? u : box.msnOf(u));
        }
        c.out().untagged(sb.toString());
        c.ok("SORT completed");
    }
}
