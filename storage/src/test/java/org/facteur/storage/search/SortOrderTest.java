package org.facteur.storage.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.facteur.storage.SortKey;
import org.facteur.storage.SortKey.Criterion;
import org.junit.jupiter.api.Test;

/** The ORDER BY each kind of sorted listing gets: IMAP SORT breaks ties by ascending sequence number. */
class SortOrderTest {

    @Test
    void imapSortBreaksTiesAscendingEvenWhenReversed() {
        // RFC 5256 §3: REVERSE applies to its key only; ties still go by sequence number
        assertEquals("mailbox_id DESC, size DESC, uid ASC",
                SearchEngine.orderBy(List.of(new SortKey(Criterion.SIZE, true)), false));
        assertEquals("mailbox_id ASC, sort_from ASC, internal_date DESC, uid ASC",
                SearchEngine.orderBy(List.of(new SortKey(Criterion.FROM, false),
                        new SortKey(Criterion.ARRIVAL, true)), false));
    }

    @Test
    void webmailPagesKeepReversedTiesNewestFirst() {
        assertEquals("mailbox_id DESC, internal_date DESC, uid DESC",
                SearchEngine.orderBy(List.of(new SortKey(Criterion.ARRIVAL, true)), true));
    }
}
