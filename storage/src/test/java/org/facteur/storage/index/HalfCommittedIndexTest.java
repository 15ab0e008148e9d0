package org.facteur.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index file left by a process killed in the middle of an H2 commit (see {@link UnfinishedCommit}). The fixture
 * {@code half-committed.mv.db} is the index of a {@code CrashRecoveryTest} run whose reopen hung for ever in H2's
 * row locking (2026-12-07, under load): reopened as it is, the first UPDATE of the mailbox's counters spins.
 */
class HalfCommittedIndexTest {

    @TempDir
    Path dir;

    private void copyFixture() throws Exception {
        try (InputStream in = HalfCommittedIndexTest.class.getResourceAsStream("half-committed.mv.db")) {
            Files.copy(in, dir.resolve("index.mv.db"));
        }
    }

    @Test
    void theFixtureHoldsATransactionThatH2RecoveredButLeftHalfCommitted() throws Exception {
        copyFixture();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("index").toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "")) {
            assertThat(UnfinishedCommit.foundIn(c)).isTrue();
            try (Statement s = c.createStatement()) {
                s.execute("SHUTDOWN IMMEDIATELY");
            }
        }
    }

    // a hang is what this guards against: the limit runs on its own thread, which an H2 spin does not stop
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void suchAnIndexIsMovedAsideAndStartsEmptyInsteadOfHangingTheFirstWrite() throws Exception {
        copyFixture();
        try (IndexDatabase db = IndexDatabase.open(dir)) {
            assertThat(db.mailboxes("crash@example.org")).isEmpty(); // rebuilt from the maildir on first use
            long id = db.createMailbox("crash@example.org", "INBOX", 7, 1, 100);
            db.insert(List.of(), id, 2, 101); // the counters' UPDATE, the statement that spun
            assertThat(db.mailbox("crash@example.org", "INBOX").orElseThrow().uidNext()).isEqualTo(2);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("index.mv.db.broken-"));
        }
        try (IndexDatabase again = IndexDatabase.open(dir)) { // and the new file opens cleanly afterwards
            assertThat(again.mailbox("crash@example.org", "INBOX")).isPresent();
        }
    }
}
