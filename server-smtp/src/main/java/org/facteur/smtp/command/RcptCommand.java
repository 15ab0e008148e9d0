package org.facteur.smtp.command;

import java.io.IOException;
import java.util.List;

import org.facteur.auth.Recipient;
import org.facteur.filters.Verdict;
import org.facteur.smtp.delivery.EnvelopeRecipient;
import org.facteur.smtp.protocol.MailAddress;
import org.facteur.smtp.protocol.PathParser;
import org.facteur.smtp.protocol.RcptParameters;
import org.facteur.smtp.protocol.RelayTricks;
import org.facteur.smtp.protocol.Reply;
import org.facteur.smtp.protocol.SmtpSyntaxException;
import org.facteur.smtp.session.CommandHandler;
import org.facteur.smtp.session.SmtpSession;
import org.facteur.smtp.session.Transaction;
import org.facteur.storage.Quota;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RCPT TO (RFC 5321 §4.1.1.3). Recipients are judged now, not after the message, so nothing is bounced later
 * to a forged sender: relay tricks are refused, the directory resolves the address (unknown users get
 * 550 5.1.1), and the filter chain decides - its RelayFilter says who may send to other domains.
 */
public final class RcptCommand implements CommandHandler {

    private static final Logger log = LoggerFactory.getLogger(RcptCommand.class);

    @Override
    public void handle(SmtpSession session, String argument) throws IOException {
        Transaction transaction = session.transaction();
        if (transaction == null) {
            session.reply(503, "5.5.1", "Need MAIL before RCPT");
            session.error();
            return;
        }
        if (transaction.bdat() != null) {
            session.reply(503, "5.5.1", "RCPT not allowed during BDAT");
            session.error();
            return;
        }
        if (transaction.countRcpt() > session.config().limits().maxRecipients()) {
            // RFC 5321 §4.5.3.1.10: 452 for too many recipients; the client sends the rest in another message.
            session.reply(452, "4.5.3", "Too many recipients");
            return;
        }
        PathParser.ParsedPath path;
        RcptParameters parameters;
        try {
            path = PathParser.parse(argument, "TO", false);
            parameters = RcptParameters.parse(path.parameters());
        } catch (SmtpSyntaxException e) {
            session.reply(e.reply());
            session.error();
            return;
        }
        MailAddress address = path.address();
        if (address.domain().isEmpty()) {
            // <Postmaster> without a domain (RFC 5321 §4.5.1) means ours.
            List<String> domains = session.services().directory().domains();
            address = new MailAddress("postmaster", domains.isEmpty() ? session.hostname() : domains.get(0));
        }
        String trick = RelayTricks.refusal(address);
        if (trick != null) {
            log.info("session {}: refused recipient {}: {}", session.id(), address, trick);
            session.reply(550, "5.7.1", trick);
            session.error();
            return;
        }
        if (address.isInternational() && !transaction.parameters().smtpUtf8()) {
            session.reply(553, "5.6.7", "Non-ASCII address needs SMTPUTF8 on MAIL FROM");
            session.error();
            return;
        }
        Recipient resolution = session.services().directory().resolve(address.toString());
        if (resolution instanceof Recipient.Unknown) {
            session.reply(550, "5.1.1", "No such user here");
            session.error();
            return;
        }
        Verdict verdict = session.services().chain().rcptTo(session.filterContext(), address.toString(), resolution);
        switch (verdict.action()) {
            case REJECT -> {
                session.reply(Reply.of(verdict.code() >= 500 ? verdict.code() : 550,
                        EhloCommand.or(verdict.enhancedCode(), "5.7.1"), SmtpSession.text(verdict, "Recipient refused")));
                return;
            }
            case TEMPFAIL -> {
                session.reply(Reply.of(verdict.code() >= 400 && verdict.code() < 500 ? verdict.code() : 450,
                        EhloCommand.or(verdict.enhancedCode(), "4.7.1"), SmtpSession.text(verdict, "Try again later")));
                return;
            }
            default -> {
            }
        }
        if (resolution instanceof Recipient.NotLocal && verdict.action() != Verdict.Action.ACCEPT) {
            // Fail safe: a chain without a relay policy never turns us into an open relay.
            session.reply(554, "5.7.1", "Relay access denied");
            return;
        }
        if (resolution instanceof Recipient.Local local && mailboxFull(session, local.accounts())) {
            session.reply(452, "4.2.2", "Mailbox full, try again later");
            return;
        }
        transaction.recipients().add(new EnvelopeRecipient(address, resolution, parameters));
        session.reply(250, "2.1.5", "Recipient OK");
    }

    /** A full mailbox is reported now (RFC 3463 4.2.2) rather than failing the whole message at the end. */
    private static boolean mailboxFull(SmtpSession session, List<String> accounts) {
        long size = Math.max(0, session.transaction().parameters().declaredSize());
        int full = 0;
        for (String account : accounts) {
            try {
                Quota quota = session.services().router().quota(account);
                if (quota != null && !quota.allows(size, 1)) {
                    full++;
                }
            } catch (IOException | RuntimeException e) {
                log.debug("session {}: no quota for {}: {}", session.id(), account, e.toString());
            }
        }
        // An alias that fans out is refused only when every target is full.
        return !accounts.isEmpty() && full == accounts.size();
    }
}
