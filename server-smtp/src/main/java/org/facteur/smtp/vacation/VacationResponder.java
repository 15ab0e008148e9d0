package org.facteur.smtp.vacation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.facteur.auth.Directory;
import org.facteur.auth.settings.SettingsStore;
import org.facteur.auth.settings.Vacation;
import org.facteur.smtp.SmtpConfig;
import org.facteur.smtp.delivery.HeaderSection;
import org.facteur.smtp.delivery.LocalDelivery;
import org.facteur.smtp.protocol.MailParameters;
import org.facteur.smtp.protocol.RcptParameters;
import org.facteur.smtp.queue.OutboundQueue;
import org.facteur.smtp.queue.QueueRecipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers mail for users whose vacation auto-reply is on. Told of every local copy stored (it listens on
 * {@link LocalDelivery}, which every entry point and the queue's retries go through), it checks
 * {@link AutoReplyPolicy}, claims the sender in the durable reply memory (one reply per sender per period), and
 * queues the reply with the null reverse path (RFC 3834 §3.3), so that nothing ever answers or bounces it.
 * A failure here is logged and never affects the delivery.
 */
public final class VacationResponder implements LocalDelivery.Listener {

    private static final Logger log = LoggerFactory.getLogger(VacationResponder.class);

    private final Supplier<SmtpConfig> config;
    private final Supplier<String> hostname;
    private final Directory directory;
    private final SettingsStore settings;
    private final OutboundQueue queue;
    private final Clock clock;

    public VacationResponder(Supplier<SmtpConfig> config, Supplier<String> hostname, Directory directory,
                             SettingsStore settings, OutboundQueue queue, Clock clock) {
        this.config = config;
        this.hostname = hostname;
        this.directory = directory;
        this.settings = settings;
        this.queue = queue;
        this.clock = clock;
    }

    @Override
    public void delivered(String account, String reversePath, byte[] prefix, Path message, boolean junk) {
        try {
            respond(account, reversePath, prefix, message, junk);
        } catch (IOException | RuntimeException e) {
            log.warn("vacation reply of {} to {} not sent: {}", account, reversePath, e.toString());
        }
    }

    private void respond(String account, String reversePath, byte[] prefix, Path message, boolean junk) throws IOException {
        SmtpConfig.AutoReply cfg = config.get().autoReply();
        if (!cfg.enabled()) {
            return;
        }
        Vacation vacation = settings.vacation(account);
        if (!vacation.activeOn(LocalDate.now(clock))) {
            return;
        }
        List<String> headers = new ArrayList<>(prefixFields(prefix));
        headers.addAll(HeaderSection.read(message).fields());
        List<String> identities = directory.identities(account);
        Optional<String> refusal = AutoReplyPolicy.refusal(reversePath, headers, junk, identities);
        if (refusal.isPresent()) {
            log.debug("vacation of {}: no reply to {}: {}", account, reversePath, refusal.get());
            return;
        }
        if (!settings.claimVacationReply(account, reversePath, clock.instant(), cfg.period())) {
            log.debug("vacation of {}: {} was answered less than {} ago", account, reversePath, cfg.period());
            return;
        }
        String from = AutoReplyPolicy.addressed(headers, identities).orElse(account);
        byte[] reply = AutoReplyMessage.write(from, settings.settings(account).displayName(), reversePath,
                vacation.subject(), vacation.text(), headers, hostname.get(), ZonedDateTime.now(clock));
        String id = queue.enqueue(new ByteArrayInputStream(reply), "", MailParameters.NONE,
                List.of(QueueRecipient.pending(reversePath, RcptParameters.NONE)));
        log.info("vacation of {}: reply to {} queued as {}", account, reversePath, id);
    }

    /** The header lines the filters put before the message (CRLF-terminated, possibly folded). */
    private static List<String> prefixFields(byte[] prefix) {
        List<String> fields = new ArrayList<>();
        for (String line : new String(prefix, StandardCharsets.UTF_8).split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && !fields.isEmpty()) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + line);
            } else {
                fields.add(line);
            }
        }
        return fields;
    }
}
