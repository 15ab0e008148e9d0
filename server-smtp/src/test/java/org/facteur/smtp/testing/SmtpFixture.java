package org.facteur.smtp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.facteur.auth.testing.TestDirectory;
import org.facteur.config.ConfigDefaults;
import org.facteur.filters.FilterChain;
import org.facteur.net.ClientAuth;
import org.facteur.net.testing.TestPki;
import org.facteur.smtp.SmtpConfig;
import org.facteur.smtp.SmtpServer;
import org.facteur.storage.MailStore;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.StorageConfig;
import org.facteur.storage.testing.TestStore;

/**
 * A running SmtpServer on loopback with ephemeral ports, over the real fixtures of the other modules: the
 * auth module's H2 directory (alice@example.test, bob@example.test, aliases) and the storage module's
 * maildir store. The configuration can be changed live, as a reload would.
 */
public final class SmtpFixture implements AutoCloseable {

    public static final String HOSTNAME = "mx.example.test";
    public static final String ALICE = TestDirectory.ALICE;
    public static final String BOB = TestDirectory.BOB;

    public final AtomicReference<SmtpConfig> config = new AtomicReference<>();
    public final TestDirectory auth;
    public final MailStore store;
    public final SmtpServer server;
    public final Path spool;
    public final Path mailRoot;

    public SmtpFixture(Path dir) throws IOException {
        this(dir, UnaryOperator.identity(), null, UnaryOperator.identity());
    }

    public SmtpFixture(Path dir, UnaryOperator<SmtpConfig> customize, FilterChain chain,
                       UnaryOperator<StorageConfig> storage) throws IOException {
        this(dir, customize, chain, storage, TestDirectory.create(dir.resolve("auth")), true);
    }

    /** A new server over the same directory and spool (a restart); the old one must be closed. */
    public SmtpFixture(Path dir, UnaryOperator<SmtpConfig> customize, FilterChain chain,
                       UnaryOperator<StorageConfig> storage, TestDirectory auth, boolean unused) throws IOException {
        config.set(customize.apply(defaults()));
        this.auth = auth;
        this.mailRoot = dir.resolve("mail").resolve("mail"); // StorageConfig.under(base) puts maildirs in base/mail
        this.store = TestStore.create(dir.resolve("mail"), storage);
        this.spool = dir.resolve("spool");
        this.server = new SmtpServer(config::get, TestPki.shared().serverTls(), auth.directory(), auth.authenticator(),
                store, chain, spool, TestPki.shared().clientContext(), java.time.Clock.systemUTC()).start();
    }

    public static SmtpConfig defaults() {
        SmtpConfig d = ConfigDefaults.of(SmtpConfig.class);
        return new SmtpConfig(HOSTNAME, d.greeting(), new SmtpConfig.Listeners("127.0.0.1", 0, 0, 0, ClientAuth.WANT),
                d.limits(), d.connections(), List.of(), d.queue(), d.smarthost(), d.dkim(), d.autoReply());
    }

    public static SmtpConfig withLimits(SmtpConfig c, SmtpConfig.Limits limits) {
        return new SmtpConfig(c.hostname(), c.greeting(), c.listeners(), limits, c.connections(),
                c.senderExceptions(), c.queue(), c.smarthost(), c.dkim(), c.autoReply());
    }

    public static SmtpConfig withQueue(SmtpConfig c, SmtpConfig.Queue queue) {
        return new SmtpConfig(c.hostname(), c.greeting(), c.listeners(), c.limits(), c.connections(),
                c.senderExceptions(), queue, c.smarthost(), c.dkim(), c.autoReply());
    }

    public SmtpWire mta() throws IOException {
        return SmtpWire.connect(server.mtaPort());
    }

    public SmtpWire submission() throws IOException {
        return SmtpWire.connect(server.submissionPort());
    }

    /** The messages of a mailbox as text, in UID order, read through the real store. */
    public List<String> messages(String account, String mailbox) throws IOException {
        List<String> result = new ArrayList<>();
        try (Mailbox box = store.account(account).open(mailbox, true, event -> { })) {
            for (MessageMeta meta : box.messages()) {
                try (InputStream in = box.open(meta.uid())) {
                    result.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return result;
    }

    public List<String> inbox(String account) throws IOException {
        return messages(account, "INBOX");
    }

    @Override
    public void close() {
        server.close();
        try {
            store.close();
        } catch (IOException ignored) {
            // test teardown
        }
    }

    /** Also closes the directory (end of the test). */
    public void closeAll() {
        close();
        auth.close();
    }
}
