package org.facteur.storage.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.facteur.storage.MessageStructure;
import org.facteur.storage.MessageStructure.Part;
import org.jsoup.Jsoup;

/**
 * The searchable text of a message: header values decoded (RFC 2047), text parts decoded from their transfer
 * encoding and charset, HTML reduced to its text with jsoup, attachment file names. Bounded by
 * {@code maxBytes} of text; never throws for bad content.
 */
public final class TextExtractor {

    /** @param header decoded values of the searchable headers, keyed by lower-case name (from, to, cc, bcc, subject, message-id) */
    public record Extracted(String headers, String body, List<String> attachmentNames,
                            java.util.Map<String, String> header) {
    }

    public static final List<String> SEARCHED_HEADERS = List.of("from", "to", "cc", "bcc", "subject", "message-id");

    private final StructureParser parser;
    private final int maxChars;

    public TextExtractor(StructureParser parser, int maxBytes) {
        this.parser = parser;
        this.maxChars = maxBytes;
    }

    public Extracted extract(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = HeaderBlock.load(ch, ch.size());
            return extract(buf, parser.parseWithHeader(buf));
        }
    }

    /**
     * The text of a message already loaded and parsed: a delivery parses its file once, before its commit, and
     * hands this to the full-text index instead of having it read and parse the file again.
     */
    public Extracted extract(ByteBuffer buf, StructureParser.Parsed parsed) {
        StringBuilder headers = new StringBuilder();
        for (HeaderBlock.Field f : parsed.header().fields()) {
            headers.append(f.name()).append(": ").append(StructureParser.decodeHeader(f.value())).append('\n');
            if (headers.length() > 65536) {
                break;
            }
        }
        StringBuilder body = new StringBuilder();
        List<String> names = new ArrayList<>();
        walk(buf, parsed.structure().root(), body, names, 0);
        java.util.Map<String, String> header = new java.util.HashMap<>();
        for (String h : SEARCHED_HEADERS) {
            List<String> all = parsed.header().getAll(h);
            header.put(h, all.isEmpty() ? "" : StructureParser.decodeHeader(String.join(", ", all)));
        }
        return new Extracted(headers.toString(), body.toString(), names, header);
    }

    private void walk(ByteBuffer buf, Part p, StringBuilder body, List<String> names, int depth) {
        if (depth > 64 || body.length() >= maxChars) {
            return;
        }
        String name = p.dispositionParameters().get("filename");
        if (name == null) {
            name = p.parameters().get("name");
        }
        if (name != null) {
            names.add(StructureParser.decodeHeader(name));
        }
        if (!p.children().isEmpty()) {
            for (Part c : p.children()) {
                walk(buf, c, body, names, depth + 1);
            }
            return;
        }
        if (p.message() != null) {
            MessageStructure m = p.message();
            if (m.envelope().subject() != null) {
                body.append(StructureParser.decodeHeader(m.envelope().subject())).append('\n');
            }
            walk(buf, m.root(), body, names, depth + 1);
            return;
        }
        boolean attachment = "attachment".equalsIgnoreCase(p.disposition());
        if (!p.type().equals("text") || attachment && !p.subtype().equals("plain")) {
            return;
        }
        String text = decodeText(buf, p);
        if (p.subtype().equals("html")) {
            try {
                text = Jsoup.parse(text).text();
            } catch (RuntimeException e) {
                // keep the raw text
            }
        }
        int room = maxChars - body.length();
        body.append(text, 0, Math.min(text.length(), Math.max(0, room))).append('\n');
    }

    /** The decoded text of a leaf part; never throws. */
    public static String decodeText(ByteBuffer buf, Part p) {
        int len = (int) Math.min(p.bodySize(), 32L << 20);
        Charset charset = charset(p.parameters().get("charset"));
        String encoding = p.encoding() == null ? "" : p.encoding().trim();
        if (buf.hasArray() && !encoding.equalsIgnoreCase("base64") && !encoding.equalsIgnoreCase("quoted-printable")) {
            // 7bit, 8bit, binary or unknown: the bytes are the text, decoded straight from the message's array
            return new String(buf.array(), buf.arrayOffset() + (int) p.bodyOffset(), len, charset);
        }
        byte[] raw = new byte[len];
        for (int i = 0; i < len; i++) {
            raw[i] = buf.get((int) p.bodyOffset() + i);
        }
        byte[] decoded;
        try (InputStream in = decoder(new ByteArrayInputStream(raw), p.encoding())) {
            decoded = in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            decoded = raw;
        }
        return new String(decoded, charset);
    }

    static InputStream decoder(InputStream in, String encoding) {
        String e = encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "base64" -> new Base64InputStream(in, DecodeMonitor.SILENT);
            case "quoted-printable" -> new QuotedPrintableInputStream(in, DecodeMonitor.SILENT);
            default -> in;
        };
    }

    static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        try {
            String n = name.trim().replace("\"", "");
            if (n.equalsIgnoreCase("us-ascii") || n.equalsIgnoreCase("ascii")) {
                return StandardCharsets.UTF_8; // 8-bit text labelled ASCII is usually UTF-8
            }
            return Charset.forName(n);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
