package org.facteur.webmail.contacts;

import java.util.List;

/**
 * One address-book entry: a name, its e-mail addresses (first is preferred), a phone number and a note.
 *
 * @param id the book's row id; 0 for a contact not stored yet (an import, a new entry)
 */
public record Contact(long id, String name, List<String> emails, String phone, String note) {

    public Contact {
        name = name == null ? "" : name.strip();
        emails = emails == null ? List.of() : emails.stream().map(String::strip).filter(e -> !e.isEmpty()).toList();
        phone = phone == null ? "" : phone.strip();
        note = note == null ? "" : note;
    }

    public Contact withId(long newId) {
        return new Contact(newId, name, emails, phone, note);
    }

    /** What the list and the address suggestions show: the name, or the first address when there is none. */
    public String label() {
        return !name.isEmpty() ? name : emails.isEmpty() ? phone : emails.getFirst();
    }
}
