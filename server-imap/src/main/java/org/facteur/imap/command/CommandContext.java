package org.facteur.imap.command;

import java.io.IOException;
import org.facteur.imap.protocol.ArgumentReader;
import org.facteur.imap.protocol.ResponseWriter;
import org.facteur.imap.session.ImapSession;
import org.facteur.imap.session.SelectedMailbox;

/** What one command runs with: its session, tag, arguments, and whether it came as {@code UID <name>}. */
public final class CommandContext {

    private final ImapSession session;
    private final String tag;
    private final String name;
    private final boolean uid;
    private final ArgumentReader args;

    public CommandContext(ImapSession session, String tag, String name, boolean uid, ArgumentReader args) {
        this.session = session;
        this.tag = tag;
        this.name = name;
        this.uid = uid;
        this.args = args;
    }

    public ImapSession session() {
        return session;
    }

    public String tag() {
        return tag;
    }

    public String name() {
        return name;
    }

    public boolean uid() {
        return uid;
    }

    public ArgumentReader args() {
        return args;
    }

    public ResponseWriter out() {
        return session.out();
    }

    public SelectedMailbox selected() {
        return session.selected();
    }

    /**
     * RFC 9051 §7.5.1: no EXPUNGE while a FETCH, STORE or SEARCH by sequence number runs, since the client may
     * be pipelining numbers that an expunge would shift.
     */
    public boolean expungeAllowed() {
        return uid || !(name.equals("FETCH") || name.equals("STORE") || name.equals("SEARCH")
                || name.equals("SORT") || name.equals("THREAD"));
    }

    /** Sends pending updates, then {@code tag OK [code] text}. */
    public void ok(String code, String text) throws IOException {
        session.sendUpdates(expungeAllowed());
        session.out().tagged(tag, "OK", code, text);
    }

    public void ok(String text) throws IOException {
        ok(null, text);
    }
}
