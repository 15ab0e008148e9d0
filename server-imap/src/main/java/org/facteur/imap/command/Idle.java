package org.facteur.imap.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.protocol.ProtocolLimitException;
import org.facteur.imap.session.ImapSession;
import org.facteur.imap.session.SelectedMailbox;
import org.facteur.imap.session.SessionState;
import org.facteur.net.Line;
import org.facteur.net.LineTooLongException;

/**
 * RFC 2177 / RFC 9051 §6.3.13 IDLE. While the session thread waits for DONE, a notifier thread wakes on each
 * queued mailbox event and pushes it at once, so a delivery reaches the client within milliseconds.
 */
final class Idle implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().end();
        ImapSession session = c.session();
        SelectedMailbox box = c.selected();
        session.sendUpdates(true);
        c.out().continuation("idling");
        Thread notifier = null;
        if (box != null) {
            notifier = Thread.ofVirtual().name("imap-idle").start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        if (box.awaitPending(60_000)) {
                            session.sendUpdates(true);
                            c.out().flush();
                        }
                    }
                } catch (InterruptedException | IOException e) {
                    // DONE arrived, or the client is gone: the session thread sees that itself.
                }
            });
        }
        Line line;
        try {
            line = session.connection().readLine(session.config().maxLineLength().toIntBytes());
        } catch (LineTooLongException e) {
            throw new ProtocolLimitException("TOOBIG", "Line too long");
        } finally {
            if (notifier != null) {
                notifier.interrupt();
                try {
                    notifier.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (!line.text(StandardCharsets.US_ASCII).equalsIgnoreCase("DONE")) {
            throw new ImapException("Expected DONE");
        }
        c.ok("IDLE terminated");
    }
}
