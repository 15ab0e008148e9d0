package org.facteur.smtp.command;

import java.io.IOException;

import org.facteur.filters.Verdict;
import org.facteur.smtp.protocol.MailAddress;
import org.facteur.smtp.protocol.MailParameters;
import org.facteur.smtp.protocol.PathParser;
import org.facteur.smtp.protocol.Reply;
import org.facteur.smtp.protocol.SmtpSyntaxException;
import org.facteur.smtp.session.CommandHandler;
import org.facteur.smtp.session.SmtpSession;
import org.facteur.smtp.session.Transaction;

/** MAIL FROM (RFC 5321 §4.1.1.2): starts a transaction. */
public final class MailCommand implements CommandHandler {

    @Override
    public void handle(SmtpSession session, String argument) throws IOException {
        if (session.helo() == null) {
            session.reply(503, "5.5.1", "Send EHLO first");
            session.error();
            return;
        }
        if (session.transaction() != null) {
            session.reply(503, "5.5.1", "Nested MAIL command");
            session.error();
            return;
        }
        if (session.kind().authRequired() && !session.isSecure()) {
            session.reply(530, "5.7.0", "Must issue a STARTTLS command first");
            session.error();
            return;
        }
        if (session.kind().authRequired() && !session.isAuthenticated()) {
            session.reply(530, "5.7.0", "Authentication required");
            session.error();
            return;
        }
        if (session.messages() >= session.config().limits().maxMessagesPerSession()) {
            session.reply(421, "4.7.0", "Too many messages in one session, please reconnect");
            return;
        }
        PathParser.ParsedPath path;
        MailParameters parameters;
        try {
            path = PathParser.parse(argument, "FROM", true);
            parameters = MailParameters.parse(path.parameters());
        } catch (SmtpSyntaxException e) {
            session.reply(e.reply());
            session.error();
            return;
        }
        MailAddress sender = path.address();
        if (sender != null && sender.isInternational() && !parameters.smtpUtf8()) {
            // RFC 6531 §3.5: UTF-8 in the envelope needs the SMTPUTF8 parameter.
            session.reply(553, "5.6.7", "Non-ASCII address needs SMTPUTF8");
            session.error();
            return;
        }
        long max = session.config().limits().maxMessageSize().bytes();
        if (parameters.declaredSize() > max) {
            // RFC 1870 §6.2.
            session.reply(552, "5.3.4", "Message size exceeds the limit of " + max + " octets");
            return;
        }
        if (session.isAuthenticated() && sender != null
                && !session.services().senders().maySendAs(session.account(), sender.toString())) {
            session.reply(553, "5.7.1", "Sender address " + sender + " is not one of your addresses");
            session.error();
            return;
        }
        if (session.isAuthenticated() && !session.services().senders().withinRate(session.account())) {
            session.reply(450, "4.7.1", "Sending rate limit exceeded for your account, try again later");
            return;
        }
        Verdict verdict = session.services().chain().mailFrom(session.filterContext(), sender == null ? "" : sender.toString());
        switch (verdict.action()) {
            case REJECT -> {
                session.reply(Reply.of(verdict.code() >= 500 ? verdict.code() : 550,
                        EhloCommand.or(verdict.enhancedCode(), "5.7.1"), SmtpSession.text(verdict, "Sender refused")));
                session.filterContext().resetTransaction();
                return;
            }
            case TEMPFAIL -> {
                session.reply(Reply.of(verdict.code() >= 400 && verdict.code() < 500 ? verdict.code() : 451,
                        EhloCommand.or(verdict.enhancedCode(), "4.7.1"), SmtpSession.text(verdict, "Try again later")));
                session.filterContext().resetTransaction();
                return;
            }
            default -> {
            }
        }
        session.transaction(new Transaction(sender, parameters));
        session.reply(250, "2.1.0", "Sender OK");
    }
}
