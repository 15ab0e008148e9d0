package org.facteur.pop3.command;

import java.io.IOException;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.facteur.auth.sasl.SaslContext;
import org.facteur.auth.sasl.SaslExchange;
import org.facteur.auth.sasl.SaslStep;
import org.facteur.net.Line;
import org.facteur.net.LineTooLongException;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.protocol.ResponseCode;
import org.facteur.pop3.session.Pop3Session;
import org.facteur.pop3.session.State;

/**
 * AUTH (RFC 5034): a SASL exchange with any mechanism the {@link org.facteur.auth.sasl.Authenticator} offers on
 * this connection, with an optional initial response ({@code =} for an empty one) and {@code *} to cancel.
 */
final class AuthCommand implements CommandHandler {

    @Override
    public Set<State> states() {
        return EnumSet.of(State.AUTHORIZATION);
    }

    @Override
    public void execute(Pop3Session session, Command command) throws IOException {
        SaslContext context = session.saslContext();
        List<String> offered = session.services().authenticator().mechanisms(context);
        if (command.argumentCount() == 0) {
            // Not in RFC 5034, but many clients (Outlook, older fetchmail) probe with a bare AUTH, as in the
            // RFC 1734 days; answering with the list costs nothing.
            session.reply().multiLine("Supported mechanisms follow", offered);
            return;
        }
        if (!Arguments.count(session, command, 1, 2)) {
            return;
        }
        String mechanism = command.argument(0).toUpperCase(Locale.ROOT);
        SaslExchange exchange = offered.contains(mechanism)
                ? session.services().authenticator().start(mechanism, context) : null;
        if (exchange == null) {
            if (!session.isSecure()) {
                session.reply().err(ResponseCode.AUTH,
                        "Mechanism not available without TLS: use STLS first, or port 995");
            } else {
                session.reply().err("Unsupported authentication mechanism " + Arguments.printable(mechanism));
            }
            return;
        }
        byte[] response = null;
        if (command.argumentCount() == 2) {
            // RFC 5034 §4: "=" is an empty initial response.
            response = decode(command.argument(1));
            if (response == null) {
                exchange.abort();
                session.loginFailed(new SaslStep.Failure("Initial response is not valid base64", false));
                return;
            }
        }
        run(session, exchange, response);
    }

    private static void run(Pop3Session session, SaslExchange exchange, byte[] firstResponse) throws IOException {
        byte[] response = firstResponse;
        while (true) {
            SaslStep step = exchange.evaluate(response);
            switch (step) {
                case SaslStep.Challenge challenge -> {
                    session.reply().challenge(challenge.data());
                    response = readResponse(session, exchange);
                    if (response == null) {
                        return;
                    }
                }
                case SaslStep.Success success -> {
                    if (success.additionalData() != null && success.additionalData().length > 0) {
                        // RFC 5034 §4: POP3 cannot carry data with +OK; it goes as a last challenge, which
                        // the client answers with an empty line.
                        session.reply().challenge(success.additionalData());
                        byte[] last = readResponse(session, exchange);
                        if (last == null) {
                            return;
                        }
                        if (last.length != 0) {
                            session.loginFailed(new SaslStep.Failure("Unexpected data after the final challenge", false));
                            return;
                        }
                    }
                    session.login(success.account());
                    return;
                }
                case SaslStep.Failure failure -> {
                    session.loginFailed(failure);
                    return;
                }
            }
        }
    }

    /** The client's next line, decoded; null when it cancelled or sent garbage (already answered). */
    private static byte[] readResponse(Pop3Session session, SaslExchange exchange) throws IOException {
        Line line;
        try {
            line = session.readSaslLine();
        } catch (LineTooLongException e) {
            exchange.abort();
            session.reply().err("SASL response longer than " + e.limit() + " octets");
            return null;
        }
        String text = line.text(java.nio.charset.StandardCharsets.US_ASCII);
        if (text.equals("*")) {
            // RFC 5034 §4: the client cancels; the server answers -ERR. It counts as a failure (throttling).
            exchange.abort();
            session.loginFailed(new SaslStep.Failure("Authentication cancelled", false));
            return null;
        }
        byte[] decoded = text.isEmpty() ? new byte[0] : decode(text);
        if (decoded == null) {
            exchange.abort();
            session.loginFailed(new SaslStep.Failure("Response is not valid base64", false));
            return null;
        }
        return decoded;
    }

    /** Strict base64 (RFC 4648 §4), or "=" for empty; null when invalid. */
    private static byte[] decode(String text) {
        if (text.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
