package org.facteur.auth.settings;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.facteur.auth.DirectoryException;
import org.facteur.auth.Sql;
import org.facteur.auth.Sql.Work;
import org.facteur.auth.totp.TotpStore;

/**
 * Account settings, vacation replies and TOTP secrets in tables beside the accounts in the directory's H2
 * database: they go with the account (deleted with it, {@code ON DELETE CASCADE}) and need no other file.
 * Account names are the directory's (lower case); every call is one short statement or transaction.
 */
public final class H2SettingsStore implements SettingsStore, TotpStore {

    private final DataSource pool;

    /** Creates the tables when needed; {@code pool} is the directory's, whose {@code accounts} table exists. */
    public H2SettingsStore(DataSource pool) {
        this.pool = pool;
        run(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS account_settings (account VARCHAR(320) PRIMARY KEY"
                        + " REFERENCES accounts(name) ON DELETE CASCADE, display_name VARCHAR(" + UserSettings.MAX_DISPLAY_NAME + "),"
                        + " signature VARCHAR(" + UserSettings.MAX_SIGNATURE + "), language VARCHAR(35), required_score DOUBLE PRECISION,"
                        + " spam_placement VARCHAR(16), vacation_on BOOLEAN DEFAULT FALSE NOT NULL,"
                        + " vacation_subject VARCHAR(" + Vacation.MAX_SUBJECT + "), vacation_text VARCHAR(" + Vacation.MAX_TEXT + "),"
                        + " vacation_start DATE, vacation_end DATE)");
                s.execute("CREATE TABLE IF NOT EXISTS vacation_replies (account VARCHAR(320) NOT NULL"
                        + " REFERENCES accounts(name) ON DELETE CASCADE, sender VARCHAR(320) NOT NULL,"
                        + " sent_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (account, sender))");
                s.execute("CREATE TABLE IF NOT EXISTS account_totp (account VARCHAR(320) PRIMARY KEY"
                        + " REFERENCES accounts(name) ON DELETE CASCADE, secret VARCHAR(128) NOT NULL,"
                        + " enabled BOOLEAN NOT NULL, last_step BIGINT DEFAULT -1 NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS image_senders (account VARCHAR(320) NOT NULL"
                        + " REFERENCES accounts(name) ON DELETE CASCADE, sender VARCHAR(320) NOT NULL,"
                        + " PRIMARY KEY (account, sender))");
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- settings

    @Override
    public UserSettings settings(String account) {
        return run(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT display_name, signature, language, required_score,"
                    + " spam_placement FROM account_settings WHERE account = ?")) {
                s.setString(1, key(account));
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return UserSettings.DEFAULT;
                    }
                    double score = r.getDouble(4);
                    Optional<Double> required = r.wasNull() ? Optional.empty() : Optional.of(score);
                    String placement = r.getString(5);
                    return new UserSettings(r.getString(1), r.getString(2), r.getString(3), required,
                            placement == null ? UserSettings.SpamPlacement.DEFAULT : UserSettings.SpamPlacement.valueOf(placement));
                }
            }
        });
    }

    @Override
    public void save(String account, UserSettings settings) {
        run(c -> {
            ensureRow(c, account);
            try (PreparedStatement s = c.prepareStatement("UPDATE account_settings SET display_name = ?, signature = ?,"
                    + " language = ?, required_score = ?, spam_placement = ? WHERE account = ?")) {
                s.setString(1, settings.displayName());
                s.setString(2, settings.signature());
                s.setString(3, settings.language());
                if (settings.requiredScore().isPresent()) {
                    s.setDouble(4, settings.requiredScore().get());
                } else {
                    s.setNull(4, Types.DOUBLE);
                }
                s.setString(5, settings.spamPlacement().name());
                s.setString(6, key(account));
                s.executeUpdate();
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- vacation

    @Override
    public Vacation vacation(String account) {
        return run(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT vacation_on, vacation_subject, vacation_text,"
                    + " vacation_start, vacation_end FROM account_settings WHERE account = ?")) {
                s.setString(1, key(account));
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Vacation.OFF;
                    }
                    Date start = r.getDate(4);
                    Date end = r.getDate(5);
                    return new Vacation(r.getBoolean(1), r.getString(2), r.getString(3),
                            start == null ? null : start.toLocalDate(), end == null ? null : end.toLocalDate());
                }
            }
        });
    }

    @Override
    public void saveVacation(String account, Vacation vacation) {
        transaction(c -> {
            ensureRow(c, account);
            try (PreparedStatement s = c.prepareStatement("UPDATE account_settings SET vacation_on = ?,"
                    + " vacation_subject = ?, vacation_text = ?, vacation_start = ?, vacation_end = ? WHERE account = ?")) {
                s.setBoolean(1, vacation.enabled());
                s.setString(2, vacation.subject());
                s.setString(3, vacation.text());
                s.setDate(4, vacation.start() == null ? null : Date.valueOf(vacation.start()));
                s.setDate(5, vacation.end() == null ? null : Date.valueOf(vacation.end()));
                s.setString(6, key(account));
                s.executeUpdate();
            }
            update(c, "DELETE FROM vacation_replies WHERE account = ?", key(account));
            return null;
        });
    }

    @Override
    public boolean claimVacationReply(String account, String sender, Instant now, Duration period) {
        String who = sender.strip().toLowerCase(Locale.ROOT);
        return transaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT sent_at FROM vacation_replies WHERE account = ? AND sender = ? FOR UPDATE")) {
                s.setString(1, key(account));
                s.setString(2, who);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next() && r.getTimestamp(1).toInstant().isAfter(now.minus(period))) {
                        return false;
                    }
                }
            }
            update(c, "MERGE INTO vacation_replies KEY (account, sender) VALUES (?, ?, ?)", key(account), who,
                    Timestamp.from(now));
            return true;
        });
    }

    // ---------------------------------------------------------------- remote images

    @Override
    public List<String> imageSenders(String account) {
        return run(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT sender FROM image_senders WHERE account = ? ORDER BY sender")) {
                s.setString(1, key(account));
                List<String> senders = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        senders.add(r.getString(1));
                    }
                }
                return senders;
            }
        });
    }

    @Override
    public void allowImagesFrom(String account, String sender) {
        String who = key(sender);
        if (who.length() > 320 || !who.matches("[^\\s@]+@[^\\s@]+")) {
            throw new IllegalArgumentException("not an address: " + sender);
        }
        transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM image_senders WHERE account = ?")) {
                s.setString(1, key(account));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (r.getInt(1) >= MAX_IMAGE_SENDERS) {
                        throw new IllegalArgumentException("at most " + MAX_IMAGE_SENDERS + " senders are kept");
                    }
                }
            }
            update(c, "MERGE INTO image_senders KEY (account, sender) VALUES (?, ?)", key(account), who);
            return null;
        });
    }

    @Override
    public void forgetImageSender(String account, String sender) {
        run(c -> update(c, "DELETE FROM image_senders WHERE account = ? AND sender = ?", key(account), key(sender)));
    }

    // ---------------------------------------------------------------- TOTP

    @Override
    public Optional<Enrolment> totp(String account) {
        return run(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT secret, enabled, last_step FROM account_totp WHERE account = ?")) {
                s.setString(1, key(account));
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new Enrolment(r.getString(1), r.getBoolean(2), r.getLong(3)))
                            : Optional.<Enrolment>empty();
                }
            }
        });
    }

    @Override
    public void enrol(String account, String secretBase32) {
        transaction(c -> {
            if (update(c, "UPDATE account_totp SET secret = ?, last_step = -1 WHERE account = ? AND NOT enabled",
                    secretBase32, key(account)) == 0) {
                try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM account_totp WHERE account = ?")) {
                    s.setString(1, key(account));
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next()) {
                            throw new DirectoryException("a second factor is already on: switch it off first");
                        }
                    }
                }
                update(c, "INSERT INTO account_totp (account, secret, enabled) VALUES (?, ?, FALSE)", key(account), secretBase32);
            }
            return null;
        });
    }

    @Override
    public boolean confirm(String account, long step) {
        return run(c -> update(c, "UPDATE account_totp SET enabled = TRUE, last_step = ? WHERE account = ? AND NOT enabled",
                step, key(account)) == 1);
    }

    @Override
    public void disable(String account) {
        run(c -> update(c, "DELETE FROM account_totp WHERE account = ?", key(account)));
    }

    @Override
    public boolean useStep(String account, long step) {
        // One statement: of two logins racing with the same code, only one sees the row still below the step.
        return run(c -> update(c, "UPDATE account_totp SET last_step = ? WHERE account = ? AND enabled AND last_step < ?",
                step, key(account), step) == 1);
    }

    // ---------------------------------------------------------------- plumbing

    private static String key(String account) {
        return account.strip().toLowerCase(Locale.ROOT);
    }

    private static void ensureRow(Connection c, String account) throws SQLException {
        update(c, "MERGE INTO account_settings (account) KEY (account) VALUES (?)", key(account));
    }

    private <T> T run(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private <T> T transaction(Work<T> work) {
        return run(c -> Sql.inTransaction(c, work));
    }

    private static DirectoryException failed(SQLException e) {
        if (e instanceof java.sql.SQLIntegrityConstraintViolationException) {
            return new DirectoryException("no such account (or it was just removed): " + e.getMessage(), e);
        }
        return new DirectoryException("the settings database failed: " + e.getMessage(), e);
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }
}
