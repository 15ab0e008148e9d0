package org.facteur.imap.command;

import java.io.IOException;
import java.util.Set;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SessionState;

/** One IMAP command's behaviour. Its arguments come parsed-on-demand from {@link CommandContext#args()}. */
public interface ImapCommand {

    Set<SessionState> ANY = Set.of(SessionState.NOT_AUTHENTICATED, SessionState.AUTHENTICATED, SessionState.SELECTED);
    Set<SessionState> NOT_AUTHENTICATED = Set.of(SessionState.NOT_AUTHENTICATED);
    Set<SessionState> AUTHENTICATED = Set.of(SessionState.AUTHENTICATED, SessionState.SELECTED);
    Set<SessionState> SELECTED = Set.of(SessionState.SELECTED);

    /** The states the command is valid in (RFC 9051 §6). */
    Set<SessionState> states();

    /**
     * Runs the command and sends its tagged completion through {@link CommandContext#ok}; throws
     * {@link ImapException} for BAD or NO.
     */
    void execute(CommandContext context) throws IOException, ImapException;
}
