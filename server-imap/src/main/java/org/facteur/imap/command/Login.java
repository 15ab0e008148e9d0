package org.facteur.imap.command;

import java.io.IOException;
import java.util.Set;
import org.facteur.auth.sasl.SaslStep;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.session.SessionState;

/** RFC 9051 §6.2.3 LOGIN: refused without TLS (LOGINDISABLED), throttled by the authenticator. */
final class Login implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return NOT_AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().sp();
        String user = c.args().astring();
        c.args().sp();
        String password = c.args().astring();
        c.args().end();
        if (!c.session().secure()) {
            throw ImapException.no("PRIVACYREQUIRED", "LOGIN is disabled until TLS is active; use STARTTLS");
        }
        SaslStep step = c.session().authenticator().checkPassword(user, password, c.session().saslContext());
        Authenticate.finish(c, step);
    }
}
