package org.facteur.net;

import java.time.Duration;
import org.facteur.config.Default;
import org.facteur.config.Doc;

/** Limits every listener enforces before any protocol code runs. */
public record ConnectionLimits(
        @Doc("Connections open at once on one listener.") @Default("1000") int maxConnections,
        @Doc("Connections open at once from one client IP address.") @Default("20") int maxConnectionsPerIp,
        @Doc("Close a connection after this long without input.") @Default("5m") Duration idleTimeout,
        @Doc("Longest command line accepted, in bytes (RFC 5321 §4.5.3.1.4 asks for at least 512; IMAP needs more).") @Default("8192") int maxLineLength,
        @Doc("Time allowed for a TLS handshake.") @Default("30s") Duration handshakeTimeout) {
}
