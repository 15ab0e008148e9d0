package org.facteur.smtp.protocol;

import java.io.IOException;
import java.io.OutputStream;

import org.facteur.net.Connection;
import org.facteur.net.Line;
import org.facteur.net.LineTooLongException;

/**
 * Reads a DATA body (RFC 5321 §4.1.1.4) from the connection into {@code out}, undoing dot-stuffing
 * (§4.5.2), until the one terminator the RFC defines: {@code CRLF . CRLF}.
 *
 * <p>SMTP smuggling (CVE-2023-51766, CVE-2023-51764/5): a server that also ends data at {@code LF . LF},
 * {@code CR LF . LF} or {@code LF . CR LF} lets a sender hide a second message that another server reads as
 * data. Here the end is recognised only when the "." line ended with CR LF <em>and</em> so did the line
 * before it; any bare LF or bare CR anywhere marks the message bad, and it is refused once the real end
 * arrives. Both halves of a smuggling attempt are therefore one refused message, never two.
 */
public final class DataReader {

    /**
     * Why a message is refused. All but LINE_TOO_LONG are known once the real end has been read; LINE_TOO_LONG
     * stops reading at once and the connection must be closed.
     */
    public enum Problem { NONE, BARE_LINE_ENDING, NUL, LINE_TOO_LONG, TOO_BIG }

    public record Result(long size, Problem problem) {
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private DataReader() {
    }

    /**
     * @param maxSize   octets accepted; beyond it nothing more is written, but reading goes on to the end
     * @param maxLine   longest line accepted
     */
    public static Result read(Connection connection, OutputStream out, long maxSize, int maxLine) throws IOException {
        long size = 0;
        boolean bareEnding = false;
        boolean nul = false;
        boolean previousCrlf = true;
        while (true) {
            Line line;
            try {
                line = connection.readLine(maxLine);
            } catch (LineTooLongException e) {
                // The rest of the line was consumed without telling whether it ended in CR LF or a bare LF, so
                // where the data ends can no longer be known for sure (guessing is how smuggling starts): the
                // session must end after the reply.
                return new Result(size, Problem.LINE_TOO_LONG);
            }
            byte[] bytes = line.bytes();
            if (line.crlf() && previousCrlf && bytes.length == 1 && bytes[0] == '.') {
                break;
            }
            if (!line.crlf()) {
                bareEnding = true;
            }
            previousCrlf = line.crlf();
            int offset = bytes.length > 0 && bytes[0] == '.' ? 1 : 0; // RFC 5321 §4.5.2 transparency
            for (int i = offset; i < bytes.length; i++) {
                byte b = bytes[i];
                if (b == '\r') {
                    bareEnding = true;
                } else if (b == 0) {
                    nul = true;
                }
            }
            long lineSize = bytes.length - offset + 2L;
            if (size + lineSize <= maxSize) {
                out.write(bytes, offset, bytes.length - offset);
                out.write(CRLF);
            }
            size += lineSize;
        }
        Problem problem = bareEnding ? Problem.BARE_LINE_ENDING
                : nul ? Problem.NUL
                : size > maxSize ? Problem.TOO_BIG
                : Problem.NONE;
        return new Result(size, problem);
    }

    /** The reply for a refused message. */
    public static Reply replyFor(Problem problem, long maxSize, int maxLine) {
        return switch (problem) {
            case NONE -> throw new IllegalArgumentException("no problem");
            case BARE_LINE_ENDING -> Reply.of(550, "5.6.0", "Message refused: bare CR or LF; lines must end with CR LF (RFC 5321 §2.3.8)");
            case NUL -> Reply.of(550, "5.6.0", "Message refused: it contains NUL characters");
            case LINE_TOO_LONG -> Reply.of(554, "5.6.0", "Message refused: a line is longer than " + maxLine + " octets; closing connection");
            case TOO_BIG -> Reply.of(552, "5.3.4", "Message too big: the limit is " + maxSize + " octets");
        };
    }
}
