package org.facteur.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.facteur.auth.Recipient;
import org.facteur.filters.ClientInfo;
import org.facteur.filters.EntryPoint;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Verdict;
import org.facteur.smtp.delivery.Envelope;
import org.facteur.smtp.delivery.EnvelopeRecipient;
import org.facteur.smtp.protocol.MailAddress;
import org.facteur.smtp.protocol.MessageDate;
import org.facteur.smtp.protocol.MailParameters;
import org.facteur.smtp.protocol.PathParser;
import org.facteur.smtp.protocol.RcptParameters;
import org.facteur.smtp.protocol.RelayTricks;
import org.facteur.smtp.protocol.Reply;
import org.facteur.smtp.protocol.SmtpSyntaxException;
import org.facteur.smtp.session.SessionServices;

/**
 * How the webmail sends: in process, through the same sender checks, filter chain ({@link EntryPoint#WEBMAIL}),
 * rewriting, DKIM signing, local delivery and queue as a message submitted on port 587.
 */
public final class WebmailSubmission {

    /** The submission was refused; {@link #reply()} says why in SMTP terms (4xx: try later, 5xx: fix it). */
    public static final class SubmissionException extends Exception {
        private final transient Reply reply;

        public SubmissionException(Reply reply) {
            super(reply.oneLine());
            this.reply = reply;
        }

        public Reply reply() {
            return reply;
        }
    }

    private final SessionServices services;

    WebmailSubmission(SessionServices services) {
        this.services = services;
    }

    /**
     * Sends a message written by {@code account}; the envelope sender is the account's primary address.
     *
     * @param messageFile an RFC 5322 message with CRLF line ends; it is copied, the caller keeps it
     * @param recipients  envelope recipients (To, Cc and Bcc addresses)
     * @return the 250 reply
     */
    public Reply submit(String account, Path messageFile, List<String> recipients) throws SubmissionException, IOException {
        String id = "web-" + UUID.randomUUID().toString().substring(0, 8);
        FilterContext context = new FilterContext(new ClientInfo(id, EntryPoint.WEBMAIL, InetAddress.getLoopbackAddress(), null, null));
        context.authenticatedAccount(account);
        MailAddress sender = parse("TO:<" + account + ">");
        if (!services.senders().maySendAs(account, sender.toString())) {
            throw new SubmissionException(Reply.of(553, "5.7.1", "Sender address " + sender + " is not one of your addresses"));
        }
        if (!services.senders().withinRate(account)) {
            throw new SubmissionException(Reply.of(450, "4.7.1", "Sending rate limit exceeded for your account, try again later"));
        }
        check(services.chain().mailFrom(context, sender.toString()));
        if (recipients.isEmpty() || recipients.size() > services.config().get().limits().maxRecipients()) {
            throw new SubmissionException(Reply.of(452, "4.5.3", "Between 1 and "
                    + services.config().get().limits().maxRecipients() + " recipients, please"));
        }
        boolean utf8 = sender.isInternational();
        List<EnvelopeRecipient> accepted = new ArrayList<>();
        for (String r : recipients) {
            MailAddress address = parse("TO:<" + r + ">");
            String trick = RelayTricks.refusal(address);
            if (trick != null) {
                throw new SubmissionException(Reply.of(550, "5.7.1", r + ": " + trick));
            }
            Recipient resolution = services.directory().resolve(address.toString());
            if (resolution instanceof Recipient.Unknown) {
                throw new SubmissionException(Reply.of(550, "5.1.1", r + ": no such user here"));
            }
            Verdict verdict = services.chain().rcptTo(context, address.toString(), resolution);
            check(verdict);
            if (resolution instanceof Recipient.NotLocal && verdict.action() != Verdict.Action.ACCEPT) {
                throw new SubmissionException(Reply.of(554, "5.7.1", r + ": relay access denied"));
            }
            utf8 |= address.isInternational();
            accepted.add(new EnvelopeRecipient(address, resolution, RcptParameters.NONE));
        }
        long max = services.config().get().limits().maxMessageSize().bytes();
        if (Files.size(messageFile) > max) {
            throw new SubmissionException(Reply.of(552, "5.3.4", "Message too big: the limit is " + max + " octets"));
        }
        Path spool = services.incomingDir().resolve(id + ".eml");
        try {
            try (OutputStream out = Files.newOutputStream(spool)) {
                String received = "Received: from webmail by " + services.hostname().get() + " (Facteur) with HTTPA id " + id
                        + ";\r\n\t" + MessageDate.now() + "\r\n";
                out.write(received.getBytes(StandardCharsets.UTF_8));
                Files.copy(messageFile, out);
            }
            MailParameters parameters = new MailParameters(-1, MailParameters.Body.EIGHT_BIT_MIME, utf8, null, null);
            Reply reply = services.router().accept(context, new Envelope(sender, parameters, accepted), spool);
            if (!reply.isPositive()) {
                throw new SubmissionException(reply);
            }
            return reply;
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private static MailAddress parse(String path) throws SubmissionException {
        try {
            return PathParser.parse(path, "TO", false).address();
        } catch (SmtpSyntaxException e) {
            throw new SubmissionException(e.reply());
        }
    }

    private static void check(Verdict verdict) throws SubmissionException {
        if (verdict.action() == Verdict.Action.REJECT) {
            throw new SubmissionException(Reply.of(verdict.code() >= 500 ? verdict.code() : 550,
                    verdict.enhancedCode() == null ? "5.7.1" : verdict.enhancedCode(),
                    verdict.text() == null ? "Refused" : verdict.text()));
        }
        if (verdict.action() == Verdict.Action.TEMPFAIL) {
            throw new SubmissionException(Reply.of(verdict.code() >= 400 && verdict.code() < 500 ? verdict.code() : 451,
                    verdict.enhancedCode() == null ? "4.7.1" : verdict.enhancedCode(),
                    verdict.text() == null ? "Try again later" : verdict.text()));
        }
    }
}
