package org.facteur.storage.index;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

import org.facteur.storage.mime.IndexFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index writes of every delivery: one kept connection and its two prepared statements (the INSERT of message
 * rows, the UPDATE of a mailbox's counters), so that no statement is parsed again per message and no pooled
 * connection is taken and reset per commit. A group commit hands it all its rows at once: one JDBC batch of
 * INSERTs, one UPDATE per mailbox, one H2 commit.
 *
 * <p>Calls are serialised (the store's group commit has one leader at a time; the lock makes it a rule). A failed
 * write is rolled back at once, so the kept connection never carries an open transaction, and with it row locks,
 * into the next call or into other connections' way; a connection that cannot even roll back is closed and
 * opened again for the next call.
 */
final class RowWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RowWriter.class);

    static final String INSERT_MESSAGE = """
            INSERT INTO message(mailbox_id, uid, modseq, sysflags, keywords, internal_date, save_date, size,
              file_name, thread_id, message_id, sent_date, sort_date, sort_from, sort_to, sort_cc, sort_subject,
              display_from, display_to, hdr_from, hdr_to, hdr_cc, hdr_bcc, subject, has_attachments, structure)
            VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""";
    static final String UPDATE_COUNTERS = "UPDATE mailbox SET uidnext=?, highestmodseq=? WHERE id=?";
    /** Longest text kept in a sort or header column: longer ones are cut (the message file keeps all). */
    private static final int MAX_COLUMN = 4000;

    @FunctionalInterface
    interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private final ConnectionSource source;
    private Connection connection;
    private PreparedStatement insertMessage;
    private PreparedStatement updateCounters;
    private boolean closed;

    RowWriter(ConnectionSource source) {
        this.source = source;
    }

    /** Inserts the rows of several mailboxes and sets their counters, in one transaction. */
    synchronized void insert(List<IndexDatabase.MailboxInsert> inserts) throws IOException {
        try {
            prepare();
            for (IndexDatabase.MailboxInsert in : inserts) {
                for (MessageRow r : in.rows()) {
                    bind(insertMessage, r);
                    insertMessage.addBatch();
                }
            }
            insertMessage.executeBatch();
            for (IndexDatabase.MailboxInsert in : inserts) {
                updateCounters.setLong(1, in.uidNext());
                updateCounters.setLong(2, in.highestModSeq());
                updateCounters.setLong(3, in.mailboxId());
                updateCounters.addBatch();
            }
            updateCounters.executeBatch();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            abandon();
            throw new IOException("index insert failed: " + e.getMessage(), e);
        }
    }

    private void prepare() throws SQLException {
        if (closed) {
            throw new SQLException("the index is closed");
        }
        if (connection == null) {
            Connection c = source.open();
            try {
                c.setAutoCommit(false);
                insertMessage = c.prepareStatement(INSERT_MESSAGE);
                updateCounters = c.prepareStatement(UPDATE_COUNTERS);
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            connection = c;
        }
    }

    /** After a failure: nothing of it stays, neither rows nor locks, nor half a batch for the next call. */
    private void abandon() {
        try {
            insertMessage.clearBatch();
            updateCounters.clearBatch();
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("index: cannot roll back a failed insert ({}); reconnecting", e.toString());
            disconnect();
        }
    }

    private void disconnect() {
        Connection c = connection;
        connection = null;
        insertMessage = null;
        updateCounters = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("index: closing the writer connection: {}", e.toString());
            }
        }
    }

    private static void bind(PreparedStatement p, MessageRow r) throws SQLException {
        IndexFields f = r.fields();
        int i = 1;
        p.setLong(i++, r.mailboxId());
        p.setLong(i++, r.uid());
        p.setLong(i++, r.modSeq());
        p.setInt(i++, MessageRow.systemBits(r.flags()));
        p.setString(i++, MessageRow.keywordColumn(r.flags()));
        p.setLong(i++, r.internalDate());
        p.setLong(i++, r.saveDate());
        p.setLong(i++, r.size());
        p.setString(i++, r.fileName());
        p.setString(i++, f.threadId());
        p.setString(i++, f.messageId());
        p.setLong(i++, f.sentDate());
        // RFC 5256 §3: SORT DATE falls back to INTERNALDATE when the Date header is unusable
        p.setLong(i++, f.sentDate() >= 0 ? f.sentDate() : r.internalDate());
        p.setString(i++, cut(f.sortFrom()));
        p.setString(i++, cut(f.sortTo()));
        p.setString(i++, cut(f.sortCc()));
        p.setString(i++, cut(f.subjectBase()));
        p.setString(i++, cut(f.displayFrom().toLowerCase(Locale.ROOT)));
        p.setString(i++, cut(f.displayTo().toLowerCase(Locale.ROOT)));
        p.setString(i++, cut(f.from()));
        p.setString(i++, cut(f.to()));
        p.setString(i++, cut(f.cc()));
        p.setString(i++, cut(f.bcc()));
        p.setString(i++, cut(f.subject()));
        p.setBoolean(i++, f.hasAttachments());
        p.setBytes(i, r.structure());
    }

    private static String cut(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > MAX_COLUMN ? s.substring(0, MAX_COLUMN) : s;
    }

    /** Before the database shuts down: the kept connection goes first. */
    @Override
    public synchronized void close() {
        closed = true;
        disconnect();
    }
}
