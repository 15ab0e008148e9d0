package org.facteur.storage.mime;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The instant a Date header field's value names (RFC 5322 §3.3), read once per message at delivery.
 *
 * <p>Nearly every Date field is in the canonical form {@code [Day, ]d Mon yyyy HH:mm[:ss] +zzzz}; that form is
 * read by hand ({@link #readCanonical}), which costs a few hundred nanoseconds where {@code java.time}'s
 * formatter cost a tenth of a delivery's parse. Anything else (comments, obsolete forms, out-of-range fields)
 * goes to {@link #readLenient}, the reference: the canonical reader answers only where the lenient one would
 * give the same instant ({@code DateFieldTest} compares them on generated fields).
 */
final class DateField {

    /** The canonical reader's answer when the value is not in the canonical form. */
    private static final long NOT_CANONICAL = Long.MIN_VALUE;

    private static final Pattern WEEKDAY = Pattern.compile("^[A-Za-z]{3}, ?");
    private static final Pattern COMMENT = Pattern.compile("\\([^)]*\\)");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    /** RFC 5322 §4.3 obsolete zone names, as offsets. */
    private static final Map<String, String> OBSOLETE_ZONES = Map.ofEntries(Map.entry("UT", "+0000"),
            Map.entry("GMT", "+0000"), Map.entry("Z", "+0000"), Map.entry("EST", "-0500"), Map.entry("EDT", "-0400"),
            Map.entry("CST", "-0600"), Map.entry("CDT", "-0500"), Map.entry("MST", "-0700"), Map.entry("MDT", "-0600"),
            Map.entry("PST", "-0800"), Map.entry("PDT", "-0700"));
    /** RFC 5322 §3.3 date and time without the day of week: one- or two-digit day, optional seconds. */
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("d MMM yyyy HH:mm[:ss] Z").toFormatter(Locale.ENGLISH);
    private static final String[] MONTHS =
            {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};

    private DateField() {
    }

    /** Epoch milliseconds, or -1 when the value names no instant. */
    static long read(String value) {
        if (value == null) {
            return -1;
        }
        long ms = readCanonical(value);
        return ms != NOT_CANONICAL ? ms : readLenient(value);
    }

    /**
     * RFC 5322 §3.3: comments may stand in CFWS; the day of week is optional and is not checked against the
     * date (as Dovecot does not): a message whose sender got it wrong still sorts and searches by its date.
     */
    static long readLenient(String date) {
        String d = date.indexOf('(') < 0 ? date : COMMENT.matcher(date).replaceAll(" ");
        d = WEEKDAY.matcher(SPACES.matcher(d).replaceAll(" ").trim()).replaceFirst("");
        int lastSpace = d.lastIndexOf(' ');
        String zone = OBSOLETE_ZONES.get(d.substring(lastSpace + 1));
        if (zone != null) {
            d = d.substring(0, lastSpace + 1) + zone;
        }
        try {
            return ZonedDateTime.parse(d, DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    /**
     * The canonical form, in printable ASCII cut by white space: an optional three-letter day of week with its
     * comma, a one- or two-digit day valid in its month, an English month abbreviation (any case), a four-digit
     * year, {@code HH:mm} or {@code HH:mm:ss} in range, and a {@code +hhmm}/{@code -hhmm} offset under 18 hours or
     * an obsolete zone name; else {@link #NOT_CANONICAL}.
     */
    static long readCanonical(String s) {
        String[] t = new String[6];
        int n = 0;
        int i = 0;
        int len = s.length();
        while (i < len) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                i++;
                continue;
            }
            int start = i;
            while (i < len && !isSpace(s.charAt(i))) {
                char x = s.charAt(i);
                if (x <= ' ' || x > '~' || x == '(') {
                    return NOT_CANONICAL; // control, 8-bit or a comment: the lenient reader decides
                }
                i++;
            }
            if (n == t.length) {
                return NOT_CANONICAL;
            }
            t[n++] = s.substring(start, i);
        }
        int k = 0;
        if (n > 0 && t[0].length() >= 4 && isLetter(t[0].charAt(0)) && isLetter(t[0].charAt(1))
                && isLetter(t[0].charAt(2)) && t[0].charAt(3) == ',') {
            if (t[0].length() == 4) {
                k = 1; // "Mon, 7 Dec ..."
            } else {
                t[0] = t[0].substring(4); // "Mon,7 Dec ..."
            }
        }
        if (n - k != 5) {
            return NOT_CANONICAL;
        }
        String dayText = t[k];
        String monthText = t[k + 1];
        String yearText = t[k + 2];
        String time = t[k + 3];
        String zone = t[k + 4];
        int day = digits(dayText, 0, dayText.length());
        if (dayText.length() > 2 || day < 1) {
            return NOT_CANONICAL;
        }
        int month = month(monthText);
        int year = yearText.length() == 4 ? digits(yearText, 0, 4) : -1;
        if (month < 1 || year < 1) {
            return NOT_CANONICAL;
        }
        boolean withSeconds = time.length() == 8 && time.charAt(5) == ':';
        if (!(time.length() == 5 || withSeconds) || time.charAt(2) != ':') {
            return NOT_CANONICAL;
        }
        int hour = digits(time, 0, 2);
        int minute = digits(time, 3, 5);
        int second = withSeconds ? digits(time, 6, 8) : 0;
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return NOT_CANONICAL;
        }
        String offset = OBSOLETE_ZONES.getOrDefault(zone, zone);
        if (offset.length() != 5 || offset.charAt(0) != '+' && offset.charAt(0) != '-') {
            return NOT_CANONICAL;
        }
        int offHours = digits(offset, 1, 3);
        int offMinutes = digits(offset, 3, 5);
        if (offHours < 0 || offHours > 17 || offMinutes < 0 || offMinutes > 59) {
            return NOT_CANONICAL;
        }
        if (day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return NOT_CANONICAL; // java.time's smart resolver moves "31 Apr" to 30 Apr: left to it
        }
        long offsetSeconds = (offHours * 3600L + offMinutes * 60L) * (offset.charAt(0) == '-' ? -1 : 1);
        long epochSecond = LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L
                + second - offsetSeconds;
        return epochSecond * 1000L;
    }

    /** The value of {@code s[from, to)} as decimal digits, or -1 if one is not a digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return to > from ? v : -1;
    }

    private static int month(String text) {
        if (text.length() != 3) {
            return -1;
        }
        for (int m = 0; m < MONTHS.length; m++) {
            if (MONTHS[m].equalsIgnoreCase(text)) {
                return m + 1;
            }
        }
        return -1;
    }

    /** {@code \s} of {@link #SPACES}: space, tab, LF, VT, FF, CR. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean isLetter(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }
}
