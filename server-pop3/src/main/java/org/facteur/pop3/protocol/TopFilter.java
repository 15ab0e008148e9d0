package org.facteur.pop3.protocol;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies a message's header, the blank line after it, and the first {@code n} lines of its body (RFC 1939 §7,
 * TOP). Streams byte by byte through a buffer: a huge message costs no memory, and reading stops after the
 * last line wanted.
 */
final class TopFilter {

    private TopFilter() {
    }

    static void copy(InputStream message, OutputStream target, long bodyLines) throws IOException {
        InputStream in = message instanceof BufferedInputStream ? message : new BufferedInputStream(message, 8192);
        boolean inHeader = true;
        boolean lineEmpty = true; // the current line has no bytes yet (CR aside)
        long bodyLinesDone = 0;
        int b;
        while ((b = in.read()) >= 0) {
            if (!inHeader && bodyLinesDone >= bodyLines) {
                return;
            }
            target.write(b);
            if (b == '\n') {
                if (inHeader) {
                    if (lineEmpty) {
                        inHeader = false; // that was the blank line that ends the header (RFC 5322 §2.1)
                    }
                } else {
                    bodyLinesDone++;
                }
                lineEmpty = true;
            } else if (b != '\r') {
                lineEmpty = false;
            }
        }
    }
}
