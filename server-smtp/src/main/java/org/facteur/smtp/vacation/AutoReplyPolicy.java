package org.facteur.smtp.vacation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.facteur.filters.report.SpamReport;
import org.facteur.smtp.delivery.HeaderSection;

/**
 * When an auto-reply must not be sent (RFC 3834 §2, RFC 5230 §4.5 and §4.6): to no one who cannot or should
 * not get one (a null reverse path, a mailer daemon, a list's owner or request address), never to automatic
 * mail or list mail, never to spam, and only to mail that names one of the user's addresses in To or Cc (mail
 * reaching the user through a list or Bcc gets no reply).
 */
public final class AutoReplyPolicy {

    private AutoReplyPolicy() {
    }

    /**
     * Why not to reply, or empty to reply.
     *
     * @param reversePath the envelope sender, empty for {@code <>}
     * @param headers     the delivered message's header fields, those the filters added first
     * @param junk        the filters' verdict put the message in Junk
     * @param identities  the user's addresses (lower case)
     */
    public static Optional<String> refusal(String reversePath, List<String> headers, boolean junk, List<String> identities) {
        if (reversePath == null || reversePath.isBlank()) {
            return Optional.of("null reverse path"); // RFC 3834 §2: bounces and other automatic mail
        }
        String local = reversePath.substring(0, Math.max(0, reversePath.lastIndexOf('@'))).toLowerCase(Locale.ROOT);
        if (local.equals("mailer-daemon") || local.startsWith("owner-") || local.endsWith("-request")) {
            return Optional.of("sender " + reversePath + " is a daemon or a list address"); // RFC 5230 §4.6
        }
        if (junk) {
            return Optional.of("spam");
        }
        List<String> recipients = new ArrayList<>();
        for (String field : headers) {
            String name = HeaderSection.name(field);
            String value = HeaderSection.value(field);
            if (name.equals("auto-submitted") && !value.toLowerCase(Locale.ROOT).startsWith("no")) {
                return Optional.of("Auto-Submitted: " + value); // RFC 3834 §5
            }
            if (name.equals("precedence") && value.toLowerCase(Locale.ROOT).matches("(bulk|list|junk)\\b.*")) {
                return Optional.of("Precedence: " + value); // RFC 3834 §2, common practice
            }
            if (name.startsWith("list-")) {
                return Optional.of("list mail (" + name + ")"); // RFC 2369, RFC 2919
            }
            if (name.equalsIgnoreCase(SpamReport.STATUS) && value.regionMatches(true, 0, "yes", 0, 3)) {
                return Optional.of("spam (" + SpamReport.STATUS + ")");
            }
            if (name.equals("to") || name.equals("cc")) {
                recipients.addAll(addresses(value));
            }
        }
        if (recipients.stream().noneMatch(identities::contains)) {
            return Optional.of("none of the user's addresses in To or Cc"); // RFC 5230 §4.5
        }
        return Optional.empty();
    }

    /** The first of the user's addresses named in To or Cc, the one the reply is written from (RFC 5230 §4.5). */
    public static Optional<String> addressed(List<String> headers, List<String> identities) {
        for (String field : headers) {
            String name = HeaderSection.name(field);
            if (name.equals("to") || name.equals("cc")) {
                for (String a : addresses(HeaderSection.value(field))) {
                    if (identities.contains(a)) {
                        return Optional.of(a);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> addresses(String value) {
        List<String> out = new ArrayList<>();
        for (Mailbox m : LenientAddressParser.DEFAULT.parseAddressList(value).flatten()) {
            if (m.getAddress() != null) {
                out.add(m.getAddress().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
