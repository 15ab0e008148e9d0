package org.facteur.storage.mime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.codec.EncoderUtil;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.field.ContentDispositionField;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.field.ContentDispositionFieldLenientImpl;
import org.apache.james.mime4j.field.ContentTypeFieldLenientImpl;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.stream.RawField;
import org.facteur.storage.MessageStructure;
import org.facteur.storage.MessageStructure.Envelope;
import org.facteur.storage.MessageStructure.Part;

/**
 * Builds a {@link MessageStructure} from the stored bytes, with exact byte offsets for IMAP BODY[section]
 * partial fetches. Mime4J parses the header fields (Content-Type, Content-Disposition, addresses); the entity
 * boundaries are found here, because Mime4J's event parser does not report byte offsets.
 *
 * <p>It never throws on bad input: a header without an empty line ends the entity; a multipart whose boundary
 * is missing or never found is shown with one text/plain part covering its body; nesting deeper than
 * {@code maxDepth} is shown as an opaque application/octet-stream part. Bare LF ends lines like CRLF.
 */
public final class StructureParser {

    private final int maxDepth;

    public StructureParser(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    public MessageStructure parse(ByteBuffer buf) {
        return parseMessage(buf, 0, buf.limit(), 0);
    }

    /** Parses and returns the top header too (the index extracts sort keys from it). */
    public Parsed parseWithHeader(ByteBuffer buf) {
        HeaderBlock header = HeaderBlock.parse(buf, 0, buf.limit());
        MessageStructure s = new MessageStructure(envelope(header), part(buf, 0, buf.limit(), header, 0, false));
        return new Parsed(s, header);
    }

    public record Parsed(MessageStructure structure, HeaderBlock header) {
    }

    private MessageStructure parseMessage(ByteBuffer buf, long start, long end, int depth) {
        HeaderBlock header = HeaderBlock.parse(buf, start, end);
        return new MessageStructure(envelope(header), part(buf, start, end, header, depth, false));
    }

    private Part part(ByteBuffer buf, long start, long end, HeaderBlock header, int depth, boolean inDigest) {
        long bodyOffset = Math.min(header.bodyOffset(), end);
        long bodySize = end - bodyOffset;
        String type;
        String subtype;
        Map<String, String> params = new LinkedHashMap<>();
        String ctRaw = header.get("Content-Type");
        ContentTypeField ct = null;
        if (ctRaw != null) {
            try {
                ct = ContentTypeFieldLenientImpl.PARSER.parse(new RawField("Content-Type", ctRaw), DecodeMonitor.SILENT);
            } catch (RuntimeException e) {
                ct = null;
            }
        }
        if (ct != null && ct.getMediaType() != null && !ct.getMediaType().isEmpty() && ct.getSubType() != null
                && !ct.getSubType().isEmpty()) {
            type = ct.getMediaType().toLowerCase(Locale.ROOT);
            subtype = ct.getSubType().toLowerCase(Locale.ROOT);
            ct.getParameters().forEach((k, v) -> params.put(k.toLowerCase(Locale.ROOT), v));
        } else if (inDigest) {
            type = "message"; // RFC 2046 §5.1.5: the default inside multipart/digest
            subtype = "rfc822";
        } else {
            type = "text"; // RFC 2045 §5.2
            subtype = "plain";
            params.put("charset", "us-ascii");
        }
        String encoding = header.get("Content-Transfer-Encoding");
        encoding = encoding == null || encoding.isBlank() ? "7BIT" : encoding.trim();
        String disposition = null;
        Map<String, String> dispositionParams = new LinkedHashMap<>();
        String cdRaw = header.get("Content-Disposition");
        if (cdRaw != null) {
            try {
                ContentDispositionField cd = ContentDispositionFieldLenientImpl.PARSER.parse(
                        new RawField("Content-Disposition", cdRaw), DecodeMonitor.SILENT);
                if (cd.getDispositionType() != null && !cd.getDispositionType().isEmpty()) {
                    disposition = cd.getDispositionType();
                    cd.getParameters().forEach((k, v) -> dispositionParams.put(k.toLowerCase(Locale.ROOT), v));
                }
            } catch (RuntimeException e) {
                disposition = null;
            }
        }
        List<String> language = new ArrayList<>();
        String lang = header.get("Content-Language");
        if (lang != null) {
            for (String l : lang.split(",")) {
                if (!l.isBlank()) {
                    language.add(l.trim());
                }
            }
        }
        List<Part> children = List.of();
        MessageStructure message = null;
        boolean tooDeep = depth >= maxDepth;
        if (type.equals("multipart") && tooDeep) {
            type = "application";
            subtype = "octet-stream";
        } else if (type.equals("multipart")) {
            children = multipartChildren(buf, bodyOffset, end, params.get("boundary"), depth,
                    subtype.equals("digest"));
            if (children.isEmpty()) {
                // A multipart needs at least one part (RFC 9051 BODYSTRUCTURE); its body is shown as text.
                HeaderBlock none = HeaderBlock.parse(buf, bodyOffset, bodyOffset);
                children = List.of(textPart(bodyOffset, end, buf, none));
            }
        } else if (type.equals("message") && (subtype.equals("rfc822") || subtype.equals("global"))
                && !tooDeep) {
            message = parseMessage(buf, bodyOffset, end, depth + 1);
        }
        return new Part(type, subtype, params, header.get("Content-ID"), header.get("Content-Description"),
                encoding, header.get("Content-MD5"), disposition, dispositionParams, language,
                header.get("Content-Location"), start, bodyOffset, bodySize, lines(buf, bodyOffset, end), children,
                message);
    }

    private Part textPart(long start, long end, ByteBuffer buf, HeaderBlock empty) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("charset", "us-ascii");
        return new Part("text", "plain", params, null, null, "7BIT", null, null, Map.of(), List.of(), null,
                start, start, end - start, lines(buf, start, end), List.of(), null);
    }

    /** Splits a multipart body at its delimiter lines (RFC 2046 §5.1.1). */
    private List<Part> multipartChildren(ByteBuffer buf, long start, long end, String boundary, int depth,
                                         boolean digest) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
            return List.of();
        }
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        long partStart = -1;
        long pos = start;
        while (pos < end) {
            long eol = HeaderBlock.indexOf(buf, (byte) '\n', pos, end);
            long next = eol < 0 ? end : eol + 1;
            if (startsWith(buf, pos, end, delim)) {
                long after = pos + delim.length;
                boolean close = after + 1 < end && buf.get((int) after) == '-' && buf.get((int) after + 1) == '-';
                if (close || onlyWhiteSpace(buf, after, eol < 0 ? end : eol)) {
                    if (partStart >= 0) {
                        // the CRLF before the delimiter belongs to the delimiter
                        long partEnd = pos;
                        if (partEnd > partStart && buf.get((int) partEnd - 1) == '\n') {
                            partEnd--;
                            if (partEnd > partStart && buf.get((int) partEnd - 1) == '\r') {
                                partEnd--;
                            }
                        }
                        parts.add(child(buf, partStart, partEnd, depth, digest));
                    }
                    if (close) {
                        return parts;
                    }
                    partStart = next;
                }
            }
            pos = next;
        }
        if (partStart >= 0 && partStart <= end) {
            parts.add(child(buf, partStart, end, depth, digest)); // no close delimiter: the last part runs to the end
        }
        return parts;
    }

    private Part child(ByteBuffer buf, long start, long end, int depth, boolean digest) {
        return part(buf, start, end, HeaderBlock.parse(buf, start, end), depth + 1, digest);
    }

    private static boolean startsWith(ByteBuffer buf, long pos, long end, byte[] prefix) {
        if (end - pos < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf.get((int) pos + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean onlyWhiteSpace(ByteBuffer buf, long from, long to) {
        for (long i = from; i < to; i++) {
            byte b = buf.get((int) i);
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    static long lines(ByteBuffer buf, long from, long to) {
        long n = 0;
        for (long i = from; i < to; i++) {
            if (buf.get((int) i) == '\n') {
                n++;
            }
        }
        if (to > from && buf.get((int) to - 1) != '\n') {
            n++;
        }
        return n;
    }

    private static Envelope envelope(HeaderBlock h) {
        List<MessageStructure.Address> from = addresses(h.get("From"));
        List<MessageStructure.Address> sender = addresses(h.get("Sender"));
        List<MessageStructure.Address> replyTo = addresses(h.get("Reply-To"));
        // RFC 9051 §7.5.2: the server defaults Sender and Reply-To to From.
        return new Envelope(h.get("Date"), h.get("Subject"), from, sender == null ? from : sender,
                replyTo == null ? from : replyTo, addresses(h.get("To")), addresses(h.get("Cc")),
                addresses(h.get("Bcc")), h.get("In-Reply-To"), h.get("Message-ID"));
    }

    /** IMAP address list of a header value; null when the header is absent or holds no address. */
    static List<MessageStructure.Address> addresses(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        AddressList list;
        try {
            list = LenientAddressParser.DEFAULT.parseAddressList(value);
        } catch (RuntimeException e) {
            return null;
        }
        List<MessageStructure.Address> out = new ArrayList<>();
        for (Address a : list) {
            if (a instanceof Mailbox m) {
                out.add(address(m, value));
            } else if (a instanceof Group g) {
                out.add(new MessageStructure.Address(null, null, g.getName(), null));
                for (Mailbox m : g.getMailboxes()) {
                    out.add(address(m, value));
                }
                out.add(new MessageStructure.Address(null, null, null, null));
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static MessageStructure.Address address(Mailbox m, String rawList) {
        String name = m.getName();
        if (name == null) {
            name = trailingComment(rawList, m.getAddress());
        }
        if (name != null && !isAscii(name)) {
            // Mime4J decodes RFC 2047 names; IMAP wants them as in the message, so encode again.
            name = EncoderUtil.encodeEncodedWord(name, EncoderUtil.Usage.TEXT_TOKEN);
        }
        String route = m.getRoute() == null || m.getRoute().isEmpty() ? null : m.getRoute().toRouteString();
        String domain = m.getDomain();
        return new MessageStructure.Address(name, route, m.getLocalPart(),
                domain == null || domain.isEmpty() ? null : domain);
    }

    /**
     * The comment right after an addr-spec that has no display name, as in {@code user@domain (Real Name)}: the
     * old RFC 822 way of naming a mailbox (RFC 5322 §3.4 keeps it readable as a comment), which Dovecot and
     * imaptest take as the ENVELOPE name. Null when there is none. Mime4J drops comments, so this reads the raw
     * header value.
     */
    static String trailingComment(String rawList, String addrSpec) {
        if (addrSpec == null || addrSpec.isEmpty()) {
            return null;
        }
        int at = rawList.toLowerCase(java.util.Locale.ROOT).indexOf(addrSpec.toLowerCase(java.util.Locale.ROOT));
        if (at < 0) {
            return null;
        }
        int i = at + addrSpec.length();
        if (i < rawList.length() && rawList.charAt(i) == '>') {
            i++;
        }
        while (i < rawList.length() && (rawList.charAt(i) == ' ' || rawList.charAt(i) == '\t')) {
            i++;
        }
        if (i >= rawList.length() || rawList.charAt(i) != '(') {
            return null;
        }
        // RFC 5322 §3.2.2: comments nest and may hold quoted-pairs
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (; i < rawList.length(); i++) {
            char ch = rawList.charAt(i);
            if (ch == '\\' && i + 1 < rawList.length()) {
                text.append(rawList.charAt(++i));
                continue;
            }
            if (ch == '(' && depth++ == 0) {
                continue;
            }
            if (ch == ')' && --depth == 0) {
                String name = text.toString().strip();
                return name.isEmpty() ? null : name;
            }
            text.append(ch);
        }
        return null; // unbalanced: no name rather than a guess
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** RFC 2047 decoding for display, tolerant. */
    public static String decodeHeader(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return raw;
        }
    }
}
