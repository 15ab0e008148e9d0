package org.facteur.pop3.session;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import org.facteur.auth.sasl.Authenticator;
import org.facteur.auth.sasl.SaslContext;
import org.facteur.auth.sasl.SaslStep;
import org.facteur.config.MachineName;
import org.facteur.net.Connection;
import org.facteur.net.Line;
import org.facteur.net.TlsInfo;
import org.facteur.pop3.Pop3Config;
import org.facteur.pop3.protocol.ResponseCode;
import org.facteur.pop3.protocol.ResponseWriter;
import org.facteur.storage.MailStore;
import org.facteur.storage.MailboxNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one POP3 connection and the operations commands share: login, the maildrop, failure counting.
 * Commands (package {@code command}) drive it; the connection loop ({@code Pop3ConnectionHandler}) owns it.
 */
public final class Pop3Session {

    private static final Logger log = LoggerFactory.getLogger(Pop3Session.class);

    /** What every session of one server shares. */
    public record Services(Authenticator authenticator, MailStore store, MaildropLocks locks) {
    }

    private final Connection connection;
    private final Pop3Config config;
    private final Services services;
    private final boolean stlsListener;
    private final ResponseWriter reply;
    private final String hostname;
    private State state = State.AUTHORIZATION;
    private String account;
    private Maildrop maildrop;
    private MaildropLocks.Lease lease;
    private String pendingUser;
    private boolean utf8;
    private int authFailures;
    private int badCommands;
    private boolean closing;

    /**
     * @param stlsListener whether this listener offers STLS (a cleartext listener in STARTTLS mode)
     */
    public Pop3Session(Connection connection, Pop3Config config, Services services, boolean stlsListener) {
        this.connection = connection;
        this.config = config;
        this.services = services;
        this.stlsListener = stlsListener;
        this.hostname = MachineName.unless(config.hostname());
        this.reply = new ResponseWriter(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                connection.write(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                connection.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                connection.flush();
            }
        });
    }

    public Connection connection() {
        return connection;
    }

    public Pop3Config config() {
        return config;
    }

    /** The configured host name, or the machine's. */
    public String hostname() {
        return hostname;
    }

    public Services services() {
        return services;
    }

    public ResponseWriter reply() {
        return reply;
    }

    public State state() {
        return state;
    }

    public Optional<String> account() {
        return Optional.ofNullable(account);
    }

    public boolean isSecure() {
        return connection.isSecure();
    }

    /** STLS is offered on a cleartext connection of a STARTTLS listener, before login (RFC 2595 §4). */
    public boolean stlsAvailable() {
        return stlsListener && !connection.isSecure() && state == State.AUTHORIZATION;
    }

    /**
     * USER/PASS and other password logins only over TLS: the one rule CAPA, USER, PASS and AUTH share, so
     * what is advertised is what is accepted.
     */
    public boolean passwordLoginAllowed() {
        return connection.isSecure();
    }

    public SaslContext saslContext() {
        List<java.security.cert.X509Certificate> certificates =
                connection.tls().map(TlsInfo::peerCertificates).orElse(List.of());
        return new SaslContext("pop3", hostname, connection.remoteAddress().getAddress(),
                connection.isSecure(), certificates);
    }

    /** The maildrop; only in TRANSACTION state. */
    public Maildrop maildrop() {
        if (maildrop == null) {
            throw new IllegalStateException("no maildrop before login");
        }
        return maildrop;
    }

    public Optional<String> pendingUser() {
        return Optional.ofNullable(pendingUser);
    }

    public void pendingUser(String user) {
        this.pendingUser = user;
    }

    public boolean utf8() {
        return utf8;
    }

    public void enableUtf8() {
        this.utf8 = true;
    }

    /** Reads one line of a SASL exchange; RFC 5034 §4 lifts the command-line limit for these. */
    public Line readSaslLine() throws IOException {
        return connection.readLine(config.limits().saslLineLength());
    }

    /**
     * Enters TRANSACTION state for {@code name}, locking and opening the maildrop, and answers the client
     * either way. Called after PASS or AUTH succeeded.
     */
    public void login(String name) throws IOException {
        Optional<MaildropLocks.Lease> taken = services.locks().tryLock(name, config.folder());
        if (taken.isEmpty()) {
            log.info("pop3 login of {} refused: maildrop in use by another POP3 session", name);
            reply.err(ResponseCode.IN_USE, "Maildrop is locked by another POP3 session; try again later");
            return;
        }
        MaildropLocks.Lease newLease = taken.get();
        Maildrop opened;
        try {
            var accountStore = services.store().account(name);
            opened = Maildrop.open(listener -> accountStore.open(config.folder(), false, listener),
                    config.maxMessages(), config.leaveOnServer());
        } catch (MailboxNotFoundException e) {
            newLease.close();
            log.warn("pop3 login of {}: folder {} does not exist", name, config.folder());
            reply.err(ResponseCode.SYS_PERM, "The maildrop folder does not exist");
            return;
        } catch (IOException | RuntimeException e) {
            newLease.close();
            log.warn("pop3 login of {}: cannot open the maildrop", name, e);
            reply.err(ResponseCode.SYS_TEMP, "Cannot open the maildrop now; try again later");
            return;
        }
        this.account = name;
        this.lease = newLease;
        this.maildrop = opened;
        this.pendingUser = null;
        this.state = State.TRANSACTION;
        log.info("pop3 login of {} from {} ({} messages)", name, connection.remoteAddress().getAddress().getHostAddress(),
                opened.countLive());
        reply.ok("Logged in; maildrop has " + opened.countLive() + " messages (" + opened.sizeLive() + " octets)");
    }

    /**
     * Answers a failed login with the right code (RFC 3206: {@code [AUTH]} for credentials, {@code [SYS/TEMP]}
     * when the directory is throttling or unavailable) and closes the connection after too many.
     */
    public void loginFailed(SaslStep.Failure failure) throws IOException {
        pendingUser = null;
        authFailures++;
        String reason = failure.reason() == null || failure.reason().isBlank() ? "Authentication failed" : failure.reason();
        if (failure.temporary()) {
            reply.err(ResponseCode.SYS_TEMP, reason);
        } else {
            reply.err(ResponseCode.AUTH, reason);
        }
        if (authFailures >= config.limits().authFailures()) {
            log.info("pop3: closing connection from {} after {} failed logins",
                    connection.remoteAddress().getAddress().getHostAddress(), authFailures);
            closing = true;
        }
    }

    /** Counts a bad command; returns true when the connection must now close. */
    public boolean badCommand() {
        badCommands++;
        return badCommands >= config.limits().badCommands();
    }

    /** QUIT in TRANSACTION: the UPDATE state (RFC 1939 §6). */
    public Maildrop.UpdateResult update() throws IOException {
        state = State.UPDATE;
        return maildrop.update();
    }

    /** Asks the connection loop to close after this response. */
    public void close() {
        closing = true;
    }

    public boolean closing() {
        return closing;
    }

    /**
     * Releases the maildrop, whatever ended the session. Without QUIT nothing is deleted and this session's
     * marks are taken back (RFC 1939 §6: "the POP3 server does not enter the UPDATE state").
     */
    public void end() {
        if (maildrop != null) {
            try {
                maildrop.abandon();
            } catch (IOException | RuntimeException e) {
                log.warn("pop3 session of {}: could not clear its deletion marks", account, e);
            }
            maildrop.close();
            maildrop = null;
        }
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }
}
