package org.facteur.smtp.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Formats replies: {@code 250-first}, ..., {@code 250 last} (RFC 5321 §4.2.1), each line carrying the
 * enhanced status code when there is one (RFC 2034 §4). Text is sanitised so that a value that came from a
 * client (an address, a host name) can never end a reply line early.
 */
public final class ReplyWriter {

    private ReplyWriter() {
    }

    public static byte[] format(Reply reply) {
        StringBuilder out = new StringBuilder();
        int n = reply.lines().size();
        for (int i = 0; i < n; i++) {
            out.append(reply.code()).append(i == n - 1 ? ' ' : '-');
            if (reply.enhancedCode() != null) {
                out.append(reply.enhancedCode()).append(' ');
            }
            out.append(clean(reply.lines().get(i))).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Replaces control characters (CR, LF, NUL...) so a reply line stays one line. */
    public static String clean(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
