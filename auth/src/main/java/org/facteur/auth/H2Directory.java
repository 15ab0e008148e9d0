package org.facteur.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.facteur.auth.settings.H2SettingsStore;
import org.facteur.auth.totp.Base32;
import org.facteur.auth.totp.TotpStore;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory in its own H2 database file ({@code DATA/directory.mv.db}), opened with {@code AUTO_SERVER=TRUE}:
 * the first process to open it (the running server, or the CLI when the server is down) serves it to the others
 * over loopback TCP, so {@code facteur user add} works the same whether the server runs or not. Every read goes
 * to the database, so a change made by the CLI applies at once in the server, except recipient lookups, which a
 * {@link RecipientCache} answers until the directory changes ({@link DirectoryChanges} counts every change).
 */
public final class H2Directory implements DirectoryAdmin, CredentialStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(H2Directory.class);

    /** The database file name inside the data folder (H2 adds {@code .mv.db}). */
    public static final String FILE_NAME = "directory";

    private static final int MAX_PASSWORD_LENGTH = 1024;

    static {
        // AUTO_SERVER serves the file over TCP with -tcpAllowOthers, on all interfaces unless h2.bindAddress says
        // otherwise; the admin CLI only ever connects from this host. H2 reads the property once, when its
        // classes load, so the launcher also passes -Dh2.bindAddress=127.0.0.1.
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    private final JdbcConnectionPool pool;
    private final Supplier<AuthConfig> config;
    private final RecipientCache recipients;
    private H2SettingsStore settings;
    /** This database's key in {@link DirectoryChanges}, read once the schema exists. */
    private volatile String databaseKey;

    private H2Directory(JdbcConnectionPool pool, Supplier<AuthConfig> config) {
        this.pool = pool;
        this.config = config;
        this.recipients = new RecipientCache(() -> config.get().recipientCache(),
                () -> DirectoryChanges.generation(databaseKey), System::nanoTime);
    }

    /** Opens (creating when needed) {@code dataDirectory/directory.mv.db}. */
    public static H2Directory openInDataDirectory(Path dataDirectory, Supplier<AuthConfig> config) {
        return open(dataDirectory.resolve(FILE_NAME), config);
    }

    /** Opens (creating when needed) the database whose file is {@code databaseFile + ".mv.db"}. */
    public static H2Directory open(Path databaseFile, Supplier<AuthConfig> config) {
        String url = "jdbc:h2:file:" + databaseFile.toAbsolutePath() + ";AUTO_SERVER=TRUE";
        String password = databasePassword(databaseFile.resolveSibling(databaseFile.getFileName() + ".secret"));
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "facteur", password);
        // Every RCPT and login is a short query from its own virtual thread; H2's default of 10 is tight.
        pool.setMaxConnections(32);
        H2Directory directory = new H2Directory(pool, config);
        try {
            directory.createSchema();
            directory.settings = new H2SettingsStore(pool);
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
        return directory;
    }

    /**
     * The database user's password, made at first open and kept beside the database, readable by its owner only:
     * the AUTO_SERVER port must not open the directory to any local user who finds it.
     */
    private static String databasePassword(Path secretFile) {
        try {
            if (Files.exists(secretFile)) {
                return Files.readString(secretFile, StandardCharsets.US_ASCII).trim();
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(secretFile.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(secretFile.toAbsolutePath().getParent(), ".secret-", ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // Non-POSIX file systems keep their default permissions.
                }
                Files.writeString(temp, secret + "\n", StandardCharsets.US_ASCII);
                Files.move(temp, secretFile, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            return secret;
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            return databasePassword(secretFile);
        } catch (IOException e) {
            throw new DirectoryException("cannot read or create " + secretFile + ": " + e.getMessage(), e);
        }
    }

    private void createSchema() {
        transaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS directory_meta (meta_key VARCHAR(64) PRIMARY KEY, meta_value VARCHAR(256))");
                s.execute("MERGE INTO directory_meta KEY (meta_key) VALUES ('schema_version', '1')");
                s.execute("CREATE TABLE IF NOT EXISTS domains (name VARCHAR(253) PRIMARY KEY, catch_all VARCHAR(320))");
                s.execute("CREATE TABLE IF NOT EXISTS accounts (name VARCHAR(320) PRIMARY KEY,"
                        + " is_admin BOOLEAN DEFAULT FALSE NOT NULL, password_hash VARCHAR(256) NOT NULL,"
                        + " scram VARCHAR(256), cram_md5 VARCHAR(64),"
                        + " created TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,"
                        + " password_changed TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)");
                // per-account quota (NULL = the storage default, -1 = none); added after schema 1, hence ALTER
                s.execute("ALTER TABLE accounts ADD COLUMN IF NOT EXISTS quota_bytes BIGINT");
                s.execute("ALTER TABLE accounts ADD COLUMN IF NOT EXISTS quota_messages BIGINT");
                s.execute("CREATE TABLE IF NOT EXISTS addresses (address VARCHAR(320) PRIMARY KEY,"
                        + " account VARCHAR(320) NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,"
                        + " domain_name VARCHAR(253) NOT NULL REFERENCES domains(name))");
                s.execute("CREATE INDEX IF NOT EXISTS addresses_account ON addresses(account)");
                s.execute("CREATE TABLE IF NOT EXISTS aliases (address VARCHAR(320) NOT NULL, target VARCHAR(320) NOT NULL,"
                        + " domain_name VARCHAR(253) NOT NULL REFERENCES domains(name), PRIMARY KEY (address, target))");
                for (String trigger : DirectoryChanges.createStatements()) {
                    s.execute(trigger);
                }
            }
            databaseKey = DirectoryChanges.databaseKey(c);
            return null;
        });
    }

    // ---------------------------------------------------------------- Directory (reads)

    @Override
    public boolean isLocalDomain(String domain) {
        String d;
        try {
            d = Addresses.normalizeDomain(domain);
        } catch (DirectoryException e) {
            return false;
        }
        return query(c -> exists(c, "SELECT 1 FROM domains WHERE name = ?", d));
    }

    @Override
    public List<String> domains() {
        return query(c -> strings(c, "SELECT name FROM domains ORDER BY name"));
    }

    @Override
    public Optional<Account> account(String nameOrAddress) {
        String a;
        try {
            a = Addresses.normalize(nameOrAddress);
        } catch (DirectoryException e) {
            return Optional.empty();
        }
        return query(c -> {
            String name = accountOwning(c, a);
            return name == null ? Optional.<Account>empty() : Optional.ofNullable(loadAccount(c, name));
        });
    }

    @Override
    public List<Account> accounts() {
        return query(c -> {
            Map<String, Boolean> admins = new LinkedHashMap<>();
            Map<String, Set<String>> addresses = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT a.name, a.is_admin, ad.address FROM accounts a"
                    + " LEFT JOIN addresses ad ON ad.account = a.name ORDER BY a.name, ad.address");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    admins.put(r.getString(1), r.getBoolean(2));
                    Set<String> set = addresses.computeIfAbsent(r.getString(1), k -> new LinkedHashSet<>());
                    if (r.getString(3) != null) {
                        set.add(r.getString(3));
                    }
                }
            }
            List<Account> result = new ArrayList<>();
            admins.forEach((name, admin) -> result.add(new Account(name, addresses.get(name), admin)));
            return result;
        });
    }

    @Override
    public Recipient resolve(String address) {
        String separator = config.get().subaddressSeparator();
        return recipients.resolve(address, separator, a -> lookUp(a, separator));
    }

    /** Whether recipient answers are cached: this process runs the database engine, so its triggers tell it of changes. */
    boolean cachesRecipients() {
        return DirectoryChanges.generation(databaseKey) >= 0;
    }

    /** {@link #resolve} from the database. */
    private Recipient lookUp(String address, String separator) {
        String a;
        try {
            a = Addresses.normalize(address);
        } catch (DirectoryException e) {
            return new Recipient.Unknown();
        }
        String domain = Addresses.domain(a);
        return query(c -> {
            if (!exists(c, "SELECT 1 FROM domains WHERE name = ?", domain)) {
                return new Recipient.NotLocal();
            }
            Recipient exact = lookup(c, a, null);
            if (exact != null) {
                return exact;
            }
            // user+tag@domain: the part after the separator is a folder hint (RFC 5233 sub-addressing).
            String local = Addresses.localPart(a);
            int cut = separator.isEmpty() ? -1 : local.indexOf(separator);
            if (cut > 0) {
                Recipient base = lookup(c, local.substring(0, cut) + "@" + domain, local.substring(cut + separator.length()));
                if (base != null) {
                    return base;
                }
            }
            String catchAll = string(c, "SELECT catch_all FROM domains WHERE name = ?", domain);
            if (catchAll != null) {
                Recipient caught = expand(c, a, List.of(catchAll), null);
                if (caught != null) {
                    return caught;
                }
            }
            return new Recipient.Unknown();
        });
    }

    /** An account address or an alias, or null when {@code address} is neither. */
    private Recipient lookup(Connection c, String address, String detail) throws SQLException {
        String account = accountOwning(c, address);
        if (account != null) {
            return new Recipient.Local(List.of(account), detail);
        }
        List<String> targets = strings(c, "SELECT target FROM aliases WHERE address = ? ORDER BY target", address);
        if (targets.isEmpty()) {
            return null;
        }
        Recipient expanded = expand(c, address, targets, detail);
        return expanded != null ? expanded : new Recipient.Unknown();
    }

    /** Aliases expand once: a local target must be an account's address. */
    private Recipient expand(Connection c, String alias, List<String> targets, String detail) throws SQLException {
        Set<String> local = new LinkedHashSet<>();
        List<String> remote = new ArrayList<>();
        for (String target : targets) {
            if (exists(c, "SELECT 1 FROM domains WHERE name = ?", Addresses.domain(target))) {
                String account = accountOwning(c, target);
                if (account != null) {
                    local.add(account);
                } else {
                    log.warn("alias {} points at {}, which is no account's address; skipped", alias, target);
                }
            } else {
                remote.add(target);
            }
        }
        if (local.isEmpty() && remote.isEmpty()) {
            return null;
        }
        return remote.isEmpty() ? new Recipient.Local(List.copyOf(local), detail)
                : new Recipient.Forward(remote, List.copyOf(local));
    }

    @Override
    public List<String> identities(String account) {
        Optional<Account> owner = account(account);
        if (owner.isEmpty()) {
            return List.of();
        }
        List<String> own = owner.get().addresses().stream().sorted().toList();
        List<String> result = new ArrayList<>(own);
        query(c -> {
            for (String address : own) {
                for (String alias : strings(c, "SELECT address FROM aliases WHERE target = ? ORDER BY address", address)) {
                    if (!result.contains(alias)) {
                        result.add(alias);
                    }
                }
            }
            return null;
        });
        return List.copyOf(result);
    }

    /**
     * An account may send as its own addresses (with any sub-address tag), as the aliases that deliver to it,
     * and as the configured {@link AuthConfig.SenderPermission}s. The null reverse-path ({@code <>}, blank
     * here) is always allowed: it carries no identity (RFC 5321 §4.5.5).
     */
    @Override
    public boolean maySendAs(String account, String address) {
        if (address == null || address.isBlank() || address.trim().equals("<>")) {
            return true;
        }
        Optional<Account> owner = account(account);
        if (owner.isEmpty()) {
            return false;
        }
        String a;
        try {
            a = Addresses.normalize(address);
        } catch (DirectoryException e) {
            return false;
        }
        Account acct = owner.get();
        AuthConfig cfg = config.get();
        List<String> candidates = new ArrayList<>(List.of(a));
        String local = Addresses.localPart(a);
        int cut = cfg.subaddressSeparator().isEmpty() ? -1 : local.indexOf(cfg.subaddressSeparator());
        if (cut > 0) {
            candidates.add(local.substring(0, cut) + "@" + Addresses.domain(a));
        }
        for (String candidate : candidates) {
            if (acct.addresses().contains(candidate)) {
                return true;
            }
            List<String> targets = query(c -> strings(c, "SELECT target FROM aliases WHERE address = ?", candidate));
            if (targets.stream().anyMatch(acct.addresses()::contains)) {
                return true;
            }
        }
        for (AuthConfig.SenderPermission p : cfg.senderPermissions()) {
            if (!account(p.account()).map(x -> x.name().equals(acct.name())).orElse(false)) {
                continue;
            }
            String allowed = p.address().trim().toLowerCase(java.util.Locale.ROOT);
            if (allowed.equals("*")
                    || (allowed.startsWith("@") && Addresses.domain(a).equals(Addresses.normalizeDomain(allowed.substring(1))))
                    || (!allowed.startsWith("@") && allowed.contains("@") && Addresses.normalize(allowed).equals(a))) {
                return true;
            }
        }
        return false;
    }

    /** Each account's own settings, vacation auto-reply and TOTP secret, in this database. */
    public H2SettingsStore settings() {
        return settings;
    }

    // ---------------------------------------------------------------- CredentialStore

    @Override
    public Optional<byte[]> totpSecret(String account) {
        return settings.totp(account).filter(TotpStore.Enrolment::enabled).map(e -> Base32.decode(e.secretBase32()));
    }

    @Override
    public boolean useTotpStep(String account, long step) {
        return settings.useStep(account, step);
    }

    @Override
    public Optional<Credentials> credentials(String account) {
        return query(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT name, password_hash, scram, cram_md5 FROM accounts WHERE name = ?")) {
                s.setString(1, account);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new Credentials(r.getString(1), r.getString(2), r.getString(3), r.getString(4)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public void upgradeCredentials(String account, String password) {
        storeCredentials(Credentials.derive(account, password, config.get()), false);
        log.info("stored secrets of {} re-derived for the current configuration", account);
    }

    // ---------------------------------------------------------------- DirectoryAdmin

    @Override
    public void addDomain(String domain) {
        String d = Addresses.normalizeDomain(domain);
        transaction(c -> {
            if (exists(c, "SELECT 1 FROM domains WHERE name = ?", d)) {
                throw new DirectoryException("domain " + d + " exists already");
            }
            update(c, "INSERT INTO domains (name) VALUES (?)", d);
            return null;
        });
        log.info("domain {} added", d);
    }

    @Override
    public void removeDomain(String domain) {
        String d = Addresses.normalizeDomain(domain);
        transaction(c -> {
            requireDomain(c, d);
            int addresses = count(c, "SELECT COUNT(*) FROM addresses WHERE domain_name = ?", d);
            int aliases = count(c, "SELECT COUNT(DISTINCT address) FROM aliases WHERE domain_name = ?", d);
            if (addresses + aliases > 0) {
                throw new DirectoryException("domain " + d + " still has " + addresses + " account address(es) and "
                        + aliases + " alias(es): remove them first");
            }
            update(c, "DELETE FROM domains WHERE name = ?", d);
            return null;
        });
        log.info("domain {} removed", d);
    }

    @Override
    public void setCatchAll(String domain, String target) {
        String d = Addresses.normalizeDomain(domain);
        String t = target == null ? null : Addresses.normalize(target);
        transaction(c -> {
            requireDomain(c, d);
            if (t != null) {
                requireDeliverableTarget(c, t);
            }
            update(c, "UPDATE domains SET catch_all = ? WHERE name = ?", t, d);
            return null;
        });
        log.info("catch-all of {} {}", d, t == null ? "turned off" : "delivers to " + t);
    }

    @Override
    public Optional<String> catchAll(String domain) {
        String d = Addresses.normalizeDomain(domain);
        return query(c -> {
            requireDomain(c, d);
            return Optional.ofNullable(string(c, "SELECT catch_all FROM domains WHERE name = ?", d));
        });
    }

    @Override
    public Account addAccount(String address, String password, boolean admin) {
        String a = Addresses.normalize(address);
        checkPassword(password);
        // Hashing takes a while: check first so that a typo fails fast, and again in the transaction.
        query(c -> {
            checkAddressFree(c, a);
            return null;
        });
        Credentials credentials = Credentials.derive(a, password, config.get());
        transaction(c -> {
            checkAddressFree(c, a);
            update(c, "INSERT INTO accounts (name, is_admin, password_hash, scram, cram_md5) VALUES (?, ?, ?, ?, ?)",
                    a, admin, credentials.passwordHash(), credentials.scram(), credentials.cramMd5());
            update(c, "INSERT INTO addresses (address, account, domain_name) VALUES (?, ?, ?)", a, a, Addresses.domain(a));
            return null;
        });
        log.info("account {} added{}", a, admin ? " (admin)" : "");
        return new Account(a, Set.of(a), admin);
    }

    @Override
    public void setPassword(String account, String password) {
        checkPassword(password);
        String name = requireAccountName(account);
        storeCredentials(Credentials.derive(name, password, config.get()), true);
        log.info("password of {} changed", name);
    }

    @Override
    public void setAdmin(String account, boolean admin) {
        String name = requireAccountName(account);
        transaction(c -> update(c, "UPDATE accounts SET is_admin = ? WHERE name = ?", admin, name));
        log.info("account {} is {}an admin", name, admin ? "" : "no longer ");
    }

    @Override
    public AccountQuota quota(String account) {
        String name;
        try {
            name = Addresses.normalize(account);
        } catch (DirectoryException e) {
            return AccountQuota.DEFAULT;
        }
        return query(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT quota_bytes, quota_messages FROM accounts WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return AccountQuota.DEFAULT;
                    }
                    return new AccountQuota(optionalLong(r, 1), optionalLong(r, 2));
                }
            }
        });
    }

    private static OptionalLong optionalLong(ResultSet r, int column) throws SQLException {
        long v = r.getLong(column);
        return r.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
    }

    @Override
    public void setQuota(String account, AccountQuota quota) {
        String name = requireAccountName(account);
        Long bytes = quota.bytes().isPresent() ? quota.bytes().getAsLong() : null;
        Long messages = quota.messages().isPresent() ? quota.messages().getAsLong() : null;
        transaction(c -> update(c, "UPDATE accounts SET quota_bytes = ?, quota_messages = ? WHERE name = ?",
                bytes, messages, name));
        log.info("quota of {} set to {} bytes, {} messages", name, bytes == null ? "default" : bytes,
                messages == null ? "default" : messages);
    }

    @Override
    public void removeAccount(String account) {
        String name = requireAccountName(account);
        transaction(c -> update(c, "DELETE FROM accounts WHERE name = ?", name));
        log.info("account {} removed", name);
    }

    @Override
    public void addAddress(String account, String address) {
        String name = requireAccountName(account);
        String a = Addresses.normalize(address);
        transaction(c -> {
            checkAddressFree(c, a);
            update(c, "INSERT INTO addresses (address, account, domain_name) VALUES (?, ?, ?)", a, name, Addresses.domain(a));
            return null;
        });
        log.info("address {} added to {}", a, name);
    }

    @Override
    public void removeAddress(String address) {
        String a = Addresses.normalize(address);
        transaction(c -> {
            String owner = accountOwning(c, a);
            if (owner == null) {
                throw new DirectoryException("no account has the address " + a);
            }
            if (owner.equals(a)) {
                throw new DirectoryException(a + " is the name of its account: remove the account instead");
            }
            update(c, "DELETE FROM addresses WHERE address = ?", a);
            return null;
        });
        log.info("address {} removed", a);
    }

    @Override
    public void addAlias(String address, String target) {
        String a = Addresses.normalize(address);
        String t = Addresses.normalize(target);
        if (a.equals(t)) {
            throw new DirectoryException("an alias cannot deliver to itself");
        }
        transaction(c -> {
            requireDomain(c, Addresses.domain(a));
            if (accountOwning(c, a) != null) {
                throw new DirectoryException(a + " is an account's address; an alias needs an address of its own");
            }
            requireDeliverableTarget(c, t);
            if (exists(c, "SELECT 1 FROM aliases WHERE address = ? AND target = ?", a, t)) {
                throw new DirectoryException("alias " + a + " already delivers to " + t);
            }
            update(c, "INSERT INTO aliases (address, target, domain_name) VALUES (?, ?, ?)", a, t, Addresses.domain(a));
            return null;
        });
        log.info("alias {} delivers to {}", a, t);
    }

    @Override
    public void removeAlias(String address, String target) {
        String a = Addresses.normalize(address);
        String t = target == null ? null : Addresses.normalize(target);
        int removed = transaction(c -> t == null
                ? update(c, "DELETE FROM aliases WHERE address = ?", a)
                : update(c, "DELETE FROM aliases WHERE address = ? AND target = ?", a, t));
        if (removed == 0) {
            throw new DirectoryException(t == null ? "no alias " + a : "alias " + a + " does not deliver to " + t);
        }
        log.info("alias {} {}", a, t == null ? "removed" : "no longer delivers to " + t);
    }

    @Override
    public List<Alias> aliases() {
        return query(c -> {
            Map<String, List<String>> byAddress = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT address, target FROM aliases ORDER BY address, target");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    byAddress.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getString(2));
                }
            }
            List<Alias> result = new ArrayList<>();
            byAddress.forEach((address, targets) -> result.add(new Alias(address, targets)));
            return result;
        });
    }

    @Override
    public void close() {
        pool.dispose();
    }

    // ---------------------------------------------------------------- helpers

    private void storeCredentials(Credentials credentials, boolean passwordChanged) {
        transaction(c -> update(c, "UPDATE accounts SET password_hash = ?, scram = ?, cram_md5 = ?"
                        + (passwordChanged ? ", password_changed = CURRENT_TIMESTAMP" : "") + " WHERE name = ?",
                credentials.passwordHash(), credentials.scram(), credentials.cramMd5(), credentials.account()));
    }

    private static void checkPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new DirectoryException("the password is empty");
        }
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw new DirectoryException("the password is longer than " + MAX_PASSWORD_LENGTH + " characters");
        }
        if (password.indexOf('\0') >= 0 || password.indexOf('\r') >= 0 || password.indexOf('\n') >= 0) {
            // NUL separates PLAIN's fields (RFC 4616 §2); CR/LF cannot be typed in IMAP LOGIN or POP3 PASS.
            throw new DirectoryException("the password contains NUL, CR or LF, which no mail client can send");
        }
    }

    private String requireAccountName(String account) {
        String a = Addresses.normalize(account);
        return query(c -> {
            String owner = accountOwning(c, a);
            if (owner == null) {
                throw new DirectoryException("no account " + a);
            }
            if (!owner.equals(a)) {
                throw new DirectoryException(a + " is an address of the account " + owner + ": name the account by " + owner);
            }
            return owner;
        });
    }

    private static void requireDomain(Connection c, String domain) throws SQLException {
        if (!exists(c, "SELECT 1 FROM domains WHERE name = ?", domain)) {
            throw new DirectoryException("domain " + domain + " is not local: add it first (facteur domain add " + domain + ")");
        }
    }

    /** An address about to be given to an account: its domain must be local, and it must be unused. */
    private static void checkAddressFree(Connection c, String address) throws SQLException {
        requireDomain(c, Addresses.domain(address));
        String owner = accountOwning(c, address);
        if (owner != null) {
            throw new DirectoryException(address + " is already " + (owner.equals(address) ? "an account" : "an address of " + owner));
        }
        if (exists(c, "SELECT 1 FROM aliases WHERE address = ?", address)) {
            throw new DirectoryException(address + " is already an alias");
        }
    }

    /** A local target must be an account's address (aliases expand once); a remote one is taken as it is. */
    private static void requireDeliverableTarget(Connection c, String target) throws SQLException {
        if (exists(c, "SELECT 1 FROM domains WHERE name = ?", Addresses.domain(target)) && accountOwning(c, target) == null) {
            throw new DirectoryException(target + " is in a local domain but is no account's address");
        }
    }

    private static String accountOwning(Connection c, String address) throws SQLException {
        return string(c, "SELECT account FROM addresses WHERE address = ?", address);
    }

    private static Account loadAccount(Connection c, String name) throws SQLException {
        Boolean admin = null;
        try (PreparedStatement s = c.prepareStatement("SELECT is_admin FROM accounts WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    admin = r.getBoolean(1);
                }
            }
        }
        if (admin == null) {
            return null;
        }
        return new Account(name, new LinkedHashSet<>(strings(c, "SELECT address FROM addresses WHERE account = ? ORDER BY address", name)), admin);
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T query(Work<T> work) {
        try (Connection c = connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** A pooled connection; a closed directory is reported like an unreachable database. */
    private Connection connection() throws SQLException {
        try {
            return pool.getConnection();
        } catch (IllegalStateException disposed) {
            throw new SQLException("the directory is closed", disposed);
        }
    }

    private <T> T transaction(Work<T> work) {
        try (Connection c = connection()) {
            return Sql.inTransaction(c, work::run);
        } catch (SQLIntegrityConstraintViolationException e) {
            // Two admins racing for one name: the loser gets a plain refusal.
            throw new DirectoryException("the directory refused the change (it conflicts with a concurrent one): " + e.getMessage(), e);
        } catch (SQLException e) {
            throw unavailable(e);
        } finally {
            // The triggers counted a change before its commit; count it again now that readers can see it.
            DirectoryChanges.changed();
        }
    }

    private static DirectoryException unavailable(SQLException e) {
        return new DirectoryException("the directory database failed: " + e.getMessage(), e);
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        }
    }

    private static boolean exists(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static int count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static String string(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private static List<String> strings(Connection c, String sql, Object... args) throws SQLException {
        List<String> result = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    result.add(r.getString(1));
                }
            }
        }
        return result;
    }
}
