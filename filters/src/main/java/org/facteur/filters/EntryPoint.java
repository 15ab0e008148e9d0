package org.facteur.filters;

/** How a message came in; filters may treat them apart (no DNSBL on submission, say). */
public enum EntryPoint {
    /** Port 25, from the internet. */
    MTA,
    /** Ports 587 and 465, from our own authenticated users. */
    SUBMISSION,
    /** The webmail's send button. */
    WEBMAIL
}
