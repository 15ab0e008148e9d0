package org.facteur.storage.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The H2 index: a cache of what the maildirs hold plus what maildir cannot say (MODSEQ, cached structure,
 * sort keys). It lives in its own file under the index directory; when that file is missing it is created
 * empty, and when it cannot be opened it is moved aside and created empty. Either way the maildir sync fills
 * it again on first use of each mailbox, keeping the UIDs of {@code dovecot-uidlist}.
 */
public final class IndexDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IndexDatabase.class);
    static final int SCHEMA_VERSION = 1;
    private static final String USER = "sa";

    private final JdbcConnectionPool pool;
    /** Every delivery's rows go through one kept connection with its statements prepared once. */
    private final RowWriter writer;

    private IndexDatabase(JdbcConnectionPool pool, String url) {
        this.pool = pool;
        this.writer = new RowWriter(() -> DriverManager.getConnection(url, USER, ""));
    }

    public static IndexDatabase open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path base = dir.resolve("index");
        try {
            return openAt(base);
        } catch (SQLException | RuntimeException e) {
            if (heldByAnotherProcess(e)) {
                // A lock is not damage: moving the file aside would make the running server's index vanish
                // under it. Refuse instead, and say what to do.
                throw new IOException("the mail index at " + base + " is in use by another process; "
                        + "stop the server (or the other command) first", e);
            }
            Path broken = dir.resolve("index.mv.db.broken-" + System.currentTimeMillis());
            LOG.warn("the index at {} cannot be opened ({}); moving it to {} and rebuilding from the maildirs",
                    base, e.getMessage(), broken);
            Path file = dir.resolve("index.mv.db");
            if (Files.exists(file)) {
                Files.move(file, broken);
            }
            try {
                return openAt(base);
            } catch (SQLException e2) {
                throw new IOException("cannot create the index at " + base, e2);
            }
        }
    }

    /** H2's "database may be already in use" (the file lock), anywhere in the cause chain. */
    private static boolean heldByAnotherProcess(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
                return true;
            }
        }
        return false;
    }

    private static IndexDatabase openAt(Path base) throws SQLException {
        // No AUTO_SERVER: one JVM owns the store. DB_CLOSE_ON_EXIT off: we close it ourselves.
        String url = "jdbc:h2:file:" + base.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=20000";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, USER, "");
        pool.setMaxConnections(16);
        IndexDatabase db = new IndexDatabase(pool, url);
        try {
            try (Connection c = pool.getConnection()) {
                if (UnfinishedCommit.foundIn(c)) {
                    // it would hang the first write to a row it touched: this file is damaged (see UnfinishedCommit)
                    try (Statement s = c.createStatement()) {
                        s.execute("SHUTDOWN IMMEDIATELY");
                    }
                    throw new SQLException("a transaction of a killed process was left half committed");
                }
            }
            db.createSchema();
        } catch (SQLException | RuntimeException e) {
            pool.dispose();
            throw e;
        }
        return db;
    }

    private void createSchema() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS meta(k VARCHAR PRIMARY KEY, v VARCHAR)");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS mailbox(
                      id BIGINT AUTO_INCREMENT PRIMARY KEY,
                      account VARCHAR NOT NULL, name VARCHAR NOT NULL,
                      uidvalidity BIGINT NOT NULL, uidnext BIGINT NOT NULL, highestmodseq BIGINT NOT NULL,
                      UNIQUE(account, name))""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS message(
                      mailbox_id BIGINT NOT NULL, uid BIGINT NOT NULL, modseq BIGINT NOT NULL,
                      sysflags INT NOT NULL, keywords VARCHAR NOT NULL,
                      internal_date BIGINT NOT NULL, save_date BIGINT NOT NULL, size BIGINT NOT NULL,
                      file_name VARCHAR NOT NULL, thread_id VARCHAR, message_id VARCHAR,
                      sent_date BIGINT, sort_date BIGINT, sort_from VARCHAR, sort_to VARCHAR, sort_cc VARCHAR,
                      sort_subject VARCHAR, display_from VARCHAR, display_to VARCHAR,
                      hdr_from VARCHAR, hdr_to VARCHAR, hdr_cc VARCHAR, hdr_bcc VARCHAR, subject VARCHAR,
                      has_attachments BOOLEAN, structure VARBINARY,
                      PRIMARY KEY(mailbox_id, uid))""");
            s.execute("CREATE INDEX IF NOT EXISTS message_date ON message(mailbox_id, sort_date, uid)");
            s.execute("CREATE INDEX IF NOT EXISTS message_arrival ON message(mailbox_id, internal_date, uid)");
            // No (mailbox_id, modseq) index: CONDSTORE's MODSEQ criteria and CHANGEDSINCE are answered from the
            // search's column store, so it served no query, and it cost an insert per delivery and a delete and
            // an insert per flag change. Indexes made before 2026-12-07 had it.
            s.execute("DROP INDEX IF EXISTS message_modseq");
            s.execute("CREATE INDEX IF NOT EXISTS message_from ON message(mailbox_id, display_from, uid)");
            s.execute("CREATE INDEX IF NOT EXISTS message_subject ON message(mailbox_id, sort_subject, uid)");
            s.execute("CREATE INDEX IF NOT EXISTS message_size ON message(mailbox_id, size, uid)");
            // The webmail's threaded list groups a mailbox's rows by thread (SearchEngine.threads). With uid in it,
            // the index holds every column that grouping reads, so H2 scans the index instead of every row (10x
            // faster at 100,000 messages); the index of that name without uid, made before 2026-12-07, is replaced.
            s.execute("DROP INDEX IF EXISTS message_thread");
            s.execute("CREATE INDEX IF NOT EXISTS message_thread_uid ON message(mailbox_id, thread_id, sort_date, uid)");
            // Search and paging read UIDs from these (mailbox_id, column, uid) indexes without touching a row
            // (a row holds the cached structure, so reading every row of a big mailbox costs ~1 s): SENTBEFORE/
            // SENTSINCE/SENTON, RFC 5256 SORT FROM, and the webmail's Sent folder ordered by recipient.
            s.execute("CREATE INDEX IF NOT EXISTS message_sent ON message(mailbox_id, sent_date, uid)");
            s.execute("CREATE INDEX IF NOT EXISTS message_sort_from ON message(mailbox_id, sort_from, uid)");
            s.execute("CREATE INDEX IF NOT EXISTS message_display_to ON message(mailbox_id, display_to, uid)");
            s.execute("MERGE INTO meta KEY(k) VALUES('schema', '" + SCHEMA_VERSION + "')");
        }
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    // ---- mailboxes ----

    public record MailboxRecord(long id, String account, String name, long uidValidity, long uidNext,
                                long highestModSeq) {
    }

    public Optional<MailboxRecord> mailbox(String account, String name) throws IOException {
        return one("SELECT id, account, name, uidvalidity, uidnext, highestmodseq FROM mailbox WHERE account=? AND name=?",
                IndexDatabase::mailboxRecord, account, name);
    }

    public List<MailboxRecord> mailboxes(String account) throws IOException {
        return list("SELECT id, account, name, uidvalidity, uidnext, highestmodseq FROM mailbox WHERE account=? ORDER BY name",
                IndexDatabase::mailboxRecord, account);
    }

    private static MailboxRecord mailboxRecord(ResultSet rs) throws SQLException {
        return new MailboxRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6));
    }

    public long createMailbox(String account, String name, long uidValidity, long uidNext, long highestModSeq)
            throws IOException {
        try (Connection c = connection();
             PreparedStatement p = c.prepareStatement(
                     "INSERT INTO mailbox(account, name, uidvalidity, uidnext, highestmodseq) VALUES(?,?,?,?,?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, account);
            p.setString(2, name);
            p.setLong(3, uidValidity);
            p.setLong(4, uidNext);
            p.setLong(5, highestModSeq);
            p.executeUpdate();
            try (ResultSet rs = p.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IOException("index: cannot create mailbox " + name, e);
        }
    }

    public void updateMailbox(long id, long uidValidity, long uidNext, long highestModSeq) throws IOException {
        update("UPDATE mailbox SET uidvalidity=?, uidnext=?, highestmodseq=? WHERE id=?", uidValidity, uidNext,
                highestModSeq, id);
    }

    public void renameMailbox(long id, String newName) throws IOException {
        update("UPDATE mailbox SET name=? WHERE id=?", newName, id);
    }

    public void deleteMailbox(long id) throws IOException {
        update("DELETE FROM message WHERE mailbox_id=?", id);
        update("DELETE FROM mailbox WHERE id=?", id);
    }

    // ---- messages ----

    private static final String LIGHT = "mailbox_id, uid, modseq, sysflags, keywords, internal_date, save_date, size, file_name";

    public List<MessageRow> rows(long mailboxId) throws IOException {
        return list("SELECT " + LIGHT + " FROM message WHERE mailbox_id=? ORDER BY uid", IndexDatabase::light,
                mailboxId);
    }

    /** Messages whose file is still in {@code new/}: the ones no session has seen (\Recent). */
    public List<MessageRow> rowsInNew(long mailboxId) throws IOException {
        return list("SELECT " + LIGHT + " FROM message WHERE mailbox_id=? AND file_name LIKE 'new/%' ORDER BY uid",
                IndexDatabase::light, mailboxId);
    }

    public Optional<MessageRow> row(long mailboxId, long uid) throws IOException {
        return one("SELECT " + LIGHT + " FROM message WHERE mailbox_id=? AND uid=?", IndexDatabase::light,
                mailboxId, uid);
    }

    public List<MessageRow> rows(long mailboxId, Collection<Long> uids) throws IOException {
        return byUidRuns("SELECT " + LIGHT, mailboxId, uids, IndexDatabase::light, MessageRow::uid);
    }

    static MessageRow light(ResultSet rs) throws SQLException {
        return new MessageRow(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                MessageRow.flags(rs.getInt(4), rs.getString(5)), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                rs.getString(9), null, null);
    }

    /** A message's file (relative to its folder) and cached structure (null when not cached, or not asked for). */
    public record StoredRow(long uid, String fileName, byte[] structure) {
    }

    /** The files and, with {@code structures}, the cached structures of {@code uids}, by UID. */
    public List<StoredRow> stored(long mailboxId, Collection<Long> uids, boolean structures) throws IOException {
        return byUidRuns("SELECT uid, file_name" + (structures ? ", structure" : ""), mailboxId, uids,
                rs -> new StoredRow(rs.getLong(1), rs.getString(2), structures ? rs.getBytes(3) : null),
                StoredRow::uid);
    }

    /** One run of {@link #byUidRuns}: the mailbox (1), the run's lowest (2) and highest (3) UID. */
    public static final String UID_RUN = "FROM message WHERE mailbox_id=? AND uid BETWEEN ? AND ? ORDER BY uid";

    /** A gap of this many UIDs or fewer between two wanted ones is read through rather than sought past. */
    private static final int RUN_GAP = 32;

    /**
     * The rows of {@code uids}, ascending, read run by run: the sorted UIDs are cut where two are more than
     * {@link #RUN_GAP} apart, and each run is one seek and scan of the primary key (uid BETWEEN its ends), its rows
     * outside the set skipped here. H2 answers "uid IN (UNNEST(?))" or "uid = ANY(?)" by reading every row of the
     * mailbox (EXPLAIN ANALYZE: 1,001 rows scanned for 3 UIDs of 1,000), which made a STORE of one flag in a big
     * mailbox read all of it; a range is a seek. {@code select} is the statement's SELECT clause.
     */
    private <T> List<T> byUidRuns(String select, long mailboxId, Collection<Long> uids, RowMapper<T> mapper,
                                  java.util.function.ToLongFunction<T> uidOf) throws IOException {
        if (uids.isEmpty()) {
            return List.of();
        }
        long[] sorted = uids.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        List<T> out = new ArrayList<>(sorted.length);
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement(select + " " + UID_RUN)) {
            p.setLong(1, mailboxId);
            int i = 0;
            while (i < sorted.length) {
                int j = i;
                while (j + 1 < sorted.length && sorted[j + 1] - sorted[j] <= RUN_GAP) {
                    j++;
                }
                p.setLong(2, sorted[i]);
                p.setLong(3, sorted[j]);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        T row = mapper.map(rs);
                        if (java.util.Arrays.binarySearch(sorted, i, j + 1, uidOf.applyAsLong(row)) >= 0) {
                            out.add(row);
                        }
                    }
                }
                i = j + 1;
            }
        } catch (SQLException e) {
            throw new IOException("index read failed", e);
        }
        return out;
    }

    public byte[] structure(long mailboxId, long uid) throws IOException {
        return one("SELECT structure FROM message WHERE mailbox_id=? AND uid=?", rs -> rs.getBytes(1), mailboxId, uid)
                .orElse(null);
    }

    public void setStructure(long mailboxId, long uid, byte[] structure) throws IOException {
        update("UPDATE message SET structure=? WHERE mailbox_id=? AND uid=?", structure, mailboxId, uid);
    }

    /** New rows of one mailbox and its counters after them. */
    public record MailboxInsert(List<MessageRow> rows, long mailboxId, long uidNext, long highestModSeq) {
    }

    /** Inserts rows and sets the mailbox counters, in one transaction. */
    public void insert(List<MessageRow> rows, long mailboxId, long uidNext, long highestModSeq) throws IOException {
        insert(List.of(new MailboxInsert(rows, mailboxId, uidNext, highestModSeq)));
    }

    /** Inserts the rows of several mailboxes and sets their counters, all in one transaction (group commit). */
    public void insert(List<MailboxInsert> inserts) throws IOException {
        writer.insert(inserts);
    }

    /** Writes new flags / file names / modseqs of rows, and the mailbox's HIGHESTMODSEQ, in one transaction. */
    public void updateFlags(List<MessageRow> rows, long mailboxId, long highestModSeq) throws IOException {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE message SET modseq=?, sysflags=?, keywords=?, file_name=? WHERE mailbox_id=? AND uid=?")) {
                for (MessageRow r : rows) {
                    p.setLong(1, r.modSeq());
                    p.setInt(2, MessageRow.systemBits(r.flags()));
                    p.setString(3, MessageRow.keywordColumn(r.flags()));
                    p.setString(4, r.fileName());
                    p.setLong(5, mailboxId);
                    p.setLong(6, r.uid());
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE mailbox SET highestmodseq=? WHERE id=?")) {
                p.setLong(1, highestModSeq);
                p.setLong(2, mailboxId);
                p.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IOException("index update failed", e);
        }
    }

    public void delete(long mailboxId, Collection<Long> uids, long highestModSeq) throws IOException {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("DELETE FROM message WHERE mailbox_id=? AND uid=?")) {
                for (long uid : uids) {
                    p.setLong(1, mailboxId);
                    p.setLong(2, uid);
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE mailbox SET highestmodseq=? WHERE id=?")) {
                p.setLong(1, highestModSeq);
                p.setLong(2, mailboxId);
                p.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IOException("index delete failed", e);
        }
    }

    /** @param recent messages still in {@code new/}: no read-write session has claimed them (RFC 3501 §2.3.2) */
    public record Counts(long messages, long unseen, long size, long deleted, long recent) {
    }

    public Counts counts(long mailboxId) throws IOException {
        return one("SELECT COUNT(*), COALESCE(SUM(CASE WHEN BITAND(sysflags, 1)=0 THEN 1 ELSE 0 END),0), "
                        + "COALESCE(SUM(size),0), COALESCE(SUM(CASE WHEN BITAND(sysflags, 8)<>0 THEN 1 ELSE 0 END),0), "
                        + "COALESCE(SUM(CASE WHEN file_name LIKE 'new/%' THEN 1 ELSE 0 END),0) "
                        + "FROM message WHERE mailbox_id=?",
                rs -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)),
                mailboxId).orElseThrow();
    }

    /** Bytes and messages of the whole account (quota use). */
    public long[] usage(String account) throws IOException {
        return one("SELECT COALESCE(SUM(m.size),0), COUNT(m.uid) FROM message m JOIN mailbox b ON m.mailbox_id=b.id "
                + "WHERE b.account=?", rs -> new long[] {rs.getLong(1), rs.getLong(2)}, account).orElseThrow();
    }

    // ---- helpers ----

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) throws IOException {
        List<T> out = new ArrayList<>();
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, params);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
        } catch (SQLException e) {
            throw new IOException("index query failed: " + e.getMessage(), e);
        }
        return out;
    }

    public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) throws IOException {
        List<T> l = list(sql, mapper, params);
        return l.isEmpty() ? Optional.empty() : Optional.ofNullable(l.get(0));
    }

    public int update(String sql, Object... params) throws IOException {
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, params);
            return p.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("index update failed: " + e.getMessage(), e);
        }
    }

    static void bind(PreparedStatement p, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            p.setObject(i + 1, params[i]);
        }
    }

    @Override
    public void close() {
        writer.close();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            LOG.debug("index shutdown: {}", e.getMessage());
        }
        pool.dispose();
    }
}
