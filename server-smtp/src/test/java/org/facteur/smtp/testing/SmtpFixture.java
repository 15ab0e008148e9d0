package org.facteur.smtp.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.facteur.auth.Directory;
import org.facteur.auth.sasl.Authenticator;
import org.facteur.config.ConfigDefaults;
import org.facteur.filters.FilterChain;
import org.facteur.net.ClientAuth;
import org.facteur.net.testing.TestPki;
import org.facteur.smtp.SmtpConfig;
import org.facteur.smtp.SmtpServer;

/** A running SmtpServer on loopback with ephemeral ports, its store and a live-editable configuration. */
public final class SmtpFixture implements AutoCloseable {

    public static final String HOSTNAME = "mx.example.test";

    public final AtomicReference<SmtpConfig> config = new AtomicReference<>();
    public final TestMailStore store;
    public final Directory directory;
    public final SmtpServer server;
    public final Path spool;

    public SmtpFixture(Path dir) throws IOException {
        this(dir, UnaryOperator.identity(), null);
    }

    public SmtpFixture(Path dir, UnaryOperator<SmtpConfig> customize, FilterChain chain) throws IOException {
        this(dir, customize, chain, new TestDirectory(), new TestAuthenticator());
    }

    public SmtpFixture(Path dir, UnaryOperator<SmtpConfig> customize, FilterChain chain, Directory directory,
                       Authenticator authenticator) throws IOException {
        config.set(customize.apply(defaults()));
        this.store = new TestMailStore(dir.resolve("mail"));
        this.directory = directory;
        this.spool = dir.resolve("spool");
        this.server = new SmtpServer(config::get, TestPki.shared().serverTls(), directory, authenticator, store, chain,
                spool, TestPki.shared().clientContext(), java.time.Clock.systemUTC()).start();
    }

    public static SmtpConfig defaults() {
        SmtpConfig d = ConfigDefaults.of(SmtpConfig.class);
        return new SmtpConfig(HOSTNAME, d.greeting(), new SmtpConfig.Listeners("127.0.0.1", 0, 0, 0, ClientAuth.WANT),
                d.limits(), d.connections(), List.of(), List.of(), d.queue(), d.smarthost(), d.dkim());
    }

    public static SmtpConfig withLimits(SmtpConfig c, SmtpConfig.Limits limits) {
        return new SmtpConfig(c.hostname(), c.greeting(), c.listeners(), limits, c.connections(), c.trustedNetworks(),
                c.senderExceptions(), c.queue(), c.smarthost(), c.dkim());
    }

    public static SmtpConfig withQueue(SmtpConfig c, SmtpConfig.Queue queue) {
        return new SmtpConfig(c.hostname(), c.greeting(), c.listeners(), c.limits(), c.connections(), c.trustedNetworks(),
                c.senderExceptions(), queue, c.smarthost(), c.dkim());
    }

    public static SmtpConfig withTrusted(SmtpConfig c, List<String> trusted) {
        return new SmtpConfig(c.hostname(), c.greeting(), c.listeners(), c.limits(), c.connections(), trusted,
                c.senderExceptions(), c.queue(), c.smarthost(), c.dkim());
    }

    public SmtpWire mta() throws IOException {
        return SmtpWire.connect(server.mtaPort());
    }

    public SmtpWire submission() throws IOException {
        return SmtpWire.connect(server.submissionPort());
    }

    @Override
    public void close() {
        server.close();
    }
}
