package org.facteur.filters.bayes;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.facteur.filters.store.FilterDatabase;

/**
 * Token counts per scope (the empty scope is the global database, otherwise an account): how many spam and
 * ham messages held each token, how many of each were trained, and which messages were trained as what.
 * H2 is the durable copy; each scope is loaded into memory on first use and classified from there, because a
 * per-message query of hundreds of tokens is far too slow for hundreds of messages a second. Training
 * updates memory and writes the changed rows to H2 ({@link #flush}), at once or at the end of a bulk run.
 */
public final class TokenStore {

    /** Counts of one token, or of all messages (totals). */
    public record Counts(int spam, int ham) {
        public static final Counts ZERO = new Counts(0, 0);
    }

    private static final HexFormat HEX = HexFormat.of();

    private static final class Table {
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        final LongCountMap counts = new LongCountMap();
        final Map<String, Boolean> trained = new HashMap<>();
        final Set<Long> dirtyTokens = new HashSet<>();
        final Map<String, Boolean> dirtyTrained = new HashMap<>();
        int spam;
        int ham;
    }

    private final FilterDatabase db;
    private final Map<String, Table> tables = new ConcurrentHashMap<>();

    public TokenStore(FilterDatabase db) {
        this.db = db;
    }

    private Table table(String scope) throws IOException {
        Table t = tables.get(scope);
        if (t != null) {
            return t;
        }
        synchronized (tables) {
            t = tables.get(scope);
            if (t == null) {
                t = load(scope);
                tables.put(scope, t);
            }
            return t;
        }
    }

    private Table load(String scope) throws IOException {
        Table t = new Table();
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT token, spam, ham FROM bayes_token WHERE scope = ?")) {
                ps.setString(1, scope);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        t.counts.put(rs.getLong(1), rs.getInt(2), rs.getInt(3));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT spam, ham FROM bayes_total WHERE scope = ?")) {
                ps.setString(1, scope);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        t.spam = rs.getInt(1);
                        t.ham = rs.getInt(2);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT hash, spam FROM bayes_trained WHERE scope = ?")) {
                ps.setString(1, scope);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        t.trained.put(HEX.formatHex(rs.getBytes(1)), rs.getBoolean(2));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("cannot load the Bayes database of '" + scope + "': " + e.getMessage(), e);
        }
        return t;
    }

    public Counts totals(List<String> scopes) throws IOException {
        int spam = 0;
        int ham = 0;
        for (String scope : scopes) {
            Table t = table(scope);
            t.lock.readLock().lock();
            try {
                spam += t.spam;
                ham += t.ham;
            } finally {
                t.lock.readLock().unlock();
            }
        }
        return new Counts(spam, ham);
    }

    /** Counts of the given token hashes that were ever seen (others are absent from the map). */
    public Map<Long, Counts> counts(List<String> scopes, Collection<Long> tokens) throws IOException {
        Map<Long, Counts> result = new HashMap<>(tokens.size() * 2);
        for (String scope : scopes) {
            Table t = table(scope);
            t.lock.readLock().lock();
            try {
                for (Long token : tokens) {
                    long packed = t.counts.get(token);
                    if (packed >= 0) {
                        int s = (int) (packed >>> 32);
                        int h = (int) packed;
                        result.merge(token, new Counts(s, h), (a, b) -> new Counts(a.spam() + b.spam(), a.ham() + b.ham()));
                    }
                }
            } finally {
                t.lock.readLock().unlock();
            }
        }
        return result;
    }

    public Boolean trainedAs(String scope, byte[] hash) throws IOException {
        Table t = table(scope);
        t.lock.readLock().lock();
        try {
            return t.trained.get(HEX.formatHex(hash));
        } finally {
            t.lock.readLock().unlock();
        }
    }

    /**
     * Adds one message's tokens for a class and remembers the message. Returns false when it was already
     * trained as asked (training is idempotent); a message trained as the other class is moved (untrained
     * there, trained here). With {@code flush}, the change is in H2 on return.
     */
    public boolean train(String scope, byte[] hash, Collection<Long> tokens, boolean spam, boolean flush)
            throws IOException {
        Table t = table(scope);
        String key = HEX.formatHex(hash);
        t.lock.writeLock().lock();
        try {
            Boolean previous = t.trained.get(key);
            if (previous != null && previous == spam) {
                return false;
            }
            if (previous != null) {
                apply(t, tokens, previous, -1);
            }
            apply(t, tokens, spam, 1);
            t.trained.put(key, spam);
            t.dirtyTrained.put(key, spam);
        } finally {
            t.lock.writeLock().unlock();
        }
        if (flush) {
            flush();
        }
        return true;
    }

    /** Forgets a trained message; false when it was not trained. */
    public boolean forget(String scope, byte[] hash, Collection<Long> tokens) throws IOException {
        Table t = table(scope);
        String key = HEX.formatHex(hash);
        t.lock.writeLock().lock();
        try {
            Boolean previous = t.trained.remove(key);
            if (previous == null) {
                return false;
            }
            apply(t, tokens, previous, -1);
            t.dirtyTrained.put(key, null);
        } finally {
            t.lock.writeLock().unlock();
        }
        flush();
        return true;
    }

    private static void apply(Table t, Collection<Long> tokens, boolean spam, int delta) {
        for (Long token : tokens) {
            t.counts.add(token, spam ? delta : 0, spam ? 0 : delta);
            t.dirtyTokens.add(token);
        }
        if (spam) {
            t.spam = Math.max(0, t.spam + delta);
        } else {
            t.ham = Math.max(0, t.ham + delta);
        }
    }

    /** Writes every changed row to H2, one transaction per scope. */
    public void flush() throws IOException {
        for (Map.Entry<String, Table> e : tables.entrySet()) {
            flush(e.getKey(), e.getValue());
        }
    }

    private void flush(String scope, Table t) throws IOException {
        t.lock.writeLock().lock();
        try (Connection c = db.connection()) {
            if (t.dirtyTokens.isEmpty() && t.dirtyTrained.isEmpty()) {
                return;
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO bayes_token KEY (scope, token) VALUES (?, ?, ?, ?)")) {
                for (Long token : t.dirtyTokens) {
                    long packed = t.counts.get(token);
                    ps.setString(1, scope);
                    ps.setLong(2, token);
                    ps.setInt(3, (int) (packed >>> 32));
                    ps.setInt(4, (int) packed);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO bayes_total KEY (scope) VALUES (?, ?, ?)")) {
                ps.setString(1, scope);
                ps.setInt(2, t.spam);
                ps.setInt(3, t.ham);
                ps.executeUpdate();
            }
            try (PreparedStatement put = c.prepareStatement(
                    "MERGE INTO bayes_trained KEY (scope, hash) VALUES (?, ?, ?, CURRENT_TIMESTAMP)");
                 PreparedStatement delete = c.prepareStatement("DELETE FROM bayes_trained WHERE scope = ? AND hash = ?")) {
                for (Map.Entry<String, Boolean> d : t.dirtyTrained.entrySet()) {
                    if (d.getValue() == null) {
                        delete.setString(1, scope);
                        delete.setBytes(2, HEX.parseHex(d.getKey()));
                        delete.addBatch();
                    } else {
                        put.setString(1, scope);
                        put.setBytes(2, HEX.parseHex(d.getKey()));
                        put.setBoolean(3, d.getValue());
                        put.addBatch();
                    }
                }
                put.executeBatch();
                delete.executeBatch();
            }
            c.commit();
            t.dirtyTokens.clear();
            t.dirtyTrained.clear();
        } catch (SQLException e) {
            throw new IOException("cannot save the Bayes database of '" + scope + "': " + e.getMessage(), e);
        } finally {
            t.lock.writeLock().unlock();
        }
    }
}
