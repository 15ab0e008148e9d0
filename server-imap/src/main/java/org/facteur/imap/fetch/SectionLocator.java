package org.facteur.imap.fetch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.facteur.storage.MessageStructure;
import org.facteur.storage.MessageStructure.Part;

/**
 * Finds a section's bytes in the stored message from the cached MIME tree's offsets (RFC 9051 §6.4.5 part
 * numbering), so BODY[1.2] reads just that range of the file.
 */
public final class SectionLocator {

    /** A byte range of the stored file; {@code length} 0 for a part that does not exist (sent as an empty string). */
    public record Range(long offset, long length) {
        static final Range EMPTY = new Range(0, 0);
    }

    private SectionLocator() {
    }

    /**
     * The part a path names: for a single-part message "1" is its body; inside a message/rfc822 part the numbers
     * address the embedded message's parts. Null when there is no such part.
     */
    public static Part part(MessageStructure message, List<Integer> path) {
        Part node = message.root();
        for (int i = 0; i < path.size(); i++) {
            int k = path.get(i);
            if (i > 0 && node.message() != null) {
                node = node.message().root();
            }
            if (node.isMultipart()) {
                if (k > node.children().size()) {
                    return null;
                }
                node = node.children().get(k - 1);
            } else if (k != 1) {
                return null;
            }
        }
        return node;
    }

    /** The range for the section; HEADER.FIELDS is filtered afterwards by {@link #filterHeader}. */
    public static Range locate(MessageStructure message, Section section, long messageSize) {
        if (section.path().isEmpty()) {
            Part root = message.root();
            return switch (section.kind()) {
                case ALL -> new Range(0, messageSize);
                case HEADER, HEADER_FIELDS, HEADER_FIELDS_NOT -> new Range(root.headerOffset(), root.bodyOffset() - root.headerOffset());
                case TEXT -> new Range(root.bodyOffset(), Math.min(root.bodySize(), messageSize - root.bodyOffset()));
                case MIME -> Range.EMPTY;
            };
        }
        Part part = part(message, section.path());
        if (part == null) {
            return Range.EMPTY;
        }
        return switch (section.kind()) {
            case ALL -> new Range(part.bodyOffset(), part.bodySize());
            case MIME -> new Range(part.headerOffset(), part.bodyOffset() - part.headerOffset());
            case HEADER, HEADER_FIELDS, HEADER_FIELDS_NOT -> {
                if (part.message() == null) {
                    yield Range.EMPTY;
                }
                Part inner = part.message().root();
                yield new Range(inner.headerOffset(), inner.bodyOffset() - inner.headerOffset());
            }
            case TEXT -> part.message() == null ? Range.EMPTY
                    : new Range(part.message().root().bodyOffset(), part.message().root().bodySize());
        };
    }

    /**
     * HEADER.FIELDS / HEADER.FIELDS.NOT: the matching fields, folded lines kept whole, then the blank line that
     * ends a header (RFC 9051 §6.4.5).
     */
    public static byte[] filterHeader(byte[] header, List<String> names, boolean not) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        boolean keep = false;
        while (i < header.length) {
            int end = i;
            while (end < header.length && header[end] != '\n') {
                end++;
            }
            int next = Math.min(header.length, end + 1);
            int contentEnd = end > i && header[end - 1] == '\r' ? end - 1 : end;
            if (contentEnd == i) {
                break; // the blank line that ends the header
            }
            byte first = header[i];
            if (first != ' ' && first != '\t') {
                int colon = i;
                while (colon < contentEnd && header[colon] != ':') {
                    colon++;
                }
                String name = new String(header, i, colon - i, StandardCharsets.US_ASCII).trim().toUpperCase(Locale.ROOT);
                keep = names.contains(name) != not;
            }
            if (keep) {
                out.write(header, i, contentEnd - i);
                out.write('\r');
                out.write('\n');
            }
            i = next;
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }
}
