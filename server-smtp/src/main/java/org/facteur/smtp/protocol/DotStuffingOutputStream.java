package org.facteur.smtp.protocol;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes message data for DATA (RFC 5321 §4.5.2): a "." at the start of a line is doubled, and
 * {@link #finish()} ends the data with {@code CRLF . CRLF}, adding the CRLF a message without a final line
 * break lacks. Bare LF is turned into CRLF on the way so no receiver can misread a line boundary.
 */
public final class DotStuffingOutputStream extends FilterOutputStream {

    private boolean atLineStart = true;
    private int previous = -1;

    public DotStuffingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (b == '\n' && previous != '\r') {
            out.write('\r');
        }
        if (atLineStart && b == '.') {
            out.write('.');
        }
        out.write(b);
        atLineStart = b == '\n';
        previous = b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    /** Ends the data; the underlying stream stays open. */
    public void finish() throws IOException {
        if (!atLineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.write(new byte[] {'.', '\r', '\n'});
        out.flush();
    }
}
