package org.facteur.webmail;

import java.time.Duration;
import org.facteur.config.DataSize;
import org.facteur.config.Default;
import org.facteur.config.Doc;
import org.facteur.net.ClientAuth;
import org.facteur.webmail.contacts.ContactsConfig;

/**
 * The webmail's settings. It always speaks HTTPS (implicit TLS, RFC 8314 spirit): there is no cleartext mode,
 * since session cookies and passwords cross this listener.
 */
@Doc("The webmail: Vaadin on embedded Jetty, HTTPS only.")
public record WebmailConfig(
        @Doc("Whether the webmail listener is started.") @Default("true") boolean enabled,
        @Doc("Address to bind; 0.0.0.0 or :: for all interfaces.") @Default("0.0.0.0") String address,
        @Doc("HTTPS port (implicit TLS). 0 picks a free port (tests).") @Default("443") int port,
        @Doc("Ask browsers for a TLS client certificate for certificate login: none, want or need.")
        @Default("want") ClientAuth clientAuth,
        @Doc("Host name shown on the login page, given to the authenticator and used in Message-IDs; empty means server.hostname.") @Default("") String hostname,
        @Doc("A session with no user activity for this long is closed (heartbeats do not count).")
        @Default("30m") Duration sessionIdleTimeout,
        @Doc("Vaadin production mode (prebuilt bundle). Off only for development, with vaadin-dev on the class path.")
        @Default("true") boolean productionMode,
        @Doc("Largest total size of the attachments of one message written in the webmail.")
        @Default("25MB") DataSize maxUploadSize,
        @Doc("Largest message the reader parses and shows; bigger ones are offered as a download only.")
        @Default("50MB") DataSize maxDisplaySize,
        @Doc("Rows fetched from the index per page of the message list.") @Default("100") int pageSize,
        @Doc("Seconds a browser may cache that this site is HTTPS only (HSTS, RFC 6797); 0 sends no header.")
        @Default("31536000") long hstsMaxAge,
        @Doc("Worker threads of the web server.") @Default("64") int maxThreads,
        @Doc("Address book limits.") ContactsConfig contacts) {

    public WebmailConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
        if (pageSize < 10 || pageSize > 1000) {
            throw new IllegalArgumentException("pageSize must be between 10 and 1000");
        }
        if (sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
            throw new IllegalArgumentException("sessionIdleTimeout must be positive");
        }
    }

    /** A copy listening on loopback with an ephemeral port, for tests. */
    public WebmailConfig onLoopback() {
        return new WebmailConfig(enabled, "127.0.0.1", 0, clientAuth, hostname, sessionIdleTimeout, productionMode,
                maxUploadSize, maxDisplaySize, pageSize, hstsMaxAge, maxThreads, contacts);
    }
}
