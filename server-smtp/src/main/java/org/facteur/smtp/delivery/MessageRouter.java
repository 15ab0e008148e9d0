package org.facteur.smtp.delivery;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.facteur.auth.Directory;
import org.facteur.auth.Recipient;
import org.facteur.filters.DataVerdict;
import org.facteur.filters.EntryPoint;
import org.facteur.filters.FilterChain;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;
import org.facteur.filters.Verdict;
import org.facteur.smtp.SmtpConfig;
import org.facteur.smtp.dkim.MessageSigner;
import org.facteur.smtp.protocol.MailParameters;
import org.facteur.smtp.protocol.Reply;
import org.facteur.smtp.protocol.RcptParameters;
import org.facteur.smtp.queue.DsnWriter;
import org.facteur.smtp.queue.OutboundQueue;
import org.facteur.smtp.queue.QueueEntry;
import org.facteur.smtp.queue.QueueRecipient;
import org.facteur.storage.QuotaExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End of data, for every entry point (port 25, submission, webmail): runs the filter chain's data stage, does
 * the submission rewriting and DKIM signing, then stores the message for every recipient - local copies
 * through the mail store, the rest in the durable queue - and says which reply the client gets.
 *
 * <p>SMTP has one reply per message, not per recipient (unlike LMTP), so partial failures are handled thus:
 * remote recipients are queued first (one durable write); then each local copy is stored. If nothing at all
 * could be stored the reply is a failure (452/552 for a full mailbox, 451 otherwise) and the client retries
 * the whole message, with no duplicate anywhere. If something was stored, the reply is 250 and each local
 * copy that failed is put in the queue, which retries it and bounces it if it keeps failing.
 *
 * <p>The filters judge each local account's copy apart ({@link DataVerdict}): one copy may go to INBOX and
 * another to Junk, each with the X-Spam-* headers of its own verdict; a held or discarded copy is not stored.
 */
public final class MessageRouter {

    private static final Logger log = LoggerFactory.getLogger(MessageRouter.class);

    private final Supplier<SmtpConfig> config;
    private final Supplier<String> hostname;
    private final Directory directory;
    private final FilterChain chain;
    private final LocalDelivery local;
    private final OutboundQueue queue;
    private final MessageSigner signer;
    private final SenderPolicy senders;
    private final Path workDir;
    private final DsnWriter dsn;

    public MessageRouter(Supplier<SmtpConfig> config, Supplier<String> hostname, Directory directory, FilterChain chain,
                         LocalDelivery local, OutboundQueue queue, MessageSigner signer, DsnWriter dsn, Path workDir)
            throws IOException {
        this.dsn = dsn;
        this.config = config;
        this.hostname = hostname;
        this.directory = directory;
        this.chain = chain;
        this.local = local;
        this.queue = queue;
        this.signer = signer;
        this.senders = new SenderPolicy(directory, config);
        this.workDir = Files.createDirectories(workDir);
    }

    /** The account's quota, for the RCPT-time mailbox-full check. */
    public org.facteur.storage.Quota quota(String account) throws IOException {
        return local.quota(account);
    }

    public Reply accept(FilterContext context, Envelope envelope, Path data) {
        List<Path> temporary = new ArrayList<>();
        try {
            return route(context, envelope, data, temporary);
        } catch (IOException | RuntimeException e) {
            log.warn("session {}: could not store the message", context.client().sessionId(), e);
            return Reply.of(451, "4.3.0", "Temporary failure storing the message, try again later");
        } finally {
            for (Path p : temporary) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover in the work directory; harmless
                }
            }
        }
    }

    private Reply route(FilterContext context, Envelope envelope, Path data, List<Path> temporary) throws IOException {
        String session = context.client().sessionId();
        MessageData message = new MessageData(data);
        DataVerdict verdict = chain.data(context, message);
        if (!message.file().equals(data)) {
            temporary.add(message.file());
        }
        Verdict whole = verdict.message();
        switch (whole.action()) {
            case REJECT -> {
                return Reply.of(whole.code() >= 500 ? whole.code() : 550, or(whole.enhancedCode(), "5.7.1"),
                        or(whole.text(), "Message refused"));
            }
            case TEMPFAIL -> {
                return Reply.of(whole.code() >= 400 && whole.code() < 500 ? whole.code() : 451,
                        or(whole.enhancedCode(), "4.7.1"), or(whole.text(), "Try again later"));
            }
            case DISCARD -> {
                log.info("session {}: message discarded by the filters", session);
                return Reply.of(250, "2.0.0", "Message accepted");
            }
            case QUARANTINE -> {
                // The filter that says QUARANTINE has already stored the message durably (filters' Quarantine.hold).
                log.info("session {}: message held in quarantine by the filters", session);
                return Reply.of(250, "2.0.0", "Message accepted");
            }
            default -> {
                // JUNK for all, or each copy as its recipients' verdict says (DataVerdict.copyFor)
            }
        }
        Path content = message.file();
        byte[] signature = new byte[0];
        EntryPoint entryPoint = context.client().entryPoint();
        if (entryPoint != EntryPoint.MTA) {
            Path rewritten = workDir.resolve(UUID.randomUUID() + ".sub");
            temporary.add(rewritten);
            String senderDomain = envelope.sender() == null ? hostname.get() : envelope.sender().domain();
            SubmissionRewriter.Result result = SubmissionRewriter.rewrite(content, rewritten, envelope.reversePath(), senderDomain);
            String account = context.authenticatedAccount();
            for (String from : result.fromAddresses()) {
                if (account == null || !senders.maySendAs(account, from)) {
                    // RFC 6409 §6.1 lets a submission server refuse a From it does not trust.
                    return Reply.of(553, "5.7.1", "From: address " + from + " is not one of your addresses");
                }
            }
            content = rewritten;
            if (signer != null && config.get().dkim().enabled()) {
                String domain = signingDomain(result.fromAddresses(), envelope);
                if (domain != null) {
                    signature = signer.signatureHeader(content, domain, config.get().dkim().selector())
                            .getBytes(StandardCharsets.UTF_8);
                }
            }
        }
        return store(context, envelope, verdict, signature, content);
    }

    /** The header lines put on top of one copy: the filters' headers for it, then our DKIM signature if any. */
    private static byte[] prefix(DataVerdict.Copy copy, byte[] signature) {
        ByteArrayOutputStream prefix = new ByteArrayOutputStream();
        for (FilterContext.AddedHeader h : copy.headers()) {
            prefix.writeBytes((h.name() + ": " + h.value().replaceAll("\r?\n(?![ \t])", "\r\n\t") + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        prefix.writeBytes(signature);
        return prefix.toByteArray();
    }

    /** Whether a copy is stored at all: a quarantined one is held already, a discarded one is dropped. */
    private static boolean kept(DataVerdict.Copy copy) {
        Verdict.Action action = copy.verdict().action();
        return action != Verdict.Action.QUARANTINE && action != Verdict.Action.DISCARD;
    }

    private String signingDomain(List<String> from, Envelope envelope) {
        for (String address : from) {
            String domain = address.substring(address.lastIndexOf('@') + 1);
            if (directory.isLocalDomain(domain)) {
                return domain;
            }
        }
        if (envelope.sender() != null && directory.isLocalDomain(envelope.sender().domain())) {
            return envelope.sender().domain();
        }
        return null;
    }

    private Reply store(FilterContext context, Envelope envelope, DataVerdict verdict, byte[] signature, Path content)
            throws IOException {
        String session = context.client().sessionId();
        Set<String> accounts = new LinkedHashSet<>();
        Map<String, QueueRecipient> remote = new LinkedHashMap<>();
        for (EnvelopeRecipient r : envelope.recipients()) {
            switch (r.resolution()) {
                case Recipient.Local l -> accounts.addAll(l.accounts());
                case Recipient.Forward f -> {
                    accounts.addAll(f.localAccounts());
                    for (String address : f.remoteAddresses()) {
                        // RFC 3461 §5.2.7 (aliases): the DSN parameters follow the forwarded copy.
                        remote.putIfAbsent(address.toLowerCase(Locale.ROOT), QueueRecipient.pending(address, r.parameters()));
                    }
                }
                case Recipient.NotLocal n -> remote.putIfAbsent(r.address().toString().toLowerCase(Locale.ROOT),
                        QueueRecipient.pending(r.address().toString(), r.parameters()));
                case Recipient.Unknown u -> log.warn("session {}: unknown recipient {} reached data; skipped", session, r.address());
            }
        }
        String queueId = null;
        DataVerdict.Copy others = verdict.others();
        if (!remote.isEmpty() && kept(others)) {
            try (InputStream in = stream(prefix(others, signature), content)) {
                queueId = queue.enqueue(in, envelope.reversePath(), envelope.parameters(), List.copyOf(remote.values()));
            }
        }
        int stored = queueId == null ? 0 : 1;
        List<String> failed = new ArrayList<>();
        List<String> notDelivered = new ArrayList<>();
        Map<String, byte[]> prefixes = new LinkedHashMap<>();
        boolean allQuota = true;
        for (String account : accounts) {
            DataVerdict.Copy copy = verdict.copyFor(account);
            if (!kept(copy)) {
                log.info("session {}: copy for {} {} by the filters", session, account,
                        copy.verdict().action() == Verdict.Action.DISCARD ? "discarded" : "held in quarantine");
                notDelivered.add(account);
                if (copy.verdict().action() == Verdict.Action.QUARANTINE) {
                    stored++; // held durably: a failure reply now would make the client send it again
                }
                continue;
            }
            boolean junk = copy.verdict().action() == Verdict.Action.JUNK;
            byte[] prefix = prefix(copy, signature);
            prefixes.put(account, prefix);
            try {
                local.deliver(account, envelope.reversePath(), prefix, content, junk);
                stored++;
                log.info("session {}: delivered to {}{}", session, account, junk ? " (Junk)" : "");
            } catch (QuotaExceededException e) {
                log.info("session {}: {} is over quota", session, account);
                failed.add(account);
            } catch (IOException | RuntimeException e) {
                log.warn("session {}: delivery to {} failed", session, account, e);
                failed.add(account);
                allQuota = false;
            }
        }
        notDelivered.addAll(failed);
        notifyDelivered(session, envelope, content, notDelivered);
        if (failed.isEmpty()) {
            return Reply.of(250, "2.0.0", "Message accepted" + (queueId == null ? "" : " as " + queueId));
        }
        if (stored == 0) {
            return allQuota
                    ? Reply.of(552, "5.2.2", "Mailbox full")
                    : Reply.of(451, "4.3.0", "Temporary failure storing the message, try again later");
        }
        // Some copies are stored or held: accept, and let the queue retry (and eventually bounce) the others,
        // each with its own verdict's headers.
        for (String account : failed) {
            try (InputStream in = stream(prefixes.get(account), content)) {
                String id = queue.enqueue(in, envelope.reversePath(), envelope.parameters(),
                        List.of(QueueRecipient.pending(account, RcptParameters.NONE)));
                log.info("session {}: local copy for {} queued for retry as {}", session, account, id);
            }
        }
        return Reply.of(250, "2.0.0", "Message accepted");
    }

    /** RFC 3461 §5.2.2: "delivered" notices for local recipients that asked NOTIFY=SUCCESS and were all stored. */
    private void notifyDelivered(String session, Envelope envelope, Path content, List<String> notDelivered) {
        List<QueueRecipient> delivered = new ArrayList<>();
        for (EnvelopeRecipient r : envelope.recipients()) {
            if (r.parameters().wantsSuccess() && r.resolution() instanceof Recipient.Local l
                    && l.accounts().stream().noneMatch(notDelivered::contains)) {
                delivered.add(QueueRecipient.pending(r.address().toString(), r.parameters()));
            }
        }
        if (delivered.isEmpty() || dsn == null) {
            return;
        }
        MailParameters p = envelope.parameters();
        QueueEntry entry = new QueueEntry("session-" + session, envelope.reversePath(), p.ret(), p.envelopeId(),
                p.smtpUtf8(), p.body() != MailParameters.Body.SEVEN_BIT, Instant.now(), 0, Instant.now(), false, delivered);
        try {
            dsn.succeeded(entry, content, delivered, "delivered");
        } catch (IOException | RuntimeException e) {
            // the message is stored and acknowledged; a lost success notice is logged, never a reason to fail it
            log.warn("session {}: could not queue the success notice", session, e);
        }
    }

    private static InputStream stream(byte[] prefix, Path content) throws IOException {
        return new SequenceInputStream(new ByteArrayInputStream(prefix), Files.newInputStream(content));
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
