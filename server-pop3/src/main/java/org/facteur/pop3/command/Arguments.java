package org.facteur.pop3.command;

import java.io.IOException;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.session.Maildrop;
import org.facteur.pop3.session.Pop3Session;

/** Argument checks the message commands share; each answers -ERR itself and returns empty on failure. */
final class Arguments {

    private Arguments() {
    }

    /** Answers -ERR unless the command has between {@code min} and {@code max} arguments. */
    static boolean count(Pop3Session session, Command command, int min, int max) throws IOException {
        int n = command.argumentCount();
        if (n < min || n > max) {
            String expected = min == max ? (min == 0 ? "no arguments" : min + " argument" + (min == 1 ? "" : "s"))
                    : min + " to " + max + " arguments";
            session.reply().err(command.keyword() + " takes " + expected);
            return false;
        }
        return true;
    }

    /**
     * A non-negative decimal number (RFC 1939 §3, "msg" and "n"): digits only, no sign, no overflow. Leading
     * zeros are accepted as clients are known to send them.
     */
    static OptionalLong number(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(Long.parseLong(text));
    }

    /**
     * A message number that exists in the snapshot and is not marked deleted (RFC 1939 §5: a deleted message
     * may not be referred to). Answers -ERR itself otherwise.
     */
    static OptionalInt liveMessage(Pop3Session session, String text) throws IOException {
        OptionalLong parsed = number(text);
        if (parsed.isEmpty()) {
            session.reply().err("Invalid message number: " + printable(text));
            return OptionalInt.empty();
        }
        Maildrop maildrop = session.maildrop();
        long n = parsed.getAsLong();
        if (n < 1 || n > maildrop.size()) {
            session.reply().err("No such message; there are " + maildrop.size());
            return OptionalInt.empty();
        }
        if (maildrop.isDeleted((int) n)) {
            session.reply().err("Message " + n + " is already deleted");
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) n);
    }

    /** Echoes client text back safely: truncated, printable ASCII only. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < 40; i++) {
            char c = text.charAt(i);
            b.append(c >= 0x21 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
