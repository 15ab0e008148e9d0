package org.facteur.net;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * One line read from a client, without its terminator. {@code crlf} tells whether it ended with CR LF as the
 * protocols require; a bare LF ending is reported so that SMTP can refuse it (the "SMTP smuggling" class of bugs).
 */
public record Line(byte[] bytes, boolean crlf) {

    public String text(Charset charset) {
        return new String(bytes, charset);
    }

    /** The line as UTF-8 (RFC 6531/RFC 9051 allow UTF-8; ASCII is a subset). */
    public String text() {
        return text(StandardCharsets.UTF_8);
    }

    public int length() {
        return bytes.length;
    }
}
