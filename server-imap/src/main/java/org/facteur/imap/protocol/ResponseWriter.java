package org.facteur.imap.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.facteur.net.Connection;
import org.facteur.storage.ModifiedUtf7;

/**
 * Writes responses (RFC 9051 §7): builds one response at a time with typed pieces so that every string is quoted
 * or sent as a literal as the grammar requires, and streams large literals (message bodies) straight from storage.
 * The bytes go to the connection when a response ends; {@link #flush()} sends them.
 *
 * <p>One writer per session, used by the session thread, or by the IDLE notifier while the session thread only
 * waits for DONE.
 */
public final class ResponseWriter {

    /** Longest string sent quoted; longer ones go as literals, which clients handle without escaping. */
    private static final int MAX_QUOTED = 1024;

    private final OutputStream connection;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private volatile boolean utf8;

    /** Writes to {@code out}; {@link #of(Connection)} for a client connection. */
    public ResponseWriter(OutputStream out) {
        this.connection = out;
    }

    public static ResponseWriter of(Connection connection) {
        return new ResponseWriter(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                connection.write(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                connection.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                connection.flush();
            }
        });
    }

    /** After ENABLE IMAP4rev2 or UTF8=ACCEPT: strings and mailbox names may carry UTF-8 as they are. */
    public void utf8(boolean enabled) {
        this.utf8 = enabled;
    }

    public boolean utf8() {
        return utf8;
    }

    // --- whole responses

    public synchronized void untagged(String text) throws IOException {
        raw("* ").raw(text).end();
    }

    public synchronized void tagged(String tag, String status, String code, String text) throws IOException {
        raw(tag).sp().raw(status).sp();
        if (code != null) {
            raw("[").raw(code).raw("] ");
        }
        raw(text).end();
    }

    public synchronized void continuation(String text) throws IOException {
        raw("+ ").raw(text).end();
        flush();
    }

    public void flush() throws IOException {
        connection.flush();
    }

    // --- pieces of one response

    public ResponseWriter star() {
        return raw("* ");
    }

    public ResponseWriter raw(String text) {
        line.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public ResponseWriter sp() {
        line.write(' ');
        return this;
    }

    public ResponseWriter open() {
        line.write('(');
        return this;
    }

    public ResponseWriter close() {
        line.write(')');
        return this;
    }

    public ResponseWriter nil() {
        return raw("NIL");
    }

    public ResponseWriter number(long n) {
        return raw(Long.toString(n));
    }

    /** A string: quoted when it can be, else a literal (RFC 9051 §4.3). */
    public ResponseWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (!quotable(b)) {
            return literal(b);
        }
        // written in runs between the characters to escape, not byte by byte: each write to the buffer takes its
        // lock, and an ENVELOPE line is mostly quoted strings (a FETCH ENVELOPE of 3,000 messages spent a quarter
        // of its samples here)
        line.write('"');
        int run = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '"' || b[i] == '\\') {
                line.write(b, run, i - run);
                line.write('\\');
                run = i;
            }
        }
        line.write(b, run, b.length - run);
        line.write('"');
        return this;
    }

    /** NIL for null, else a string. */
    public ResponseWriter nstring(String s) {
        return s == null ? nil() : string(s);
    }

    /** An atom when the value allows it (capabilities, flags), else a string. */
    public ResponseWriter astring(String s) {
        return Chars.isAtom(s) && !s.equalsIgnoreCase("NIL") ? raw(s) : string(s);
    }

    /** A mailbox name, in modified UTF-7 unless the session speaks UTF-8 (RFC 9051 §5.1, RFC 3501 §5.1.3). */
    public ResponseWriter mailbox(String name) {
        String wire = utf8 ? name : ModifiedUtf7.encode(name);
        return Chars.isAtom(wire) && !wire.equalsIgnoreCase("NIL") && wire.indexOf('%') < 0 ? raw(wire) : string(wire);
    }

    public ResponseWriter literal(byte[] data) {
        raw("{" + data.length + "}\r\n");
        line.writeBytes(data);
        return this;
    }

    /** A literal streamed from {@code in} ({@code ~{n}} literal8 when {@code binary}, RFC 3516). */
    public ResponseWriter literal(InputStream in, long length, boolean binary) throws IOException {
        raw((binary ? "~{" : "{") + length + "}\r\n");
        drain();
        byte[] buffer = new byte[16384];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                // The file is shorter than the index said: pad so the client's parser stays in step.
                java.util.Arrays.fill(buffer, (byte) ' ');
                n = (int) Math.min(buffer.length, left);
            }
            connection.write(buffer, 0, n);
            left -= n;
        }
        return this;
    }

    /** Ends the response with CRLF and hands it to the connection. */
    public synchronized ResponseWriter end() throws IOException {
        line.write('\r');
        line.write('\n');
        drain();
        return this;
    }

    private void drain() throws IOException {
        line.writeTo(connection);
        line.reset();
    }

    private boolean quotable(byte[] b) {
        if (b.length > MAX_QUOTED) {
            return false;
        }
        for (byte x : b) {
            if (x == '\r' || x == '\n' || x == 0 || (x < 0 && !utf8)) {
                return false;
            }
        }
        return true;
    }
}
