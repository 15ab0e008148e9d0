package org.facteur.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.facteur.storage.mime.IndexFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The delivery writer's kept connection (real H2 file): a failed batch leaves nothing behind, neither rows nor locks. */
class RowWriterTest {

    @TempDir
    Path dir;

    private static MessageRow row(long mailboxId, long uid) {
        IndexFields f = new IndexFields(-1, "", "", "", "subject " + uid, "", "", "", "", "", "", "Subject " + uid,
                "<" + uid + "@example.org>", "<" + uid + "@example.org>", false);
        return new MessageRow(mailboxId, uid, uid, Set.of(), 1000, 1000, 10, "new/" + uid, f, new byte[0]);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFailedBatchIsRolledBackWholeAndHoldsNoLockOnTheMailboxRow() throws Exception {
        try (IndexDatabase db = IndexDatabase.open(dir)) {
            long id = db.createMailbox("a@example.org", "INBOX", 1, 1, 10);
            db.insert(List.of(row(id, 1)), id, 2, 11);

            // uid 2 is new, uid 1 is a duplicate: the batch fails as a whole
            assertThatThrownBy(() -> db.insert(List.of(row(id, 2), row(id, 1)), id, 3, 12))
                    .isInstanceOf(IOException.class);
            assertThat(db.rows(id)).extracting(MessageRow::uid).containsExactly(1L);
            assertThat(db.mailbox("a@example.org", "INBOX").orElseThrow().uidNext()).isEqualTo(2);

            // another connection writes the mailbox row at once: the failed batch left no lock on it (LOCK_TIMEOUT
            // is 20 s; the test's limit would catch a wait that long only barely, so time it)
            long t0 = System.nanoTime();
            db.updateMailbox(id, 1, 2, 13);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);

            // and the kept connection goes on with the next batch
            db.insert(List.of(row(id, 2)), id, 3, 14);
            assertThat(db.rows(id)).extracting(MessageRow::uid).containsExactly(1L, 2L);
            assertThat(db.mailbox("a@example.org", "INBOX").orElseThrow().highestModSeq()).isEqualTo(14);
        }
    }
}
