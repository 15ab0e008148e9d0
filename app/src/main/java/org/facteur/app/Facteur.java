package org.facteur.app;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.facteur.auth.AccountQuota;
import org.facteur.auth.DirectoryException;
import org.facteur.auth.H2Directory;
import org.facteur.auth.Recipient;
import org.facteur.auth.sasl.SaslAuthenticator;
import org.facteur.config.ConfigException;
import org.facteur.config.ConfigProblem;
import org.facteur.config.LiveConfig;
import org.facteur.filters.Filters;
import org.facteur.filters.policy.AccountSpamSettings;
import org.facteur.imap.ImapServer;
import org.facteur.net.TlsContextProvider;
import org.facteur.net.TlsContexts;
import org.facteur.net.TlsMode;
import org.facteur.pop3.Pop3Server;
import org.facteur.smtp.SmtpServer;
import org.facteur.smtp.WebmailSubmission;
import org.facteur.smtp.session.ListenerKind;
import org.facteur.storage.MailStore;
import org.facteur.storage.QuotaLimits;
import org.facteur.storage.maildir.MaildirStore;
import org.facteur.webmail.MailSubmitter;
import org.facteur.webmail.WebmailServer;
import org.facteur.webmail.contacts.ContactBook;
import org.facteur.webmail.settings.SettingsServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the parts are put together: from the configuration it builds the TLS context, the
 * directory, the store, the filter chain and the protocol servers, starts them, and stops them in reverse order.
 * Everything reads its section through the live configuration, so a reload (file change or {@code facteur
 * reload}) applies without dropping connections; listener addresses and ports need a restart.
 */
public final class Facteur implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Facteur.class);

    private final LiveConfig<FacteurConfig> config;
    private final DataLayout layout;
    private final TlsContextProvider tls;
    /** Started parts, closed in reverse order. */
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private volatile Filters filters;

    private Facteur(LiveConfig<FacteurConfig> config, DataLayout layout, TlsContextProvider tls) {
        this.config = config;
        this.layout = layout;
        this.tls = tls;
    }

    /**
     * Starts everything the configuration at {@code location} describes. Nothing is left running if any part
     * fails to start.
     */
    public static Facteur start(ConfigLocation location) throws Exception {
        LiveConfig<FacteurConfig> live = LiveConfig.start(location.file().toString(), location::load);
        FacteurConfig initial = live.get();
        DataLayout layout = location.layout(initial);
        Facteur facteur = new Facteur(live, layout, loadTls(initial, layout));
        try {
            facteur.startParts();
            live.onChange(facteur::applied);
            live.watch(location.file());
            facteur.parts.add(live);
            facteur.parts.add(ReloadControl.serve(layout, facteur::reload));
        } catch (Exception | Error e) {
            facteur.close();
            throw e;
        }
        return facteur;
    }

    /**
     * Builds and starts every part, bottom up: directory and authenticator, mail store, filters, then the
     * protocol servers. Each part is registered for closing as soon as it exists.
     */
    private void startParts() throws Exception {
        FacteurConfig c = config.get();
        H2Directory directory = H2Directory.openInDataDirectory(layout.database(), config.section(FacteurConfig::auth));
        parts.add(directory);
        SaslAuthenticator authenticator = new SaslAuthenticator(directory, directory, config.section(FacteurConfig::auth));
        // The store reads its configuration once: its folders and index cannot move under a running server.
        MaildirStore store = new MaildirStore(c.storage());
        parts.add(store);
        // Each account's own quota lives with the account, in the directory (`facteur user quota`).
        store.setQuotaLimits(account -> {
            try {
                AccountQuota q = directory.quota(account);
                return new QuotaLimits(q.bytes(), q.messages());
            } catch (DirectoryException e) {
                throw new java.io.IOException("cannot read the quota of " + account + ": " + e.getMessage(), e);
            }
        });
        // The chain owns the relay and HELO policies; SMTP's host name is one of the names a stranger may not claim.
        Filters filters = Filters.builder(config.section(FacteurConfig::filters))
                .directory(directory)
                .accountSettings(AccountSpamSettings.from(directory.settings()))
                .serverName(SmtpServer.hostname(config.section(FacteurConfig::smtp)))
                .dataDir(layout.root())
                .releaser((reversePath, recipients, message) -> deliverReleased(directory, store, recipients, message))
                .build();
        parts.add(filters);
        this.filters = filters;
        // Moving mail into or out of Junk (IMAP MOVE/COPY, the webmail's Spam / Not spam buttons, which move
        // through the store too) trains the account's Bayes database; training failures never undo the move.
        store.addReclassificationListener(filters.trainer().reclassificationListener(store));

        SmtpServer smtp = new SmtpServer(config.section(FacteurConfig::smtp), tls, directory, authenticator, store,
                filters.chain(), layout.spool());
        parts.add(smtp);
        smtp.autoReplies(directory.settings());
        smtp.start();
        String smtpAddress = c.smtp().listeners().address();
        endpoint("smtp", smtpAddress, smtp.port(ListenerKind.MTA), TlsMode.STARTTLS);
        endpoint("submission", smtpAddress, smtp.port(ListenerKind.SUBMISSION), TlsMode.STARTTLS);
        endpoint("submissions", smtpAddress, smtp.port(ListenerKind.SUBMISSIONS), TlsMode.IMPLICIT);

        ImapServer imap = new ImapServer(config.section(FacteurConfig::imap), tls, authenticator, store);
        parts.add(imap);
        imap.start();
        endpoint("imap", c.imap().address(), imap.port(TlsMode.STARTTLS), TlsMode.STARTTLS);
        endpoint("imaps", c.imap().address(), imap.port(TlsMode.IMPLICIT), TlsMode.IMPLICIT);

        Pop3Server pop3 = new Pop3Server(config.section(FacteurConfig::pop3), tls, authenticator, store);
        parts.add(pop3);
        pop3.start();
        pop3.ports().forEach((name, port) -> endpoint(name, c.pop3().address(), port,
                name.equals(Pop3Server.TLS_LISTENER) ? TlsMode.IMPLICIT : TlsMode.STARTTLS));

        if (c.webmail().enabled()) {
            ContactBook contacts = ContactBook.open(layout.database().resolve(ContactBook.FILE_NAME));
            parts.add(contacts);
            WebmailServer webmail = new WebmailServer(config.section(FacteurConfig::webmail), tls, authenticator,
                    directory, store, submitter(smtp.webmail()), contacts);
            webmail.settings(new SettingsServices(directory.settings(), directory.settings(), filters.senderLists(),
                    c.filters().effectiveAuthservId()));
            parts.add(webmail);
            webmail.start();
            endpoint("https", c.webmail().address(), webmail.port(), TlsMode.IMPLICIT);
        }
        log.info("Facteur started for {} with data in {}", c.server().hostname(), layout.root());
    }

    private void endpoint(String name, String address, int port, TlsMode mode) {
        if (port > 0) {
            endpoints.add(new Endpoint(name, address, port, mode));
        }
    }

    /** The webmail sends through SMTP submission's policy (sender checks, filters, queue), without a socket. */
    private static MailSubmitter submitter(WebmailSubmission submission) {
        return (account, message, recipients) -> {
            try {
                submission.submit(account, message, recipients);
            } catch (WebmailSubmission.SubmissionException e) {
                throw new MailSubmitter.RejectedException(e.reply().code() + " " + String.join(" ", e.reply().lines()));
            }
        };
    }

    /** Delivers a message released from quarantine to the INBOX of each local recipient. */
    public static void deliverReleased(H2Directory directory, MailStore store, List<String> recipients,
                                java.io.InputStream message) throws IOException {
        byte[] content = message.readAllBytes();
        for (String recipient : recipients) {
            if (directory.resolve(recipient) instanceof Recipient.Local local) {
                for (String account : local.accounts()) {
                    store.deliver(account, "INBOX", new java.io.ByteArrayInputStream(content), java.util.Set.of());
                }
            } else {
                log.warn("released message not delivered to {}: not a local mailbox", recipient);
            }
        }
    }

    /** What listens where, in start order. */
    public List<Endpoint> endpoints() {
        return Collections.unmodifiableList(endpoints);
    }

    /** The filters' shared services (quarantine, Bayes, trainer) of this running server. */
    public Filters filters() {
        return filters;
    }

    public FacteurConfig config() {
        return config.get();
    }

    public TlsContextProvider tls() {
        return tls;
    }

    public DataLayout layout() {
        return layout;
    }

    /**
     * Re-reads the configuration file and the certificate files (which {@code facteur cert renew} or certbot may
     * have replaced). Returns the outcome as a sentence for the admin.
     */
    public String reload() {
        LiveConfig.Outcome outcome = config.reload();
        String certificate;
        try {
            reloadTls(config.get());
            certificate = "certificate reloaded";
        } catch (IOException | GeneralSecurityException e) {
            log.error("the certificate files could not be read; the previous certificate stays in use", e);
            certificate = "certificate NOT reloaded (" + e.getMessage() + "), the previous one stays in use";
        }
        return switch (outcome) {
            case LiveConfig.Outcome.Applied a -> "configuration applied; " + certificate;
            case LiveConfig.Outcome.Unchanged u -> "configuration unchanged; " + certificate;
            case LiveConfig.Outcome.Refused r -> "configuration REFUSED, the running one stays in force:\n"
                    + String.join("\n", r.problems().stream().map(ConfigProblem::toString).toList());
        };
    }

    private void applied(FacteurConfig old, FacteurConfig now) {
        if (!Objects.equals(PortPolicy.ports(old), PortPolicy.ports(now))
                || !Objects.equals(old.server().dataDir(), now.server().dataDir())) {
            log.warn("listener ports or the data folder changed in the configuration: restart Facteur to apply them");
        }
        if (!old.tls().equals(now.tls())) {
            try {
                reloadTls(now);
            } catch (IOException | GeneralSecurityException e) {
                log.error("the new TLS files could not be read; the previous certificate stays in use", e);
            }
        }
    }

    private void reloadTls(FacteurConfig now) throws IOException, GeneralSecurityException {
        TlsContextProvider fresh = loadTls(now, layout);
        Path clientCa = layout.clientCa(now.tls());
        tls.replace(fresh.context(), clientCa != null);
    }

    static TlsContextProvider loadTls(FacteurConfig config, DataLayout layout)
            throws IOException, GeneralSecurityException {
        return TlsContexts.fromPem(layout.certificate(config.tls()), layout.privateKey(config.tls()),
                layout.clientCa(config.tls()));
    }

    /** Reads {@code location} and reports every problem, as {@code facteur check-config} does. */
    public static List<ConfigProblem> check(ConfigLocation location) {
        try {
            location.load();
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                log.warn("stopping {} failed", parts.get(i), e);
            }
        }
        parts.clear();
        log.info("Facteur stopped");
    }
}
