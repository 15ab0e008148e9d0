package org.facteur.imap.fetch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.facteur.imap.protocol.ArgumentReader;
import org.facteur.imap.protocol.ImapException;

/**
 * A BODY[section] specifier (RFC 9051 §6.4.5): a part path such as {@code 1.2} and what of it to take.
 *
 * @param path   part numbers, empty for the whole message
 * @param kind   what to take at that part
 * @param fields header names for HEADER.FIELDS and HEADER.FIELDS.NOT, upper case
 */
public record Section(List<Integer> path, Kind kind, List<String> fields) {

    public enum Kind {
        /** The part's body, or the whole message when the path is empty. */
        ALL("", false),
        HEADER("HEADER", true),
        HEADER_FIELDS("HEADER.FIELDS", true),
        HEADER_FIELDS_NOT("HEADER.FIELDS.NOT", true),
        TEXT("TEXT", true),
        MIME("MIME", false);

        private final String wire;
        private final boolean messageText;

        Kind(String wire, boolean messageText) {
            this.wire = wire;
            this.messageText = messageText;
        }

        public String wire() {
            return wire;
        }
    }

    public Section {
        path = List.copyOf(path);
        fields = List.copyOf(fields);
    }

    /** Reads what is between "[" and "]" (both consumed); {@code binary} allows only a part path (RFC 3516). */
    public static Section read(ArgumentReader in, boolean binary) throws ImapException {
        in.expect('[');
        List<Integer> path = new ArrayList<>();
        Kind kind = Kind.ALL;
        List<String> fields = List.of();
        if (!in.tryChar(']')) {
            while (in.peek() >= '0' && in.peek() <= '9') {
                long n = in.nzNumber();
                if (n > 10_000) {
                    throw new ImapException("Invalid part number");
                }
                path.add((int) n);
                if (!in.tryChar('.')) {
                    break;
                }
            }
            if (!in.peekIs(']')) {
                if (binary) {
                    throw new ImapException("BINARY takes only a part number");
                }
                String word = in.atom().toUpperCase(Locale.ROOT);
                kind = switch (word) {
                    case "HEADER" -> Kind.HEADER;
                    case "HEADER.FIELDS" -> Kind.HEADER_FIELDS;
                    case "HEADER.FIELDS.NOT" -> Kind.HEADER_FIELDS_NOT;
                    case "TEXT" -> Kind.TEXT;
                    case "MIME" -> Kind.MIME;
                    default -> throw new ImapException("Unknown section " + word);
                };
                if (kind == Kind.MIME && path.isEmpty()) {
                    throw new ImapException("MIME needs a part number");
                }
                if (kind == Kind.HEADER_FIELDS || kind == Kind.HEADER_FIELDS_NOT) {
                    in.sp();
                    in.open();
                    List<String> names = new ArrayList<>();
                    do {
                        names.add(in.astring().toUpperCase(Locale.ROOT));
                    } while (in.trySp());
                    in.close();
                    fields = names;
                }
            }
            in.expect(']');
        }
        return new Section(path, kind, fields);
    }

    /** The section as it is echoed in the response: {@code 1.2.HEADER.FIELDS (FROM TO)}. */
    public String label() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.size(); i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(path.get(i));
        }
        if (kind != Kind.ALL) {
            if (!path.isEmpty()) {
                sb.append('.');
            }
            sb.append(kind.wire());
            if (!fields.isEmpty()) {
                sb.append(" (").append(String.join(" ", fields)).append(')');
            }
        }
        return sb.toString();
    }

    public boolean isMessageText() {
        return kind.messageText;
    }
}
