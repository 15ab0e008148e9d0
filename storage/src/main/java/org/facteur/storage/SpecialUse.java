package org.facteur.storage;

/** RFC 6154 special-use mailboxes; every account gets one of each on creation. */
public enum SpecialUse {
    DRAFTS("\\Drafts", "Drafts"),
    SENT("\\Sent", "Sent"),
    JUNK("\\Junk", "Junk"),
    TRASH("\\Trash", "Trash"),
    ARCHIVE("\\Archive", "Archive");

    private final String attribute;
    private final String defaultName;

    SpecialUse(String attribute, String defaultName) {
        this.attribute = attribute;
        this.defaultName = defaultName;
    }

    /** The LIST attribute, such as {@code \Junk}. */
    public String attribute() {
        return attribute;
    }

    /** The folder created for it on a new account. */
    public String defaultName() {
        return defaultName;
    }
}
