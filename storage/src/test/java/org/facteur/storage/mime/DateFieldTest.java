package org.facteur.storage.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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
}
