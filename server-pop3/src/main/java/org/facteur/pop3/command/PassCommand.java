package org.facteur.pop3.command;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.facteur.auth.sasl.SaslStep;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.protocol.ResponseCode;
import org.facteur.pop3.session.Pop3Session;
import org.facteur.pop3.session.State;

/** PASS (RFC 1939 §7): checks the password for the USER name given just before. */
final class PassCommand implements CommandHandler {

    @Override
    public Set<State> states() {
        return EnumSet.of(State.AUTHORIZATION);
    }

    @Override
    public void execute(Pop3Session session, Command command) throws IOException {
        if (!session.passwordLoginAllowed()) {
            session.pendingUser(null);
            session.reply().err(ResponseCode.AUTH, "Plaintext login needs TLS: use STLS first, or port 995");
            return;
        }
        Optional<String> user = session.pendingUser();
        if (user.isEmpty()) {
            session.reply().err("Send USER first");
            return;
        }
        // RFC 1939 §7: the password is the whole rest of the line; it may contain spaces.
        String password = command.argumentText();
        if (password.isEmpty()) {
            session.pendingUser(null);
            session.reply().err("PASS needs a password");
            return;
        }
        SaslStep step = session.services().authenticator().checkPassword(user.get(), password, session.saslContext());
        switch (step) {
            case SaslStep.Success success -> session.login(success.account());
            case SaslStep.Failure failure -> session.loginFailed(failure);
            case SaslStep.Challenge challenge -> session.loginFailed(new SaslStep.Failure("Authentication failed", false));
        }
    }
}
