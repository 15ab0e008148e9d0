package org.facteur.pop3.protocol;

import java.util.List;

/**
 * One parsed POP3 command line (RFC 1939 §3, RFC 2449 §3).
 *
 * @param keyword   upper-cased keyword, such as {@code RETR}
 * @param arguments the arguments split at single spaces
 * @param argumentText everything after the keyword and its space, verbatim: PASS takes it whole because a
 *                  password may contain spaces (RFC 1939 §7, PASS)
 * @param regularSpacing false when arguments were separated by more than one space; every command but PASS
 *                  refuses that (RFC 2449 §3: "separated by a single SPACE")
 */
public record Command(String keyword, List<String> arguments, String argumentText, boolean regularSpacing) {

    public Command {
        arguments = List.copyOf(arguments);
    }

    public int argumentCount() {
        return arguments.size();
    }

    public String argument(int index) {
        return arguments.get(index);
    }
}
