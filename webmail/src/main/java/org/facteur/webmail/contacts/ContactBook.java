package org.facteur.webmail.contacts;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * Every user's address book and past correspondents, in the webmail's own H2 database file
 * ({@code DATA/db/webmail.mv.db}, beside the directory's). Every query names the account, so one user's
 * contacts are out of reach of another's session: the views pass the account of their HTTP session only.
 */
public final class ContactBook implements AutoCloseable {

    /** The database file name inside the data folder (H2 adds {@code .mv.db}). */
    public static final String FILE_NAME = "webmail";

    /** Longest e-mail address kept (RFC 5321 §4.5.3.1.3: a path is at most 256 octets). */
    static final int MAX_ADDRESS = 320;

    private final JdbcConnectionPool pool;

    private ContactBook(JdbcConnectionPool pool) {
        this.pool = pool;
    }

    /** Opens (creating when needed) the database whose file is {@code databaseFile + ".mv.db"}. */
    public static ContactBook open(Path databaseFile) throws IOException {
        // One JVM owns this file (the webmail), so no AUTO_SERVER; we close it ourselves.
        String url = "jdbc:h2:file:" + databaseFile.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
        ContactBook book = new ContactBook(pool);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS contact (
                      id BIGINT AUTO_INCREMENT PRIMARY KEY, account VARCHAR(320) NOT NULL,
                      name VARCHAR(1000) NOT NULL, phone VARCHAR(200) NOT NULL, note VARCHAR(20000) NOT NULL)""");
            s.execute("CREATE INDEX IF NOT EXISTS contact_account ON contact(account)");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS contact_email (
                      contact_id BIGINT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
                      account VARCHAR(320) NOT NULL, position INT NOT NULL, address VARCHAR(320) NOT NULL,
                      PRIMARY KEY (contact_id, position))""");
            s.execute("CREATE INDEX IF NOT EXISTS contact_email_account ON contact_email(account)");
            // The addresses the user wrote to, with how often: the ranking of the suggestions.
            s.execute("""
                    CREATE TABLE IF NOT EXISTS correspondent (
                      account VARCHAR(320) NOT NULL, address VARCHAR(320) NOT NULL, uses INT NOT NULL,
                      last_used TIMESTAMP NOT NULL, PRIMARY KEY (account, address))""");
        } catch (SQLException e) {
            pool.dispose();
            throw new IOException("cannot open the address book at " + databaseFile, e);
        }
        return book;
    }

    public List<Contact> list(String account) throws IOException {
        try (Connection c = pool.getConnection();
             PreparedStatement q = c.prepareStatement(
                     "SELECT id, name, phone, note FROM contact WHERE account = ? ORDER BY LOWER(name), id")) {
            q.setString(1, account);
            Map<Long, Contact> byId = new LinkedHashMap<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    byId.put(r.getLong(1), new Contact(r.getLong(1), r.getString(2), List.of(), r.getString(3), r.getString(4)));
                }
            }
            Map<Long, List<String>> emails = emails(c, account);
            List<Contact> out = new ArrayList<>(byId.size());
            for (Contact k : byId.values()) {
                out.add(new Contact(k.id(), k.name(), emails.getOrDefault(k.id(), List.of()), k.phone(), k.note()));
            }
            return out;
        } catch (SQLException e) {
            throw new IOException("the address book cannot be read", e);
        }
    }

    private static Map<Long, List<String>> emails(Connection c, String account) throws SQLException {
        Map<Long, List<String>> out = new LinkedHashMap<>();
        try (PreparedStatement q = c.prepareStatement(
                "SELECT contact_id, address FROM contact_email WHERE account = ? ORDER BY contact_id, position")) {
            q.setString(1, account);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.computeIfAbsent(r.getLong(1), k -> new ArrayList<>()).add(r.getString(2));
                }
            }
        }
        return out;
    }

    /**
     * Adds contacts ({@code id} 0) or replaces them (their {@code id}), all or none; refused when the book
     * would then hold more than {@code maxContacts}.
     *
     * @return the stored contacts, with their ids
     */
    public List<Contact> save(String account, Collection<Contact> contacts, int maxContacts) throws IOException {
        for (Contact k : contacts) {
            check(k);
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                long added = contacts.stream().filter(k -> k.id() == 0).count();
                if (added > 0 && count(c, account) + added > maxContacts) {
                    throw new ContactException("an address book holds at most " + maxContacts + " contacts");
                }
                List<Contact> out = new ArrayList<>();
                for (Contact k : contacts) {
                    out.add(k.id() == 0 ? insert(c, account, k) : update(c, account, k));
                }
                c.commit();
                return out;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("the address book cannot be saved", e);
        }
    }

    private static void check(Contact k) throws ContactException {
        if (k.name().isEmpty() && k.emails().isEmpty()) {
            throw new ContactException("a contact needs a name or an address");
        }
        if (k.name().length() > 1000 || k.phone().length() > 200 || k.note().length() > 20000) {
            throw new ContactException("a name, phone or note is too long");
        }
        for (String e : k.emails()) {
            if (e.length() > MAX_ADDRESS || e.indexOf('@') <= 0) {
                throw new ContactException("\"" + e + "\" is not an e-mail address");
            }
        }
    }

    private static int count(Connection c, String account) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM contact WHERE account = ?")) {
            q.setString(1, account);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static Contact insert(Connection c, String account, Contact k) throws SQLException {
        long id;
        try (PreparedStatement q = c.prepareStatement("INSERT INTO contact (account, name, phone, note) VALUES (?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            q.setString(1, account);
            q.setString(2, k.name());
            q.setString(3, k.phone());
            q.setString(4, k.note());
            q.executeUpdate();
            try (ResultSet keys = q.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        insertEmails(c, account, id, k.emails());
        return k.withId(id);
    }

    private static Contact update(Connection c, String account, Contact k) throws SQLException, ContactException {
        try (PreparedStatement q = c.prepareStatement(
                "UPDATE contact SET name = ?, phone = ?, note = ? WHERE id = ? AND account = ?")) {
            q.setString(1, k.name());
            q.setString(2, k.phone());
            q.setString(3, k.note());
            q.setLong(4, k.id());
            q.setString(5, account);
            if (q.executeUpdate() == 0) {
                throw new ContactException("no such contact"); // another account's id, or deleted meanwhile
            }
        }
        try (PreparedStatement q = c.prepareStatement("DELETE FROM contact_email WHERE contact_id = ? AND account = ?")) {
            q.setLong(1, k.id());
            q.setString(2, account);
            q.executeUpdate();
        }
        insertEmails(c, account, k.id(), k.emails());
        return k;
    }

    private static void insertEmails(Connection c, String account, long id, List<String> emails) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "INSERT INTO contact_email (contact_id, account, position, address) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < emails.size(); i++) {
                q.setLong(1, id);
                q.setString(2, account);
                q.setInt(3, i);
                q.setString(4, emails.get(i));
                q.addBatch();
            }
            q.executeBatch();
        }
    }

    /** Deletes the account's contacts with these ids; ids of other accounts are ignored. */
    public void delete(String account, Collection<Long> ids) throws IOException {
        try (Connection c = pool.getConnection();
             PreparedStatement q = c.prepareStatement("DELETE FROM contact WHERE id = ? AND account = ?")) {
            for (long id : ids) {
                q.setLong(1, id);
                q.setString(2, account);
                q.addBatch();
            }
            q.executeBatch();
        } catch (SQLException e) {
            throw new IOException("the contacts cannot be deleted", e);
        }
    }

    /** Counts one more message sent to each address (addresses compared without case). */
    public void recordSent(String account, Collection<String> addresses) throws IOException {
        try (Connection c = pool.getConnection();
             PreparedStatement q = c.prepareStatement("""
                     MERGE INTO correspondent t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR))) s(account, address)
                     ON t.account = s.account AND t.address = s.address
                     WHEN MATCHED THEN UPDATE SET uses = t.uses + 1, last_used = ?
                     WHEN NOT MATCHED THEN INSERT (account, address, uses, last_used) VALUES (s.account, s.address, 1, ?)""")) {
            Timestamp now = Timestamp.from(Instant.now());
            for (String a : addresses.stream().map(x -> x.strip().toLowerCase(Locale.ROOT)).distinct().toList()) {
                if (a.isEmpty() || a.length() > MAX_ADDRESS) {
                    continue;
                }
                q.setString(1, account);
                q.setString(2, a);
                q.setTimestamp(3, now);
                q.setTimestamp(4, now);
                q.addBatch();
            }
            q.executeBatch();
        } catch (SQLException e) {
            throw new IOException("the correspondents cannot be recorded", e);
        }
    }

    /** One address offered while typing a recipient. */
    public record Suggestion(String name, String address, int uses) {
        /** As it goes into a To/Cc/Bcc field (RFC 5322 §3.4 name-addr, the name quoted when needed). */
        public String display() {
            if (name.isEmpty() || name.equalsIgnoreCase(address)) {
                return address;
            }
            String quoted = name.matches("[\\p{L}\\p{N} !#$%&'*+/=?^_`{|}~.-]*") ? name
                    : "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            return quoted + " <" + address + ">";
        }
    }

    /**
     * Addresses from the user's contacts and past correspondents whose address or name contains {@code typed},
     * most used first (an address written to often comes before one never used), at most {@code limit}.
     */
    public List<Suggestion> suggest(String account, String typed, int limit) throws IOException {
        String needle = typed.strip().toLowerCase(Locale.ROOT);
        if (needle.isEmpty()) {
            return List.of();
        }
        String like = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        Map<String, Suggestion> found = new LinkedHashMap<>();
        try (Connection c = pool.getConnection()) {
            try (PreparedStatement q = c.prepareStatement("""
                    SELECT k.name, e.address, COALESCE(r.uses, 0) AS uses FROM contact_email e
                    JOIN contact k ON k.id = e.contact_id
                    LEFT JOIN correspondent r ON r.account = e.account AND r.address = LOWER(e.address)
                    WHERE e.account = ? AND (LOWER(e.address) LIKE ? OR LOWER(k.name) LIKE ?)
                    ORDER BY uses DESC, LOWER(k.name) LIMIT ?""")) {
                q.setString(1, account);
                q.setString(2, like);
                q.setString(3, like);
                q.setInt(4, limit);
                collect(q, found);
            }
            try (PreparedStatement q = c.prepareStatement("""
                    SELECT '', address, uses FROM correspondent WHERE account = ? AND address LIKE ?
                    ORDER BY uses DESC, last_used DESC LIMIT ?""")) {
                q.setString(1, account);
                q.setString(2, like);
                q.setInt(3, limit);
                collect(q, found);
            }
        } catch (SQLException e) {
            throw new IOException("no suggestions", e);
        }
        return found.values().stream()
                .sorted(Comparator.comparingInt(Suggestion::uses).reversed())
                .limit(limit).toList();
    }

    private static void collect(PreparedStatement q, Map<String, Suggestion> found) throws SQLException {
        try (ResultSet r = q.executeQuery()) {
            while (r.next()) {
                // A contact's entry comes first and keeps its name; a bare correspondent adds only new addresses.
                found.putIfAbsent(r.getString(2).toLowerCase(Locale.ROOT),
                        new Suggestion(r.getString(1), r.getString(2), r.getInt(3)));
            }
        }
    }

    @Override
    public void close() {
        pool.dispose();
    }

    /** A contact the book refuses (limits, missing fields, not the user's): the message is for the user. */
    public static final class ContactException extends IOException {
        public ContactException(String message) {
            super(message);
        }
    }
}
