package org.facteur.imap;

import java.time.Duration;
import org.facteur.config.DataSize;
import org.facteur.config.Default;
import org.facteur.config.Doc;
import org.facteur.net.ClientAuth;
import org.facteur.net.ConnectionLimits;

/**
 * The IMAP server's settings. Read once per connection (listeners: at start), so a reload applies to the next
 * session. Every protocol limit lives here and nowhere else; the parser and the commands read it from the session.
 */
@Doc("IMAP4rev2 / IMAP4rev1 server (RFC 9051, RFC 3501).")
public record ImapConfig(
        @Doc("Address the IMAP listeners bind to.") @Default("0.0.0.0") String address,
        @Doc("Port of the cleartext listener that requires STARTTLS before login (RFC 9051 §6.2.1); -1 disables it, 0 picks a free port.")
        @Default("143") int starttlsPort,
        @Doc("Port of the implicit-TLS listener, IMAPS (RFC 8314 §3.3 prefers it); -1 disables it, 0 picks a free port.")
        @Default("993") int implicitTlsPort,
        @Doc("Ask clients for a TLS certificate (for AUTHENTICATE EXTERNAL): none, want or need.")
        @Default("want") ClientAuth clientAuth,
        @Doc("Host name announced in the greeting and given to SASL (CRAM-MD5 challenges); empty means the machine's name.")
        @Default("") String hostname,
        @Doc("Connection counts and the idle time allowed before login; IMAP uses maxLineLength below instead of this record's line limit.")
        ConnectionLimits connections,
        @Doc("Longest command line in bytes, literals excluded (RFC 7162 §4 asks for at least 8192; long UID sets and ID need more). A longer line ends the session with BYE [TOOBIG].")
        @Default("64KB") DataSize maxLineLength,
        @Doc("Largest literal in a command other than APPEND, in bytes; larger ones get NO [TOOBIG] (RFC 9051 §7.1).")
        @Default("64KB") DataSize maxLiteralSize,
        @Doc("Largest message APPEND accepts (RFC 7889 APPENDLIMIT); larger ones get NO [TOOBIG].")
        @Default("50MB") DataSize appendLimit,
        @Doc("Most elements (numbers and ranges) in one sequence set; more gets BAD [LIMIT].")
        @Default("20000") int maxSequenceSetElements,
        @Doc("Deepest nesting of parenthesised lists in a command (SEARCH, FETCH); deeper gets BAD [LIMIT].")
        @Default("32") int maxNesting,
        @Doc("Autologout timer after login: an idle or IDLE session is closed after this long (RFC 9051 §5.4: at least 30 minutes).")
        @Default("30m") Duration idleTimeout,
        @Doc("Failed LOGIN/AUTHENTICATE attempts on one connection before it is closed with BYE.")
        @Default("3") int maxAuthFailures,
        @Doc("Offer COMPRESS=DEFLATE (RFC 4978).")
        @Default("true") boolean compression) {

    public ImapConfig {
        if (maxSequenceSetElements < 1 || maxNesting < 1 || maxAuthFailures < 1) {
            throw new IllegalArgumentException("IMAP limits must be at least 1");
        }
    }
}
