package org.facteur.imap.command;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.ImapSession.Extension;
import org.facteur.imap.session.SessionState;

/** RFC 5161 ENABLE: IMAP4rev2 (RFC 9051 §6.3.1), CONDSTORE, QRESYNC (RFC 7162), UTF8=ACCEPT (RFC 6855). */
final class Enable implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        StringBuilder enabled = new StringBuilder("ENABLED");
        c.args().sp();
        do {
            String name = c.args().atom();
            Extension e = switch (name.toUpperCase(Locale.ROOT)) {
                case "IMAP4REV2" -> Extension.IMAP4REV2;
                case "CONDSTORE" -> Extension.CONDSTORE;
                case "QRESYNC" -> Extension.QRESYNC;
                case "UTF8=ACCEPT" -> Extension.UTF8_ACCEPT;
                default -> null; // RFC 5161 §3.1: unknown names are ignored
            };
            if (e != null && !c.session().isEnabled(e)) {
                if (e == Extension.QRESYNC && !c.session().isEnabled(Extension.CONDSTORE)) {
                    c.session().enable(Extension.CONDSTORE); // RFC 7162 §3.2.3: QRESYNC implies CONDSTORE
                }
                c.session().enable(e);
                enabled.append(' ').append(name);
            }
        } while (c.args().trySp());
        c.args().end();
        c.out().untagged(enabled.toString());
        c.ok("ENABLE completed");
    }
}
