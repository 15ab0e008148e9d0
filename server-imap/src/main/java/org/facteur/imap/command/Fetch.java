package org.facteur.imap.command;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.facteur.imap.fetch.FetchItem;
import org.facteur.imap.fetch.Section;
import org.facteur.imap.fetch.SectionLocator;
import org.facteur.imap.fetch.StructureWriter;
import org.facteur.imap.fetch.TransferDecoding;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.protocol.ResponseWriter;
import org.facteur.imap.protocol.SequenceSet;
import org.facteur.imap.session.ImapSession;
import org.facteur.imap.session.SelectedMailbox;
import org.facteur.imap.session.SessionState;
import org.facteur.storage.FlagChange;
import org.facteur.storage.Flags;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.MessageStructure;
import org.facteur.storage.StoreResult;
import org.facteur.storage.StoredMessage;

/**
 * RFC 9051 §6.4.5 FETCH and UID FETCH, with BINARY (RFC 3516), CONDSTORE CHANGEDSINCE and MODSEQ, QRESYNC
 * VANISHED (RFC 7162 §3.2.6) and SAVEDATE (RFC 8514). Structure comes from the storage's cache; body sections
 * are streamed from the stored file by offset.
 */
final class Fetch implements ImapCommand {

    /** date-time: DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE. */
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** Messages whose files and structures are read from the index at once. */
    private static final int BATCH = 256;

    /** Largest header read into memory for HEADER.FIELDS. */
    private static final int MAX_HEADER = 1 << 20;

    @Override
    public Set<SessionState> states() {
        return SELECTED;
    }

    @Override
    public void execute(CommandContext c) throws IOException, ImapException {
        ImapSession session = c.session();
        c.args().sp();
        SequenceSet set = SequenceSet.parse(c.args().sequenceSetText(), session.config().maxSequenceSetElements());
        c.args().sp();
        List<FetchItem> items = new ArrayList<>(FetchItem.readAll(c.args()));
        long changedSince = -1;
        boolean vanished = false;
        if (c.args().trySp()) {
            c.args().open();
            do {
                String modifier = c.args().atom().toUpperCase(Locale.ROOT);
                switch (modifier) {
                    case "CHANGEDSINCE" -> {
                        c.args().sp();
                        changedSince = c.args().number();
                    }
                    case "VANISHED" -> vanished = true;
                    default -> throw new ImapException("Unknown FETCH modifier " + modifier);
                }
            } while (c.args().trySp());
            c.args().close();
        }
        c.args().end();
        if (vanished && (!c.uid() || !session.qresync() || changedSince < 0)) {
            throw new ImapException("CLIENTBUG", "VANISHED needs UID FETCH, QRESYNC and CHANGEDSINCE"); // RFC 7162 §3.2.6
        }
        if (c.uid() && items.stream().noneMatch(i -> i instanceof FetchItem.Simple s && s.name().equals("UID"))) {
            items.add(0, new FetchItem.Simple("UID"));
        }
        if (changedSince >= 0 && items.stream().noneMatch(i -> i instanceof FetchItem.Simple s && s.name().equals("MODSEQ"))) {
            items.add(new FetchItem.Simple("MODSEQ"));
        }
        if (items.stream().anyMatch(i -> i instanceof FetchItem.Simple s && s.name().equals("MODSEQ"))) {
            session.condstoreUsed();
        }
        SelectedMailbox box = c.selected();
        List<Long> uids = session.resolve(set, c.uid());
        if (vanished) {
            reportVanished(c, box, set);
        }
        if (changedSince >= 0) {
            List<Long> changed = new ArrayList<>();
            for (long u : uids) {
                if (box.at(box.msnOf(u)).modSeq() > changedSince) {
                    changed.add(u);
                }
            }
            uids = changed;
        }
        Set<Long> flagsChanged = markSeen(box, items, uids);
        boolean needsStructure = items.stream().anyMatch(Fetch::needsStructure);
        boolean needsFile = items.stream().anyMatch(Fetch::needsFile);
        for (int from = 0; from < uids.size(); from += BATCH) {
            List<Long> batch = uids.subList(from, Math.min(uids.size(), from + BATCH));
            // the batch's files and structures in one index read per run of close UIDs, not two per message (a client opening a
            // folder fetches the headers of all of it)
            Map<Long, StoredMessage> stored = needsStructure || needsFile
                    ? box.view().stored(batch, needsStructure) : Map.of();
            for (long uid : batch) {
                int msn = box.msnOf(uid);
                write(c, box, msn, box.at(msn), items, flagsChanged.contains(uid), needsStructure, needsFile,
                        stored.get(uid));
            }
        }
        c.ok("FETCH completed");
    }

    private static boolean needsStructure(FetchItem i) {
        return i instanceof FetchItem.Body || i instanceof FetchItem.Binary || i instanceof FetchItem.BinarySize
                || i instanceof FetchItem.Simple s && (s.name().equals("ENVELOPE") || s.name().startsWith("BODY")
                || s.name().equals("RFC822.HEADER") || s.name().equals("RFC822.TEXT"));
    }

    private static boolean needsFile(FetchItem i) {
        return !(i instanceof FetchItem.Simple s) || s.name().startsWith("RFC822") && !s.name().equals("RFC822.SIZE");
    }

    /** BODY[...] without PEEK sets \Seen first (RFC 9051 §6.4.5), so the FLAGS sent with it are current. */
    private static Set<Long> markSeen(SelectedMailbox box, List<FetchItem> items, List<Long> uids) throws IOException {
        if (box.readOnly() || items.stream().noneMatch(FetchItem::setsSeen)) {
            return Set.of();
        }
        List<Long> unseen = new ArrayList<>();
        for (long u : uids) {
            if (!box.at(box.msnOf(u)).has(Flags.SEEN)) {
                unseen.add(u);
            }
        }
        if (unseen.isEmpty()) {
            return Set.of();
        }
        StoreResult result = box.view().store(unseen, FlagChange.ADD, Set.of(Flags.SEEN), -1);
        box.update(result.updated());
        Set<Long> changed = new HashSet<>();
        result.updated().forEach(m -> changed.add(m.uid()));
        return changed;
    }

    private static void reportVanished(CommandContext c, SelectedMailbox box, SequenceSet set) throws IOException {
        List<Long> gone = new ArrayList<>();
        int budget = 1_000_000;
        for (long[] r : set.resolve(box.lastUid())) {
            for (long u = r[0]; u <= Math.min(r[1], box.lastUid()) && budget-- > 0; u++) {
                if (box.msnOf(u) < 0) {
                    gone.add(u);
                }
            }
        }
        if (!gone.isEmpty()) {
            c.out().untagged("VANISHED (EARLIER) " + SequenceSet.format(gone));
        }
    }

    private static void write(CommandContext c, SelectedMailbox box, int msn, MessageMeta meta, List<FetchItem> items,
                              boolean flagsChanged, boolean needsStructure, boolean needsFile, StoredMessage stored)
            throws IOException, ImapException {
        MessageStructure structure = null;
        SeekableByteChannel file = null;
        try {
            if ((needsStructure || needsFile) && stored == null) {
                return; // expunged by another session since this one was told of it (see below)
            }
            if (needsStructure) {
                structure = stored.structure();
            }
            if (needsFile) {
                // Opened before a line is begun and read from for every section: a session that expunges the
                // message meanwhile cannot make part of this response come from nothing.
                file = stored.openChannel();
            }
        } catch (IOException gone) {
            // Expunged by another session since this one was told of it: its EXPUNGE comes later (RFC 9051
            // §7.5.1); until then there is nothing to send for it.
            return;
        }
        try (SeekableByteChannel open = file) {
            writeItems(c, box, msn, meta, items, flagsChanged, structure, open);
        }
    }

    private static void writeItems(CommandContext c, SelectedMailbox box, int msn, MessageMeta meta,
                                   List<FetchItem> items, boolean flagsChanged, MessageStructure structure,
                                   SeekableByteChannel file) throws IOException, ImapException {
        ImapSession session = c.session();
        ResponseWriter out = c.out();
        if (flagsChanged || items.stream().anyMatch(i -> i instanceof FetchItem.Simple s && s.name().equals("FLAGS"))) {
            session.announceKeywords(meta);
        }
        boolean wroteFlags = false;
        boolean wroteModSeq = false;
        out.star().number(msn).raw(" FETCH (");
        boolean first = true;
        for (FetchItem item : items) {
            if (!first) {
                out.sp();
            }
            first = false;
            switch (item) {
                case FetchItem.Simple s -> {
                    switch (s.name()) {
                        case "FLAGS" -> {
                            out.raw("FLAGS ");
                            session.flagList(meta);
                            wroteFlags = true;
                        }
                        case "UID" -> out.raw("UID ").number(meta.uid());
                        case "INTERNALDATE" -> out.raw("INTERNALDATE \"").raw(date(meta.internalDate())).raw("\"");
                        case "SAVEDATE" -> {
                            out.raw("SAVEDATE ");
                            if (meta.saveDate() == null) {
                                out.nil();
                            } else {
                                out.raw("\"").raw(date(meta.saveDate())).raw("\"");
                            }
                        }
                        case "RFC822.SIZE" -> out.raw("RFC822.SIZE ").number(meta.size());
                        case "MODSEQ" -> {
                            out.raw("MODSEQ (").number(meta.modSeq()).raw(")");
                            wroteModSeq = true;
                        }
                        case "ENVELOPE" -> {
                            out.raw("ENVELOPE ");
                            StructureWriter.envelope(out, structure.envelope());
                        }
                        case "BODY" -> {
                            out.raw("BODY ");
                            StructureWriter.body(out, structure.root(), false);
                        }
                        case "BODYSTRUCTURE" -> {
                            out.raw("BODYSTRUCTURE ");
                            StructureWriter.body(out, structure.root(), true);
                        }
                        case "RFC822" -> {
                            out.raw("RFC822 ");
                            range(c, file, new SectionLocator.Range(0, meta.size()), -1, -1);
                        }
                        case "RFC822.HEADER" -> {
                            out.raw("RFC822.HEADER ");
                            range(c, file, SectionLocator.locate(structure, new Section(List.of(), Section.Kind.HEADER, List.of()), meta.size()), -1, -1);
                        }
                        case "RFC822.TEXT" -> {
                            out.raw("RFC822.TEXT ");
                            range(c, file, SectionLocator.locate(structure, new Section(List.of(), Section.Kind.TEXT, List.of()), meta.size()), -1, -1);
                        }
                        default -> throw new IllegalStateException(s.name());
                    }
                }
                case FetchItem.Body b -> {
                    out.raw("BODY[").raw(b.section().label()).raw("]");
                    if (b.origin() >= 0) {
                        out.raw("<").number(b.origin()).raw(">");
                    }
                    out.sp();
                    SectionLocator.Range r = SectionLocator.locate(structure, b.section(), meta.size());
                    if (b.section().kind() == Section.Kind.HEADER_FIELDS || b.section().kind() == Section.Kind.HEADER_FIELDS_NOT) {
                        byte[] header = read(file, r, MAX_HEADER);
                        byte[] filtered = SectionLocator.filterHeader(header, b.section().fields(),
                                b.section().kind() == Section.Kind.HEADER_FIELDS_NOT);
                        bytes(out, filtered, b.origin(), b.length(), false);
                    } else {
                        range(c, file, r, b.origin(), b.length());
                    }
                }
                case FetchItem.Binary b -> {
                    byte[] decoded = binary(file, meta, structure, b.section());
                    out.raw("BINARY[").raw(b.section().label()).raw("]");
                    if (b.origin() >= 0) {
                        out.raw("<").number(b.origin()).raw(">");
                    }
                    out.sp();
                    bytes(out, decoded, b.origin(), b.length(), true);
                }
                case FetchItem.BinarySize b -> {
                    byte[] decoded = binary(file, meta, structure, b.section());
                    out.raw("BINARY.SIZE[").raw(b.section().label()).raw("] ").number(decoded.length);
                }
            }
        }
        if (flagsChanged && !wroteFlags) {
            out.raw(first ? "FLAGS " : " FLAGS ");
            session.flagList(meta = box.at(msn));
            wroteFlags = true;
        }
        if (wroteFlags && !wroteModSeq && session.condstore()) {
            out.raw(" MODSEQ (").number(box.at(msn).modSeq()).raw(")"); // RFC 7162 §3.1.4.1
        }
        out.raw(")").end();
    }

    private static String date(Instant instant) {
        return DATE_TIME.format(instant);
    }

    /** A byte range of the stored file, with an optional partial window, as a literal. */
    private static void range(CommandContext c, SeekableByteChannel file, SectionLocator.Range r,
                              long origin, long length) throws IOException {
        long offset = r.offset();
        long size = Math.max(0, r.length());
        if (origin >= 0) {
            long skip = Math.min(origin, size);
            offset += skip;
            size = Math.min(size - skip, length);
        }
        c.out().literal(openAt(file, offset), size, false);
    }

    private static void bytes(ResponseWriter out, byte[] data, long origin, long length, boolean binary) throws IOException {
        int from = 0;
        int size = data.length;
        if (origin >= 0) {
            from = (int) Math.min(origin, data.length);
            size = (int) Math.min(data.length - from, length);
        }
        boolean hasNul = false;
        for (int i = from; i < from + size && binary; i++) {
            if (data[i] == 0) {
                hasNul = true;
                break;
            }
        }
        out.literal(new ByteArrayInputStream(data, from, size), size, hasNul);
    }

    private static byte[] read(SeekableByteChannel file, SectionLocator.Range r) throws IOException {
        return read(file, r, Integer.MAX_VALUE - 16);
    }

    private static byte[] read(SeekableByteChannel file, SectionLocator.Range r, int max) throws IOException {
        if (r.length() <= 0) {
            return new byte[0];
        }
        return openAt(file, r.offset()).readNBytes((int) Math.min(r.length(), max));
    }

    /**
     * The message file from {@code offset}, as a stream that leaves the file open for the next section (the
     * response closes it). A file shorter than its index row says ends the stream early; the literal is then
     * padded to its announced size, so the response stays well-formed.
     */
    private static InputStream openAt(SeekableByteChannel file, long offset) throws IOException {
        file.position(offset);
        return new java.io.FilterInputStream(Channels.newInputStream(file)) {
            @Override
            public void close() {
                // the channel belongs to the whole FETCH response of this message
            }
        };
    }

    /** BINARY[part]: the part's body with its transfer encoding undone; the whole message for BINARY[]. */
    private static byte[] binary(SeekableByteChannel file, MessageMeta meta, MessageStructure structure, Section section)
            throws IOException, ImapException {
        if (section.path().isEmpty()) {
            return read(file, new SectionLocator.Range(0, meta.size()));
        }
        MessageStructure.Part part = SectionLocator.part(structure, section.path());
        if (part == null) {
            return new byte[0];
        }
        if (part.isMultipart() || part.message() != null) {
            return read(file, new SectionLocator.Range(part.bodyOffset(), part.bodySize()));
        }
        byte[] body = read(file, new SectionLocator.Range(part.bodyOffset(), part.bodySize()));
        byte[] decoded = TransferDecoding.decode(body, part.encoding());
        if (decoded == null) {
            throw ImapException.no("UNKNOWN-CTE", "Unknown Content-Transfer-Encoding " + part.encoding()); // RFC 3516 §4.3
        }
        return decoded;
    }
}
