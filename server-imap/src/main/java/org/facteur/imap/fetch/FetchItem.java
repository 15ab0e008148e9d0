package org.facteur.imap.fetch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.facteur.imap.protocol.ArgumentReader;
import org.facteur.imap.protocol.ImapException;

/** One FETCH data item (RFC 9051 §6.4.5; BINARY from RFC 3516; MODSEQ RFC 7162; SAVEDATE RFC 8514). */
public sealed interface FetchItem {

    /** A data item without arguments: FLAGS, UID, ENVELOPE, RFC822.SIZE and the like. */
    record Simple(String name) implements FetchItem {
    }

    /** BODY[section]<origin.length> or BODY.PEEK[...]; {@code length} is -1 without a partial range. */
    record Body(Section section, boolean peek, long origin, long length) implements FetchItem {
    }

    record Binary(Section section, boolean peek, long origin, long length) implements FetchItem {
    }

    record BinarySize(Section section) implements FetchItem {
    }

    List<String> SIMPLE = List.of("FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY", "BODYSTRUCTURE", "UID",
            "MODSEQ", "SAVEDATE", "RFC822", "RFC822.HEADER", "RFC822.TEXT");

    /** Whether fetching this sets \Seen (RFC 9051 §6.4.5: BODY[...] without PEEK, RFC822, RFC822.TEXT). */
    default boolean setsSeen() {
        return switch (this) {
            case Body b -> !b.peek();
            case Binary b -> !b.peek();
            case Simple s -> s.name().equals("RFC822") || s.name().equals("RFC822.TEXT");
            case BinarySize ignored -> false;
        };
    }

    /** fetch-att, a macro (ALL, FAST, FULL) or a parenthesised list of fetch-att. */
    static List<FetchItem> readAll(ArgumentReader in) throws ImapException {
        List<FetchItem> items = new ArrayList<>();
        if (in.tryOpen()) {
            do {
                items.add(read(in));
            } while (in.trySp());
            in.close();
            return items;
        }
        int mark = in.position();
        String word = in.atomUntil("[<").toUpperCase(Locale.ROOT);
        switch (word) {
            case "ALL" -> {
                return simple("FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE");
            }
            case "FAST" -> {
                return simple("FLAGS", "INTERNALDATE", "RFC822.SIZE");
            }
            case "FULL" -> {
                return simple("FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY");
            }
            default -> {
                in.reset(mark);
                items.add(read(in));
                return items;
            }
        }
    }

    private static List<FetchItem> simple(String... names) {
        List<FetchItem> items = new ArrayList<>();
        for (String n : names) {
            items.add(new Simple(n));
        }
        return items;
    }

    static FetchItem read(ArgumentReader in) throws ImapException {
        String word = in.atomUntil("[<").toUpperCase(Locale.ROOT);
        switch (word) {
            case "BODY", "BODY.PEEK" -> {
                if (!in.peekIs('[')) {
                    if (word.equals("BODY")) {
                        return new Simple("BODY");
                    }
                    throw new ImapException("BODY.PEEK needs a section");
                }
                Section section = Section.read(in, false);
                long[] partial = partial(in);
                return new Body(section, word.equals("BODY.PEEK"), partial[0], partial[1]);
            }
            case "BINARY", "BINARY.PEEK" -> {
                Section section = Section.read(in, true);
                long[] partial = partial(in);
                return new Binary(section, word.equals("BINARY.PEEK"), partial[0], partial[1]);
            }
            case "BINARY.SIZE" -> {
                return new BinarySize(Section.read(in, true));
            }
            default -> {
                if (!SIMPLE.contains(word)) {
                    throw new ImapException("Unknown FETCH item " + word);
                }
                return new Simple(word);
            }
        }
    }

    /** "<" number "." nz-number ">" or nothing: {origin, length}, {-1, -1} when absent. */
    private static long[] partial(ArgumentReader in) throws ImapException {
        if (!in.tryChar('<')) {
            return new long[] {-1, -1};
        }
        long origin = in.number32();
        in.expect('.');
        long length = in.number32();
        if (length == 0) {
            throw new ImapException("Partial length must not be zero");
        }
        in.expect('>');
        return new long[] {origin, length};
    }
}
