package org.facteur.pop3.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;

/**
 * Writes POP3 responses (RFC 1939 §3): status lines, multi-line responses with dot-stuffing, message content
 * for RETR and TOP, and SASL challenges (RFC 5034 §4). Text is never allowed to break a line: CR and LF in a
 * message are replaced so a reason from elsewhere cannot inject a second response.
 */
public final class ResponseWriter {

    private final OutputStream out;

    public ResponseWriter(OutputStream out) {
        this.out = out;
    }

    public void ok(String text) throws IOException {
        line(text.isEmpty() ? "+OK" : "+OK " + text);
    }

    public void err(String text) throws IOException {
        line("-ERR " + text);
    }

    /** RFC 2449 §8: {@code -ERR [CODE] text}. */
    public void err(ResponseCode code, String text) throws IOException {
        line(code == null ? "-ERR " + text : "-ERR [" + code.text() + "] " + text);
    }

    /** {@code +OK text}, then each line dot-stuffed, then ".". */
    public void multiLine(String text, Collection<String> lines) throws IOException {
        ok(text);
        DotStuffingOutputStream body = new DotStuffingOutputStream(out);
        for (String l : lines) {
            body.write(clean(l).getBytes(StandardCharsets.UTF_8));
            body.write('\r');
            body.write('\n');
        }
        body.finish();
    }

    /** {@code +OK text}, then the message bytes dot-stuffed (RETR), then ".". */
    public void message(String text, InputStream content) throws IOException {
        ok(text);
        DotStuffingOutputStream body = new DotStuffingOutputStream(out);
        content.transferTo(body);
        body.finish();
    }

    /** {@code +OK text}, then the header, the blank line and {@code bodyLines} lines of the body (TOP, RFC 1939 §7). */
    public void top(String text, InputStream content, long bodyLines) throws IOException {
        ok(text);
        DotStuffingOutputStream body = new DotStuffingOutputStream(out);
        TopFilter.copy(content, body, bodyLines);
        body.finish();
    }

    /** A SASL challenge: {@code +} SP base64 (RFC 5034 §4); an empty challenge is {@code "+ "}. */
    public void challenge(byte[] data) throws IOException {
        line("+ " + Base64.getEncoder().encodeToString(data));
    }

    public void flush() throws IOException {
        out.flush();
    }

    private void line(String text) throws IOException {
        out.write(clean(text).getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    private static String clean(String text) {
        return text.indexOf('\r') < 0 && text.indexOf('\n') < 0 ? text : text.replace('\r', ' ').replace('\n', ' ');
    }
}
