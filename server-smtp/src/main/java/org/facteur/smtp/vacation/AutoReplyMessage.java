package org.facteur.smtp.vacation;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.codec.EncoderUtil;
import org.facteur.smtp.delivery.HeaderSection;

/** Writes a vacation reply (RFC 3834 §3) to a message, as the bytes to queue. */
public final class AutoReplyMessage {

    private AutoReplyMessage() {
    }

    /**
     * @param from        the user's address the original was sent to (RFC 5230 §4.5)
     * @param displayName the user's display name, or empty
     * @param to          the original's reverse path: RFC 3834 §4 replies to the envelope sender
     * @param subject     the user's subject; empty gives "Auto: " and the original subject (RFC 3834 §3.1.5)
     * @param headers     the original's header fields
     */
    public static byte[] write(String from, String displayName, String to, String subject, String text,
                               List<String> headers, String hostname, ZonedDateTime now) {
        String original = first(headers, "subject");
        String decoded = original == null ? "" : DecoderUtil.decodeEncodedWords(original, DecodeMonitor.SILENT);
        String replySubject = !subject.isBlank() ? subject : "Auto: " + decoded;
        StringBuilder b = new StringBuilder();
        b.append("From: ");
        if (!displayName.isBlank()) {
            b.append(EncoderUtil.encodeAddressDisplayName(displayName)).append(" <").append(from).append(">");
        } else {
            b.append(from);
        }
        b.append("\r\n");
        b.append("To: ").append(to).append("\r\n");
        b.append("Subject: ").append(EncoderUtil.hasToBeEncoded(replySubject, 9)
                ? EncoderUtil.encodeEncodedWord(replySubject, EncoderUtil.Usage.TEXT_TOKEN, 9, StandardCharsets.UTF_8, null)
                : replySubject).append("\r\n"); // RFC 2047, in UTF-8 whatever the text
        b.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(now)).append("\r\n");
        b.append("Message-ID: <").append(UUID.randomUUID()).append("@").append(hostname).append(">\r\n");
        String messageId = first(headers, "message-id");
        if (messageId != null) {
            // RFC 3834 §3.1.6 and RFC 5322 §3.6.4: thread the reply under the original.
            b.append("In-Reply-To: ").append(messageId).append("\r\n");
            String references = first(headers, "references");
            b.append("References: ").append(references == null ? messageId : references + " " + messageId).append("\r\n");
        }
        b.append("Auto-Submitted: auto-replied\r\n"); // RFC 3834 §5.2
        b.append("MIME-Version: 1.0\r\n");
        b.append("Content-Type: text/plain; charset=UTF-8\r\n");
        b.append("Content-Transfer-Encoding: base64\r\n");
        b.append("\r\n");
        String body = text.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n";
        b.append(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        b.append("\r\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String first(List<String> headers, String name) {
        return headers.stream().filter(f -> HeaderSection.name(f).equals(name)).map(HeaderSection::value)
                .findFirst().orElse(null);
    }
}
