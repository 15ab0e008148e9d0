package org.facteur.smtp.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.facteur.smtp.protocol.MessageDate;

/**
 * What a submission server does to a message from its own user (RFC 6409 §8): adds {@code Date} and
 * {@code Message-ID} when missing, adds {@code From} from the envelope when missing, and removes {@code Bcc}
 * so blind recipients stay blind. It also reports the From addresses, which the sender check needs.
 */
public final class SubmissionRewriter {

    private SubmissionRewriter() {
    }

    public record Result(Path file, List<String> fromAddresses) {
    }

    /**
     * Writes the rewritten message to {@code target}.
     *
     * @param envelopeSender MAIL FROM, used for a missing From; may be empty
     * @param idDomain       the right-hand side of a generated Message-ID
     */
    public static Result rewrite(Path source, Path target, String envelopeSender, String idDomain) throws IOException {
        HeaderSection headers = HeaderSection.read(source);
        List<String> out = new ArrayList<>();
        for (String field : headers.fields()) {
            if (!HeaderSection.name(field).equals("bcc")) {
                out.add(field);
            }
        }
        if (!headers.has("from") && !envelopeSender.isEmpty()) {
            out.add("From: <" + envelopeSender + ">");
        }
        if (!headers.has("date")) {
            out.add("Date: " + MessageDate.now());
        }
        if (!headers.has("message-id")) {
            out.add("Message-ID: <" + UUID.randomUUID() + "@" + idDomain + ">");
        }
        List<String> from = new ArrayList<>();
        for (String value : headers.values("from")) {
            from.addAll(addresses(value));
        }
        if (!headers.has("from") && !envelopeSender.isEmpty()) {
            from.add(envelopeSender);
        }
        try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(target));
             InputStream in = Files.newInputStream(source)) {
            for (String field : out) {
                o.write(field.getBytes(StandardCharsets.UTF_8));
                o.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            o.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            in.skipNBytes(Math.min(headers.bodyOffset(), Files.size(source)));
            in.transferTo(o);
        }
        return new Result(target, from);
    }

    /** The addr-specs of an address-list header value, lower case. */
    public static List<String> addresses(String value) {
        List<String> result = new ArrayList<>();
        AddressList list = LenientAddressParser.DEFAULT.parseAddressList(value);
        for (Mailbox mailbox : list.flatten()) {
            if (mailbox.getAddress() != null) {
                result.add(mailbox.getAddress().toLowerCase(Locale.ROOT));
            }
        }
        return result;
    }
}
