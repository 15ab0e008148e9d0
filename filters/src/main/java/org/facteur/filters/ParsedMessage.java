package org.facteur.filters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * The message parsed once at end of data (Mime4J's stream parser, lenient: real mail is often broken) and
 * shared by every content filter through {@link #of(FilterContext, MessageData)}. It keeps what the filters
 * read: the top-level header fields (unfolded and RFC 2047 decoded), each leaf part with its decoded bytes
 * (bounded), the rendered text of text parts (HTML turned to text), the unrendered decoded text, and URIs.
 */
public final class ParsedMessage {

    /** Where the parse is cached within a transaction. */
    private static final String NOTE = ParsedMessage.class.getName();

    /** Bytes kept per part and for the whole message: beyond this, parts are marked truncated. */
    public record Limits(int maxPartBytes, long maxTotalBytes, int maxTextChars, int maxHeaders) {
        public static final Limits DEFAULT = new Limits(25 << 20, 64L << 20, 400_000, 2000);
    }

    /** One header field: {@code value} is unfolded and decoded (RFC 2047), {@code raw} unfolded only. */
    public record Header(String name, String raw, String value) {
    }

    /**
     * A leaf part. {@code content} holds the decoded bytes (up to the limits; {@code truncated} says when
     * more was there); {@code size} is the decoded size seen.
     */
    public record Part(List<Header> headers, String mimeType, String charset, String filename, boolean attachment,
                       int depth, byte[] content, long size, boolean truncated) {

        public String header(String name) {
            for (Header h : headers) {
                if (h.name().equalsIgnoreCase(name)) {
                    return h.value();
                }
            }
            return null;
        }

        public boolean isText() {
            return mimeType.startsWith("text/");
        }

        public String decodedText() {
            return new String(content, ParsedMessage.charset(charset));
        }
    }

    private final List<Header> headers;
    private final List<Part> parts;
    private final String text;
    private final String rawText;
    private final List<String> uris;
    private final boolean malformed;

    private ParsedMessage(List<Header> headers, List<Part> parts, String text, String rawText, List<String> uris,
                          boolean malformed) {
        this.headers = headers;
        this.parts = parts;
        this.text = text;
        this.rawText = rawText;
        this.uris = uris;
        this.malformed = malformed;
    }

    /** The parse of this transaction's message, made on first use and shared by the following filters. */
    public static ParsedMessage of(FilterContext context, MessageData message) throws IOException {
        Object cached = context.transactionNotes().get(NOTE);
        if (cached instanceof ParsedMessage parsed && context.transactionNotes().get(NOTE + ".file") == message.file()) {
            return parsed;
        }
        ParsedMessage parsed;
        try (InputStream in = message.open()) {
            parsed = parse(in, Limits.DEFAULT);
        }
        context.transactionNotes().put(NOTE, parsed);
        context.transactionNotes().put(NOTE + ".file", message.file());
        return parsed;
    }

    public static ParsedMessage parse(byte[] message) {
        try {
            return parse(new java.io.ByteArrayInputStream(message), Limits.DEFAULT);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ParsedMessage parse(InputStream in, Limits limits) throws IOException {
        MimeConfig config = MimeConfig.custom()
                .setStrictParsing(false)
                .setMaxLineLen(-1)
                .setMaxHeaderLen(-1)
                .setMaxHeaderCount(limits.maxHeaders())
                .setMaxContentLen(-1)
                .build();
        MimeStreamParser parser = new MimeStreamParser(config);
        parser.setContentDecoding(true);
        parser.setRecurse();
        Collector collector = new Collector(limits);
        parser.setContentHandler(collector);
        boolean malformed = false;
        try {
            parser.parse(in);
        } catch (MimeException e) {
            // Keep what was read: a broken message is still scanned as far as it goes.
            malformed = true;
        }
        return collector.finish(malformed);
    }

    public List<Header> headers() {
        return headers;
    }

    /** The first top-level header of that name (decoded), or null. */
    public String header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    public List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                values.add(h.value());
            }
        }
        return values;
    }

    public List<Part> parts() {
        return parts;
    }

    /** Decoded text of the text parts, HTML rendered to text: what a reader sees (SpamAssassin's body). */
    public String text() {
        return text;
    }

    /** Decoded text parts with HTML markup kept (SpamAssassin's rawbody). */
    public String rawText() {
        return rawText;
    }

    /** Links found in the text and HTML parts, in order, without duplicates. */
    public List<String> uris() {
        return uris;
    }

    /** Whether the parser stopped early on broken MIME. */
    public boolean malformed() {
        return malformed;
    }

    static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.ISO_8859_1;
        }
        try {
            return Charset.forName(name.trim().replace("\"", ""));
        } catch (RuntimeException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    /** RFC 5322 §2.2.3: unfolding removes the CRLF before folding white space. */
    static String unfold(String value) {
        if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\r' && c != '\n') {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String decode(String value) {
        if (!value.contains("=?")) {
            return value;
        }
        try {
            return DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return value;
        }
    }

    private static final Pattern PARAM = Pattern.compile(
            "(?i)(?:^|;)\\s*(filename\\*?|name\\*?)(?:\\*\\d+\\*?)?\\s*=\\s*(\"[^\"]*\"|[^;\\s]*)");

    /** The file name from Content-Disposition's filename or Content-Type's name (RFC 2183, RFC 2231 simplified). */
    static String filename(String disposition, String contentType) {
        String name = param(disposition);
        if (name == null) {
            name = param(contentType);
        }
        return name;
    }

    private static String param(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = PARAM.matcher(header);
        StringBuilder joined = null;
        boolean extended = false;
        while (m.find()) {
            String value = m.group(2);
            if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
                value = value.substring(1, value.length() - 1);
            }
            if (m.group(0).contains("*")) {
                extended = true;
            }
            if (joined == null) {
                joined = new StringBuilder();
            }
            joined.append(value);
            if (!m.group(0).contains("*")) {
                break;
            }
        }
        if (joined == null) {
            return null;
        }
        String value = joined.toString();
        if (extended) {
            // RFC 2231 §4: charset'language'percent-encoded
            int first = value.indexOf('\'');
            int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
            String encoded = second < 0 ? value : value.substring(second + 1);
            Charset cs = first <= 0 ? StandardCharsets.UTF_8 : charset(value.substring(0, first));
            try {
                value = java.net.URLDecoder.decode(encoded.replace("+", "%2B"), cs);
            } catch (RuntimeException e) {
                value = encoded;
            }
        }
        return decode(value);
    }

    private static final Pattern URL = Pattern.compile(
            "(?i)\\b((?:https?://|www\\.)[^\\s<>\"'()\\[\\]{}]{2,500})");

    private static final class Collector extends AbstractContentHandler {
        private final Limits limits;
        private final List<Header> top = new ArrayList<>();
        private List<Header> current = top;
        private final List<Part> parts = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private final StringBuilder rawText = new StringBuilder();
        private final Set<String> uris = new LinkedHashSet<>();
        private int depth;
        private long total;
        private int headerBlocks;

        Collector(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void startMessage() {
            depth++;
        }

        @Override
        public void endMessage() {
            depth--;
        }

        @Override
        public void startHeader() {
            current = headerBlocks++ == 0 ? top : new ArrayList<>();
        }

        @Override
        public void field(Field field) {
            String raw = unfold(field.getBody() == null ? "" : field.getBody()).strip();
            current.add(new Header(field.getName(), raw, decode(raw)));
        }

        @Override
        public void body(BodyDescriptor bd, InputStream is) throws IOException {
            List<Header> partHeaders = current == top ? top : List.copyOf(current);
            String mimeType = bd.getMimeType() == null ? "text/plain" : bd.getMimeType().toLowerCase(Locale.ROOT);
            String disposition = headerOf(partHeaders, "Content-Disposition");
            String filename = filename(disposition, headerOf(partHeaders, "Content-Type"));
            boolean attachment = filename != null
                    || (disposition != null && disposition.toLowerCase(Locale.ROOT).startsWith("attachment"));
            long room = Math.max(0, Math.min(limits.maxPartBytes(), limits.maxTotalBytes() - total));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            long size = 0;
            int n;
            while ((n = is.read(buffer)) > 0) {
                if (size < room) {
                    out.write(buffer, 0, (int) Math.min(n, room - size));
                }
                size += n;
            }
            byte[] content = out.toByteArray();
            total += content.length;
            Part part = new Part(partHeaders, mimeType, bd.getCharset(), filename, attachment, depth, content, size,
                    size > content.length);
            parts.add(part);
            if (!attachment && (mimeType.equals("text/plain") || mimeType.equals("text/html")
                    || mimeType.equals("text/enriched"))) {
                addText(part);
            }
        }

        private void addText(Part part) {
            int room = limits.maxTextChars() - rawText.length();
            if (room <= 0) {
                return;
            }
            String decoded = part.decodedText();
            if (decoded.length() > room) {
                decoded = decoded.substring(0, room);
            }
            rawText.append(decoded).append('\n');
            if (part.mimeType().equals("text/html")) {
                List<String> links = new ArrayList<>();
                text.append(HtmlText.render(decoded, links)).append('\n');
                uris.addAll(links);
            } else {
                text.append(decoded).append('\n');
            }
            Matcher m = URL.matcher(decoded);
            while (m.find() && uris.size() < 500) {
                uris.add(m.group(1));
            }
        }

        private static String headerOf(List<Header> headers, String name) {
            for (Header h : headers) {
                if (h.name().equalsIgnoreCase(name)) {
                    return h.raw();
                }
            }
            return null;
        }

        ParsedMessage finish(boolean malformed) {
            return new ParsedMessage(List.copyOf(top), Collections.unmodifiableList(parts), text.toString(),
                    rawText.toString(), List.copyOf(uris), malformed);
        }
    }
}
