package org.facteur.auth;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.api.Trigger;

/**
 * Tells this JVM when the directory's tables change, whoever changes them: an H2 trigger on {@code domains},
 * {@code accounts}, {@code addresses} and {@code aliases} that counts the changes, and knows for which database
 * files it is live in this JVM.
 *
 * <p>H2 runs a trigger in the process that runs the database engine. With {@code AUTO_SERVER=TRUE} that is the
 * process that opened the file first (the running server); the admin CLI's statements reach it over TCP and fire
 * the trigger there too, so the server hears of {@code facteur user add} at once. A process that reaches the
 * database over TCP (the server started while a CLI command held the file) has no live trigger:
 * {@link #generation} says so with -1, and whatever caches directory answers must then not cache.
 *
 * <p>The count moves when the changing statement runs, before its transaction commits. A reader that reads
 * between the two still sees the old rows under the new count; {@link H2Directory} counts again after each of its
 * own commits, and a cache bounds what is left (another process's write) by a time to live.
 */
public final class DirectoryChanges implements Trigger {

    /** Tables whose rows decide where an address goes. */
    static final String[] TABLES = {"domains", "accounts", "addresses", "aliases"};

    /**
     * Changes to any directory database of this JVM. One count for all (a JVM has one directory; tests have
     * several) so that a value never comes back after a database closes and opens again.
     */
    private static final AtomicLong CHANGES = new AtomicLong();
    /** Per database (H2's {@code DATABASE_PATH()}): how many of its triggers are live in this JVM. */
    private static final Map<String, Integer> LIVE = new ConcurrentHashMap<>();

    private String database;

    /** H2 makes one per table and database, when the database opens or the trigger is created. */
    public DirectoryChanges() {
    }

    /** The SQL that installs the triggers (idempotent, so it runs at every open). */
    static String[] createStatements() {
        String[] sql = new String[TABLES.length];
        for (int i = 0; i < TABLES.length; i++) {
            sql[i] = "CREATE TRIGGER IF NOT EXISTS " + TABLES[i] + "_changes AFTER INSERT, UPDATE, DELETE ON " + TABLES[i]
                    + " CALL \"" + DirectoryChanges.class.getName() + "\"";
        }
        return sql;
    }

    /** The database's key: H2's {@code DATABASE_PATH()}, the same string in the engine and in its TCP clients. */
    static String databaseKey(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT DATABASE_PATH()")) {
            r.next();
            return String.valueOf(r.getString(1));
        }
    }

    /** The change count, or -1 when no trigger of {@code database} is live in this JVM. */
    static long generation(String database) {
        return database != null && LIVE.containsKey(database) ? CHANGES.get() : -1;
    }

    /** Counts a change made through this JVM once it is committed (the trigger counted it before the commit). */
    static void changed() {
        CHANGES.incrementAndGet();
    }

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
            throws SQLException {
        database = databaseKey(conn);
        LIVE.merge(database, 1, Integer::sum);
        changed(); // a trigger that comes to life may follow changes that no trigger of this JVM counted
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) {
        changed();
    }

    @Override
    public void close() {
        release();
    }

    @Override
    public void remove() {
        release();
    }

    private void release() {
        if (database == null) {
            return;
        }
        LIVE.computeIfPresent(database, (key, n) -> n <= 1 ? null : n - 1);
        changed();
        database = null;
    }
}
