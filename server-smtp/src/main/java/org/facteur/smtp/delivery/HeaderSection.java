package org.facteur.smtp.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header section of a spooled message (RFC 5322 §2.2), read without loading the body: fields with their
 * folded continuation lines, and the offset where the body starts.
 */
public final class HeaderSection {

    /** Larger header sections are refused rather than buffered (no real message comes close). */
    public static final int MAX_HEADER_BYTES = 1024 * 1024;

    private final List<String> fields;
    private final long bodyOffset;

    private HeaderSection(List<String> fields, long bodyOffset) {
        this.fields = fields;
        this.bodyOffset = bodyOffset;
    }

    public static HeaderSection read(Path message) throws IOException {
        List<String> fields = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long offset = 0;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(message))) {
            int c;
            while ((c = in.read()) >= 0) {
                offset++;
                if (offset > MAX_HEADER_BYTES) {
                    throw new IOException("header section larger than " + MAX_HEADER_BYTES + " bytes");
                }
                if (c != '\n') {
                    line.write(c);
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                if (text.isEmpty()) {
                    return new HeaderSection(fields, offset);
                }
                if ((text.startsWith(" ") || text.startsWith("\t")) && !fields.isEmpty()) {
                    fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + text);
                } else {
                    fields.add(text);
                }
            }
        }
        // No blank line: the whole message is headers (RFC 5322 allows a message without a body).
        if (line.size() > 0) {
            fields.add(line.toString(StandardCharsets.UTF_8));
        }
        return new HeaderSection(fields, offset);
    }

    /** Every field, each possibly folded over several lines joined by CRLF. */
    public List<String> fields() {
        return fields;
    }

    public long bodyOffset() {
        return bodyOffset;
    }

    public static String name(String field) {
        int colon = field.indexOf(':');
        return (colon < 0 ? field : field.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
    }

    public static String value(String field) {
        int colon = field.indexOf(':');
        return colon < 0 ? "" : field.substring(colon + 1).replace("\r\n", "").strip();
    }

    public List<String> values(String name) {
        return fields.stream().filter(f -> name(f).equals(name.toLowerCase(Locale.ROOT))).map(HeaderSection::value).toList();
    }

    public boolean has(String name) {
        return !values(name).isEmpty();
    }
}
