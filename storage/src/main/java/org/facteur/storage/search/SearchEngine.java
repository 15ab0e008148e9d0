package org.facteur.storage.search;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.facteur.storage.Flags;
import org.facteur.storage.MessageSummary;
import org.facteur.storage.SearchQuery;
import org.facteur.storage.SortKey;
import org.facteur.storage.index.IndexDatabase;
import org.facteur.storage.index.MessageRow;
import org.facteur.storage.mime.HeaderBlock;
import org.facteur.storage.mime.StructureParser;
import org.facteur.storage.mime.TextExtractor;

/**
 * Runs a {@link SearchQuery} as one SQL statement on the index. Flags, dates, sizes, UIDs and MODSEQ are
 * columns. Address and subject terms are case-insensitive substring matches (IMAP SEARCH semantics,
 * RFC 9051 §6.4.4) on decoded header columns. BODY, TEXT and attachment-name terms first ask the full-text
 * index for candidates, then every candidate is verified by reading its decoded text, so the answer is an
 * exact substring match; without a full-text index every message of the mailbox is read.
 */
public final class SearchEngine {

    /** What a search needs to know of the mailbox it runs in. */
    public interface Target {
        String account();

        long mailboxId();

        Set<Long> recent();

        /** The file of a message, or null if it has gone. */
        Path file(long uid) throws IOException;

        /** Every message's metadata, ascending by UID (cached by the mailbox between changes). */
        List<org.facteur.storage.MessageMeta> messages() throws IOException;
    }

    private final IndexDatabase db;
    private final FullText fullText;
    private final TextExtractor extractor;
    private final ZoneId zone;

    public SearchEngine(IndexDatabase db, FullText fullText, TextExtractor extractor) {
        this.db = db;
        this.fullText = fullText;
        this.extractor = extractor;
        this.zone = ZoneId.systemDefault();
    }

    public List<Long> search(Target target, SearchQuery query, List<SortKey> sort) throws IOException {
        // Each criterion becomes a set of UIDs (one indexed SQL query, or Lucene), combined here. Large UID sets
        // are never sent back into SQL: H2 checks "uid = ANY(array)" or "IN (UNNEST ...)" row by row.
        Set<Long> hits = eval(target, query);
        if (sort.isEmpty()) {
            List<Long> out = new ArrayList<>(hits == null ? allUids(target) : hits);
            out.sort(null);
            return out;
        }
        List<Long> ordered = db.list("SELECT uid FROM message WHERE mailbox_id=? ORDER BY " + orderBy(sort, false),
                rs -> rs.getLong(1), target.mailboxId());
        if (hits == null) {
            return ordered;
        }
        List<Long> out = new ArrayList<>(hits.size());
        for (Long uid : ordered) {
            if (hits.contains(uid)) {
                out.add(uid);
            }
        }
        return out;
    }

    /** Criteria on what the cached message list holds are answered from it, without a query. */
    private static Set<Long> filter(Target t, java.util.function.Predicate<org.facteur.storage.MessageMeta> p)
            throws IOException {
        Set<Long> out = new HashSet<>();
        for (org.facteur.storage.MessageMeta m : t.messages()) {
            if (p.test(m)) {
                out.add(m.uid());
            }
        }
        return out;
    }

    private Set<Long> allUids(Target t) throws IOException {
        return filter(t, m -> true);
    }

    /** The UIDs matching {@code q}; null stands for "all" (saves materialising every UID for ALL). */
    private Set<Long> eval(Target t, SearchQuery q) throws IOException {
        switch (q) {
            case SearchQuery.All a -> {
                return null;
            }
            case SearchQuery.And and -> {
                // NOT terms go last and are subtracted from what the others matched: "UNSEEN FLAGGED" then
                // never builds the set of every UID (on 100,000 messages that set is most of the cost).
                List<SearchQuery> positive = new ArrayList<>();
                List<SearchQuery> negative = new ArrayList<>();
                for (SearchQuery term : and.terms()) {
                    (term instanceof SearchQuery.Not ? negative : positive).add(term);
                }
                Set<Long> acc = null;
                for (SearchQuery term : positive) {
                    Set<Long> s = eval(t, term);
                    if (s == null) {
                        continue;
                    }
                    if (acc == null) {
                        acc = new HashSet<>(s);
                    } else {
                        acc.retainAll(s);
                    }
                    if (acc.isEmpty()) {
                        return acc;
                    }
                }
                for (SearchQuery term : negative) {
                    if (acc == null) {
                        acc = eval(t, term);
                        continue;
                    }
                    Set<Long> excluded = eval(t, ((SearchQuery.Not) term).term());
                    if (excluded == null) {
                        return new HashSet<>();
                    }
                    acc.removeIf(excluded::contains);
                    if (acc.isEmpty()) {
                        return acc;
                    }
                }
                return acc;
            }
            case SearchQuery.Or or -> {
                Set<Long> acc = new HashSet<>();
                for (SearchQuery term : or.terms()) {
                    Set<Long> s = eval(t, term);
                    if (s == null) {
                        return null;
                    }
                    acc.addAll(s);
                }
                return acc;
            }
            case SearchQuery.Not not -> {
                Set<Long> inner = eval(t, not.term());
                Set<Long> all = allUids(t);
                if (inner == null) {
                    return new HashSet<>();
                }
                all.removeAll(inner);
                return all;
            }
            case SearchQuery.Uids u -> {
                Set<Long> out = new HashSet<>();
                long max = allUids(t).stream().mapToLong(Long::longValue).max().orElse(0);
                for (long uid : allUids(t)) {
                    for (long[] r : u.ranges()) {
                        long lo = Math.min(r[0], r[1]);
                        long hi = Math.max(r[0], r[1]);
                        if (hi == Long.MAX_VALUE) {
                            lo = Math.min(lo, max); // "n:*" includes the highest UID (RFC 9051 §9)
                        }
                        if (uid >= lo && uid <= hi) {
                            out.add(uid);
                            break;
                        }
                    }
                }
                return out;
            }
            case SearchQuery.Text text -> {
                return textSet(t, text);
            }
            case SearchQuery.Header h -> {
                return headerSet(t, h);
            }
            case SearchQuery.HasFlag f when !f.flag().equalsIgnoreCase(Flags.RECENT) -> {
                // system flags are held in their canonical spelling: one hash look-up per message
                String canonical = canonicalSystemFlag(f.flag());
                if (canonical != null) {
                    return filter(t, m -> m.has(canonical));
                }
                return filter(t, m -> m.flags().stream().anyMatch(x -> x.equalsIgnoreCase(f.flag())));
            }
            case SearchQuery.Larger l -> {
                return filter(t, m -> m.size() > l.bytes());
            }
            case SearchQuery.Smaller sm -> {
                return filter(t, m -> m.size() < sm.bytes());
            }
            case SearchQuery.ModSeqAtLeast ms -> {
                return filter(t, m -> m.modSeq() >= ms.modSeq());
            }
            default -> {
                List<Object> params = new ArrayList<>();
                params.add(t.mailboxId());
                String where = where(t, q, params);
                return new HashSet<>(db.list("SELECT uid FROM message WHERE mailbox_id=? AND (" + where + ")",
                        rs -> rs.getLong(1), params.toArray()));
            }
        }
    }

    /**
     * Two steps, so that a page costs the same at 100 and at 100,000 messages: the page's UIDs come from an
     * index-sorted scan of a (mailbox_id, sort column, uid) index, which reads no table row, then only those
     * rows are read by primary key. Selecting the display columns in the first step would make H2 read (and
     * sort) every row of the mailbox.
     */
    public List<MessageSummary> page(Target target, List<SortKey> sort, int offset, int limit) throws IOException {
        if (limit <= 0) {
            return List.of();
        }
        List<Long> uids = db.list("SELECT uid FROM message WHERE mailbox_id=? ORDER BY " + orderBy(sort, true)
                + " LIMIT ? OFFSET ?", rs -> rs.getLong(1), target.mailboxId(), limit, Math.max(0, offset));
        if (uids.isEmpty()) {
            return List.of();
        }
        // One primary-key look-up per UID on one connection: H2 does not use the (mailbox_id, uid) key for
        // "uid IN (...)" and would read every row of the mailbox instead.
        List<MessageSummary> out = new ArrayList<>(uids.size());
        try (Connection c = db.connection();
             PreparedStatement p = c.prepareStatement("SELECT uid, sort_date, hdr_from, hdr_to, subject, size, "
                     + "sysflags, keywords, has_attachments, thread_id FROM message WHERE mailbox_id=? AND uid=?")) {
            p.setLong(1, target.mailboxId());
            for (long uid : uids) {
                p.setLong(2, uid);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) { // else expunged between the two steps
                        out.add(new MessageSummary(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)),
                                rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                                flags(rs.getInt(7), rs.getString(8)), rs.getBoolean(9), rs.getString(10)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("index query failed: " + e.getMessage(), e);
        }
        return out;
    }

    private static String canonicalSystemFlag(String flag) {
        for (String f : Flags.SYSTEM) {
            if (f.equalsIgnoreCase(flag)) {
                return f;
            }
        }
        return null;
    }

    private static Set<String> flags(int bits, String keywords) {
        Set<String> out = new HashSet<>();
        for (String f : Flags.SYSTEM) {
            if ((bits & MessageRow.bit(f)) != 0) {
                out.add(f);
            }
        }
        for (String k : keywords.trim().split(" ")) {
            if (!k.isEmpty()) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * @param tiesFollowFirstKey true for the webmail's pages (a reversed list keeps ties newest first); false for
     *     IMAP SORT, where RFC 5256 §3 breaks ties by ascending sequence number whatever REVERSE says
     */
    static String orderBy(List<SortKey> sort, boolean tiesFollowFirstKey) {
        // The constant mailbox_id leads so that H2 sees the order of its (mailbox_id, column, uid) indexes and
        // walks one of them (backwards for a reversed key) instead of sorting the whole mailbox; without it H2
        // does not skip an equality-bound first column when matching ORDER BY to an index.
        boolean reversed = !sort.isEmpty() && sort.get(0).reverse();
        StringBuilder b = new StringBuilder(reversed ? "mailbox_id DESC, " : "mailbox_id ASC, ");
        for (SortKey k : sort) {
            String col = switch (k.criterion()) {
                case ARRIVAL -> "internal_date";
                case DATE -> "sort_date";
                case FROM -> "sort_from";
                case TO -> "sort_to";
                case CC -> "sort_cc";
                case SUBJECT -> "sort_subject";
                case SIZE -> "size";
                case DISPLAY_FROM -> "display_from";
                case DISPLAY_TO -> "display_to";
            };
            b.append(col).append(k.reverse() ? " DESC, " : " ASC, ");
        }
        // RFC 5256 §3: ties are broken by sequence number, which follows the UID order.
        return b.append(reversed && tiesFollowFirstKey ? "uid DESC" : "uid ASC").toString();
    }

    private String where(Target t, SearchQuery q, List<Object> params) throws IOException {
        return switch (q) {
            case SearchQuery.All a -> "TRUE";
            case SearchQuery.And and -> join(t, and.terms(), " AND ", "TRUE", params);
            case SearchQuery.Or or -> join(t, or.terms(), " OR ", "FALSE", params);
            case SearchQuery.Not not -> "NOT (" + where(t, not.term(), params) + ")";
            case SearchQuery.HasFlag f -> flag(t, f.flag(), params);
            case SearchQuery.Larger l -> {
                params.add(l.bytes());
                yield "size > ?";
            }
            case SearchQuery.Smaller s -> {
                params.add(s.bytes());
                yield "size < ?";
            }
            case SearchQuery.ModSeqAtLeast m -> {
                params.add(m.modSeq());
                yield "modseq >= ?";
            }
            case SearchQuery.Between b -> {
                params.add(b.fromInclusive().toEpochMilli());
                params.add(b.toExclusive().toEpochMilli());
                String col = b.saved() ? "save_date" : "internal_date";
                yield col + " >= ? AND " + col + " < ?";
            }
            // RFC 9051 §6.4.4: dates compare by day, disregarding time (we use the server's time zone)
            case SearchQuery.Before b -> {
                params.add(startOf(b.day()));
                yield dateColumn(b.sent()) + " < ?";
            }
            case SearchQuery.Since s -> {
                params.add(startOf(s.day()));
                yield dateColumn(s.sent()) + " >= ?";
            }
            case SearchQuery.On o -> {
                params.add(startOf(o.day()));
                params.add(startOf(o.day().plusDays(1)));
                yield dateColumn(o.sent()) + " >= ? AND " + dateColumn(o.sent()) + " < ?";
            }
            case SearchQuery.Uids u -> uids(u, params);
            case SearchQuery.Text text -> inSet(textSet(t, text), params);
            case SearchQuery.Header h -> inSet(headerSet(t, h), params);
        };
    }

    private String join(Target t, List<SearchQuery> terms, String op, String empty, List<Object> params)
            throws IOException {
        if (terms.isEmpty()) {
            return empty;
        }
        List<String> parts = new ArrayList<>();
        for (SearchQuery q : terms) {
            parts.add("(" + where(t, q, params) + ")");
        }
        return String.join(op, parts);
    }

    private long startOf(LocalDate day) {
        return day.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    private static String dateColumn(boolean sent) {
        return sent ? "sent_date" : "internal_date";
    }

    private static String flag(Target t, String flag, List<Object> params) {
        if (flag.equalsIgnoreCase(Flags.RECENT)) {
            return inSet(t.recent(), params);
        }
        if (Flags.isSystem(flag)) {
            int bit = MessageRow.bit(flag);
            return bit == 0 ? "FALSE" : "BITAND(sysflags, " + bit + ") <> 0";
        }
        params.add("% " + escapeLike(flag.toLowerCase(Locale.ROOT)) + " %");
        return "LOWER(keywords) LIKE ? ESCAPE '\\'";
    }

    private static String uids(SearchQuery.Uids u, List<Object> params) {
        if (u.ranges().isEmpty()) {
            return "FALSE";
        }
        List<String> parts = new ArrayList<>();
        List<long[]> ranges = u.ranges();
        if (ranges.size() > 16) {
            // a long IMAP set (1,3,5,7,...): one array parameter instead of hundreds of ORs
            List<Long> explicit = new ArrayList<>();
            List<long[]> rest = new ArrayList<>();
            for (long[] r : ranges) {
                long lo = Math.min(r[0], r[1]);
                long hi = Math.max(r[0], r[1]);
                if (hi != Long.MAX_VALUE && hi - lo < 10_000 && explicit.size() < 1_000_000) {
                    for (long x = lo; x <= hi; x++) {
                        explicit.add(x);
                    }
                } else {
                    rest.add(r);
                }
            }
            parts.add(inSet(explicit, params));
            ranges = rest;
        }
        for (long[] r : ranges) {
            long lo = Math.min(r[0], r[1]);
            long hi = Math.max(r[0], r[1]);
            if (hi == Long.MAX_VALUE) {
                // "n:*" includes the highest UID even when n is above it (RFC 9051 §9, seq-range)
                params.add(lo);
                parts.add("uid >= LEAST(?, (SELECT COALESCE(MAX(uid), 0) FROM message x WHERE x.mailbox_id = message.mailbox_id))");
            } else {
                params.add(lo);
                params.add(hi);
                parts.add("uid BETWEEN ? AND ?");
            }
        }
        return String.join(" OR ", parts);
    }

    private static String inSet(java.util.Collection<Long> uids, List<Object> params) {
        if (uids.isEmpty()) {
            return "FALSE";
        }
        if (uids.size() <= 1000) {
            StringBuilder b = new StringBuilder("uid IN (");
            for (Long u : uids) {
                params.add(u);
                b.append(b.length() == 8 ? "?" : ",?");
            }
            return b.append(')').toString();
        }
        params.add(uids.toArray(new Long[0]));
        // H2 evaluates a non-correlated IN (subquery) once into a hashed set; "= ANY(array)" would scan the array
        // for every row (20,000 rows x 1,000 matches = 20 million comparisons).
        return IndexDatabase.UID_IN_ARRAY;
    }

    static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String column(SearchQuery.Field f) {
        return switch (f) {
            case FROM -> "hdr_from";
            case TO -> "hdr_to";
            case CC -> "hdr_cc";
            case BCC -> "hdr_bcc";
            case SUBJECT -> "subject";
            case MESSAGE_ID -> "message_id";
            default -> null;
        };
    }

    private Set<Long> textSet(Target t, SearchQuery.Text q) throws IOException {
        String col = column(q.field());
        FullText.Candidates found = fullText.candidates(t.account(), t.mailboxId(), q.field(), q.value());
        if (found != null && found.exact()) {
            return found.uids();
        }
        if (col != null) {
            // the decoded header column gives the exact substring answer; Lucene's candidates narrow it
            Set<Long> exact = new HashSet<>(db.list("SELECT uid FROM message WHERE mailbox_id=? AND " + col
                    + " ILIKE ? ESCAPE '\\'", rs -> rs.getLong(1), t.mailboxId(), "%" + escapeLike(q.value()) + "%"));
            if (found != null) {
                exact.retainAll(found.uids());
            }
            return exact;
        }
        String needle = q.value().toLowerCase(Locale.ROOT);
        Set<Long> candidates = found == null ? allUids(t) : found.uids();
        Set<Long> matches = new HashSet<>();
        for (long uid : candidates) {
            Path file = t.file(uid);
            if (file == null) {
                continue;
            }
            try {
                TextExtractor.Extracted x = extractor.extract(file);
                String hay = switch (q.field()) {
                    case BODY -> x.body();
                    case ATTACHMENT_NAME -> String.join("\n", x.attachmentNames());
                    default -> x.headers() + "\n" + x.body();
                };
                if (hay.toLowerCase(Locale.ROOT).contains(needle)) {
                    matches.add(uid);
                }
            } catch (NoSuchFileException e) {
                // expunged meanwhile
            }
        }
        return matches;
    }

    private Set<Long> headerSet(Target t, SearchQuery.Header h) throws IOException {
        String name = h.name().toLowerCase(Locale.ROOT);
        SearchQuery.Field known = switch (name) {
            case "from" -> SearchQuery.Field.FROM;
            case "to" -> SearchQuery.Field.TO;
            case "cc" -> SearchQuery.Field.CC;
            case "bcc" -> SearchQuery.Field.BCC;
            case "subject" -> SearchQuery.Field.SUBJECT;
            default -> null;
        };
        if (known != null && !h.value().isEmpty()) {
            return textSet(t, new SearchQuery.Text(known, h.value()));
        }
        // Any other header: read the headers of each message (rare; IMAP HEADER with an unusual field).
        String needle = h.value().toLowerCase(Locale.ROOT);
        Set<Long> matches = new HashSet<>();
        for (long uid : db.list("SELECT uid FROM message WHERE mailbox_id=?", rs -> rs.getLong(1), t.mailboxId())) {
            Path file = t.file(uid);
            if (file == null) {
                continue;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = Math.min(ch.size(), 1 << 20);
                ByteBuffer buf = size == 0 ? ByteBuffer.allocate(0) : ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
                for (String v : HeaderBlock.parse(buf, 0, size).getAll(h.name())) {
                    if (StructureParser.decodeHeader(v).toLowerCase(Locale.ROOT).contains(needle)) {
                        matches.add(uid);
                        break;
                    }
                }
            } catch (NoSuchFileException e) {
                // expunged meanwhile
            }
        }
        return matches;
    }
}
