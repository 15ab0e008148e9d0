package org.facteur.storage.mime;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.facteur.storage.MessageStructure;
import org.facteur.storage.MessageStructure.Address;
import org.facteur.storage.MessageStructure.Part;

/**
 * What the index keeps of a message's headers for sorting, searching and the webmail's list, computed once
 * at delivery. Sort keys follow RFC 5256 §2.2 (SORT) and RFC 5957 (DISPLAYFROM/DISPLAYTO).
 *
 * @param sentDate     Date header in epoch ms, or -1 when absent or unreadable (then SORT uses INTERNALDATE)
 * @param sortFrom     addr-mailbox of the first From address, lower case (RFC 5256 §3)
 * @param subjectBase  RFC 5256 §2.1 base subject, lower case
 * @param threadId     the root of the References chain, else In-Reply-To, else the Message-ID
 */
public record IndexFields(long sentDate, String sortFrom, String sortTo, String sortCc, String subjectBase,
                          String displayFrom, String displayTo, String from, String to, String cc, String bcc,
                          String subject, String messageId, String threadId, boolean hasAttachments) {

    /** Separates an address column's header text from the addresses added for search (never in a header). */
    private static final char SEARCH_ONLY = '\u001F';

    private static final Pattern WHITE_SPACE_RUN = Pattern.compile("[\\t\\r\\n ]+");

    public static IndexFields of(MessageStructure s, HeaderBlock header) {
        MessageStructure.Envelope e = s.envelope();
        String subject = StructureParser.decodeHeader(e.subject());
        String messageId = firstId(e.messageId());
        String thread = null;
        String refs = header == null ? null : header.get("References");
        if (refs != null) {
            thread = firstId(refs);
        }
        if (thread == null) {
            thread = firstId(e.inReplyTo());
        }
        if (thread == null) {
            thread = messageId;
        }
        return new IndexFields(parseDate(e.date()), mailboxOf(e.from()), mailboxOf(e.to()), mailboxOf(e.cc()),
                baseSubject(subject), display(e.from()), display(e.to()), addressText(header, "From", e.from()),
                addressText(header, "To", e.to()), addressText(header, "Cc", e.cc()),
                addressText(header, "Bcc", e.bcc()), subject == null ? "" : subject,
                messageId == null ? "" : messageId, thread, hasAttachment(s.root()));
    }

    private static String text(HeaderBlock h, String name) {
        if (h == null) {
            return "";
        }
        List<String> all = h.getAll(name);
        return all.isEmpty() ? "" : StructureParser.decodeHeader(String.join(", ", all));
    }

    /**
     * An address header as searched (RFC 9051 §6.4.4: a substring of the field): its decoded text, then, after
     * {@link #SEARCH_ONLY}, each address as {@code local@domain}, so that a search for the address finds it
     * whatever comments or folding the sender put between its parts ({@code <user (comment)@ domain.org>}).
     */
    private static String addressText(HeaderBlock h, String name, List<Address> parsed) {
        String text = text(h, name);
        if (parsed == null) {
            return text;
        }
        StringBuilder extra = new StringBuilder();
        for (Address a : parsed) {
            if (a.mailbox() != null && a.host() != null) {
                String address = a.mailbox() + "@" + a.host();
                if (!text.contains(address)) {
                    extra.append(' ').append(address);
                }
            }
        }
        return extra.isEmpty() ? text : text + SEARCH_ONLY + extra;
    }

    /** An address column as shown: without the addresses added for search. */
    public static String shown(String column) {
        int cut = column == null ? -1 : column.indexOf(SEARCH_ONLY);
        return cut < 0 ? column : column.substring(0, cut);
    }

    /** The first {@code <id>} in a field (RFC 5322 §3.6.4 msg-id, read as {@code <[^<>\\s]+>}), or null. */
    static String firstId(String value) {
        if (value == null) {
            return null;
        }
        for (int open = value.indexOf('<'); open >= 0; open = value.indexOf('<', open + 1)) {
            int end = open + 1;
            while (end < value.length() && !endsId(value.charAt(end))) {
                end++;
            }
            if (end > open + 1 && end < value.length() && value.charAt(end) == '>') {
                return value.substring(open, end + 1);
            }
        }
        return null;
    }

    private static boolean endsId(char c) {
        return c == '<' || c == '>' || c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** The instant a Date header field's value names, in epoch milliseconds; -1 when it names none. */
    public static long parseDate(String date) {
        return DateField.read(date);
    }

    /**
     * RFC 5256 §3: the addr-mailbox of the first address, which for a group is the group's name (its first
     * ENVELOPE entry is the group start, as Dovecot sorts it); upper case, as
     * the i;ascii-casemap comparator (RFC 4790 §9.2) that RFC 5256 sorts with compares.
     */
    static String mailboxOf(List<Address> list) {
        if (list == null || list.isEmpty() || list.get(0).mailbox() == null) {
            return "";
        }
        return list.get(0).mailbox().toUpperCase(Locale.ROOT);
    }

    /** RFC 5957 §2: the display name if there is one, else the address; lower case for sorting. */
    private static String display(List<Address> list) {
        if (list == null) {
            return "";
        }
        for (Address a : list) {
            if (a.host() != null && a.mailbox() != null) {
                String name = StructureParser.decodeHeader(a.name());
                if (name != null && !name.isBlank()) {
                    return name.trim();
                }
                return a.mailbox() + "@" + a.host();
            }
        }
        return "";
    }

    private static final Pattern SUBJ_TRAILER = Pattern.compile("(?i)(\\s|\\(fwd\\))+$");
    private static final Pattern SUBJ_LEADER = Pattern.compile("(?i)^(\\s*((re|fwd?)\\s*(\\[[^\\[\\]]*\\])?\\s*:|\\[[^\\[\\]]*\\](?=\\s*\\S)))+");

    /** RFC 5256 §2.1 base subject (simplified: RFC 2047 decoding, re:/fw:/fwd: and [blob] leaders, (fwd) trailers). */
    public static String baseSubject(String subject) {
        if (subject == null) {
            return "";
        }
        String s = WHITE_SPACE_RUN.matcher(subject).replaceAll(" ").trim();
        if (s.isEmpty() || "rRfF[".indexOf(s.charAt(0)) < 0 && s.charAt(s.length() - 1) != ')') {
            return s.toUpperCase(Locale.ROOT); // no leader (re:, fw:, fwd:, [blob]) and no (fwd) trailer to remove
        }
        return stripLeadersAndTrailers(s);
    }

    /** The §2.1 steps on a subject whose white space runs are single spaces: the reference the short cut skips. */
    static String stripLeadersAndTrailers(String subject) {
        String s = subject;
        String previous;
        do {
            previous = s;
            s = SUBJ_TRAILER.matcher(s).replaceAll("");
            s = SUBJ_LEADER.matcher(s).replaceAll("").trim();
            if (s.regionMatches(true, 0, "[fwd:", 0, 5) && s.endsWith("]")) {
                s = s.substring(5, s.length() - 1).trim();
            }
        } while (!s.equals(previous));
        return s.toUpperCase(Locale.ROOT); // i;ascii-casemap: "_" sorts after "C" as in Dovecot
    }

    private static boolean hasAttachment(Part p) {
        if (p.disposition() != null && p.disposition().equalsIgnoreCase("attachment")) {
            return true;
        }
        if (!p.isMultipart() && !p.type().equals("text") && !p.type().equals("multipart") && p.headerOffset() > 0
                && (p.parameters().containsKey("name") || p.dispositionParameters().containsKey("filename"))) {
            return true;
        }
        for (Part c : p.children()) {
            if (hasAttachment(c)) {
                return true;
            }
        }
        return false;
    }

    public static Instant instantOrNull(long ms) {
        return ms < 0 ? null : Instant.ofEpochMilli(ms);
    }
}
