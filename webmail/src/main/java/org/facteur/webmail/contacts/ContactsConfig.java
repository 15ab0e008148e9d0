package org.facteur.webmail.contacts;

import org.facteur.config.DataSize;
import org.facteur.config.Default;
import org.facteur.config.Doc;

/** Limits of each user's address book and of a vCard import. */
@Doc("Address book: limits per user and per vCard import.")
public record ContactsConfig(
        @Doc("Most contacts one account may keep.") @Default("5000") int maxContacts,
        @Doc("Largest vCard file accepted by an import.") @Default("2MB") DataSize maxImportSize,
        @Doc("Longest line of a vCard once unfolded (a PHOTO inlined in base64 is skipped, but still read).")
        @Default("256KB") DataSize maxLineLength,
        @Doc("Address suggestions shown while typing a recipient.") @Default("8") int suggestions) {

    public ContactsConfig {
        if (maxContacts < 1 || suggestions < 1) {
            throw new IllegalArgumentException("maxContacts and suggestions must be positive");
        }
    }

    /** The limits of one import: never more cards than the book may hold. */
    public VCard.Limits importLimits() {
        return new VCard.Limits(maxImportSize.bytes(), maxContacts, (int) Math.min(Integer.MAX_VALUE, maxLineLength.bytes()));
    }
}
