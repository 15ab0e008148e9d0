package org.facteur.storage;

import java.util.List;
import java.util.Map;

/**
 * The parsed shape of a message, made once with Mime4J at delivery and cached in the index: what IMAP needs
 * for ENVELOPE, BODYSTRUCTURE and BODY[section], and what the webmail needs to show a message, without
 * parsing it again. Header values are kept as they are in the message (still RFC 2047 encoded), as IMAP wants.
 */
public record MessageStructure(Envelope envelope, Part root) {

    /** RFC 9051 §7.5.2 ENVELOPE fields; null where the header is absent. */
    public record Envelope(String date, String subject, List<Address> from, List<Address> sender,
                           List<Address> replyTo, List<Address> to, List<Address> cc, List<Address> bcc,
                           String inReplyTo, String messageId) {
    }

    /**
     * An address as IMAP's four-tuple. A group is written as RFC 9051 describes: a start marker with
     * {@code host == null} and the group name in {@code mailbox}, then its members, then an end marker with
     * both null.
     */
    public record Address(String name, String route, String mailbox, String host) {
    }

    /**
     * One MIME entity.
     *
     * @param headerOffset byte offset of this part's header in the stored file
     * @param bodyOffset   byte offset of its body (after the blank line)
     * @param bodySize     body size in bytes
     * @param lines        body lines (for text/* and message/rfc822 in BODYSTRUCTURE)
     * @param parameters   Content-Type parameters, in order, names in lower case
     * @param children     parts of a multipart, in order; empty otherwise
     * @param message      for message/rfc822 (and message/global): the embedded message's structure, else null
     */
    public record Part(String type, String subtype, Map<String, String> parameters, String id, String description,
                       String encoding, String md5, String disposition, Map<String, String> dispositionParameters,
                       List<String> language, String location, long headerOffset, long bodyOffset, long bodySize,
                       long lines, List<Part> children, MessageStructure message) {

        public boolean isMultipart() {
            return "multipart".equalsIgnoreCase(type);
        }
    }
}
