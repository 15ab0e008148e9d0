package org.facteur.imap.command;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.facteur.imap.protocol.ArgumentReader;
import org.facteur.imap.protocol.ImapException;
import org.facteur.imap.protocol.SequenceSet;
import org.facteur.imap.session.ImapSession;
import org.facteur.storage.Flags;
import org.facteur.storage.SearchQuery;
import org.facteur.storage.SearchQuery.Field;

/**
 * Turns IMAP search keys (RFC 9051 §6.4.4, RFC 7162 MODSEQ, RFC 5032 OLDER/YOUNGER, RFC 8514 SAVED*) into the
 * storage's {@link SearchQuery}. Message numbers and {@code $} become UID sets here, against the session's view.
 */
final class SearchParser {

    /** date-text = date-day "-" date-month "-" date-year; month names in any case. */
    private static final DateTimeFormatter DATE = new java.time.format.DateTimeFormatterBuilder()
            .parseCaseInsensitive().appendPattern("d-MMM-yyyy").toFormatter(Locale.ROOT);

    private final ImapSession session;
    private final ArgumentReader in;
    boolean usedModSeq;

    SearchParser(ImapSession session, ArgumentReader in) {
        this.session = session;
        this.in = in;
    }

    /** [CHARSET astring SP] keys: only UTF-8 and US-ASCII are accepted (RFC 9051 §6.4.4). */
    void charset() throws ImapException {
        if (in.peekWord("CHARSET")) {
            in.atom();
            in.sp();
            checkCharset(in.astring());
            in.sp();
        }
    }

    static void checkCharset(String charset) throws ImapException {
        if (!charset.equalsIgnoreCase("UTF-8") && !charset.equalsIgnoreCase("US-ASCII")) {
            throw ImapException.no("BADCHARSET (UTF-8 US-ASCII)", "Unsupported charset " + charset);
        }
    }

    /** One or more keys up to the end of the command, ANDed. */
    SearchQuery keys() throws ImapException {
        List<SearchQuery> terms = new ArrayList<>();
        do {
            terms.add(key());
        } while (in.trySp());
        in.end();
        return terms.size() == 1 ? terms.get(0) : new SearchQuery.And(terms);
    }

    private SearchQuery key() throws ImapException {
        if (in.tryOpen()) {
            List<SearchQuery> terms = new ArrayList<>();
            do {
                terms.add(key());
            } while (in.trySp());
            in.close();
            return terms.size() == 1 ? terms.get(0) : new SearchQuery.And(terms);
        }
        int c = in.peek();
        if ((c >= '0' && c <= '9') || c == '*' || c == '$') {
            SequenceSet set = SequenceSet.parse(in.sequenceSetText(), session.config().maxSequenceSetElements());
            return uids(session.resolve(set, false, false), set.isSavedResult());
        }
        String word = in.atom().toUpperCase(Locale.ROOT);
        return switch (word) {
            case "ALL" -> new SearchQuery.All();
            case "ANSWERED" -> flag(Flags.ANSWERED);
            case "DELETED" -> flag(Flags.DELETED);
            case "DRAFT" -> flag(Flags.DRAFT);
            case "FLAGGED" -> flag(Flags.FLAGGED);
            case "SEEN" -> flag(Flags.SEEN);
            case "UNANSWERED" -> not(flag(Flags.ANSWERED));
            case "UNDELETED" -> not(flag(Flags.DELETED));
            case "UNDRAFT" -> not(flag(Flags.DRAFT));
            case "UNFLAGGED" -> not(flag(Flags.FLAGGED));
            case "UNSEEN" -> not(flag(Flags.SEEN));
            case "KEYWORD" -> flag(argument(in::atom));
            case "UNKEYWORD" -> not(flag(argument(in::atom)));
            case "RECENT" -> recent();
            case "OLD" -> not(recent());
            case "NEW" -> new SearchQuery.And(List.of(recent(), not(flag(Flags.SEEN))));
            case "BCC" -> text(Field.BCC);
            case "CC" -> text(Field.CC);
            case "FROM" -> text(Field.FROM);
            case "TO" -> text(Field.TO);
            case "SUBJECT" -> text(Field.SUBJECT);
            case "BODY" -> text(Field.BODY);
            case "TEXT" -> text(Field.TEXT);
            case "HEADER" -> {
                String name = argument(in::astring);
                in.sp();
                yield new SearchQuery.Header(name, in.astring());
            }
            case "BEFORE" -> new SearchQuery.Before(date(), false);
            case "ON" -> new SearchQuery.On(date(), false);
            case "SINCE" -> new SearchQuery.Since(date(), false);
            case "SENTBEFORE" -> sent(date(), -1);
            case "SENTON" -> sent(date(), 0);
            case "SENTSINCE" -> sent(date(), 1);
            case "SAVEDBEFORE" -> between(null, date(), true);
            case "SAVEDON" -> {
                LocalDate d = date();
                yield between(d, d.plusDays(1), true);
            }
            case "SAVEDSINCE" -> between(date(), null, true);
            case "SAVEDATESUPPORTED" -> new SearchQuery.All();
            case "OLDER" -> new SearchQuery.Between(Instant.EPOCH, Instant.now().minus(Duration.ofSeconds(interval())), false);
            case "YOUNGER" -> new SearchQuery.Between(Instant.now().minus(Duration.ofSeconds(interval())), Instant.MAX, false);
            case "LARGER" -> new SearchQuery.Larger(argument(in::number));
            case "SMALLER" -> new SearchQuery.Smaller(argument(in::number));
            case "UID" -> {
                in.sp();
                SequenceSet set = SequenceSet.parse(in.sequenceSetText(), session.config().maxSequenceSetElements());
                yield uids(session.resolve(set, true), set.isSavedResult());
            }
            case "NOT" -> {
                in.sp();
                in.enter(); // NOT and OR nest like parentheses: the same depth limit applies
                SearchQuery q = not(key());
                in.leave();
                yield q;
            }
            case "OR" -> {
                in.sp();
                in.enter();
                SearchQuery a = key();
                in.sp();
                SearchQuery q = new SearchQuery.Or(List.of(a, key()));
                in.leave();
                yield q;
            }
            case "MODSEQ" -> modSeq();
            default -> throw new ImapException("Unknown search key " + word);
        };
    }

    private static final java.util.regex.Pattern DATE_PART = java.util.regex.Pattern.compile(
            "(\\d{1,2})\\s+([A-Za-z]{3})[a-z]*\\s+(\\d{2,4})");

    private java.util.Map<Long, LocalDate> sentDates;

    /**
     * SENTBEFORE / SENTON / SENTSINCE (RFC 9051 §6.4.4): the day written in the Date header, "disregarding time
     * and timezone", so the day is read from the header text itself rather than converted to UTC; the
     * INTERNALDATE's day where the header is missing or unreadable. Answered here from the cached envelopes.
     */
    private SearchQuery sent(LocalDate day, int direction) throws ImapException {
        if (sentDates == null) {
            sentDates = new java.util.HashMap<>();
            try {
                for (var m : session.selected().messages()) {
                    var envelope = session.selected().view().structure(m.uid()).envelope();
                    sentDates.put(m.uid(), dayOf(envelope.date(), m.internalDate()));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        List<Long> uids = new ArrayList<>();
        for (var e : sentDates.entrySet()) {
            int cmp = e.getValue().compareTo(day);
            if ((direction < 0 && cmp < 0) || (direction == 0 && cmp == 0) || (direction > 0 && cmp >= 0)) {
                uids.add(e.getKey());
            }
        }
        return uids(uids, false);
    }

    static LocalDate dayOf(String header, Instant internalDate) {
        if (header != null) {
            java.util.regex.Matcher m = DATE_PART.matcher(header);
            if (m.find()) {
                try {
                    int year = Integer.parseInt(m.group(3));
                    if (year < 100) {
                        year += year < 50 ? 2000 : 1900; // RFC 5322 §4.3 obsolete two-digit years
                    }
                    String month = m.group(2).substring(0, 1).toUpperCase(Locale.ROOT) + m.group(2).substring(1, 3).toLowerCase(Locale.ROOT);
                    return LocalDate.parse(m.group(1) + "-" + month + "-" + year, DATE);
                } catch (RuntimeException ignored) {
                    // fall back to the internal date
                }
            }
        }
        return internalDate.atZone(java.time.ZoneOffset.UTC).toLocalDate();
    }

    private SearchQuery modSeq() throws ImapException {
        in.sp();
        if (in.peekIs('"')) {
            // entry-name entry-type-req: per-flag modseqs are not kept apart; the message MODSEQ answers for all.
            in.string();
            in.sp();
            in.atom();
            in.sp();
        }
        usedModSeq = true;
        try {
            session.condstoreUsed();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new SearchQuery.ModSeqAtLeast(in.number());
    }

    private interface Reader<T> {
        T read() throws ImapException;
    }

    private <T> T argument(Reader<T> reader) throws ImapException {
        in.sp();
        return reader.read();
    }

    private long interval() throws ImapException {
        return argument(in::nzNumber);
    }

    private SearchQuery text(Field field) throws ImapException {
        return new SearchQuery.Text(field, argument(in::astring));
    }

    private static SearchQuery flag(String flag) {
        return new SearchQuery.HasFlag(flag);
    }

    private static SearchQuery not(SearchQuery q) {
        return new SearchQuery.Not(q);
    }

    private SearchQuery recent() {
        return uids(new ArrayList<>(session.selected().view().recent()), false);
    }

    private static SearchQuery between(LocalDate from, LocalDate to, boolean saved) {
        Instant start = from == null ? Instant.EPOCH : from.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        Instant end = to == null ? Instant.MAX : to.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        return new SearchQuery.Between(start, end, saved);
    }

    private LocalDate date() throws ImapException {
        in.sp();
        String text = in.peekIs('"') ? in.string() : in.atom();
        try {
            return LocalDate.parse(text, DATE);
        } catch (DateTimeParseException e) {
            throw new ImapException("Invalid date " + text);
        }
    }

    /** A UID set as ranges; an empty set matches nothing. */
    static SearchQuery uids(List<Long> uids, boolean saved) {
        if (uids.isEmpty()) {
            return new SearchQuery.Not(new SearchQuery.All());
        }
        List<Long> sorted = new ArrayList<>(uids);
        sorted.sort(null);
        List<long[]> ranges = new ArrayList<>();
        long start = sorted.get(0);
        long end = start;
        for (int i = 1; i < sorted.size(); i++) {
            long u = sorted.get(i);
            if (u == end + 1) {
                end = u;
            } else {
                ranges.add(new long[] {start, end});
                start = u;
                end = u;
            }
        }
        ranges.add(new long[] {start, end});
        return new SearchQuery.Uids(ranges);
    }
}
