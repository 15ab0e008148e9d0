package org.facteur.storage.mime;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header of one MIME entity, located in the stored bytes: where it starts, where its body starts (after
 * the empty line), and its fields unfolded. Tolerant by design: lines without a colon are skipped, bare LF
 * ends lines like CRLF, 8-bit bytes are read as UTF-8 when they are valid UTF-8 (RFC 6532) and as Latin-1
 * otherwise, NUL bytes are kept, a header without an empty line after it runs to the end of the entity.
 */
public final class HeaderBlock {

    public record Field(String name, String value) {
    }

    private final List<Field> fields;
    private final long bodyOffset;

    private HeaderBlock(List<Field> fields, long bodyOffset) {
        this.fields = fields;
        this.bodyOffset = bodyOffset;
    }

    /** Most header bytes read per entity; the rest of an absurd header is treated as body. */
    static final int MAX_HEADER_BYTES = 1 << 20;

    public static HeaderBlock parse(ByteBuffer buf, long start, long end) {
        List<Field> fields = new ArrayList<>();
        long pos = start;
        StringBuilder current = null;
        long limit = Math.min(end, start + MAX_HEADER_BYTES);
        long bodyOffset = end;
        while (pos < limit) {
            long eol = indexOf(buf, (byte) '\n', pos, end);
            long lineEnd = eol < 0 ? end : eol;
            long contentEnd = lineEnd;
            if (contentEnd > pos && buf.get((int) (contentEnd - 1)) == '\r') {
                contentEnd--;
            }
            long next = eol < 0 ? end : eol + 1;
            if (contentEnd == pos) {
                // the empty line: the body starts after it (RFC 5322 §2.1)
                bodyOffset = next;
                flush(current, fields);
                current = null;
                return new HeaderBlock(fields, bodyOffset);
            }
            String line = decode(buf, pos, contentEnd);
            char first = line.charAt(0);
            if ((first == ' ' || first == '\t') && current != null) {
                current.append(line); // unfold (RFC 5322 §2.2.3): drop the CRLF, keep the white space
            } else {
                flush(current, fields);
                current = line.indexOf(':') > 0 ? new StringBuilder(line) : null;
            }
            pos = next;
        }
        flush(current, fields);
        return new HeaderBlock(fields, pos >= end ? end : pos);
    }

    private static void flush(StringBuilder line, List<Field> into) {
        if (line == null) {
            return;
        }
        int colon = line.indexOf(":");
        String name = line.substring(0, colon).trim();
        if (name.isEmpty() || name.indexOf(' ') >= 0) {
            return;
        }
        into.add(new Field(name, line.substring(colon + 1).trim()));
    }

    static long indexOf(ByteBuffer buf, byte b, long from, long end) {
        for (long i = from; i < end; i++) {
            if (buf.get((int) i) == b) {
                return i;
            }
        }
        return -1;
    }

    static String decode(ByteBuffer buf, long from, long to) {
        byte[] bytes = new byte[(int) (to - from)];
        boolean ascii = true;
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = buf.get((int) from + i);
            ascii &= bytes[i] >= 0;
        }
        if (ascii) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** Messages up to this size are parsed from the heap; larger ones from a mapping of their file. */
    public static final int IN_HEAP_LIMIT = 1 << 20;

    /**
     * The bytes of a message file: read into the heap when small (most mail; cheaper than a mapping), mapped
     * when large so that a 50 MB attachment costs no heap.
     */
    public static ByteBuffer load(java.nio.channels.FileChannel ch, long size) throws java.io.IOException {
        if (size == 0) {
            return ByteBuffer.allocate(0);
        }
        if (size <= IN_HEAP_LIMIT) {
            ByteBuffer b = ByteBuffer.allocate((int) size);
            while (b.hasRemaining() && ch.read(b, b.position()) >= 0) {
                // read until full or end of file
            }
            b.flip(); // a file that shrank meanwhile gives fewer bytes, never garbage
            return b;
        }
        return ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, size);
    }

    public List<Field> fields() {
        return fields;
    }

    public long bodyOffset() {
        return bodyOffset;
    }

    /** The first field of that name (case-insensitive), or null. */
    public String get(String name) {
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name)) {
                return f.value;
            }
        }
        return null;
    }

    public List<String> getAll(String name) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name)) {
                out.add(f.value);
            }
        }
        return out;
    }

    public static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
