package org.facteur.webmail.mail;

import java.util.List;

/**
 * A message decoded for the reader: header fields as text, the body to show, the attachments, and what the
 * filters said about it.
 *
 * @param replyAddresses bare addresses of Reply-To when present, else of From (for replies)
 * @param verdict        X-Spam-* and Authentication-Results header lines (RFC 8601), as received, top first
 * @param fromAddresses  bare addresses of From, the author (RFC 5322 §3.6.2), as the DMARC check saw them
 */
public record ReadMessage(String subject, String from, String to, String cc, String date, String messageId,
                          String references, List<String> replyAddresses, List<String> toAddresses,
                          List<String> ccAddresses, String text, String html, List<Attachment> attachments,
                          List<HeaderLine> verdict, List<String> fromAddresses) {

    public ReadMessage {
        replyAddresses = List.copyOf(replyAddresses);
        toAddresses = List.copyOf(toAddresses);
        ccAddresses = List.copyOf(ccAddresses);
        attachments = List.copyOf(attachments);
        verdict = List.copyOf(verdict);
        fromAddresses = List.copyOf(fromAddresses);
    }

    /**
     * One attachment.
     *
     * @param part      the part's position as IMAP numbers it ({@code 2}, {@code 1.3}), used to download it
     * @param contentId the Content-ID without angle brackets, or null; such parts may be shown inline as images
     */
    public record Attachment(String part, String filename, String mimeType, long size, String contentId) {
    }

    public record HeaderLine(String name, String value) {
    }
}
