package org.facteur.smtp;

import java.time.Duration;
import java.util.List;

import org.facteur.config.DataSize;
import org.facteur.config.Default;
import org.facteur.config.Doc;
import org.facteur.net.ClientAuth;
import org.facteur.net.ConnectionLimits;

/**
 * Everything the SMTP server reads from the configuration. Trusted (relay) networks are not here: they belong to
 * the filter chain ({@code filters.trusted-networks}), whose RelayFilter and HELO check are the only readers. Read per connection and per command through a
 * supplier, so a reload applies to the next command.
 */
@Doc("SMTP: the MTA on port 25, submission on 587 (STARTTLS) and 465 (implicit TLS), and the outbound queue.")
public record SmtpConfig(
        @Doc("Host name used in the greeting, EHLO reply, Received headers and outbound EHLO; empty means the machine's name.")
        @Default("") String hostname,
        @Doc("Text after the host name in the 220 greeting.") @Default("Facteur ESMTP") String greeting,
        Listeners listeners,
        Limits limits,
        ConnectionLimits connections,
        @Doc("Accounts that may send as any address (a list manager, a ticket system); everyone else only as their own addresses.")
        List<String> senderExceptions,
        Queue queue,
        Smarthost smarthost,
        Dkim dkim,
        AutoReply autoReply) {

    /** The three listeners; a port of -1 turns one off, 0 picks a free port (tests). */
    public record Listeners(
            @Doc("Address the SMTP listeners bind.") @Default("0.0.0.0") String address,
            @Doc("MTA port (plain with STARTTLS offered), RFC 5321. -1 disables it.") @Default("25") int mtaPort,
            @Doc("Submission port with STARTTLS required before AUTH and MAIL, RFC 6409. -1 disables it.") @Default("587") int submissionPort,
            @Doc("Submission port with implicit TLS, RFC 8314. -1 disables it.") @Default("465") int submissionsPort,
            @Doc("Ask submission clients for a TLS certificate (SASL EXTERNAL): none, want or need.") @Default("want") ClientAuth clientAuth) {
    }

    public record Limits(
            @Doc("Largest message accepted, advertised in EHLO SIZE (RFC 1870).") @Default("50MB") DataSize maxMessageSize,
            @Doc("Recipients per message (RFC 5321 §4.5.3.1.8 asks for at least 100).") @Default("100") int maxRecipients,
            @Doc("Messages per connection before the server asks the client to reconnect (421).") @Default("100") int maxMessagesPerSession,
            @Doc("Commands other than MAIL, RCPT, DATA and BDAT allowed in a row (NOOP, RSET, VRFY floods).") @Default("50") int maxCommandsWithoutMail,
            @Doc("Protocol errors before the server closes the connection with 421.") @Default("10") int maxErrors,
            @Doc("Longest command line in bytes. RFC 5321 §4.5.3.1.4 asks for 512; RFC 4954 §4 needs 12288 for AUTH.") @Default("16KB") DataSize maxCommandLength,
            @Doc("Longest line inside a message in bytes. RFC 5321 §4.5.3.1.6 says 1000, but real mail is often longer.") @Default("1MB") DataSize maxDataLineLength,
            @Doc("Time allowed for a whole DATA or BDAT transfer.") @Default("10m") Duration dataTimeout,
            @Doc("Messages one authenticated account may start per hour (submission and webmail; a compromised password's blast radius). 0 turns it off.")
            @Default("500") int maxMessagesPerAccountPerHour) {
    }

    public record Queue(
            @Doc("Waits between delivery attempts; the last one repeats until the message expires.")
            @Default("[1m, 5m, 15m, 30m, 1h, 2h, 4h]") List<Duration> retrySchedule,
            @Doc("How long a message is retried before it bounces (RFC 5321 §4.5.4.1 suggests 4-5 days).") @Default("5d") Duration maxAge,
            @Doc("Send a delay notice (DSN action=delayed) once a message has waited this long.") @Default("4h") Duration delayNotice,
            @Doc("Connections at once to one destination domain.") @Default("4") int perDomainConcurrency,
            @Doc("Outbound deliveries running at once.") @Default("20") int totalConcurrency,
            @Doc("DNS servers for MX lookups (host or host:port); empty uses the system resolver.") List<String> dnsServers,
            @Doc("TCP port of remote MX servers (25; tests point it at a loopback server).") @Default("25") int remotePort,
            @Doc("Time allowed to connect to a remote server.") @Default("30s") Duration connectTimeout,
            @Doc("Time allowed for each reply of a remote server (RFC 5321 §4.5.3.2 asks for minutes).") @Default("5m") Duration commandTimeout,
            @Doc("How often the queue looks for due messages.") @Default("5s") Duration scanInterval) {
    }

    public record Smarthost(
            @Doc("Relay host that replaces MX delivery; empty delivers directly.") @Default("") String host,
            @Doc("Port of the relay host.") @Default("587") int port,
            @Doc("TLS to the relay host: starttls (required), implicit or plain.") @Default("starttls") SmarthostTls tls,
            @Doc("User name for AUTH PLAIN at the relay host; empty for none.") @Default("") String username,
            @Doc("Password for AUTH PLAIN at the relay host.") @Default("") String password) {

        public boolean enabled() {
            return !host.isBlank();
        }
    }

    public enum SmarthostTls { STARTTLS, IMPLICIT, PLAIN }

    public record Dkim(
            @Doc("Sign outbound mail of our domains with DKIM (RFC 6376).") @Default("true") boolean enabled,
            @Doc("DKIM selector; the key is published at SELECTOR._domainkey.DOMAIN.") @Default("facteur") String selector) {
    }

    /** Users' vacation auto-replies (set in the webmail), sent at local delivery (RFC 3834, RFC 5230 semantics). */
    public record AutoReply(
            @Doc("Send the auto-replies users switch on; false sends none, whatever users set.") @Default("true") boolean enabled,
            @Doc("At most one auto-reply per sender in this period (RFC 5230 §4.1 :days, 7 by default).") @Default("7d") Duration period) {
    }
}
