package org.facteur.webmail.mail;

import java.util.List;

/**
 * A message being written. Addresses are as the user typed them ({@code "Bob <bob@example.org>"} or bare).
 *
 * @param inReplyTo  the Message-ID answered, or null (RFC 5322 §3.6.4)
 * @param references the thread's References plus {@code inReplyTo}, or null
 */
public record Draft(String fromAddress, String fromName, List<String> to, List<String> cc, List<String> bcc,
                    String subject, String body, String inReplyTo, String references, List<Upload> attachments) {

    public Draft {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        attachments = List.copyOf(attachments);
    }

    public record Upload(String filename, String mimeType, byte[] data) {
    }
}
