package org.facteur.pop3.command;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.protocol.ResponseCode;
import org.facteur.pop3.session.Pop3Session;
import org.facteur.pop3.session.State;

/**
 * USER (RFC 1939 §7): names the mailbox for PASS. Refused before TLS so a password never follows in
 * cleartext; the answer does not tell whether the user exists.
 */
final class UserCommand implements CommandHandler {

    @Override
    public Set<State> states() {
        return EnumSet.of(State.AUTHORIZATION);
    }

    @Override
    public void execute(Pop3Session session, Command command) throws IOException {
        if (!session.passwordLoginAllowed()) {
            // RFC 3206 §5: [AUTH] says "how you log in is the problem", so the client does not retry blindly.
            session.reply().err(ResponseCode.AUTH, "Plaintext login needs TLS: use STLS first, or port 995");
            return;
        }
        if (!Arguments.count(session, command, 1, 1)) {
            return;
        }
        session.pendingUser(command.argument(0));
        session.reply().ok("Send PASS");
    }
}
