package org.facteur.smtp.protocol;

import java.util.Locale;

/**
 * A command line split into its verb (upper case) and the rest (RFC 5321 §4.1.1: {@code verb [SP argument]}).
 */
public record CommandLine(String verb, String argument) {

    /**
     * @throws SmtpSyntaxException for NUL and other control characters, which RFC 5321 §4.1.1 does not allow in
     *                             commands, and for an empty line
     */
    public static CommandLine parse(String line) throws SmtpSyntaxException {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new SmtpSyntaxException(500, "5.5.2", "Syntax error: control character in command");
            }
        }
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            throw new SmtpSyntaxException(500, "5.5.2", "Syntax error: empty command");
        }
        int space = trimmed.indexOf(' ');
        String verb = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : trimmed.substring(space + 1).strip();
        return new CommandLine(verb, argument);
    }
}
