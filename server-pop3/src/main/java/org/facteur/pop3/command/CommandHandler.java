package org.facteur.pop3.command;

import java.io.IOException;
import java.util.Set;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.session.Pop3Session;
import org.facteur.pop3.session.State;

/** One POP3 command's behaviour. The connection loop checks the state before calling it. */
public interface CommandHandler {

    /** The states in which the command is valid (RFC 1939 §9). */
    Set<State> states();

    /** Runs the command and writes its response. */
    void execute(Pop3Session session, Command command) throws IOException;
}
