package org.facteur.smtp.protocol;

import java.util.List;

/**
 * One SMTP reply: a three-digit code (RFC 5321 §4.2), an optional RFC 3463 enhanced status code and one or
 * more text lines. Formatting on the wire is {@link ReplyWriter}'s job.
 */
public record Reply(int code, String enhancedCode, List<String> lines) {

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("not an SMTP reply code: " + code);
        }
        lines = List.copyOf(lines.isEmpty() ? List.of("") : lines);
    }

    public static Reply of(int code, String enhancedCode, String text) {
        return new Reply(code, enhancedCode, List.of(text.split("\n")));
    }

    /** A reply without an enhanced code (greeting, EHLO: RFC 2034 §3 leaves them out there). */
    public static Reply plain(int code, String text) {
        return new Reply(code, null, List.of(text));
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    /** The reply as one line for logs, DSN diagnostic codes and exceptions. */
    public String oneLine() {
        return code + (enhancedCode == null ? "" : " " + enhancedCode) + " " + String.join(" ", lines);
    }

    @Override
    public String toString() {
        return oneLine();
    }
}
