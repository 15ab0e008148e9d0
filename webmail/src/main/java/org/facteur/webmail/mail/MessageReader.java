package org.facteur.webmail.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.text.DateFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.field.address.AddressFormatter;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * Decodes a stored message for display with Mime4J: picks the body to show (HTML when a multipart/alternative
 * offers it, else plain text), lists the other leaf parts as attachments numbered as IMAP numbers them, and
 * finds one part again by that number for a download. Malformed messages are read leniently: a message that
 * cannot be parsed at all still shows its headers and an empty body, never an error page.
 */
public final class MessageReader {

    /** Characters of a body shown at most; the rest is cut (the whole message stays downloadable). */
    static final int MAX_BODY_CHARS = 2_000_000;

    private static final MimeConfig CONFIG = MimeConfig.custom()
            .setMaxLineLen(-1).setMaxHeaderLen(-1).setMaxHeaderCount(2000).setMaxContentLen(-1).build();

    private MessageReader() {
    }

    static Message parse(InputStream in) throws IOException {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(CONFIG);
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        return builder.parseMessage(in);
    }

    public static ReadMessage read(InputStream in) throws IOException {
        Message message = parse(in);
        try {
            Bodies bodies = new Bodies();
            collect(message, "", bodies);
            List<ReadMessage.HeaderLine> verdict = new ArrayList<>();
            for (Field field : message.getHeader().getFields()) {
                String name = field.getName();
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.startsWith("x-spam-") || lower.equals("authentication-results")) {
                    verdict.add(new ReadMessage.HeaderLine(name, unfold(field.getBody())));
                }
            }
            AddressList replyTo = safe(message::getReplyTo);
            MailboxList from = safe(message::getFrom);
            List<String> replyAddresses = addresses(replyTo != null && !replyTo.isEmpty() ? replyTo : from);
            return new ReadMessage(
                    text(message, "Subject"),
                    format(from),
                    format(safe(message::getTo)),
                    format(safe(message::getCc)),
                    message.getDate() == null ? text(message, "Date")
                            : DateFormat.getDateTimeInstance(DateFormat.MEDIUM, DateFormat.SHORT, Locale.ENGLISH)
                                    .format(message.getDate()),
                    message.getMessageId(),
                    text(message, "References"),
                    replyAddresses,
                    addresses(safe(message::getTo)),
                    addresses(safe(message::getCc)),
                    bodies.text, bodies.html, bodies.attachments, verdict, addresses(from));
        } finally {
            message.dispose();
        }
    }

    /** The decoded content of one part, found by its IMAP part number or its Content-ID. */
    public record PartContent(String mimeType, String filename, byte[] data) {
    }

    public static Optional<PartContent> part(InputStream in, String partNumber) throws IOException {
        Message message = parse(in);
        try {
            Entity entity = find(message, partNumber);
            return entity == null ? Optional.empty() : Optional.of(content(entity));
        } finally {
            message.dispose();
        }
    }

    public static Optional<PartContent> byContentId(InputStream in, String contentId) throws IOException {
        Message message = parse(in);
        try {
            Bodies bodies = new Bodies();
            collect(message, "", bodies);
            for (ReadMessage.Attachment a : bodies.attachments) {
                if (contentId.equals(a.contentId())) {
                    return Optional.of(content(find(message, a.part())));
                }
            }
            return Optional.empty();
        } finally {
            message.dispose();
        }
    }

    private static PartContent content(Entity entity) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Body body = entity.getBody();
        if (body instanceof SingleBody single) {
            try (InputStream data = single.getInputStream()) {
                data.transferTo(out);
            }
        } else if (body instanceof Message embedded) {
            new DefaultMessageWriter().writeMessage(embedded, out);
        } else {
            new DefaultMessageWriter().writeBody(body, out);
        }
        return new PartContent(entity.getMimeType(), filename(entity), out.toByteArray());
    }

    private static Entity find(Entity root, String partNumber) {
        Entity current = root;
        if (partNumber.isEmpty()) {
            return null;
        }
        for (String step : partNumber.split("\\.")) {
            int index;
            try {
                index = Integer.parseInt(step);
            } catch (NumberFormatException e) {
                return null;
            }
            if (current.getBody() instanceof Multipart multipart) {
                if (index < 1 || index > multipart.getBodyParts().size()) {
                    return null;
                }
                current = multipart.getBodyParts().get(index - 1);
            } else if (index == 1 && current == root) {
                // RFC 9051 §6.4.5: a non-multipart message's body is part 1.
                return root;
            } else {
                return null;
            }
        }
        return current;
    }

    private static final class Bodies {
        String text;
        String html;
        final List<ReadMessage.Attachment> attachments = new ArrayList<>();
    }

    private static void collect(Entity entity, String number, Bodies bodies) throws IOException {
        Body body = entity.getBody();
        if (body instanceof Multipart multipart) {
            List<Entity> parts = multipart.getBodyParts();
            for (int i = 0; i < parts.size(); i++) {
                collect(parts.get(i), number.isEmpty() ? Integer.toString(i + 1) : number + "." + (i + 1), bodies);
            }
            return;
        }
        String partNumber = number.isEmpty() ? "1" : number;
        String type = entity.getMimeType() == null ? "text/plain" : entity.getMimeType().toLowerCase(Locale.ROOT);
        boolean attachment = "attachment".equalsIgnoreCase(entity.getDispositionType()) || filename(entity) != null;
        if (!attachment && body instanceof TextBody textBody && type.equals("text/plain") && bodies.text == null) {
            bodies.text = read(textBody);
        } else if (!attachment && body instanceof TextBody textBody && type.equals("text/html") && bodies.html == null) {
            bodies.html = read(textBody);
        } else {
            long size = body instanceof SingleBody single ? single.size() : -1;
            String cid = entity.getHeader().getField("Content-ID") == null ? null
                    : entity.getHeader().getField("Content-ID").getBody().strip().replaceAll("^<|>$", "");
            bodies.attachments.add(new ReadMessage.Attachment(partNumber,
                    filename(entity) == null ? "part-" + partNumber : filename(entity), type, size, cid));
        }
    }

    private static String read(TextBody body) throws IOException {
        StringBuilder out = new StringBuilder();
        try (Reader reader = body.getReader()) {
            char[] buffer = new char[8192];
            int n;
            while ((n = reader.read(buffer)) > 0 && out.length() < MAX_BODY_CHARS) {
                out.append(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            // An unknown charset or a broken encoding: show what was decoded.
        }
        return out.toString();
    }

    private static String filename(Entity entity) {
        try {
            String name = entity.getFilename();
            return name == null || name.isBlank() ? null : DecoderUtil.decodeEncodedWords(name, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(Message message, String name) {
        Field field = message.getHeader().getField(name);
        return field == null ? "" : DecoderUtil.decodeEncodedWords(unfold(field.getBody()), DecodeMonitor.SILENT);
    }

    private static String unfold(String value) {
        return value == null ? "" : value.replaceAll("\r?\n[ \t]+", " ").strip();
    }

    private interface Getter<T> {
        T get();
    }

    /** Malformed address headers read as absent rather than failing the whole message. */
    private static <T> T safe(Getter<T> getter) {
        try {
            return getter.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String format(List<? extends Address> list) {
        if (list == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Address address : list) {
            StringBuilder sb = new StringBuilder();
            AddressFormatter.DEFAULT.format(sb, address, false);
            parts.add(sb.toString());
        }
        return String.join(", ", parts);
    }

    private static List<String> addresses(List<? extends Address> list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            for (Address address : list) {
                if (address instanceof Mailbox mailbox) {
                    out.add(mailbox.getAddress());
                } else if (address instanceof Group group) {
                    group.getMailboxes().forEach(m -> out.add(m.getAddress()));
                }
            }
        }
        return out;
    }
}
