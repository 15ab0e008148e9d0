package org.facteur.storage.index;

import java.sql.Connection;
import java.sql.SQLException;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.tx.Transaction;

/**
 * Finds, in a database just opened, a transaction that a killed process left half committed, which H2 2.5.252 can
 * neither finish nor drop.
 *
 * <p>What happens: a process is killed in the middle of an H2 commit, after the transaction's undo log was marked
 * committed and before it was cleared. At the next open, H2's recovery ({@code TransactionStore.init}) registers
 * that transaction again with status COMMITTED and {@code endLeftoverTransactions} calls {@code commit()} on it,
 * but {@code Transaction.commit()} only commits (and closes) a transaction that is still "active", which COMMITTED
 * is not; so the transaction stays registered for the life of the process, and the rows it wrote keep its id. The
 * first write to one of those rows then spins for ever in {@code TransactionMap.set}: the row names an open
 * transaction that is not in the committing set, so the writer waits for it, and the wait returns at once because
 * a COMMITTED transaction does not count as active; and again. That was the reopen that hung in
 * {@code CrashRecoveryTest} (an UPDATE of a mailbox's counters, 2026-12-07); a longer lock timeout would not help,
 * the wait never times out.
 *
 * <p>Only a database this call's session opened is asked (it is the only session): then no session has a
 * transaction yet, and one registered as COMMITTED is one recovery left behind. In a database other sessions of this
 * JVM already use, a COMMITTED transaction may just be in the middle of an ordinary commit, and recovery was done
 * (and checked) when the first of them opened it.
 */
final class UnfinishedCommit {

    private UnfinishedCommit() {
    }

    /** True if a transaction recovered from an earlier process sits committed but unfinished in {@code c}'s database. */
    static boolean foundIn(Connection c) throws SQLException {
        if (!(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            return false; // a remote database: its server did the recovery
        }
        if (session.getDatabase().getSessionCount() > 1) {
            return false;
        }
        for (Transaction t : session.getDatabase().getStore().getTransactionStore().getOpenTransactions()) {
            if (t.getStatus() == Transaction.STATUS_COMMITTED) {
                return true;
            }
        }
        return false;
    }
}
