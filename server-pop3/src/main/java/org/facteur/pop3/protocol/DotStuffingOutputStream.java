package org.facteur.pop3.protocol;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the body of a multi-line response (RFC 1939 §3): a line that starts with "." gets another one in
 * front, bare LF becomes CRLF so the client never sees a half-terminated line, and {@link #finish()} ends the
 * last line if needed and writes the terminating ".". The stored size stays what LIST reports; RFC 1939 §5
 * allows the transmitted octets to differ.
 */
public final class DotStuffingOutputStream extends FilterOutputStream {

    private boolean atLineStart = true;
    private boolean afterCr;

    public DotStuffingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (b == '\n') {
            if (!afterCr) {
                out.write('\r');
            }
            out.write('\n');
            atLineStart = true;
            afterCr = false;
            return;
        }
        if (atLineStart && b == '.') {
            out.write('.');
        }
        out.write(b);
        atLineStart = false;
        afterCr = b == '\r';
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        // Copy runs of ordinary bytes in one call; only line starts and line ends need a look.
        int runStart = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = data[i];
            boolean special = b == '\n' || (atLineStart && b == '.');
            if (special) {
                if (i > runStart) {
                    out.write(data, runStart, i - runStart);
                    afterCr = data[i - 1] == '\r';
                }
                write(b & 0xff);
                runStart = i + 1;
            } else {
                atLineStart = false;
            }
        }
        if (end > runStart) {
            out.write(data, runStart, end - runStart);
            afterCr = data[end - 1] == '\r';
            atLineStart = false;
        }
    }

    /** Ends the last line if the data did not, then writes the terminating "." line. Does not close. */
    public void finish() throws IOException {
        if (!atLineStart) {
            if (!afterCr) {
                out.write('\r');
            }
            out.write('\n');
        }
        out.write(new byte[] {'.', '\r', '\n'});
        atLineStart = true;
        afterCr = false;
    }

    @Override
    public void close() throws IOException {
        // The connection outlives one response: closing is the session's business.
        flush();
    }
}
