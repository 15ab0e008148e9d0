package org.facteur.imap.fetch;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.facteur.imap.protocol.ResponseWriter;
import org.facteur.storage.MessageStructure;
import org.facteur.storage.MessageStructure.Address;
import org.facteur.storage.MessageStructure.Envelope;
import org.facteur.storage.MessageStructure.Part;

/**
 * ENVELOPE, BODY and BODYSTRUCTURE (RFC 9051 §7.5.2) written from the structure the storage cached at delivery,
 * so no message is parsed again to answer them.
 */
public final class StructureWriter {

    private StructureWriter() {
    }

    /** RFC 9051 §7.5.2 ENVELOPE. Sender and Reply-To fall back to From when absent, as the RFC requires. */
    public static void envelope(ResponseWriter out, Envelope e) {
        out.open();
        out.nstring(e.date()).sp().nstring(e.subject()).sp();
        addresses(out, e.from());
        out.sp();
        addresses(out, empty(e.sender()) ? e.from() : e.sender());
        out.sp();
        addresses(out, empty(e.replyTo()) ? e.from() : e.replyTo());
        out.sp();
        addresses(out, e.to());
        out.sp();
        addresses(out, e.cc());
        out.sp();
        addresses(out, e.bcc());
        out.sp().nstring(e.inReplyTo()).sp().nstring(e.messageId());
        out.close();
    }

    private static boolean empty(List<Address> list) {
        return list == null || list.isEmpty();
    }

    private static void addresses(ResponseWriter out, List<Address> list) {
        if (empty(list)) {
            out.nil();
            return;
        }
        out.open();
        for (Address a : list) {
            out.open().nstring(a.name()).sp().nstring(a.route()).sp().nstring(a.mailbox()).sp().nstring(a.host()).close();
        }
        out.close();
    }

    /**
     * BODYSTRUCTURE when {@code extensible}, else BODY: the same tree without the extension data
     * (RFC 9051 §7.5.2).
     */
    public static void body(ResponseWriter out, Part part, boolean extensible) {
        out.open();
        if (part.isMultipart() && !part.children().isEmpty()) {
            for (Part child : part.children()) {
                body(out, child, extensible);
            }
            out.sp().string(lower(part.subtype(), "mixed"));
            if (extensible) {
                out.sp();
                parameters(out, part.parameters());
                out.sp();
                disposition(out, part);
                out.sp();
                language(out, part.language());
                out.sp().nstring(part.location());
            }
        } else {
            String type = part.type() == null || part.isMultipart() ? "text" : lower(part.type(), "text");
            String subtype = part.type() == null || part.isMultipart() ? "plain" : lower(part.subtype(), "plain");
            out.string(type).sp().string(subtype).sp();
            Map<String, String> parameters = part.parameters();
            if (part.type() == null && (parameters == null || parameters.isEmpty())) {
                // RFC 2045 §5.2: no Content-Type means text/plain; charset=us-ascii.
                parameters = Map.of("charset", "us-ascii");
            }
            parameters(out, parameters);
            out.sp().nstring(part.id()).sp().nstring(part.description()).sp()
                    .string(part.encoding() == null ? "7bit" : part.encoding().toLowerCase(Locale.ROOT))
                    .sp().number(part.bodySize());
            if (part.message() != null && isMessage(type, subtype)) {
                out.sp();
                envelope(out, part.message().envelope());
                out.sp();
                body(out, part.message().root(), extensible);
                out.sp().number(part.lines());
            } else if (type.equals("text")) {
                out.sp().number(part.lines());
            }
            if (extensible) {
                out.sp().nstring(part.md5()).sp();
                disposition(out, part);
                out.sp();
                language(out, part.language());
                out.sp().nstring(part.location());
            }
        }
        out.close();
    }

    private static boolean isMessage(String type, String subtype) {
        return type.equals("message") && (subtype.equals("rfc822") || subtype.equals("global"));
    }

    private static String lower(String s, String fallback) {
        return s == null || s.isEmpty() ? fallback : s.toLowerCase(Locale.ROOT);
    }

    private static void parameters(ResponseWriter out, Map<String, String> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            out.nil();
            return;
        }
        out.open();
        boolean first = true;
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            if (!first) {
                out.sp();
            }
            first = false;
            out.string(p.getKey()).sp().string(p.getValue() == null ? "" : p.getValue());
        }
        out.close();
    }

    private static void disposition(ResponseWriter out, Part part) {
        if (part.disposition() == null) {
            out.nil();
            return;
        }
        out.open().string(part.disposition().toLowerCase(Locale.ROOT)).sp();
        parameters(out, part.dispositionParameters());
        out.close();
    }

    private static void language(ResponseWriter out, List<String> language) {
        if (language == null || language.isEmpty()) {
            out.nil();
        } else if (language.size() == 1) {
            out.string(language.get(0));
        } else {
            out.open();
            for (int i = 0; i < language.size(); i++) {
                if (i > 0) {
                    out.sp();
                }
                out.string(language.get(i));
            }
            out.close();
        }
    }

    /** Convenience for tests and the webmail-like callers: the whole top-level structure. */
    public static void bodyStructure(ResponseWriter out, MessageStructure structure) {
        body(out, structure.root(), true);
    }
}
