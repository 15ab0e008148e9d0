package org.facteur.webmail.contacts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * vCard import and export. Writes vCard 4.0 (RFC 6350); reads 4.0 and 3.0 (RFC 2426), which share the syntax
 * used here: folded lines, escaped text, several EMAIL properties. Only the properties a {@link Contact} holds
 * are kept (FN, N, EMAIL, TEL, NOTE); others are skipped. A file is taken whole or refused with the line of its
 * first problem, and the limits bound what one import may cost.
 */
public final class VCard {

    /** RFC 6350 §3.2: lines SHOULD NOT be longer than 75 octets, excluding the line break. */
    static final int FOLD_AT = 75;

    private VCard() {
    }

    /** What one import may hold: its size in bytes, its number of cards, the length of one unfolded line. */
    public record Limits(long maxBytes, int maxCards, int maxLineLength) {
    }

    /** Reads every card of {@code data} (UTF-8, RFC 6350 §3.1). */
    public static List<Contact> parse(byte[] data, Limits limits) throws VCardException {
        if (data.length > limits.maxBytes()) {
            throw new VCardException(0, "the file is " + data.length + " bytes, more than the " + limits.maxBytes()
                    + " allowed");
        }
        List<Contact> cards = new ArrayList<>();
        Card card = null;
        for (Line line : unfold(new String(data, StandardCharsets.UTF_8), limits.maxLineLength())) {
            if (line.text().isBlank()) {
                continue;
            }
            Property p = Property.parse(line);
            switch (p.name()) {
                case "BEGIN" -> {
                    if (!p.value().equalsIgnoreCase("VCARD")) {
                        throw new VCardException(line.number(), "BEGIN:" + p.value() + " is not BEGIN:VCARD");
                    }
                    if (card != null) {
                        throw new VCardException(line.number(), "BEGIN:VCARD inside a card (END:VCARD missing)");
                    }
                    if (cards.size() == limits.maxCards()) {
                        throw new VCardException(line.number(), "more than " + limits.maxCards() + " cards");
                    }
                    card = new Card(line.number());
                }
                case "END" -> {
                    if (card == null || !p.value().equalsIgnoreCase("VCARD")) {
                        throw new VCardException(line.number(), "END:" + p.value() + " without BEGIN:VCARD");
                    }
                    cards.add(card.finish(line.number()));
                    card = null;
                }
                default -> {
                    if (card == null) {
                        throw new VCardException(line.number(), p.name() + " outside BEGIN:VCARD ... END:VCARD");
                    }
                    card.add(p, line.number());
                }
            }
        }
        if (card != null) {
            throw new VCardException(card.begin, "the card has no END:VCARD (the file is cut short)");
        }
        if (cards.isEmpty()) {
            throw new VCardException(0, "no BEGIN:VCARD found: this is not a vCard file");
        }
        return cards;
    }

    /** Writes the contacts as vCard 4.0, CRLF line ends, long lines folded (RFC 6350 §3.2). */
    public static String write(List<Contact> contacts) {
        StringBuilder out = new StringBuilder();
        for (Contact c : contacts) {
            line(out, "BEGIN:VCARD");
            line(out, "VERSION:4.0");
            line(out, "FN:" + escape(c.label())); // FN is required (§6.2.1)
            for (int i = 0; i < c.emails().size(); i++) {
                // PREF (§5.3): 1 is the most preferred; the first address is the one the user put first.
                line(out, "EMAIL" + (i == 0 && c.emails().size() > 1 ? ";PREF=1" : "") + ":" + escape(c.emails().get(i)));
            }
            if (!c.phone().isEmpty()) {
                line(out, "TEL:" + escape(c.phone()));
            }
            if (!c.note().isEmpty()) {
                line(out, "NOTE:" + escape(c.note()));
            }
            line(out, "END:VCARD");
        }
        return out.toString();
    }

    /** Appends one content line, folded every 75 octets without splitting a UTF-8 sequence (§3.2). */
    private static void line(StringBuilder out, String text) {
        int octets = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + size > FOLD_AT) {
                out.append("\r\n ");
                octets = 1;
            }
            out.appendCodePoint(cp);
            octets += size;
            i += Character.charCount(cp);
        }
        out.append("\r\n");
    }

    /** §3.4: backslash, comma, semicolon and newline are escaped in text values. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case ',' -> out.append("\\,");
                case ';' -> out.append("\\;");
                case '\n' -> out.append("\\n");
                case '\r' -> { }
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    /** Undoes {@link #escape}; an unknown escape keeps its character (be liberal in what you accept). */
    static String unescape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '\\' && i + 1 < value.length()) {
                char next = value.charAt(++i);
                out.append(next == 'n' || next == 'N' ? '\n' : next);
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** Splits a structured value (N, §6.2.2) at the semicolons that are not escaped. */
    static List<String> components(String value) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '\\' && i + 1 < value.length()) {
                current.append(ch).append(value.charAt(++i));
            } else if (ch == ';') {
                parts.add(unescape(current.toString()));
                current.setLength(0);
            } else {
                current.append(ch);
            }
        }
        parts.add(unescape(current.toString()));
        return parts;
    }

    record Line(int number, String text) {
    }

    /** §3.2: a line break followed by one space or tab is removed, joining the lines. LF alone is accepted too. */
    static List<Line> unfold(String text, int maxLineLength) throws VCardException {
        List<Line> lines = new ArrayList<>();
        String[] physical = text.split("\r?\n", -1);
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < physical.length; i++) {
            String p = physical[i];
            if (!p.isEmpty() && (p.charAt(0) == ' ' || p.charAt(0) == '\t') && current != null) {
                current.append(p, 1, p.length());
            } else {
                if (current != null) {
                    lines.add(new Line(start, current.toString()));
                }
                current = new StringBuilder(p);
                start = i + 1;
            }
            if (current.length() > maxLineLength) {
                throw new VCardException(start, "a line longer than " + maxLineLength + " characters");
            }
        }
        if (current != null) {
            lines.add(new Line(start, current.toString()));
        }
        return lines;
    }

    /** §3.3: {@code [group "."] name *(";" param) ":" value}; parameter values may be quoted (colons inside). */
    record Property(String name, List<String> params, String value) {

        static Property parse(Line line) throws VCardException {
            String text = line.text();
            boolean quoted = false;
            int colon = -1;
            for (int i = 0; i < text.length() && colon < 0; i++) {
                char ch = text.charAt(i);
                if (ch == '"') {
                    quoted = !quoted;
                } else if (ch == ':' && !quoted) {
                    colon = i;
                }
            }
            if (colon <= 0) {
                throw new VCardException(line.number(), "not a property line (no name:value): "
                        + (text.length() > 40 ? text.substring(0, 40) + "…" : text));
            }
            String[] head = text.substring(0, colon).split(";");
            String name = head[0];
            int dot = name.lastIndexOf('.');
            if (dot >= 0) {
                name = name.substring(dot + 1); // the group (item1.EMAIL) says nothing we keep
            }
            if (!name.matches("[A-Za-z0-9-]+")) {
                throw new VCardException(line.number(), "\"" + name + "\" is not a property name");
            }
            List<String> params = new ArrayList<>(List.of(head).subList(1, head.length));
            return new Property(name.toUpperCase(Locale.ROOT), params, text.substring(colon + 1));
        }
    }

    /** A card being read. */
    private static final class Card {
        final int begin;
        String version;
        String fn;
        String structuredName;
        final List<String> emails = new ArrayList<>();
        String phone;
        String note;

        Card(int begin) {
            this.begin = begin;
        }

        void add(Property p, int line) throws VCardException {
            switch (p.name()) {
                case "VERSION" -> {
                    if (!p.value().equals("4.0") && !p.value().equals("3.0")) {
                        throw new VCardException(line, "vCard version " + p.value() + " is not read (4.0 and 3.0 are)");
                    }
                    version = p.value();
                }
                case "FN" -> fn = unescape(p.value());
                case "N" -> {
                    // family;given;additional;prefixes;suffixes, shown as "prefix given additional family suffix"
                    List<String> n = components(p.value());
                    List<String> order = new ArrayList<>();
                    for (int i : new int[] {3, 1, 2, 0, 4}) {
                        if (i < n.size() && !n.get(i).isBlank()) {
                            order.add(n.get(i).replace(',', ' ').strip());
                        }
                    }
                    structuredName = String.join(" ", order);
                }
                case "EMAIL" -> {
                    String address = unescape(p.value()).strip();
                    if (address.indexOf('@') <= 0 || address.indexOf('@') == address.length() - 1
                            || address.chars().anyMatch(c -> c <= ' ' || c == ',' || c == ';' || c == '<' || c == '>')) {
                        throw new VCardException(line, "EMAIL \"" + address + "\" is not an e-mail address");
                    }
                    boolean preferred = p.params().stream().anyMatch(
                            s -> s.equalsIgnoreCase("PREF=1") || s.toUpperCase(Locale.ROOT).matches("TYPE=.*\\bPREF\\b.*"));
                    emails.add(preferred ? 0 : emails.size(), address);
                }
                case "TEL" -> {
                    if (phone == null) {
                        String tel = unescape(p.value());
                        phone = tel.regionMatches(true, 0, "tel:", 0, 4) ? tel.substring(4) : tel;
                    }
                }
                case "NOTE" -> note = unescape(p.value());
                default -> { } // other properties (ADR, ORG, PHOTO...) are not kept
            }
        }

        Contact finish(int line) throws VCardException {
            if (version == null) {
                throw new VCardException(begin, "the card has no VERSION (RFC 6350 §6.7.9)");
            }
            String name = fn != null && !fn.isBlank() ? fn : structuredName;
            if (name == null && emails.isEmpty()) {
                throw new VCardException(begin, "the card has neither FN nor EMAIL (RFC 6350 §6.2.1)");
            }
            return new Contact(0, name, emails, phone, note);
        }
    }
}
