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
