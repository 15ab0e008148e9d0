package org.facteur.webmail.mail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.field.address.ParseException;
import org.apache.james.mime4j.message.BodyPartBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.message.MultipartBuilder;
import org.apache.james.mime4j.stream.RawField;

/**
 * Writes a {@link Draft} as an RFC 5322 message with MIME (RFC 2045-2049): a text/plain UTF-8 body, and a
 * multipart/mixed with the uploads when there are any. Also builds the reply and forward drafts with quoting.
 */
public final class MessageComposer {

    private MessageComposer() {
    }

    /** The written message and the envelope recipients (To, Cc and Bcc; Bcc never appears in the header). */
    public record Composed(byte[] message, List<String> recipients, String messageId) {
    }

    public static Composed compose(Draft draft, String host) throws IOException {
        List<Address> to = parse(draft.to());
        List<Address> cc = parse(draft.cc());
        List<Address> bcc = parse(draft.bcc());
        Message.Builder builder = Message.Builder.of()
                .setFrom(new Mailbox(draft.fromName() == null || draft.fromName().isBlank() ? null : draft.fromName(),
                        localPart(draft.fromAddress()), domain(draft.fromAddress())))
                .setDate(new Date())
                .generateMessageId(host)
                .setSubject(draft.subject() == null ? "" : draft.subject());
        if (!to.isEmpty()) {
            builder.setTo(to);
        }
        if (!cc.isEmpty()) {
            builder.setCc(cc);
        }
        if (draft.inReplyTo() != null && !draft.inReplyTo().isBlank()) {
            builder.setField(new RawField("In-Reply-To", draft.inReplyTo()));
        }
        if (draft.references() != null && !draft.references().isBlank()) {
            builder.setField(new RawField("References", draft.references()));
        }
        String text = normaliseLineEnds(draft.body() == null ? "" : draft.body());
        if (draft.attachments().isEmpty()) {
            builder.setBody(text, "plain", StandardCharsets.UTF_8);
            builder.setContentTransferEncoding("quoted-printable");
        } else {
            MultipartBuilder mixed = MultipartBuilder.create("mixed");
            mixed.addBodyPart(BodyPartBuilder.create().setBody(text, "plain", StandardCharsets.UTF_8)
                    .setContentTransferEncoding("quoted-printable"));
            for (Draft.Upload upload : draft.attachments()) {
                mixed.addBodyPart(attachment(upload));
            }
            builder.setBody(mixed.build());
        }
        Message message = builder.build();
        byte[] bytes = DefaultMessageWriter.asBytes(message);
        List<String> recipients = new ArrayList<>();
        for (List<Address> list : List.of(to, cc, bcc)) {
            recipients.addAll(bare(list));
        }
        return new Composed(bytes, recipients, message.getMessageId());
    }

    /**
     * One attached file, in base64; a forwarded message (message/rfc822) goes as it is, since RFC 2046 §5.2.1
     * allows no encoding but 7bit, 8bit or binary for it. One that SMTP could not carry that way (a NUL, a bare
     * CR, a line above 998 octets, RFC 5322 §2.1.1) is attached as a file instead (application/octet-stream).
     */
    static BodyPartBuilder attachment(Draft.Upload upload) throws IOException {
        String type = upload.mimeType() == null || upload.mimeType().isBlank() ? "application/octet-stream" : upload.mimeType();
        byte[] data = upload.data();
        String encoding = "base64";
        if (type.equalsIgnoreCase(MESSAGE_RFC822)) {
            data = crlf(data);
            Optional<String> identity = identityEncoding(data);
            if (identity.isPresent()) {
                encoding = identity.get();
            } else {
                type = "application/octet-stream";
            }
        }
        return BodyPartBuilder.create().setBody(data, type).setContentTransferEncoding(encoding)
                .setContentDisposition("attachment", upload.filename());
    }

    static final String MESSAGE_RFC822 = "message/rfc822";

    /** Bare LF line ends (as some stores keep them) become CRLF. */
    static byte[] crlf(byte[] data) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(data.length + data.length / 40);
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(data[i]);
        }
        return out.toByteArray();
    }

    /** "7bit" or "8bit" when SMTP can carry {@code data} unencoded (RFC 2045 §2.7, §2.8), else empty. */
    static Optional<String> identityEncoding(byte[] data) {
        boolean eightBit = false;
        int lineLength = 0;
        for (int i = 0; i < data.length; i++) {
            byte b = data[i];
            if (b == 0 || (b == '\r' && (i + 1 == data.length || data[i + 1] != '\n'))) {
                return Optional.empty();
            }
            if (b == '\n') {
                lineLength = 0;
            } else if (b != '\r' && ++lineLength > 998) {
                return Optional.empty();
            }
            eightBit |= b < 0;
        }
        return Optional.of(eightBit ? "8bit" : "7bit");
    }

    /** Parses typed addresses; throws with the offending text when one is not an address. */
    static List<Address> parse(List<String> typed) throws IOException {
        List<Address> out = new ArrayList<>();
        for (String text : typed) {
            if (text == null || text.isBlank()) {
                continue;
            }
            try {
                AddressList list = DefaultAddressParser.DEFAULT.parseAddressList(text);
                for (Address address : list) {
                    if (address instanceof Mailbox m && (m.getDomain() == null || m.getDomain().isBlank())) {
                        throw new IOException("'" + text.strip() + "' is not a full address (user@domain)");
                    }
                    out.add(address);
                }
            } catch (ParseException e) {
                throw new IOException("'" + text.strip() + "' is not an address");
            }
        }
        return out;
    }

    /** Splits a To/Cc field as typed, on commas and semicolons. */
    public static List<String> split(String field) {
        List<String> out = new ArrayList<>();
        if (field == null) {
            return out;
        }
        // A comma inside a quoted display name ("Dupont, Jean" <j@example>, RFC 5322 §3.2.4) or inside the
        // angle brackets separates nothing.
        StringBuilder piece = new StringBuilder();
        boolean quoted = false;
        boolean angled = false;
        for (int i = 0; i < field.length(); i++) {
            char ch = field.charAt(i);
            if (ch == '\\' && quoted && i + 1 < field.length()) {
                piece.append(ch).append(field.charAt(++i));
                continue;
            }
            if (ch == '"') {
                quoted = !quoted;
            } else if (!quoted && (ch == '<' || ch == '>')) {
                angled = ch == '<';
            } else if (!quoted && !angled && (ch == ',' || ch == ';')) {
                if (!piece.isEmpty() && !piece.toString().isBlank()) {
                    out.add(piece.toString().strip());
                }
                piece.setLength(0);
                continue;
            }
            piece.append(ch);
        }
        if (!piece.toString().isBlank()) {
            out.add(piece.toString().strip());
        }
        return out;
    }

    private static List<String> bare(List<Address> list) {
        List<String> out = new ArrayList<>();
        for (Address address : list) {
            if (address instanceof Mailbox m) {
                out.add(m.getAddress());
            } else if (address instanceof Group g) {
                g.getMailboxes().forEach(m -> out.add(m.getAddress()));
            }
        }
        return out;
    }

    private static String localPart(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(0, at);
    }

    private static String domain(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? null : address.substring(at + 1);
    }

    private static String normaliseLineEnds(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
    }

    /** "Re: subject" without piling up prefixes (RFC 5322 §3.6.5). */
    public static String replySubject(String subject) {
        String s = subject == null ? "" : subject.strip();
        return s.toLowerCase(Locale.ROOT).startsWith("re:") ? s : "Re: " + s;
    }

    public static String forwardSubject(String subject) {
        String s = subject == null ? "" : subject.strip();
        return s.toLowerCase(Locale.ROOT).startsWith("fwd:") ? s : "Fwd: " + s;
    }

    /** The original text with each line prefixed by "> ", under an attribution line. */
    public static String quote(ReadMessage original) {
        String body = original.text() != null ? original.text()
                : original.html() != null ? org.jsoup.Jsoup.parse(original.html()).wholeText() : "";
        StringBuilder out = new StringBuilder("\n\nOn ").append(original.date()).append(", ")
                .append(original.from()).append(" wrote:\n");
        for (String line : body.replace("\r\n", "\n").split("\n", -1)) {
            out.append(line.startsWith(">") ? ">" : "> ").append(line).append('\n');
        }
        return out.toString();
    }

    /** The forwarded message's headers and text, inline (its attachments are re-attached by the caller). */
    public static String forwardText(ReadMessage original) {
        String body = original.text() != null ? original.text()
                : original.html() != null ? org.jsoup.Jsoup.parse(original.html()).wholeText() : "";
        return "\n\n-------- Forwarded message --------\nSubject: " + original.subject() + "\nDate: " + original.date()
                + "\nFrom: " + original.from() + "\nTo: " + original.to() + "\n\n" + body;
    }

    /** References for a reply: the original's References then its Message-ID (RFC 5322 §3.6.4). */
    public static String references(ReadMessage original) {
        String refs = original.references() == null ? "" : original.references().strip();
        String id = original.messageId() == null ? "" : original.messageId().strip();
        return (refs + " " + id).strip();
    }
}
