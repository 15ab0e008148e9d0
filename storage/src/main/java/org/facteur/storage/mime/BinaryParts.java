package org.facteur.storage.mime;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.facteur.storage.MessageStructure;

/**
 * Re-encodes the parts of a message that cannot travel in an IMAP literal. A client may APPEND binary content
 * with a literal8 (RFC 3516 §4.4), but a NUL byte may never be sent in an ordinary literal (RFC 9051 §4.3), so
 * {@code BODY[]} could not return such a message as it came. As Dovecot does, each leaf part whose body holds a
 * NUL (Content-Transfer-Encoding binary, or mislabelled) is stored in base64 instead; {@code BINARY[]} decodes it
 * back to the same bytes. Every other byte of the message is kept.
 */
public final class BinaryParts {

    private static final Pattern CTE_FIELD =
            Pattern.compile("(?im)^Content-Transfer-Encoding[ \\t]*:.*(?:\\r?\\n[ \\t].*)*\\r?\\n");

    private BinaryParts() {
    }

    /** The message itself when it holds no NUL byte (nearly always), else a copy with those parts in base64. */
    public static byte[] encodeForLiterals(byte[] message, StructureParser parser) {
        if (indexOfNul(message, 0, message.length) < 0) {
            return message;
        }
        List<MessageStructure.Part> parts = new ArrayList<>();
        collect(parser.parse(ByteBuffer.wrap(message)).root(), message, parts);
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length * 4 / 3 + 256);
        int at = 0;
        for (MessageStructure.Part p : parts) {
            int header = (int) p.headerOffset();
            int body = (int) p.bodyOffset();
            int end = (int) (p.bodyOffset() + p.bodySize());
            out.write(message, at, header - at);
            String fields = new String(message, header, body - header, StandardCharsets.ISO_8859_1);
            Matcher cte = CTE_FIELD.matcher(fields);
            String replacement = "Content-Transfer-Encoding: base64\r\n";
            fields = cte.find() ? fields.substring(0, cte.start()) + replacement + fields.substring(cte.end())
                    : replacement + fields;
            out.writeBytes(fields.getBytes(StandardCharsets.ISO_8859_1));
            byte[] decoded = java.util.Arrays.copyOfRange(message, body, end);
            out.writeBytes(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encode(decoded));
            out.writeBytes(new byte[] {'\r', '\n'});
            at = end;
        }
        out.write(message, at, message.length - at);
        return out.toByteArray();
    }

    /**
     * Leaf parts with a NUL in their body, in file order. Embedded messages are looked into; a message/* part
     * itself cannot be base64 (RFC 2046 §5.2.1), and neither can a multipart.
     */
    private static void collect(MessageStructure.Part part, byte[] message, List<MessageStructure.Part> into) {
        if (part.isMultipart()) {
            part.children().forEach(c -> collect(c, message, into));
        } else if (part.message() != null) {
            collect(part.message().root(), message, into);
        } else {
            int body = (int) part.bodyOffset();
            if (indexOfNul(message, body, (int) Math.min(message.length, body + part.bodySize())) >= 0) {
                into.add(part);
            }
        }
    }

    private static int indexOfNul(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
