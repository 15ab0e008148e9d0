package org.facteur.smtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import org.facteur.auth.Directory;
import org.facteur.auth.sasl.Authenticator;
import org.facteur.auth.settings.SettingsStore;
import org.facteur.config.MachineName;
import org.facteur.filters.FilterChain;
import org.facteur.filters.RelayFilter;
import org.facteur.net.Connection;
import org.facteur.net.ConnectionHandler;
import org.facteur.net.ListenerConfig;
import org.facteur.net.TcpServer;
import org.facteur.net.TlsContextProvider;
import org.facteur.net.TlsMode;
import org.facteur.smtp.command.Commands;
import org.facteur.smtp.delivery.LocalDelivery;
import org.facteur.smtp.delivery.MessageRouter;
import org.facteur.smtp.delivery.QueuedLocalDelivery;
import org.facteur.smtp.delivery.SenderPolicy;
import org.facteur.smtp.dkim.DkimKeys;
import org.facteur.smtp.dkim.DnsRecords;
import org.facteur.smtp.dkim.MessageSigner;
import org.facteur.smtp.outbound.RemoteDelivery;
import org.facteur.smtp.protocol.MailParameters;
import org.facteur.smtp.protocol.RcptParameters;
import org.facteur.smtp.protocol.Reply;
import org.facteur.smtp.protocol.ReplyWriter;
import org.facteur.smtp.queue.DsnWriter;
import org.facteur.smtp.queue.OutboundQueue;
import org.facteur.smtp.queue.QueueRecipient;
import org.facteur.smtp.session.CommandHandler;
import org.facteur.smtp.session.ListenerKind;
import org.facteur.smtp.session.SessionServices;
import org.facteur.smtp.session.SmtpSession;
import org.facteur.smtp.vacation.VacationResponder;
import org.facteur.storage.MailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP service in one object: the MTA, submission and submissions listeners, the durable outbound queue
 * and the webmail's submission entry point. The app wires it with one constructor call, {@link #start()} and
 * {@link #close()}.
 *
 * <p>The spool directory holds {@code incoming/} (messages being received), {@code queue/} (the outbound
 * queue), {@code work/} (submission rewriting) and {@code dkim/} (the per-domain DKIM keys).
 */
public final class SmtpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);

    private final Supplier<SmtpConfig> config;
    private final TlsContextProvider tls;
    private final Directory directory;
    private final Supplier<String> hostname;
    private final DkimKeys dkimKeys;
    private final OutboundQueue queue;
    private final SessionServices services;
    private final LocalDelivery local;
    private final Clock clock;
    private final WebmailSubmission webmail;
    private final Map<String, CommandHandler> commands = Commands.all();
    private final Map<ListenerKind, TcpServer> listeners = new LinkedHashMap<>();

    /**
     * @param chain the shared filter chain, which owns every policy (relay, trusted networks, HELO checks); null
     *              builds one with only a {@link RelayFilter} that trusts no network, so only authenticated users
     *              relay. A chain without a relay policy cannot make an open relay: mail to other domains needs
     *              an explicit ACCEPT.
     */
    public SmtpServer(Supplier<SmtpConfig> config, TlsContextProvider tls, Directory directory,
                      Authenticator authenticator, MailStore store, FilterChain chain, Path spoolDir) throws IOException {
        this(config, tls, directory, authenticator, store, chain, spoolDir, defaultTls(), Clock.systemUTC());
    }

    /** @param smarthostTls trust for the smarthost's certificate; {@code clock} drives the queue (tests) */
    public SmtpServer(Supplier<SmtpConfig> config, TlsContextProvider tls, Directory directory,
                      Authenticator authenticator, MailStore store, FilterChain chain, Path spoolDir,
                      SSLContext smarthostTls, Clock clock) throws IOException {
        this.config = config;
        this.tls = tls;
        this.directory = directory;
        this.hostname = hostname(config);
        Files.createDirectories(spoolDir);
        FilterChain filters = chain != null ? chain
                : new FilterChain(List.of(new RelayFilter(List::of)));
        this.clock = clock;
        this.local = new LocalDelivery(store);
        this.dkimKeys = new DkimKeys(spoolDir.resolve("dkim"));
        DsnWriter dsn = new DsnWriter(hostname, () -> config.get().queue().maxAge());
        this.queue = new OutboundQueue(spoolDir.resolve("queue"), config, directory::isLocalDomain,
                new QueuedLocalDelivery(directory, local), new RemoteDelivery(config, hostname, smarthostTls), dsn, clock);
        // DSNs leave with the null reverse path, so a DSN is never bounced (RFC 3461 §6.2).
        dsn.sender((message, recipient) -> queue.enqueue(message, "", MailParameters.NONE,
                List.of(QueueRecipient.pending(recipient, RcptParameters.NONE))));
        MessageRouter router = new MessageRouter(config, hostname, directory, filters, local, queue,
                new MessageSigner(dkimKeys), dsn, spoolDir.resolve("work"));
        this.services = new SessionServices(config, hostname, directory, authenticator, filters, router,
                new SenderPolicy(directory, config), spoolDir);
        Files.createDirectories(services.incomingDir());
        this.webmail = new WebmailSubmission(services);
    }

    /**
     * Turns on the users' vacation auto-replies, read from {@code settings} at each delivery (the app passes
     * the directory's {@code H2Directory.settings()}). Without this call no auto-reply is sent.
     */
    public SmtpServer autoReplies(SettingsStore settings) {
        local.listener(new VacationResponder(config, hostname, directory, settings, queue, clock));
        return this;
    }

    public synchronized SmtpServer start() throws IOException {
        SmtpConfig cfg = config.get();
        SmtpConfig.Listeners l = cfg.listeners();
        open(ListenerKind.MTA, l.mtaPort(), TlsMode.STARTTLS, l);
        open(ListenerKind.SUBMISSION, l.submissionPort(), TlsMode.STARTTLS, l);
        open(ListenerKind.SUBMISSIONS, l.submissionsPort(), TlsMode.IMPLICIT, l);
        queue.start();
        return this;
    }

    private void open(ListenerKind kind, int port, TlsMode mode, SmtpConfig.Listeners l) throws IOException {
        if (port < 0) {
            return;
        }
        ListenerConfig listener = new ListenerConfig(l.address(), port, tls == null ? TlsMode.PLAIN : mode,
                kind == ListenerKind.MTA ? org.facteur.net.ClientAuth.NONE : l.clientAuth());
        TcpServer server = new TcpServer("smtp-" + kind.name().toLowerCase(java.util.Locale.ROOT), listener, tls,
                () -> config.get().connections(), handler(kind));
        listeners.put(kind, server.start());
        log.info("smtp: {} listening on {}:{}", kind, l.address(), server.localPort());
    }

    private ConnectionHandler handler(ListenerKind kind) {
        return new ConnectionHandler() {
            @Override
            public void handle(Connection connection) throws IOException {
                new SmtpSession(connection, kind, services, commands).run();
            }

            @Override
            public void refuse(Connection connection, String reason) throws IOException {
                connection.write(ReplyWriter.format(Reply.of(421, "4.7.0", reason)));
                connection.flush();
            }
        };
    }

    /** The bound port of a listener (tests use port 0), or -1 when it is off. */
    public int port(ListenerKind kind) {
        TcpServer server = listeners.get(kind);
        return server == null ? -1 : server.localPort();
    }

    public int mtaPort() {
        return port(ListenerKind.MTA);
    }

    public int submissionPort() {
        return port(ListenerKind.SUBMISSION);
    }

    public int submissionsPort() {
        return port(ListenerKind.SUBMISSIONS);
    }

    /** The outbound queue, for {@code facteur queue list|show|retry|delete}. */
    public OutboundQueue queue() {
        return queue;
    }

    /** The webmail's way to send (same checks, filters, DKIM and queue as port 587). */
    public WebmailSubmission webmail() {
        return webmail;
    }

    /** {@code facteur dns-records DOMAIN}: MX, SPF, DKIM (key generated on first use) and DMARC lines. */
    public List<String> dnsRecords(String domain) throws IOException {
        return DnsRecords.forDomain(domain, hostname.get(), config.get().dkim().selector(), dkimKeys);
    }

    public String hostname() {
        return hostname.get();
    }

    @Override
    public synchronized void close() {
        for (TcpServer server : listeners.values()) {
            server.close();
        }
        listeners.clear();
        queue.close();
    }

    /**
     * The host name the server greets with: {@code smtp.hostname}, or the machine's name when it is empty. Public
     * so the app gives the same name to the filter chain's HELO check.
     */
    public static Supplier<String> hostname(Supplier<SmtpConfig> config) {
        return () -> MachineName.unless(config.get().hostname());
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
