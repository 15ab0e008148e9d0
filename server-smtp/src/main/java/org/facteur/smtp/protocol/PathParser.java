package org.facteur.smtp.protocol;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the arguments of MAIL FROM and RCPT TO: {@code FROM:<path> [SP params]} per RFC 5321 §4.1.2, with
 * RFC 6531 UTF-8 in addresses, quoted local parts and source routes (accepted and ignored, §C / §4.1.2).
 * The parser is strict on syntax; policy about what the address may look like is {@link RelayTricks}'.
 */
public final class PathParser {

    /** RFC 5321 §4.5.3.1: local part 64 octets, domain 255, path 256. */
    public static final int MAX_LOCAL_PART = 64;
    public static final int MAX_DOMAIN = 255;
    public static final int MAX_PATH = 256;

    /** What a MAIL or RCPT argument holds. {@code address} is null for the null reverse path {@code <>}. */
    public record ParsedPath(MailAddress address, boolean hadSourceRoute, Map<String, String> parameters) {
    }

    private final String text;
    private int pos;

    private PathParser(String text) {
        this.text = text;
    }

    /**
     * @param argument  the text after the verb, such as {@code FROM:<a@b> SIZE=10}
     * @param keyword   {@code FROM} or {@code TO}
     * @param allowNull whether {@code <>} is allowed (MAIL FROM only)
     */
    public static ParsedPath parse(String argument, String keyword, boolean allowNull) throws SmtpSyntaxException {
        return new PathParser(argument).parsePath(keyword, allowNull);
    }

    private ParsedPath parsePath(String keyword, boolean allowNull) throws SmtpSyntaxException {
        if (!text.regionMatches(true, 0, keyword + ":", 0, keyword.length() + 1)) {
            throw syntax("Syntax: " + (allowNull ? "MAIL FROM:<address>" : "RCPT TO:<address>"));
        }
        pos = keyword.length() + 1;
        // Many clients write "FROM: <a@b>"; tolerate the space, as Postfix does.
        while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
        int start = pos;
        expect('<', "Syntax: the address must be written in angle brackets");
        if (peek() == '>') {
            pos++;
            if (!allowNull) {
                throw new SmtpSyntaxException(501, "5.1.3", "The null address <> is not a recipient");
            }
            return new ParsedPath(null, false, parameters());
        }
        boolean route = false;
        if (peek() == '@') {
            // RFC 5321 §4.1.2 A-d-l: "@a,@b:" - accepted and ignored (§3.6.1, Appendix C); the mailbox decides.
            route = true;
            while (true) {
                expect('@', "Syntax error in source route");
                domain();
                if (peek() == ',') {
                    pos++;
                    continue;
                }
                expect(':', "Syntax error in source route");
                break;
            }
        }
        String local = peek() == '"' ? quotedString() : dotString();
        if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_PART) {
            throw new SmtpSyntaxException(553, "5.1.3", "Local part longer than " + MAX_LOCAL_PART + " octets");
        }
        if (peek() != '@') {
            if (peek() == '>' && local.equalsIgnoreCase("postmaster") && !allowNull) {
                // RFC 5321 §4.5.1: <Postmaster> without a domain must be accepted.
                pos++;
                return new ParsedPath(new MailAddress("postmaster", ""), route, parameters());
            }
            throw new SmtpSyntaxException(553, "5.1.3", "Syntax error in address: expected @domain");
        }
        pos++;
        String domain = peek() == '[' ? addressLiteral() : domain();
        expect('>', "Syntax error in address: expected >");
        if (text.substring(start, pos).getBytes(StandardCharsets.UTF_8).length > MAX_PATH) {
            throw new SmtpSyntaxException(553, "5.1.3", "Path longer than " + MAX_PATH + " octets");
        }
        return new ParsedPath(new MailAddress(local, domain), route, parameters());
    }

    private String dotString() throws SmtpSyntaxException {
        int start = pos;
        while (pos < text.length() && (MailAddress.isAtext(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        String s = text.substring(start, pos);
        if (!MailAddress.isDotString(s)) {
            throw new SmtpSyntaxException(553, "5.1.3", "Syntax error in the local part of the address");
        }
        return s;
    }

    private String quotedString() throws SmtpSyntaxException {
        pos++; // opening quote
        StringBuilder b = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                if (b.isEmpty()) {
                    throw new SmtpSyntaxException(553, "5.1.3", "Empty quoted local part");
                }
                return b.toString();
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    break;
                }
                char q = text.charAt(pos++);
                if (q < 32 || q > 126) {
                    throw new SmtpSyntaxException(553, "5.1.3", "Bad quoted pair in local part");
                }
                b.append(q);
            } else if ((c >= 32 && c <= 126) || c >= 0x80) {
                // RFC 5321 qtextSMTP: %d32-33 / %d35-91 / %d93-126, plus UTF-8 (RFC 6531).
                b.append(c);
            } else {
                throw new SmtpSyntaxException(553, "5.1.3", "Bad character in quoted local part");
            }
        }
        throw new SmtpSyntaxException(553, "5.1.3", "Unterminated quoted local part");
    }

    private String domain() throws SmtpSyntaxException {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c >= 0x80) {
                pos++;
            } else {
                break;
            }
        }
        String d = text.substring(start, pos);
        if (d.isEmpty() || d.length() > MAX_DOMAIN) {
            throw new SmtpSyntaxException(553, "5.1.3", "Syntax error in domain");
        }
        for (String label : d.split("\\.", -1)) {
            // RFC 5321 sub-domain = Let-dig [Ldh-str]: no empty label, no leading or trailing hyphen.
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                throw new SmtpSyntaxException(553, "5.1.3", "Syntax error in domain");
            }
        }
        return d;
    }

    private String addressLiteral() throws SmtpSyntaxException {
        int end = text.indexOf(']', pos);
        if (end < 0) {
            throw new SmtpSyntaxException(553, "5.1.3", "Unterminated address literal");
        }
        String literal = text.substring(pos, end + 1);
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c < 33 || c > 126 || c == '[' || c == '\\') {
                throw new SmtpSyntaxException(553, "5.1.3", "Syntax error in address literal");
            }
        }
        pos = end + 1;
        return literal;
    }

    /** {@code *( SP esmtp-param )}, keyword = {@code (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")} (RFC 5321 §4.1.2). */
    private Map<String, String> parameters() throws SmtpSyntaxException {
        Map<String, String> params = new LinkedHashMap<>();
        String rest = text.substring(pos);
        if (rest.isEmpty()) {
            return params;
        }
        if (rest.charAt(0) != ' ') {
            throw syntax("Syntax error after the address");
        }
        for (String item : rest.strip().split(" +")) {
            int eq = item.indexOf('=');
            String keyword = (eq < 0 ? item : item.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : item.substring(eq + 1);
            if (keyword.isEmpty() || !keyword.matches("[A-Z0-9][A-Z0-9-]*")) {
                throw syntax("Syntax error in parameter " + item);
            }
            if (value != null) {
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    // esmtp-value = 1*(%d33-60 / %d62-126), UTF-8 allowed with SMTPUTF8 (RFC 6531 §3.3).
                    if (c < 33 || c == '=' || c == 127) {
                        throw syntax("Syntax error in parameter " + keyword);
                    }
                }
                if (value.isEmpty()) {
                    throw syntax("Empty value for parameter " + keyword);
                }
            }
            if (params.containsKey(keyword)) {
                throw syntax("Parameter " + keyword + " given twice");
            }
            params.put(keyword, value);
        }
        return params;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c, String message) throws SmtpSyntaxException {
        if (peek() != c) {
            throw syntax(message);
        }
        pos++;
    }

    private static SmtpSyntaxException syntax(String message) {
        return new SmtpSyntaxException(501, "5.5.4", message);
    }
}
