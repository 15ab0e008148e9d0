package org.facteur.smtp.queue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.facteur.smtp.protocol.MailParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes delivery status notifications (RFC 3464 multipart/report with a message/delivery-status part) for
 * failed and delayed recipients, honouring RFC 3461 NOTIFY, RET and ENVID, and hands them to the queue with
 * the null reverse path. A message whose own sender is {@code <>} never gets a DSN: no bounce of a bounce
 * (RFC 5321 §4.5.5, RFC 3461 §6.2).
 */
public final class DsnWriter {

    private static final Logger log = LoggerFactory.getLogger(DsnWriter.class);
    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.RFC_1123_DATE_TIME;
    /** Above this a bounce carries only the headers of the original, whatever RET says. */
    private static final long MAX_RETURNED = 10L * 1024 * 1024;

    /** Where a finished DSN goes (the queue's enqueue). */
    @FunctionalInterface
    public interface Sender {
        void send(InputStream message, String recipient) throws IOException;
    }

    private final Supplier<String> hostname;
    private final Supplier<Duration> maxAge;
    private volatile Sender sender;

    public DsnWriter(Supplier<String> hostname, Supplier<Duration> maxAge) {
        this.hostname = hostname;
        this.maxAge = maxAge;
    }

    public void sender(Sender newSender) {
        this.sender = newSender;
    }

    public void failed(QueueEntry entry, Path message, List<QueueRecipient> recipients) throws IOException {
        write(entry, message, recipients.stream().filter(r -> r.parameters().wantsFailure()).toList(), "failed");
    }

    public void delayed(QueueEntry entry, Path message, List<QueueRecipient> recipients) throws IOException {
        write(entry, message, recipients.stream().filter(r -> r.parameters().wantsDelay()).toList(), "delayed");
    }

    /**
     * RFC 3461 §5.2.2: a success notice for recipients that asked NOTIFY=SUCCESS, with action {@code delivered}
     * (into a local mailbox) or {@code relayed} (to a next hop that does not offer DSN). Headers only are
     * returned (RFC 3461 §4.3: RET is about failures).
     */
    public void succeeded(QueueEntry entry, Path message, List<QueueRecipient> recipients, String action) throws IOException {
        write(entry, message, recipients.stream().filter(r -> r.parameters().wantsSuccess()).toList(), action);
    }

    private void write(QueueEntry entry, Path message, List<QueueRecipient> recipients, String action) throws IOException {
        if (recipients.isEmpty()) {
            return;
        }
        if (entry.sender().isEmpty()) {
            log.info("queue {}: {} for {} recipient(s) not reported: the message is itself a notification (<>)",
                    entry.id(), action, recipients.size());
            return;
        }
        byte[] dsn = build(entry, message, recipients, action, Instant.now());
        sender.send(new ByteArrayInputStream(dsn), entry.sender());
        log.info("queue {}: {} notice sent to <{}> for {} recipient(s)", entry.id(), action, entry.sender(), recipients.size());
    }

    byte[] build(QueueEntry entry, Path message, List<QueueRecipient> recipients, String action, Instant now)
            throws IOException {
        String host = hostname.get();
        String boundary = "=_dsn_" + UUID.randomUUID();
        String date = RFC5322.format(now.atZone(ZoneId.systemDefault()));
        boolean failed = action.equals("failed");
        boolean success = action.equals("delivered") || action.equals("relayed");
        StringBuilder b = new StringBuilder();
        b.append("From: Mail Delivery System <MAILER-DAEMON@").append(host).append(">\r\n");
        b.append("To: <").append(entry.sender()).append(">\r\n");
        b.append("Subject: ").append(failed ? "Undelivered Mail Returned to Sender" : success ? "Successful Mail Delivery Report"
                : "Delayed Mail (still being retried)").append("\r\n");
        b.append("Date: ").append(date).append("\r\n");
        b.append("Message-ID: <").append(UUID.randomUUID()).append("@").append(host).append(">\r\n");
        b.append("Auto-Submitted: auto-replied\r\n"); // RFC 3834 §5: no auto-replies to this
        b.append("MIME-Version: 1.0\r\n");
        b.append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"").append(boundary).append("\"\r\n\r\n");
        b.append("This is a MIME-encapsulated message.\r\n\r\n");
        b.append("--").append(boundary).append("\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
        b.append("This is the mail system at ").append(host).append(".\r\n\r\n");
        b.append(failed ? "Your message could not be delivered to the following recipients:\r\n"
                : action.equals("delivered") ? "Your message was delivered to the following recipients' mailboxes:\r\n"
                : action.equals("relayed") ? "Your message was relayed to the following recipients' next mail server, which"
                        + " does not return delivery notices:\r\n"
                : "Your message has not been delivered yet to the following recipients; delivery is still being attempted:\r\n");
        for (QueueRecipient r : recipients) {
            b.append("\r\n  <").append(r.address()).append(">: ").append(r.remoteMta() == null ? "" : r.remoteMta() + " said: ")
                    .append(r.diagnostic() == null ? "no details" : r.diagnostic()).append("\r\n");
        }
        b.append("\r\n--").append(boundary).append("\r\nContent-Type: message/delivery-status\r\n\r\n");
        // RFC 3464 §2.2: per-message fields.
        b.append("Reporting-MTA: dns; ").append(host).append("\r\n");
        if (entry.envelopeId() != null) {
            b.append("Original-Envelope-Id: ").append(entry.envelopeId()).append("\r\n");
        }
        b.append("Arrival-Date: ").append(RFC5322.format(entry.created().atZone(ZoneId.systemDefault()))).append("\r\n");
        for (QueueRecipient r : recipients) {
            // RFC 3464 §2.3: per-recipient fields.
            b.append("\r\n");
            if (r.originalRecipient() != null) {
                b.append("Original-Recipient: ").append(r.originalRecipient()).append("\r\n");
            }
            b.append("Final-Recipient: rfc822; ").append(r.address()).append("\r\n");
            b.append("Action: ").append(action).append("\r\n");
            String status = success ? "2.0.0" : r.status() != null ? r.status() : failed ? "5.0.0" : "4.0.0";
            if (!failed && !success && status.startsWith("5")) {
                status = "4.0.0";
            }
            b.append("Status: ").append(status).append("\r\n");
            if (r.remoteMta() != null) {
                b.append("Remote-MTA: dns; ").append(r.remoteMta()).append("\r\n");
            }
            if (r.diagnostic() != null) {
                b.append("Diagnostic-Code: smtp; ").append(r.diagnostic().replaceAll("[\\r\\n]+", " ")).append("\r\n");
            }
            b.append("Last-Attempt-Date: ").append(date).append("\r\n");
            if (!failed && !success) {
                b.append("Will-Retry-Until: ").append(RFC5322.format(entry.created().plus(maxAge.get())
                        .atZone(ZoneId.systemDefault()))).append("\r\n");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        boolean headersOnly = success || entry.ret() == MailParameters.Ret.HDRS || Files.size(message) > MAX_RETURNED;
        out.write(("\r\n--" + boundary + "\r\nContent-Type: " + (headersOnly ? "text/rfc822-headers" : "message/rfc822")
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(message))) {
            if (headersOnly) {
                copyHeaders(in, out);
            } else {
                in.transferTo(out);
            }
        }
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Copies up to and including the blank line that ends the header section. */
    private static void copyHeaders(InputStream in, ByteArrayOutputStream out) throws IOException {
        int previous = -1;
        int beforePrevious = -1;
        int c;
        while ((c = in.read()) >= 0) {
            out.write(c);
            if (c == '\n' && previous == '\r' && beforePrevious == '\n') {
                return;
            }
            beforePrevious = previous;
            previous = c;
        }
    }
}
