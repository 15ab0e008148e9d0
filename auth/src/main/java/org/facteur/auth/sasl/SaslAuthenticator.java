package org.facteur.auth.sasl;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.facteur.auth.Account;
import org.facteur.auth.AuthConfig;
import org.facteur.auth.AuthConfig.Mechanism;
import org.facteur.auth.CredentialStore;
import org.facteur.auth.Credentials;
import org.facteur.auth.Directory;
import org.facteur.auth.DirectoryException;
import org.facteur.auth.password.Argon2id;
import org.facteur.auth.totp.Totp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Authenticator} over a {@link Directory} and its {@link CredentialStore}: offers the configured
 * mechanisms the connection allows, runs the exchanges, and throttles failures. Log lines name the protocol,
 * the mechanism, the client address and the claimed user, never a password or a secret.
 */
public final class SaslAuthenticator implements Authenticator {

    private static final Logger log = LoggerFactory.getLogger(SaslAuthenticator.class);

    private final Directory directory;
    private final CredentialStore store;
    private final Supplier<AuthConfig> config;
    private final AuthThrottle throttle;
    /** Hashes checked for unknown users, so that they cost as much time as known ones (no user enumeration by timing). */
    private final ConcurrentHashMap<Argon2id.Cost, String> decoys = new ConcurrentHashMap<>();
    /** Passwords recently proven right, so that a repeated login skips Argon2id (see {@link VerifiedPasswords}). */
    private final VerifiedPasswords verified;
    private final LongAdder argon2idChecks = new LongAdder();

    public SaslAuthenticator(Directory directory, CredentialStore store, Supplier<AuthConfig> config) {
        this(directory, store, config, new AuthThrottle(() -> config.get().throttling(), Clock.systemUTC()));
    }

    public SaslAuthenticator(Directory directory, CredentialStore store, Supplier<AuthConfig> config, AuthThrottle throttle) {
        this(directory, store, config, throttle, Clock.systemUTC());
    }

    /** {@code clock} dates the expiry of verified passwords. */
    public SaslAuthenticator(Directory directory, CredentialStore store, Supplier<AuthConfig> config, AuthThrottle throttle,
            Clock clock) {
        this.directory = directory;
        this.store = store;
        this.config = config;
        this.throttle = throttle;
        this.verified = new VerifiedPasswords(() -> config.get().passwordCache(), clock);
    }

    public AuthThrottle throttle() {
        return throttle;
    }

    /** How many Argon2id checks this authenticator has run (decoys included): what the password cache saves. */
    public long argon2idChecks() {
        return argon2idChecks.sum();
    }

    /** How many accounts have a verified password remembered now. */
    public int rememberedPasswords() {
        return verified.size();
    }

    @Override
    public List<String> mechanisms(SaslContext context) {
        List<String> result = new ArrayList<>();
        for (Mechanism m : config.get().mechanisms()) {
            if (allowed(m, context)) {
                result.add(m.saslName());
            }
        }
        return result;
    }

    /**
     * Every mechanism needs TLS: PLAIN and LOGIN carry the password itself, and a recorded CRAM-MD5 or SCRAM
     * exchange allows an offline dictionary attack. EXTERNAL needs a verified client certificate.
     */
    private static boolean allowed(Mechanism m, SaslContext context) {
        if (!context.secure()) {
            return false;
        }
        return m != Mechanism.EXTERNAL || !context.clientCertificates().isEmpty();
    }

    @Override
    public SaslExchange start(String mechanism, SaslContext context) {
        if (mechanism == null) {
            return null;
        }
        String wanted = mechanism.trim().toUpperCase(Locale.ROOT);
        for (Mechanism m : config.get().mechanisms()) {
            if (m.saslName().equals(wanted)) {
                if (!allowed(m, context)) {
                    log.info("{} {}: refused to start {} ({})", context.protocol(), address(context), m.saslName(),
                            context.secure() ? "no client certificate" : "not over TLS");
                    return null;
                }
                return switch (m) {
                    case PLAIN -> new PlainExchange(this, context);
                    case LOGIN -> new LoginExchange(this, context);
                    case CRAM_MD5 -> new CramMd5Exchange(this, context);
                    case SCRAM_SHA_256 -> new ScramSha256Exchange(this, context);
                    case EXTERNAL -> new ExternalExchange(this, context);
                };
            }
        }
        return null;
    }

    @Override
    public SaslStep checkPassword(String user, String password, SaslContext context) {
        if (!context.secure()) {
            log.info("{} {}: password login refused: not over TLS", context.protocol(), address(context));
            return new SaslStep.Failure("Log in over TLS (STARTTLS or the implicit-TLS port)", false);
        }
        try {
            return verifyPassword(user, password == null ? "" : password, null, context, "password");
        } catch (DirectoryException e) {
            return unavailable(context, "password", e);
        }
    }

    /** The directory failed (database unreachable or closed): a temporary failure, never a crash or a "wrong password". */
    SaslStep unavailable(SaslContext context, String mechanism, DirectoryException e) {
        log.error("{} {} {}: the directory is unavailable: {}", context.protocol(), mechanism, address(context), e.getMessage());
        return new SaslStep.Failure("Authentication is unavailable, try again later", true);
    }

    // ------------------------------------------------------------------ shared by the exchanges

    AuthConfig config() {
        return config.get();
    }

    Directory directory() {
        return directory;
    }

    /**
     * Checks a user name and password (PLAIN, LOGIN, IMAP LOGIN, POP3 PASS), then whether the authenticated
     * account may act as {@code authzid} (null or empty: itself).
     */
    SaslStep verifyPassword(String user, String password, String authzid, SaslContext context, String mechanism) {
        SaslStep locked = lockedOut(context, user, mechanism);
        if (locked != null) {
            return locked;
        }
        Optional<Account> account = findAccount(user);
        Optional<Credentials> credentials = account.flatMap(a -> store.credentials(a.name()));
        String hash = credentials.map(Credentials::passwordHash).orElseGet(this::decoy);
        // The hash is read afresh above (one H2 lookup), so a changed password or a removed account never matches.
        boolean remembered = credentials.isPresent() && verified.matches(account.get().name(), password, hash);
        boolean ok = remembered || (verifyOffCarrier(password, hash) && credentials.isPresent());
        if (!ok) {
            return failed(context, account.map(Account::name).orElse(user), mechanism,
                    account.isEmpty() ? "unknown user" : "wrong password");
        }
        Account a = account.get();
        if (!remembered) {
            verified.remember(a.name(), password, hash);
        }
        if (credentials.get().outdated(config.get())) {
            try {
                store.upgradeCredentials(a.name(), password);
            } catch (DirectoryException e) {
                log.warn("could not upgrade the stored secrets of {}: {}", a.name(), e.getMessage());
            }
        }
        return authorize(a, authzid, context, mechanism);
    }

    /** The final step once {@code account} is authenticated: the authzid check (RFC 4422 §3.4.1), then success. */
    SaslStep authorize(Account account, String authzid, SaslContext context, String mechanism) {
        if (authzid != null && !authzid.isEmpty()) {
            Optional<Account> target = findAccount(authzid);
            if (target.isEmpty() || !target.get().name().equals(account.name())) {
                // No proxy authorization: an account acts only as itself.
                log.warn("{} {} {}: {} may not act as {}", context.protocol(), mechanism, address(context), account.name(), printable(authzid));
                return new SaslStep.Failure("Not authorized to act as " + authzid, false);
            }
        }
        throttle.recordSuccess(account.name());
        log.info("{} {} {}: authenticated {}", context.protocol(), mechanism, address(context), account.name());
        return new SaslStep.Success(account.name(), null);
    }

    @Override
    public boolean hasSecondFactor(String account) {
        return store.totpSecret(account).isPresent();
    }

    @Override
    public SaslStep checkSecondFactor(String account, String code, SaslContext context) {
        try {
            SaslStep locked = lockedOut(context, account, "totp");
            if (locked != null) {
                return locked;
            }
            Optional<byte[]> secret = store.totpSecret(account);
            OptionalLong step = secret.isEmpty() ? OptionalLong.empty() : Totp.match(secret.get(), code, Instant.now());
            if (step.isEmpty()) {
                return failed(context, account, "totp", "wrong code");
            }
            if (!store.useTotpStep(account, step.getAsLong())) {
                return failed(context, account, "totp", "code already used");
            }
            return authorize(directory.account(account).orElseThrow(), null, context, "totp");
        } catch (DirectoryException e) {
            return unavailable(context, "totp", e);
        }
    }

    /** A temporary failure when the client address or the claimed account is locked out; otherwise null. */
    SaslStep lockedOut(SaslContext context, String user, String mechanism) {
        String key = user == null ? null : findAccount(user).map(Account::name).orElse(user);
        Instant until = throttle.lockedUntil(context.client(), key);
        if (until == null) {
            return null;
        }
        log.warn("{} {} {}: refused for {}: too many failed logins, locked until {}", context.protocol(), mechanism,
                address(context), printable(user), until);
        return new SaslStep.Failure("Too many failed logins; try again later", true);
    }

    /** Counts a failure, logs it, waits the throttling delay, and returns the failure to send. */
    SaslStep failed(SaslContext context, String user, String mechanism, String why) {
        Duration delay = throttle.recordFailure(context.client(), user);
        log.warn("{} {} {}: authentication failed for {}: {} (answered after {} ms)", context.protocol(), mechanism,
                address(context), user == null ? "(no user named yet)" : printable(user), why, delay.toMillis());
        sleep(delay);
        return new SaslStep.Failure("Authentication failed", false);
    }

    /** A client cancelled an exchange: counted, not delayed. */
    void aborted(SaslContext context, String user, String mechanism) {
        throttle.recordFailure(context.client(), user);
        log.info("{} {} {}: exchange cancelled by the client{}", context.protocol(), mechanism, address(context),
                user == null ? "" : " for " + printable(user));
    }

    Optional<Account> findAccount(String nameOrAddress) {
        if (nameOrAddress == null || nameOrAddress.isBlank()) {
            return Optional.empty();
        }
        return directory.account(nameOrAddress);
    }

    Optional<Credentials> credentials(Account account) {
        return store.credentials(account.name());
    }

    /**
     * A client-supplied name as it may appear in a log line: controls escaped (a CR LF in a LOGIN user name must
     * not forge a log line) and at most 100 characters.
     */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), 100) + 8);
        for (int i = 0; i < text.length() && out.length() < 100; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > 100) {
            out.append("...");
        }
        return out.toString();
    }

    static String address(SaslContext context) {
        InetAddress a = context.client();
        return a == null ? "?" : a.getHostAddress();
    }

    private String decoy() {
        AuthConfig.PasswordHashing h = config.get().hashing();
        Argon2id.Cost cost = new Argon2id.Cost(h.memoryKib(), h.iterations(), h.parallelism());
        return decoys.computeIfAbsent(cost, c -> Argon2id.hash("decoy-" + System.nanoTime(), c));
    }

    /**
     * Argon2id runs on a small pool of platform threads, one per core: a virtual thread that computed it would hold
     * its carrier for the whole hash (it never blocks), so a burst of logins would stall every other session; and
     * the pool bounds the memory in use to one Argon2id block per core.
     */
    private static final ExecutorService HASHING = Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), r -> {
                Thread t = new Thread(r, "argon2id");
                t.setDaemon(true);
                return t;
            });

    private boolean verifyOffCarrier(String password, String hash) {
        argon2idChecks.increment();
        Future<Boolean> result = HASHING.submit(() -> Argon2id.verify(password, hash));
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("password check failed", e.getCause());
        }
    }

    private static void sleep(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay); // a virtual thread: waiting costs no platform thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
