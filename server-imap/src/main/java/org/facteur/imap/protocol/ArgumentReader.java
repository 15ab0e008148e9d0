package org.facteur.imap.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads a command's arguments from a {@link RawCommand}, by the grammar of RFC 9051 §9. Every method either
 * returns a well-formed value or throws {@link ImapException}; none reads past the command, so a malformed
 * argument never disturbs the next command.
 */
public final class ArgumentReader {

    private final byte[] bytes;
    private final Map<Integer, Integer> literals;
    private final int maxNesting;
    private int position;
    private int depth;

    ArgumentReader(byte[] bytes, int start, Map<Integer, Integer> literals, int maxNesting) {
        this.bytes = bytes;
        this.position = start;
        this.literals = literals;
        this.maxNesting = maxNesting;
    }

    /** For tests and for reading values that arrive outside a command (AUTHENTICATE responses). */
    public static ArgumentReader of(String text, int maxNesting) {
        return new ArgumentReader(text.getBytes(StandardCharsets.UTF_8), 0, Map.of(), maxNesting);
    }

    public boolean atEnd() {
        return position >= bytes.length;
    }

    public int peek() {
        return atEnd() ? -1 : bytes[position] & 0xff;
    }

    public boolean peekIs(char c) {
        return peek() == c;
    }

    /** Whether the next bytes are {@code word} (case-insensitive) followed by a delimiter. */
    public boolean peekWord(String word) {
        int end = position + word.length();
        if (end > bytes.length) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (Character.toUpperCase((char) bytes[position + i]) != Character.toUpperCase(word.charAt(i))) {
                return false;
            }
        }
        return end == bytes.length || !Chars.isAtomChar(bytes[end]);
    }

    public void sp() throws ImapException {
        expect(' ');
    }

    public boolean trySp() {
        return tryChar(' ');
    }

    public boolean tryChar(char c) {
        if (peek() == c) {
            position++;
            return true;
        }
        return false;
    }

    public void expect(char c) throws ImapException {
        if (!tryChar(c)) {
            throw new ImapException(atEnd() ? "Missing arguments" : "Expected '" + c + "' at \"" + context() + "\"");
        }
    }

    public void end() throws ImapException {
        if (!atEnd()) {
            throw new ImapException("Unexpected characters at \"" + context() + "\"");
        }
    }

    /** An opening parenthesis, counting nesting against the configured limit. */
    public void open() throws ImapException {
        expect('(');
        enter();
    }

    public boolean tryOpen() throws ImapException {
        if (tryChar('(')) {
            enter();
            return true;
        }
        return false;
    }

    public void enter() throws ImapException {
        if (++depth > maxNesting) {
            throw new ImapException("LIMIT", "Lists nested deeper than " + maxNesting);
        }
    }

    /** Leaves a level entered with {@link #enter()} that had no parenthesis (SEARCH NOT and OR). */
    public void leave() {
        depth--;
    }

    public void close() throws ImapException {
        expect(')');
        depth--;
    }

    public boolean tryClose() {
        if (tryChar(')')) {
            depth--;
            return true;
        }
        return false;
    }

    public String atom() throws ImapException {
        int start = position;
        while (!atEnd() && Chars.isAtomChar(bytes[position])) {
            position++;
        }
        if (position == start) {
            throw missing("atom");
        }
        return ascii(start, position);
    }

    /** Atom characters up to one of {@code stops} (FETCH attribute names such as {@code BODY.PEEK[}). */
    public String atomUntil(String stops) throws ImapException {
        int start = position;
        while (!atEnd() && Chars.isAtomChar(bytes[position]) && stops.indexOf(bytes[position]) < 0) {
            position++;
        }
        if (position == start) {
            throw missing("atom");
        }
        return ascii(start, position);
    }

    /** An atom that may contain "]" (ASTRING-CHAR), as in tags and unquoted mailbox names. */
    private String astringAtom() throws ImapException {
        int start = position;
        while (!atEnd() && Chars.isAstringChar(bytes[position])) {
            position++;
        }
        if (position == start) {
            throw missing("string");
        }
        return ascii(start, position);
    }

    public String astring() throws ImapException {
        int c = peek();
        if (c == '"' || c == '{' || (c == '~' && position + 1 < bytes.length && bytes[position + 1] == '{')) {
            return string();
        }
        return astringAtom();
    }

    /** A mailbox name pattern (RFC 9051 list-mailbox): a string or 1*list-char. */
    public String listMailbox() throws ImapException {
        int c = peek();
        if (c == '"' || c == '{') {
            return string();
        }
        int start = position;
        while (!atEnd() && Chars.isListChar(bytes[position])) {
            position++;
        }
        if (position == start) {
            throw missing("mailbox pattern");
        }
        return ascii(start, position);
    }

    public String string() throws ImapException {
        return new String(stringBytes(), StandardCharsets.UTF_8);
    }

    /** A quoted string or a literal, as bytes (message data, SASL responses). */
    public byte[] stringBytes() throws ImapException {
        int c = peek();
        if (c == '"') {
            return quoted();
        }
        if (c == '{' || (c == '~' && position + 1 < bytes.length && bytes[position + 1] == '{')) {
            return literal();
        }
        throw missing("string");
    }

    /** NIL or a string. */
    public String nstring() throws ImapException {
        if (peekWord("NIL")) {
            position += 3;
            return null;
        }
        return string();
    }

    private byte[] quoted() throws ImapException {
        expect('"');
        byte[] out = new byte[Math.min(64, bytes.length - position)];
        int n = 0;
        while (true) {
            if (atEnd()) {
                throw new ImapException("Unterminated quoted string");
            }
            byte b = bytes[position++];
            if (b == '"') {
                break;
            }
            if (b == '\\') {
                if (atEnd() || (bytes[position] != '"' && bytes[position] != '\\')) {
                    throw new ImapException("Invalid escape in quoted string");
                }
                b = bytes[position++];
            } else if (b == '\r' || b == '\n' || b == 0) {
                throw new ImapException("Control character in quoted string");
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, Math.max(16, n * 2));
            }
            out[n++] = b;
        }
        return Arrays.copyOf(out, n);
    }

    /** {@code {n}}, {@code {n+}}, {@code {n-}} or literal8 {@code ~{n}}, followed by the n bytes the reader spliced in. */
    public byte[] literal() throws ImapException {
        tryChar('~');
        expect('{');
        int start = position;
        while (!atEnd() && bytes[position] >= '0' && bytes[position] <= '9') {
            position++;
        }
        if (position == start) {
            throw new ImapException("Invalid literal");
        }
        if (peek() == '+' || peek() == '-') {
            position++;
        }
        expect('}');
        Integer length = literals.get(position);
        if (length == null) {
            throw new ImapException("Literal not at the end of a line");
        }
        byte[] data = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return data;
    }

    /** number (RFC 9051 §9), or number64 for MODSEQ values. */
    public long number() throws ImapException {
        int start = position;
        while (!atEnd() && bytes[position] >= '0' && bytes[position] <= '9') {
            position++;
        }
        if (position == start) {
            throw missing("number");
        }
        if (position - start > 19) {
            throw new ImapException("Number too large");
        }
        try {
            return Long.parseLong(ascii(start, position));
        } catch (NumberFormatException e) {
            throw new ImapException("Number too large");
        }
    }

    public long nzNumber() throws ImapException {
        long n = number();
        if (n == 0) {
            throw new ImapException("Zero is not allowed here");
        }
        return n;
    }

    /** A 32-bit unsigned number (RFC 9051 nz-number, UIDs, sizes). */
    public long number32() throws ImapException {
        long n = number();
        if (n > 0xffffffffL) {
            throw new ImapException("Number too large");
        }
        return n;
    }

    /** The text of a sequence set (digits, ":", ",", "*", "$"); parse it with {@link SequenceSet#parse}. */
    public String sequenceSetText() throws ImapException {
        int start = position;
        while (!atEnd()) {
            byte b = bytes[position];
            if ((b >= '0' && b <= '9') || b == ':' || b == ',' || b == '*' || b == '$') {
                position++;
            } else {
                break;
            }
        }
        if (position == start) {
            throw missing("sequence set");
        }
        return ascii(start, position);
    }

    /** A flag: {@code \Atom} or a keyword atom (RFC 9051 flag). */
    public String flag() throws ImapException {
        if (tryChar('\\')) {
            if (tryChar('*')) {
                return "\\*";
            }
            return "\\" + atom();
        }
        return atom();
    }

    /** Everything up to the end of the command, raw (AUTHENTICATE initial response, ID values read elsewhere). */
    public String rest() {
        String s = ascii(position, bytes.length);
        position = bytes.length;
        return s;
    }

    public int position() {
        return position;
    }

    public void reset(int to) {
        position = to;
    }

    private ImapException missing(String what) {
        if (atEnd()) {
            return new ImapException("Missing " + what);
        }
        if ((bytes[position] & 0x80) != 0) {
            return new ImapException("8-bit characters are not allowed in an atom; quote the " + what);
        }
        return new ImapException("Expected " + what + " at \"" + context() + "\"");
    }

    private String context() {
        int end = Math.min(bytes.length, position + 20);
        StringBuilder sb = new StringBuilder();
        for (int i = position; i < end; i++) {
            int b = bytes[i] & 0xff;
            sb.append(b >= 0x20 && b < 0x7f && b != '"' ? (char) b : '?');
        }
        return sb.toString();
    }

    private String ascii(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
