package org.facteur.imap.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.facteur.net.Connection;
import org.facteur.net.Line;
import org.facteur.net.LineTooLongException;

/**
 * Reads one whole command from the connection: the first line, then each literal it announces and the line that
 * follows it (RFC 9051 §4.3, §7.5: "+" continuation for synchronising literals; RFC 7888 LITERAL+ and LITERAL-
 * for non-synchronising ones). Limits are checked before any literal byte is read, so a client announcing a huge
 * literal is refused without the server holding it.
 */
public final class CommandReader {

    /** RFC 7888 §5: LITERAL- allows non-synchronising literals of at most 4096 bytes. */
    public static final int LITERAL_MINUS_MAX = 4096;

    /** Limits read from the configuration for each command. */
    public record Limits(int maxLine, long maxLiteral, long appendLimit) {
    }

    /** One read: a command, or a refusal to answer (tagged when the tag could be read) before reading the next. */
    public record Result(RawCommand command, String tag, ImapException error) {
    }

    private final Connection connection;

    public CommandReader(Connection connection) {
        this.connection = connection;
    }

    /**
     * @throws ProtocolLimitException when the stream cannot be resynchronised (the session sends BYE)
     * @throws java.io.EOFException   when the client closed the connection
     */
    public Result read(Limits limits) throws IOException {
        Line first = readLine(limits);
        byte[] line = first.bytes();
        int tagEnd = 0;
        while (tagEnd < line.length && line[tagEnd] != ' ') {
            tagEnd++;
        }
        if (tagEnd == 0) {
            return new Result(null, null, new ImapException("CLIENTBUG", line.length == 0 ? "Empty command line" : "Missing tag"));
        }
        for (int i = 0; i < tagEnd; i++) {
            if (!Chars.isTagChar(line[i])) {
                // RFC 9051 §2.2.1: a line whose tag cannot be read gets an untagged BAD.
                return new Result(null, null, new ImapException("Invalid characters in tag"));
            }
        }
        String tag = new String(line, 0, tagEnd, StandardCharsets.US_ASCII);
        int nameStart = tagEnd + 1;
        int nameEnd = nameStart;
        while (nameEnd < line.length && Chars.isAtomChar(line[nameEnd])) {
            nameEnd++;
        }
        if (tagEnd >= line.length || nameEnd == nameStart || (nameEnd < line.length && line[nameEnd] != ' ')) {
            // The command may still announce a literal we must not mistake for a command: only a synchronising
            // one is safe to ignore (the client waits for "+"), so a non-synchronising one ends the session.
            skipAnnouncedLiteral(line);
            return new Result(null, tag, new ImapException("Missing or invalid command name"));
        }
        String name = new String(line, nameStart, nameEnd - nameStart, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
        boolean append = name.equals("APPEND");
        long literalLimit = append ? limits.appendLimit() : limits.maxLiteral();

        ByteArrayOutputStream all = new ByteArrayOutputStream(line.length + 16);
        Map<Integer, Integer> literals = new HashMap<>();
        long literalTotal = 0;
        int textTotal = 0;
        while (true) {
            textTotal += line.length;
            if (textTotal > limits.maxLine() * 4) {
                throw new ProtocolLimitException("TOOBIG", "Command too long");
            }
            all.write(line, 0, line.length);
            Announced literal = Announced.at(line);
            if (literal == null) {
                break;
            }
            if (literal.length() < 0) {
                if (literal.synchronising()) {
                    return new Result(null, tag, new ImapException("Invalid literal length"));
                }
                throw new ProtocolLimitException("CLIENTBUG", "Invalid literal length");
            }
            literalTotal += literal.length();
            if (literal.length() > literalLimit || literalTotal > literalLimit) {
                if (literal.synchronising()) {
                    // RFC 7889 §4 / RFC 9051 §7.1: NO [TOOBIG]; the client has not sent the data, so we go on.
                    return new Result(null, tag, new ImapException("TOOBIG",
                            append ? "Message exceeds APPENDLIMIT " + literalLimit : "Literal exceeds " + literalLimit + " bytes", true));
                }
                // RFC 7888 §4: the data is on its way and too big to swallow.
                throw new ProtocolLimitException("TOOBIG", "Non-synchronising literal exceeds " + literalLimit + " bytes");
            }
            if (literal.synchronising()) {
                connection.writeLine("+ Ready for literal data");
                connection.flush();
            }
            literals.put(all.size(), (int) literal.length());
            byte[] data = connection.readExactly((int) literal.length());
            all.write(data, 0, data.length);
            line = readLine(limits).bytes();
        }
        return new Result(new RawCommand(tag, name, all.toByteArray(), nameEnd, literals), tag, null);
    }

    private Line readLine(Limits limits) throws IOException {
        try {
            return connection.readLine(limits.maxLine());
        } catch (LineTooLongException e) {
            // The tag was in the discarded bytes, and a literal may follow: nothing safe is left but to close.
            throw new ProtocolLimitException("TOOBIG", "Line longer than " + limits.maxLine() + " bytes");
        }
    }

    private static void skipAnnouncedLiteral(byte[] line) throws ProtocolLimitException {
        Announced literal = Announced.at(line);
        if (literal != null && !literal.synchronising()) {
            throw new ProtocolLimitException("CLIENTBUG", "Non-synchronising literal in an invalid command");
        }
    }

    /** A literal announced at the end of a line: {@code {n}}, {@code {n+}} or {@code {n-}}; length -1 when unreadable. */
    record Announced(long length, boolean synchronising) {

        static Announced at(byte[] line) {
            int end = line.length - 1;
            if (end < 2 || line[end] != '}') {
                return null;
            }
            int i = end - 1;
            boolean sync = true;
            if (line[i] == '+' || line[i] == '-') {
                sync = false;
                i--;
            }
            int digitsEnd = i;
            while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
                i--;
            }
            if (i < 0 || line[i] != '{') {
                return null;
            }
            // A "~" before the brace is literal8 (RFC 3516); it announces the same way.
            int digits = digitsEnd - i;
            if (digits <= 0) {
                return new Announced(-1, sync);
            }
            // Any length that does not fit is certainly over every limit: report it as the largest value.
            long n = digits > 18 ? Long.MAX_VALUE : Long.parseLong(new String(line, i + 1, digits, StandardCharsets.US_ASCII));
            return new Announced(n, sync);
        }
    }
}
