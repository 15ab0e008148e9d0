package org.facteur.imap.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import org.facteur.auth.sasl.SaslExchange;
import org.facteur.auth.sasl.SaslStep;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.protocol.ProtocolLimitException;
import org.facteur.imap.session.SessionState;
import org.facteur.net.Line;
import org.facteur.net.LineTooLongException;

/** RFC 9051 §6.2.2 AUTHENTICATE, with an initial response (RFC 4959 SASL-IR) for every mechanism. */
final class Authenticate implements ImapCommand {

    @Override
    public Set<SessionState> states() {
        return NOT_AUTHENTICATED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        c.args().sp();
        String mechanism = c.args().atom().toUpperCase(Locale.ROOT);
        byte[] initial = null;
        if (c.args().trySp()) {
            String ir = c.args().atom();
            initial = ir.equals("=") ? new byte[0] : decode(ir);
        }
        c.args().end();
        SaslExchange exchange = c.session().authenticator().start(mechanism, c.session().saslContext());
        if (exchange == null) {
            throw ImapException.no("CANNOT", "Mechanism " + mechanism + " is not available on this connection");
        }
        SaslStep step = exchange.evaluate(initial);
        while (step instanceof SaslStep.Challenge challenge) {
            byte[] response = readResponse(c, challenge.data(), exchange);
            step = exchange.evaluate(response);
        }
        if (step instanceof SaslStep.Success success && success.additionalData() != null) {
            // RFC 9051 §6.2.2: success data goes in a last challenge answered by an empty line.
            byte[] last = readResponse(c, success.additionalData(), exchange);
            if (last.length != 0) {
                throw new ImapException("Expected an empty response");
            }
        }
        finish(c, step);
    }

    private static byte[] readResponse(CommandContext c, byte[] challenge, SaslExchange exchange)
            throws IOException, ImapException {
        c.out().continuation(Base64.getEncoder().encodeToString(challenge));
        Line line;
        try {
            line = c.session().connection().readLine(c.session().config().maxLineLength().toIntBytes());
        } catch (LineTooLongException e) {
            exchange.abort();
            throw new ProtocolLimitException("TOOBIG", "SASL response too long");
        }
        String text = line.text(StandardCharsets.US_ASCII).trim();
        if (text.equals("*")) {
            exchange.abort();
            throw new ImapException("AUTHENTICATE cancelled");
        }
        try {
            return decode(text);
        } catch (ImapException e) {
            exchange.abort();
            throw e;
        }
    }

    private static byte[] decode(String base64) throws ImapException {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ImapException("Invalid base64");
        }
    }

    /** The end of LOGIN and AUTHENTICATE: log in, or count the failure and end the session at the limit. */
    static void finish(CommandContext c, SaslStep step) throws IOException, ImapException {
        switch (step) {
            case SaslStep.Success success -> {
                c.session().loggedIn(success.account());
                c.ok("CAPABILITY " + String.join(" ", c.session().capabilities()), "Logged in");
            }
            case SaslStep.Failure failure -> {
                if (c.session().authFailed()) {
                    c.out().tagged(c.tag(), "NO", "AUTHENTICATIONFAILED", "Authentication failed");
                    throw new ProtocolLimitException(null, "Too many authentication failures");
                }
                throw ImapException.no(failure.temporary() ? "UNAVAILABLE" : "AUTHENTICATIONFAILED",
                        failure.temporary() ? "Authentication is unavailable, try again later" : "Authentication failed");
            }
            case SaslStep.Challenge ignored -> throw new IllegalStateException("challenge after the exchange ended");
        }
    }
}
