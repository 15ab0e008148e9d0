package org.facteur.storage;

import java.util.Set;

/**
 * Message flags as IMAP names them (RFC 9051 §2.3.2). System flags start with a backslash; anything else is a
 * keyword. The storage maps system flags to maildir info letters and keywords to {@code dovecot-keywords}.
 */
public final class Flags {

    public static final String SEEN = "\\Seen";
    public static final String ANSWERED = "\\Answered";
    public static final String FLAGGED = "\\Flagged";
    public static final String DELETED = "\\Deleted";
    public static final String DRAFT = "\\Draft";
    /** IMAP4rev1 only; never stored in a file name, kept per session (RFC 3501 §2.3.2). */
    public static final String RECENT = "\\Recent";

    /** The system flags a client may set. */
    public static final Set<String> SYSTEM = Set.of(SEEN, ANSWERED, FLAGGED, DELETED, DRAFT);

    private Flags() {
    }

    public static boolean isSystem(String flag) {
        return flag.startsWith("\\");
    }
}
