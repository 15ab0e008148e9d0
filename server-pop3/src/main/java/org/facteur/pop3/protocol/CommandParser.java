package org.facteur.pop3.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns one command line (terminator already removed) into a {@link Command}. Pure: no state, no I/O.
 *
 * <p>RFC 2449 §3: a keyword of three or four printable characters, then arguments separated by single spaces.
 * Arguments are UTF-8 (RFC 6856 lets USER and PASS carry UTF-8); invalid UTF-8 and control characters are
 * refused, so nothing downstream ever sees a NUL or a stray CR.
 */
public final class CommandParser {

    private CommandParser() {
    }

    public static Command parse(byte[] line) throws CommandSyntaxException {
        if (line.length == 0) {
            throw new CommandSyntaxException("Empty command");
        }
        for (byte b : line) {
            int c = b & 0xff;
            // CR inside a line, NUL, TAB and other controls have no place in a POP3 command.
            if (c < 0x20 || c == 0x7f) {
                throw new CommandSyntaxException("Control characters are not allowed in commands");
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            throw new CommandSyntaxException("Command is not valid UTF-8");
        }
        int space = text.indexOf(' ');
        String keyword = space < 0 ? text : text.substring(0, space);
        if (keyword.length() < 3 || keyword.length() > 4) {
            throw new CommandSyntaxException(keyword.isEmpty() ? "Command line starts with a space" : "Unknown command");
        }
        for (int i = 0; i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                throw new CommandSyntaxException("Unknown command");
            }
        }
        String argumentText = space < 0 ? "" : text.substring(space + 1);
        // Some clients end a line with a space; RFC 2449 §3 has none, but refusing them helps nobody. PASS
        // keeps argumentText untouched (a password may end with a space); the split arguments drop it.
        String trimmed = argumentText.stripTrailing();
        List<String> arguments = new ArrayList<>();
        boolean regular = true;
        if (!trimmed.isEmpty()) {
            for (String part : trimmed.split(" ", -1)) {
                if (part.isEmpty()) {
                    regular = false;
                } else {
                    arguments.add(part);
                }
            }
        }
        return new Command(keyword.toUpperCase(Locale.ROOT), arguments, argumentText, regular);
    }
}
