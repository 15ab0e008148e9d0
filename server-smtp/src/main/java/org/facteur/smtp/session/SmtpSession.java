package org.facteur.smtp.session;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.facteur.auth.sasl.SaslContext;
import org.facteur.filters.ClientInfo;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Verdict;
import org.facteur.net.Connection;
import org.facteur.net.LineTooLongException;
import org.facteur.net.TlsInfo;
import org.facteur.smtp.SmtpConfig;
import org.facteur.smtp.protocol.CommandLine;
import org.facteur.smtp.protocol.MessageDate;
import org.facteur.smtp.protocol.Reply;
import org.facteur.smtp.protocol.ReplyWriter;
import org.facteur.smtp.protocol.SmtpSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP connection: reads commands, dispatches them to their {@link CommandHandler}, and keeps the state
 * machine of RFC 5321 §4.1.4 (greeting, EHLO, MAIL, RCPT, DATA/BDAT, RSET) plus TLS and AUTH state.
 */
public final class SmtpSession {

    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);
    private static final AtomicLong COUNTER = new AtomicLong();
    /** Commands that belong to a mail transaction; the others count towards maxCommandsWithoutMail. */
    private static final Set<String> TRANSACTION_VERBS = Set.of("MAIL", "RCPT", "DATA", "BDAT", "QUIT");

    private final Connection connection;
    private final ListenerKind kind;
    private final SessionServices services;
    private final Map<String, CommandHandler> commands;
    private final String id;
    private SmtpConfig config;
    private FilterContext filterContext;
    private String helo;
    private boolean extended;
    private String account;
    private Transaction transaction;
    private int errors;
    private int commandsWithoutMail;
    private int messages;
    private boolean closing;

    public SmtpSession(Connection connection, ListenerKind kind, SessionServices services,
                       Map<String, CommandHandler> commands) {
        this.connection = connection;
        this.kind = kind;
        this.services = services;
        this.commands = commands;
        this.id = Long.toString(System.currentTimeMillis() / 1000, 36) + "-" + COUNTER.incrementAndGet();
        this.config = services.config().get();
        this.filterContext = newFilterContext();
    }

    public void run() throws IOException {
        connection.setReadTimeout(config.connections().idleTimeout());
        Verdict connect = services.chain().connect(filterContext);
        if (connect.action() == Verdict.Action.REJECT || connect.action() == Verdict.Action.TEMPFAIL) {
            // RFC 5321 §3.1: 554 instead of 220 means "no SMTP service here"; 421 means "try later".
            boolean temp = connect.action() == Verdict.Action.TEMPFAIL;
            reply(Reply.of(temp ? 421 : 554, temp ? "4.7.0" : "5.7.1", text(connect, "Connection refused")));
            return;
        }
        reply(Reply.plain(220, hostname() + " " + config.greeting()));
        while (!closing) {
            String line;
            try {
                line = connection.readLine(config.limits().maxCommandLength().toIntBytes()).text();
            } catch (LineTooLongException e) {
                reply(Reply.of(500, "5.5.2", "Line too long"));
                error();
                continue;
            } catch (EOFException e) {
                log.debug("session {}: client closed the connection", id);
                return;
            }
            config = services.config().get();
            CommandLine command;
            try {
                command = CommandLine.parse(line);
            } catch (SmtpSyntaxException e) {
                reply(e.reply());
                error();
                continue;
            }
            CommandHandler handler = commands.get(command.verb());
            if (handler == null) {
                reply(Reply.of(500, "5.5.1", "Command unrecognized"));
                error();
                continue;
            }
            if (!TRANSACTION_VERBS.contains(command.verb())
                    && ++commandsWithoutMail > config.limits().maxCommandsWithoutMail()) {
                reply(Reply.of(421, "4.7.0", "Too many commands without a message, closing"));
                return;
            }
            handler.handle(this, command.argument());
        }
    }

    // ---- replies and limits ----

    public void reply(Reply reply) throws IOException {
        connection.write(ReplyWriter.format(reply));
        if (reply.code() == 421) {
            closing = true;
        }
    }

    public void reply(int code, String enhancedCode, String text) throws IOException {
        reply(Reply.of(code, enhancedCode, text));
    }

    /** Counts a client error; past the limit the session ends with 421 (RFC 5321 §4.3.2 allows closing). */
    public void error() throws IOException {
        if (++errors >= config.limits().maxErrors()) {
            reply(Reply.of(421, "4.7.0", "Too many errors, closing connection"));
            log.info("session {}: closed after {} errors from {}", id, errors, clientAddress().getHostAddress());
        }
    }

    public void close() {
        closing = true;
    }

    /** The text of a verdict, or a neutral default. */
    public static String text(Verdict verdict, String fallback) {
        return verdict.text() == null || verdict.text().isBlank() ? fallback : verdict.text();
    }

    // ---- state ----

    public String id() {
        return id;
    }

    public SmtpConfig config() {
        return config;
    }

    public SessionServices services() {
        return services;
    }

    public Connection connection() {
        return connection;
    }

    public ListenerKind kind() {
        return kind;
    }

    public String hostname() {
        return services.hostname().get();
    }

    public InetAddress clientAddress() {
        return connection.remoteAddress().getAddress();
    }

    public FilterContext filterContext() {
        return filterContext;
    }

    public String helo() {
        return helo;
    }

    public void helo(String name, boolean esmtp) {
        this.helo = name;
        this.extended = esmtp;
    }

    public boolean isExtended() {
        return extended;
    }

    public boolean isSecure() {
        return connection.isSecure();
    }

    public boolean canStartTls() {
        return !connection.isSecure() && kind != ListenerKind.SUBMISSIONS;
    }

    public boolean isAuthenticated() {
        return account != null;
    }

    public String account() {
        return account;
    }

    public void authenticated(String accountName) {
        this.account = accountName;
        filterContext.authenticatedAccount(accountName);
    }

    public SaslContext saslContext() {
        List<java.security.cert.X509Certificate> certificates = connection.tls()
                .map(TlsInfo::peerCertificates).orElse(List.of());
        return new SaslContext("smtp", hostname(), clientAddress(), isSecure(), certificates);
    }

    /** AUTH is offered only over TLS (RFC 4954 §4: no plaintext passwords in the clear). */
    public List<String> authMechanisms() {
        if (!isSecure() || services.authenticator() == null) {
            return List.of();
        }
        return services.authenticator().mechanisms(saslContext());
    }

    public Transaction transaction() {
        return transaction;
    }

    public void transaction(Transaction t) {
        this.transaction = t;
        if (t != null) {
            commandsWithoutMail = 0;
        }
    }

    /** Ends the transaction (RSET, end of data, errors), discarding any BDAT spool file. */
    public void resetTransaction() {
        if (transaction != null && transaction.bdat() != null) {
            try {
                transaction.bdat().out().close();
                Files.deleteIfExists(transaction.bdat().file());
            } catch (IOException e) {
                log.debug("session {}: cannot remove spool file", id, e);
            }
        }
        transaction = null;
        filterContext.resetTransaction();
    }

    public int messages() {
        return messages;
    }

    /**
     * After STARTTLS the session starts over (RFC 3207 §4.2): the client must EHLO again and nothing it said in
     * cleartext counts. The new filter context records the TLS parameters and keeps the connect stage's
     * findings about the client's address, which the connect stage does not run again to rebuild.
     */
    public void afterStartTls() {
        resetTransaction();
        helo = null;
        extended = false;
        account = null;
        filterContext = filterContext.restartedOver(clientInfo());
    }

    private FilterContext newFilterContext() {
        return new FilterContext(clientInfo());
    }

    private ClientInfo clientInfo() {
        return new ClientInfo(id, kind.entryPoint(), clientAddress(), null, connection.tls().orElse(null));
    }

    // ---- messages ----

    /**
     * A new file name in the spool for incoming data ({@code incoming/}, made when the server starts). The session
     * id is unique in this process and the random part keeps apart sessions of two runs; nothing needs it to be
     * unguessable (the spool is the server's own), so it does not cost a SecureRandom draw.
     */
    public Path newSpoolFile() {
        return services.incomingDir().resolve(id + "-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".eml");
    }

    /**
     * The Received header (RFC 5321 §4.4) for a message of this session: client name and address, our name,
     * the protocol keyword of RFC 3848/RFC 6531, and for TLS the RFC 8314 §4.3 {@code tls} clause with the
     * cipher suite and, in a comment, the TLS version.
     */
    public byte[] receivedHeader() {
        boolean utf8 = transaction != null && transaction.parameters().smtpUtf8();
        String with = (utf8 ? "UTF8SMTP" : extended ? "ESMTP" : "SMTP") + (isSecure() ? "S" : "") + (isAuthenticated() ? "A" : "");
        StringBuilder b = new StringBuilder("Received: from ");
        b.append(ReplyWriter.clean(helo == null ? "unknown" : helo)).append(" ([").append(clientAddress().getHostAddress()).append("])");
        b.append("\r\n\tby ").append(hostname()).append(" (Facteur) with ").append(with).append(" id ").append(id);
        if (transaction != null && transaction.recipients().size() == 1) {
            b.append("\r\n\tfor <").append(transaction.recipients().get(0).address()).append(">");
        }
        connection.tls().ifPresent(tls -> b.append("\r\n\ttls ").append(tls.cipherSuite()).append(" (").append(tls.protocol()).append(")"));
        b.append(";\r\n\t").append(MessageDate.now()).append("\r\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Hands a complete message to the router and ends the transaction; the spool file is removed after. */
    public void finishMessage(Path data) throws IOException {
        try {
            Reply reply = services.router().accept(filterContext, transaction.envelope(), data);
            if (reply.isPositive()) {
                messages++;
            }
            log.info("session {}: message from <{}> for {} recipient(s): {}", id, transaction.envelope().reversePath(),
                    transaction.recipients().size(), reply.oneLine());
            transaction.bdat(null);
            resetTransaction();
            reply(reply);
        } finally {
            Files.deleteIfExists(data);
        }
    }
}
