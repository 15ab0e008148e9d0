package org.facteur.storage.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.facteur.storage.SortKey;
import org.facteur.storage.index.IndexDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listings that must cost the same at 100 and at 100,000 messages read an index, not every row of the mailbox:
 * H2's own plan (EXPLAIN) on the real schema says which. Their speed is measured in bench/storage and bench/webmail.
 */
class QueryPlanTest {

    @TempDir
    Path dir;

    private static String plan(IndexDatabase db, String sql, Object... params) throws Exception {
        return String.join("\n", db.list("EXPLAIN " + sql, rs -> rs.getString(1), params));
    }

    @Test
    void conversationsAreGroupedFromTheThreadIndexAlone() throws Exception {
        try (IndexDatabase db = IndexDatabase.open(dir)) {
            long box = db.createMailbox("alice@example.test", "INBOX", 1, 1, 1);
            // grouping on COALESCE(thread_id, ...) made H2 read every row by the primary key (600 ms at 100,000)
            assertThat(plan(db, SearchEngine.CONVERSATIONS, box, box))
                    .contains("MESSAGE_THREAD_UID: MAILBOX_ID = ?1").doesNotContain("PRIMARY_KEY");
            assertThat(plan(db, SearchEngine.CONVERSATION_COUNT, box, box))
                    .contains("MESSAGE_THREAD_UID").doesNotContain("PRIMARY_KEY");
        }
    }

    /** STORE, EXPUNGE, COPY and FETCH read their messages' rows run by run: a few UIDs of a big mailbox, a few rows. */
    @Test
    void aRunOfUidsIsReadByASeekNotAScanOfTheMailbox() throws Exception {
        try (IndexDatabase db = IndexDatabase.open(dir)) {
            long box = db.createMailbox("alice@example.test", "INBOX", 1, 1, 1);
            try (var c = db.connection(); var p = c.prepareStatement("INSERT INTO message(mailbox_id, uid, modseq, "
                    + "sysflags, keywords, internal_date, save_date, size, file_name) "
                    + "SELECT ?, X, 1, 0, '', 0, 0, 1, 'new/' || X FROM SYSTEM_RANGE(1, 1000)")) {
                p.setLong(1, box);
                p.executeUpdate();
            }
            String analyzed = String.join("\n", db.list("EXPLAIN ANALYZE SELECT uid, file_name "
                    + IndexDatabase.UID_RUN, rs -> rs.getString(1), box, 500L, 502L));
            // three rows wanted, three read (plus the one that ends the range); "uid IN (UNNEST(?))" read all 1,000
            assertThat(analyzed).contains("PRIMARY_KEY").containsPattern("scanCount: [1-4]\\b")
                    .doesNotContain("scanCount: 1001");
            assertThat(db.rows(box, List.of(502L, 7L, 500L, 5000L, 7L))).extracting(r -> r.uid())
                    .containsExactly(7L, 500L, 502L);
        }
    }

    @Test
    void aPageByDateWalksTheDateIndexInOrder() throws Exception {
        try (IndexDatabase db = IndexDatabase.open(dir)) {
            long box = db.createMailbox("alice@example.test", "INBOX", 1, 1, 1);
            String order = SearchEngine.orderBy(List.of(SortKey.reversed(SortKey.Criterion.DATE)), true);
            assertThat(plan(db, "SELECT uid FROM message WHERE mailbox_id=? ORDER BY " + order + " LIMIT 50", box))
                    .contains("MESSAGE_DATE").contains("index sorted");
        }
    }
}
