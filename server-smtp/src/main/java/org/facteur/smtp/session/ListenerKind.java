package org.facteur.smtp.session;

import org.facteur.filters.EntryPoint;

/** Which SMTP service a listener provides; policy differs, the protocol code is the same. */
public enum ListenerKind {
    /** Port 25: mail from the internet; STARTTLS offered, never required (RFC 3207 §4). */
    MTA(EntryPoint.MTA, false),
    /** Port 587: our users; TLS required before AUTH and MAIL (RFC 6409, RFC 8314 §3.3). */
    SUBMISSION(EntryPoint.SUBMISSION, true),
    /** Port 465: our users over implicit TLS (RFC 8314 §3.3). */
    SUBMISSIONS(EntryPoint.SUBMISSION, true);

    private final EntryPoint entryPoint;
    private final boolean authRequired;

    ListenerKind(EntryPoint entryPoint, boolean authRequired) {
        this.entryPoint = entryPoint;
        this.authRequired = authRequired;
    }

    public EntryPoint entryPoint() {
        return entryPoint;
    }

    /** Whether MAIL needs an authenticated session (530 5.7.0 otherwise). */
    public boolean authRequired() {
        return authRequired;
    }
}
