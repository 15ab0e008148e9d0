package org.facteur.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.facteur.imap.protocol.ArgumentReader;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.ImapSession;
import org.facteur.imap.session.SessionState;
import org.facteur.storage.MailboxStatus;

/** RFC 9051 §6.3.11 STATUS, with SIZE (RFC 8438), HIGHESTMODSEQ (RFC 7162) and APPENDLIMIT (RFC 7889). */
final class Status implements ImapCommand {

    private static final Set<String> ITEMS = Set.of("MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "DELETED",
            "SIZE", "RECENT", "HIGHESTMODSEQ", "APPENDLIMIT");

    @Override
    public Set<SessionState> states() {
        return AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().sp();
        String name = c.session().mailboxName(c.args().astring());
        c.args().sp();
        List<String> items = readItems(c.args());
        c.args().end();
        MailboxStatus status = MailboxErrors.map(() -> c.session().accountStore().status(name), false);
        write(c.session(), name, status, items);
        c.ok("STATUS completed");
    }

    /** "(" status-att *(SP status-att) ")". */
    static List<String> readItems(ArgumentReader in) throws ImapException {
        List<String> items = new ArrayList<>();
        in.open();
        do {
            String item = in.atom().toUpperCase(Locale.ROOT);
            if (!ITEMS.contains(item)) {
                throw new ImapException("Unknown STATUS item " + item);
            }
            items.add(item);
        } while (in.trySp());
        in.close();
        return items;
    }

    static void write(ImapSession session, String name, MailboxStatus s, List<String> items) throws IOException {
        var out = session.out();
        out.star().raw("STATUS ").mailbox(name).raw(" (");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.sp();
            }
            String item = items.get(i);
            long value = switch (item) {
                case "MESSAGES" -> s.messages();
                case "UIDNEXT" -> s.uidNext();
                case "UIDVALIDITY" -> s.uidValidity();
                case "UNSEEN" -> s.unseen();
                case "DELETED" -> s.deleted();
                case "SIZE" -> s.size();
                case "HIGHESTMODSEQ" -> s.highestModSeq();
                case "APPENDLIMIT" -> session.config().appendLimit().bytes();
                case "RECENT" -> s.recent(); // IMAP4rev1 only; IMAP4rev2 clients do not ask
                default -> throw new IllegalStateException("STATUS item " + item + " parsed but not answered");
            };
            out.raw(item).sp().number(value);
        }
        out.raw(")").end();
    }
}
