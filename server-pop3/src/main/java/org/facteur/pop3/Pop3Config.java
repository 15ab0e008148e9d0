package org.facteur.pop3;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.facteur.config.Default;
import org.facteur.config.Doc;
import org.facteur.net.ClientAuth;
import org.facteur.net.ConnectionLimits;
import org.facteur.net.ListenerConfig;
import org.facteur.net.TlsMode;

/**
 * The POP3 server's configuration. Read per connection (and per command where it matters), so a reload
 * applies to new sessions at once.
 */
@Doc("POP3 (RFC 1939) for devices that download mail: POP3S on 995 and STLS on 110, beside IMAP on the same maildir.")
public record Pop3Config(
        @Doc("Serve POP3 at all.") @Default("true") boolean enabled,
        @Doc("Address both POP3 listeners bind; 0.0.0.0 or :: for all interfaces.") @Default("0.0.0.0") String address,
        @Doc("Port of the cleartext listener that clients upgrade with STLS (RFC 2595); -1 turns it off, 0 picks a free port.")
        @Default("110") int port,
        @Doc("Port of the POP3S listener, TLS from the first byte (RFC 8314); -1 turns it off, 0 picks a free port.")
        @Default("995") int tlsPort,
        @Doc("Ask POP3 clients for a TLS certificate (none, want or need); a certificate allows SASL EXTERNAL.")
        @Default("want") ClientAuth clientAuth,
        @Doc("Host name in the greeting and in SASL challenges (CRAM-MD5); empty means the machine's name.")
        @Default("") String hostname,
        @Doc("The folder POP3 serves as the maildrop.") @Default("INBOX") String folder,
        @Doc("Keep messages a POP3 client deletes: DELE then QUIT marks them \\Seen instead of removing them, "
                + "so devices cannot empty a mailbox that IMAP users still read.")
        @Default("false") boolean leaveOnServer,
        @Doc("Most messages a session lists (the newest ones); older ones appear once newer ones are deleted. 0 lists all.")
        @Default("10000") int maxMessages,
        @Doc("Protocol limits.") Pop3Limits limits,
        @Doc("Connection limits of both listeners.") ConnectionLimits connections) {

    public Pop3Config {
        checkPort("port", port);
        checkPort("tlsPort", tlsPort);
        if (maxMessages < 0) {
            throw new IllegalArgumentException("maxMessages cannot be negative (0 lists all)");
        }
        if (folder == null || folder.isBlank()) {
            throw new IllegalArgumentException("folder must name a mailbox, such as INBOX");
        }
    }

    private static void checkPort(String name, int port) {
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException(name + " " + port + " is outside -1 (off) to 65535");
        }
    }

    /** The listeners this configuration asks for: STLS first, then POP3S; those with port -1 are left out. */
    public List<ListenerConfig> listeners() {
        List<ListenerConfig> result = new ArrayList<>();
        if (port >= 0) {
            result.add(new ListenerConfig(address, port, TlsMode.STARTTLS, clientAuth));
        }
        if (tlsPort >= 0) {
            result.add(new ListenerConfig(address, tlsPort, TlsMode.IMPLICIT, clientAuth));
        }
        return List.copyOf(result);
    }

    /** Limits on what one POP3 client may send. */
    public record Pop3Limits(
            @Doc("Longest command line in octets, CRLF excluded (RFC 2449 §4: 255 including CRLF).")
            @Default("255") int commandLength,
            @Doc("Longest base64 line of a SASL exchange (RFC 5034 §4 lifts the command limit for them).")
            @Default("12288") int saslLineLength,
            @Doc("Failed logins on one connection before it is closed (RFC 1939 §13 lets a server disconnect).")
            @Default("3") int authFailures,
            @Doc("Unknown, malformed or out-of-state commands on one connection before it is closed.")
            @Default("20") int badCommands,
            @Doc("Close a session after this long without a command (RFC 1939 §3: at least 10 minutes).")
            @Default("10m") Duration idleTimeout) {

        public Pop3Limits {
            if (commandLength < 16 || saslLineLength < 16) {
                throw new IllegalArgumentException("line limits below 16 octets leave no room for commands");
            }
            if (authFailures < 1 || badCommands < 1) {
                throw new IllegalArgumentException("authFailures and badCommands must be at least 1");
            }
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive");
            }
        }
    }
}
