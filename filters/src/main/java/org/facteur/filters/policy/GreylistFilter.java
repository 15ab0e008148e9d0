package org.facteur.filters.policy;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.facteur.auth.Recipient;
import org.facteur.filters.Filter;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Verdict;
import org.facteur.filters.store.FilterDatabase;

/**
 * Greylisting (off by default): a new (client network, sender, recipient) triplet is refused with a
 * temporary error; a real server retries after the delay and is let through, a spam engine that never
 * retries is not. A client network and sender domain that passed enough times is allowed without waiting
 * (automatic allowlisting), so regular correspondents are delayed only once. Triplets live in H2.
 */
public final class GreylistFilter implements Filter {

    private final Scope scope;
    private final FilterDatabase db;
    private final Clock clock;

    public GreylistFilter(Scope scope, FilterDatabase db, Clock clock) {
        this.scope = scope;
        this.db = db;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "greylist";
    }

    @Override
    public Verdict rcptTo(FilterContext context, String recipient, Recipient resolution) throws SQLException {
        FilterConfig.Greylist config = scope.config().greylist();
        if (!config.enabled() || scope.exemptSender(context) || context.client().address() == null
                || !(resolution instanceof Recipient.Local || resolution instanceof Recipient.Forward)) {
            return Verdict.CONTINUE;
        }
        String network = network(context.client().address(), config);
        String sender = context.reversePath() == null ? "" : context.reversePath().toLowerCase(Locale.ROOT);
        String senderDomain = Scope.domainOf(sender) == null ? "" : Scope.domainOf(sender);
        String pair = network + "|" + senderDomain;
        String triplet = network + "|" + sender + "|" + recipient.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        try (Connection c = db.connection()) {
            if (allowed(c, pair, now, config)) {
                return Verdict.CONTINUE;
            }
            Instant first = null;
            Instant passed = null;
            Instant last = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT first_seen, passed_at, last_seen FROM greylist WHERE triplet = ?")) {
                ps.setString(1, triplet);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        first = rs.getTimestamp(1).toInstant();
                        passed = rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant();
                        last = rs.getTimestamp(3).toInstant();
                    }
                }
            }
            if (passed != null && Duration.between(last, now).compareTo(config.expiry()) < 0) {
                touch(c, triplet, now);
                return Verdict.CONTINUE;
            }
            if (first == null || passed != null || Duration.between(first, now).compareTo(config.retryWindow()) > 0) {
                upsert(c, triplet, now);
                return tempfail(config.delay());
            }
            Duration waited = Duration.between(first, now);
            if (waited.compareTo(config.delay()) < 0) {
                return tempfail(config.delay().minus(waited));
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE greylist SET passed_at = ?, last_seen = ? WHERE triplet = ?")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, triplet);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "MERGE INTO greylist_allowed t USING (VALUES (CAST(? AS VARCHAR(600)))) v(k) ON t.client_sender = v.k "
                            + "WHEN MATCHED THEN UPDATE SET passes = t.passes + 1, last_seen = ? "
                            + "WHEN NOT MATCHED THEN INSERT VALUES (v.k, 1, ?)")) {
                ps.setString(1, pair);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setTimestamp(3, Timestamp.from(now));
                ps.executeUpdate();
            }
            return Verdict.CONTINUE;
        }
    }

    private static boolean allowed(Connection c, String pair, Instant now, FilterConfig.Greylist config) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT passes, last_seen FROM greylist_allowed WHERE client_sender = ?")) {
            ps.setString(1, pair);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) >= config.autoAllowlistAfter()
                        && Duration.between(rs.getTimestamp(2).toInstant(), now).compareTo(config.expiry()) < 0;
            }
        }
    }

    private static void touch(Connection c, String triplet, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE greylist SET last_seen = ? WHERE triplet = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, triplet);
            ps.executeUpdate();
        }
    }

    private static void upsert(Connection c, String triplet, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO greylist KEY (triplet) VALUES (?, ?, NULL, ?)")) {
            ps.setString(1, triplet);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setTimestamp(3, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    private static Verdict tempfail(Duration wait) {
        // RFC 6647 §2.1: a 4xx at RCPT; 4.7.1 as Postgrey and others use.
        return Verdict.tempfail(451, "4.7.1", "Greylisted, please try again in " + Math.max(1, wait.toSeconds()) + " seconds");
    }

    /** The client's network: retries may come from another server of the same pool. */
    static String network(InetAddress address, FilterConfig.Greylist config) {
        byte[] b = address.getAddress();
        int prefix = b.length == 4 ? config.ipv4Prefix() : config.ipv6Prefix();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] = (byte) (b[i] & (0xff << (8 - keep)));
        }
        try {
            return InetAddress.getByAddress(b).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
