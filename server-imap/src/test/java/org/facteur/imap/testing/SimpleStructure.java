package org.facteur.imap.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.facteur.storage.MessageStructure;
import org.facteur.storage.MessageStructure.Address;
import org.facteur.storage.MessageStructure.Envelope;
import org.facteur.storage.MessageStructure.Part;

/** A single-part structure for {@link MemoryMailStore}: header fields and body offsets, enough for protocol tests. */
final class SimpleStructure {

    private SimpleStructure() {
    }

    static MessageStructure of(byte[] content) {
        int bodyOffset = content.length;
        for (int i = 0; i + 3 < content.length; i++) {
            if (content[i] == '\r' && content[i + 1] == '\n' && content[i + 2] == '\r' && content[i + 3] == '\n') {
                bodyOffset = i + 4;
                break;
            }
        }
        String header = new String(content, 0, Math.min(bodyOffset, content.length), StandardCharsets.UTF_8);
        Map<String, String> fields = new LinkedHashMap<>();
        String last = null;
        for (String line : header.split("\r\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                fields.put(last, fields.get(last) + " " + line.trim());
            } else if (line.contains(":")) {
                last = line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT);
                fields.putIfAbsent(last, line.substring(line.indexOf(':') + 1).trim());
            }
        }
        long lines = 0;
        for (int i = bodyOffset; i < content.length; i++) {
            if (content[i] == '\n') {
                lines++;
            }
        }
        Envelope envelope = new Envelope(fields.get("date"), fields.get("subject"), addresses(fields.get("from")),
                addresses(fields.get("sender")), addresses(fields.get("reply-to")), addresses(fields.get("to")),
                addresses(fields.get("cc")), addresses(fields.get("bcc")), fields.get("in-reply-to"), fields.get("message-id"));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("charset", "us-ascii");
        Part root = new Part("text", "plain", params, null, null, "7bit", null, null, Map.of(), List.of(), null,
                0, bodyOffset, content.length - bodyOffset, lines, List.of(), null);
        return new MessageStructure(envelope, root);
    }

    private static List<Address> addresses(String value) {
        if (value == null) {
            return null;
        }
        List<Address> list = new ArrayList<>();
        for (String part : value.split(",")) {
            String p = part.trim();
            String name = null;
            if (p.contains("<")) {
                name = p.substring(0, p.indexOf('<')).trim().replace("\"", "");
                p = p.substring(p.indexOf('<') + 1, p.indexOf('>') > 0 ? p.indexOf('>') : p.length());
            }
            int at = p.indexOf('@');
            list.add(new Address(name == null || name.isEmpty() ? null : name, null,
                    at < 0 ? p : p.substring(0, at), at < 0 ? null : p.substring(at + 1)));
        }
        return list;
    }
}
