package org.facteur.webmail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.facteur.auth.testing.TestDirectory;
import org.facteur.config.ConfigDefaults;
import org.facteur.filters.policy.SenderLists;
import org.facteur.filters.store.FilterDatabase;
import org.facteur.net.ClientAuth;
import org.facteur.net.TlsContextProvider;
import org.facteur.net.testing.TestPki;
import org.facteur.storage.maildir.MaildirStore;
import org.facteur.storage.testing.TestStore;
import org.facteur.webmail.contacts.ContactBook;
import org.facteur.webmail.settings.SettingsServices;

/** A real webmail over HTTPS on loopback, with the auth fixture's directory and a real maildir store. */
public final class WebmailFixture implements AutoCloseable {

    /** The authserv-id the test messages' trusted Authentication-Results carry (RFC 8601 §2.5). */
    public static final String AUTHSERV_ID = "mx.example.test";

    public final TestDirectory auth;
    public final MaildirStore store;
    public final WebmailServer server;
    public final ContactBook contacts;

    private WebmailFixture(Path dir, UnaryOperator<WebmailConfig> tweak, TlsContextProvider tls) throws Exception {
        auth = TestDirectory.create(dir.resolve("auth"));
        contacts = ContactBook.open(dir.resolve(ContactBook.FILE_NAME));
        store = TestStore.create(dir.resolve("store"));
        WebmailConfig d = ConfigDefaults.of(WebmailConfig.class).onLoopback();
        WebmailConfig config = tweak.apply(new WebmailConfig(d.enabled(), d.address(), d.port(), ClientAuth.NONE,
                "localhost", d.sessionIdleTimeout(), d.productionMode(), d.maxUploadSize(), d.maxDisplaySize(),
                d.pageSize(), d.hstsMaxAge(), d.maxThreads(), d.contacts()));
        server = new WebmailServer(() -> config, tls, auth.authenticator(), auth.directory(),
                store, new LocalSubmitter(auth.directory(), store), contacts);
        server.settings(new SettingsServices(auth.directory().settings(), auth.directory().settings(),
                new SenderLists(FilterDatabase.inMemory("webmail-" + System.identityHashCode(this))), AUTHSERV_ID));
        server.start();
    }

    public static WebmailFixture start(Path dir) throws Exception {
        return start(dir, c -> c);
    }

    public static WebmailFixture start(Path dir, UnaryOperator<WebmailConfig> tweak) throws Exception {
        return new WebmailFixture(dir, tweak, TestPki.shared().serverTls());
    }

    /** With the server's TLS given: its certificate and the CAs whose client certificates it accepts. */
    public static WebmailFixture start(Path dir, UnaryOperator<WebmailConfig> tweak, TlsContextProvider tls) throws Exception {
        return new WebmailFixture(dir, tweak, tls);
    }

    /** Puts {@code message} in {@code folder} of {@code account} as an IMAP APPEND would, no flags. */
    public void append(String account, String folder, byte[] message) throws IOException {
        store.account(account).append(folder, new java.io.ByteArrayInputStream(message), java.util.Set.of(), null);
    }

    public String url(String path) {
        return "https://localhost:" + server.port() + path;
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            try {
                store.close();
            } finally {
                try {
                    auth.close();
                } finally {
                    contacts.close();
                }
            }
        }
    }
}
