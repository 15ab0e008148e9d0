package org.facteur.storage.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Date header field as the index reads it (RFC 5322 §3.3, with §4.3's obsolete zones). */
class DateFieldTest {

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void readsTheDateWhateverTheDayOfWeekSays() {
        // 6 Nov 2026 is a Friday
        assertThat(IndexFields.parseDate("Fri, 06 Nov 2026 05:05:00 +0000")).isEqualTo(at("2026-11-06T05:05:00Z"));
        assertThat(IndexFields.parseDate("Mon, 06 Nov 2026 05:05:00 +0000")).isEqualTo(at("2026-11-06T05:05:00Z"));
        assertThat(IndexFields.parseDate("6 Nov 2026 05:05 +0000")).isEqualTo(at("2026-11-06T05:05:00Z"));
    }

    @Test
    void readsCommentsFoldingAndObsoleteZones() {
        assertThat(IndexFields.parseDate("Wed, 4 Nov 2026 10:00:00 +0100 (CET)")).isEqualTo(at("2026-11-04T09:00:00Z"));
        assertThat(IndexFields.parseDate("Wed,\r\n 4 Nov 2026   10:00:00 EST")).isEqualTo(at("2026-11-04T15:00:00Z"));
        assertThat(IndexFields.parseDate("Sun, 01 nov 2026 07:01:00 GMT")).isEqualTo(at("2026-11-01T07:01:00Z"));
    }

    @Test
    void anUnreadableDateIsMinusOne() {
        assertThat(IndexFields.parseDate(null)).isEqualTo(-1);
        assertThat(IndexFields.parseDate("yesterday")).isEqualTo(-1);
        assertThat(IndexFields.parseDate("Fri, 06 Nov 2026")).isEqualTo(-1);
    }

    @Test
    void theCanonicalReaderAgreesWithTheLenientOneOnEveryFieldItReads() {
        // the hand-written reader answers only where java.time's formatter (the reference) gives the same
        // instant; generated fields mix valid ones with every kind of near miss
        String[] days = {"1", "01", "7", "28", "29", "30", "31", "32", "0", "007", "", "x"};
        String[] months = {"Jan", "feb", "MAR", "Apr", "May", "jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
                "Dec", "Foo", "January"};
        String[] years = {"2026", "2024", "2100", "2000", "1999", "0000", "0001", "26", "12026", "20x6"};
        String[] times = {"00:00", "23:59", "24:00", "10:00:00", "10:00:59", "10:00:60", "10:60", "1:00", "10:00:0",
                "10:00:00.5", "10-00"};
        String[] zones = {"+0000", "-0000", "+0100", "-0530", "+1759", "+1800", "-1800", "+1900", "+0060", "0100",
                "+01:00", "GMT", "gmt", "UT", "Z", "EST", "PDT", "CET", "+01"};
        String[] weekdays = {"", "Mon, ", "Mon,", "mon , ", "Monday, ", "Xyz, ", "Mo, ", "(Mon) "};
        String[] gaps = {" ", "  ", "\t", "\r\n ", " \u000B"};
        Random r = new Random(5322);
        int canonical = 0;
        for (int i = 0; i < 50_000; i++) {
            String g = gaps[r.nextInt(gaps.length)];
            String value = weekdays[r.nextInt(weekdays.length)] + days[r.nextInt(days.length)] + g
                    + months[r.nextInt(months.length)] + " " + years[r.nextInt(years.length)] + g
                    + times[r.nextInt(times.length)] + " " + zones[r.nextInt(zones.length)]
                    + (r.nextInt(8) == 0 ? " (CET)" : r.nextInt(8) == 0 ? g : "");
            long lenient = DateField.readLenient(value);
            long read = DateField.read(value);
            assertThat(read).as(value).isEqualTo(lenient);
            if (DateField.readCanonical(value) != Long.MIN_VALUE) {
                canonical++;
            }
        }
        assertThat(canonical).as("fields the canonical reader answered").isGreaterThan(500);
    }
}
