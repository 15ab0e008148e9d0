package org.facteur.smtp.session;

import java.util.ArrayList;
import java.util.List;

/**
 * The EHLO keywords, in the order advertised: the one list both the EHLO reply and the commands consult, so
 * what is offered and what is accepted cannot drift apart.
 */
public enum Capability {
    PIPELINING,          // RFC 2920
    SIZE,                // RFC 1870
    EIGHTBITMIME,        // RFC 6152
    SMTPUTF8,            // RFC 6531
    ENHANCEDSTATUSCODES, // RFC 2034
    CHUNKING,            // RFC 3030
    BINARYMIME,          // RFC 3030
    DSN,                 // RFC 3461
    STARTTLS,            // RFC 3207
    AUTH;                // RFC 4954

    /** The EHLO lines for this session; STARTTLS only before TLS, AUTH only after it and before login. */
    public static List<String> advertised(SmtpSession session) {
        List<String> lines = new ArrayList<>();
        for (Capability c : values()) {
            switch (c) {
                case SIZE -> lines.add("SIZE " + session.config().limits().maxMessageSize().bytes());
                case EIGHTBITMIME -> lines.add("8BITMIME");
                case STARTTLS -> {
                    if (session.canStartTls()) {
                        lines.add("STARTTLS");
                    }
                }
                case AUTH -> {
                    List<String> mechanisms = session.authMechanisms();
                    if (!mechanisms.isEmpty() && !session.isAuthenticated()) {
                        lines.add("AUTH " + String.join(" ", mechanisms));
                    }
                }
                default -> lines.add(c.name());
            }
        }
        return lines;
    }
}
