package org.facteur.smtp.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

import org.facteur.auth.sasl.SaslExchange;
import org.facteur.auth.sasl.SaslStep;
import org.facteur.net.LineTooLongException;
import org.facteur.smtp.protocol.Reply;
import org.facteur.smtp.session.CommandHandler;
import org.facteur.smtp.session.SmtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH (RFC 4954): {@code AUTH mechanism [initial-response]}, {@code =} for an empty initial response, 334
 * challenges, {@code *} to cancel. Every mechanism the Authenticator offers on this connection works; none
 * before TLS.
 */
public final class AuthCommand implements CommandHandler {

    private static final Logger log = LoggerFactory.getLogger(AuthCommand.class);

    @Override
    public void handle(SmtpSession session, String argument) throws IOException {
        if (session.helo() == null || !session.isExtended()) {
            session.reply(503, "5.5.1", "Send EHLO first");
            session.error();
            return;
        }
        if (session.isAuthenticated()) {
            session.reply(503, "5.5.1", "Already authenticated");
            session.error();
            return;
        }
        if (session.transaction() != null) {
            session.reply(503, "5.5.1", "AUTH not allowed during a mail transaction");
            session.error();
            return;
        }
        if (!session.isSecure()) {
            // RFC 4954 §4 / RFC 8314: no credentials over cleartext.
            session.reply(538, "5.7.11", "Encryption required for requested authentication mechanism");
            session.error();
            return;
        }
        String[] parts = argument.strip().split(" +", 2);
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        if (mechanism.isEmpty() || parts.length == 2 && parts[1].contains(" ")) {
            session.reply(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
            session.error();
            return;
        }
        if (!session.authMechanisms().contains(mechanism)) {
            session.reply(504, "5.5.4", "Unrecognized authentication type");
            session.error();
            return;
        }
        SaslExchange exchange = session.services().authenticator().start(mechanism, session.saslContext());
        if (exchange == null) {
            session.reply(504, "5.5.4", "Unrecognized authentication type");
            session.error();
            return;
        }
        byte[] response = null;
        if (parts.length == 2) {
            response = decode(parts[1]);
            if (response == null) {
                exchange.abort();
                session.reply(501, "5.5.2", "Cannot decode the initial response");
                session.error();
                return;
            }
        }
        int maxLine = session.config().limits().maxCommandLength().toIntBytes();
        while (true) {
            SaslStep step = exchange.evaluate(response);
            switch (step) {
                case SaslStep.Challenge challenge -> {
                    session.reply(new Reply(334, null, java.util.List.of(Base64.getEncoder().encodeToString(challenge.data()))));
                    String line;
                    try {
                        line = session.connection().readLine(maxLine).text(StandardCharsets.US_ASCII).strip();
                    } catch (LineTooLongException e) {
                        exchange.abort();
                        session.reply(500, "5.5.6", "Authentication exchange line too long");
                        session.error();
                        return;
                    }
                    if (line.equals("*")) {
                        exchange.abort();
                        session.reply(501, "5.0.0", "Authentication cancelled");
                        session.error();
                        return;
                    }
                    response = decode(line);
                    if (response == null) {
                        exchange.abort();
                        session.reply(501, "5.5.2", "Cannot decode the response");
                        session.error();
                        return;
                    }
                }
                case SaslStep.Success success -> {
                    if (success.additionalData() != null && success.additionalData().length > 0) {
                        // RFC 4954 §4: additional data with success goes in a last 334; the client answers empty.
                        session.reply(new Reply(334, null, java.util.List.of(Base64.getEncoder().encodeToString(success.additionalData()))));
                        String line = session.connection().readLine(maxLine).text().strip();
                        if (line.equals("*")) {
                            session.reply(501, "5.0.0", "Authentication cancelled");
                            return;
                        }
                    }
                    session.authenticated(success.account());
                    log.info("session {}: authenticated as {} with {}", session.id(), success.account(), mechanism);
                    session.reply(235, "2.7.0", "Authentication successful");
                    return;
                }
                case SaslStep.Failure failure -> {
                    log.info("session {}: AUTH {} failed from {}", session.id(), mechanism, session.clientAddress().getHostAddress());
                    if (failure.temporary()) {
                        session.reply(454, "4.7.0", "Temporary authentication failure");
                    } else {
                        session.reply(535, "5.7.8", "Authentication credentials invalid");
                    }
                    session.error();
                    return;
                }
            }
        }
    }

    /** {@code =} is the empty response (RFC 4954 §4); otherwise base64, or null when invalid. */
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
