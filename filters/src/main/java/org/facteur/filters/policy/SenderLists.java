package org.facteur.filters.policy;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.facteur.filters.store.FilterDatabase;

/**
 * Each account's allow and block lists of senders: a full address ({@code boss@example.com}) or a domain
 * ({@code example.com}, which covers its sub-domains). Used by the webmail's settings and by the
 * sender-lists filter.
 */
public final class SenderLists {

    public record Entry(String pattern, boolean allow) {
    }

    private final FilterDatabase db;

    public SenderLists(FilterDatabase db) {
        this.db = db;
    }

    public void put(String account, String pattern, boolean allow) throws IOException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("MERGE INTO sender_list KEY (account, pattern) VALUES (?, ?, ?)")) {
            ps.setString(1, account.toLowerCase(Locale.ROOT));
            ps.setString(2, normalise(pattern));
            ps.setBoolean(3, allow);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    public boolean remove(String account, String pattern) throws IOException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM sender_list WHERE account = ? AND pattern = ?")) {
            ps.setString(1, account.toLowerCase(Locale.ROOT));
            ps.setString(2, normalise(pattern));
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    public List<Entry> list(String account) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT pattern, allow FROM sender_list WHERE account = ? ORDER BY pattern")) {
            ps.setString(1, account.toLowerCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), rs.getBoolean(2)));
                }
            }
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
        return out;
    }

    /** TRUE allowed, FALSE blocked, null not listed; the most specific entry wins (address over domain). */
    public Boolean judge(String account, String sender) throws IOException {
        if (sender == null || sender.isBlank()) {
            return null;
        }
        String s = normalise(sender);
        Boolean domainVerdict = null;
        int bestLength = -1;
        for (Entry e : list(account)) {
            if (e.pattern().equals(s)) {
                return e.allow();
            }
            String domain = Scope.domainOf(s);
            if (!e.pattern().contains("@") && domain != null
                    && (domain.equals(e.pattern()) || domain.endsWith("." + e.pattern()))
                    && e.pattern().length() > bestLength) {
                domainVerdict = e.allow();
                bestLength = e.pattern().length();
            }
        }
        return domainVerdict;
    }

    private static String normalise(String pattern) {
        String p = pattern.strip().toLowerCase(Locale.ROOT);
        if (p.startsWith("@")) {
            p = p.substring(1);
        }
        return p;
    }
}
