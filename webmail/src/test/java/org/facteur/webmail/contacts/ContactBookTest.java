package org.facteur.webmail.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The address book in a real H2 file: durable, per account, limited, and ranking suggestions by use. */
class ContactBookTest {

    static final String ALICE = "alice@example.test";
    static final String BOB = "bob@example.test";

    @TempDir
    Path dir;

    static Contact contact(String name, String... emails) {
        return new Contact(0, name, List.of(emails), "", "");
    }

    @Test
    void contactsOutliveTheProcessAndEditsReplaceThem() throws Exception {
        Contact saved;
        try (ContactBook book = ContactBook.open(dir.resolve("webmail"))) {
            saved = book.save(ALICE, List.of(new Contact(0, "Jean Dupont", List.of("jean@a.example", "jd@b.example"),
                    "+33 1", "met at FOSDEM")), 100).getFirst();
            assertThat(saved.id()).isPositive();
        }
        try (ContactBook book = ContactBook.open(dir.resolve("webmail"))) {
            assertThat(book.list(ALICE)).containsExactly(saved);
            Contact edited = new Contact(saved.id(), "Jean D.", List.of("jd@b.example"), "", "");
            book.save(ALICE, List.of(edited), 100);
            assertThat(book.list(ALICE)).containsExactly(edited);
            book.delete(ALICE, List.of(saved.id()));
            assertThat(book.list(ALICE)).isEmpty();
        }
    }

    @Test
    void anotherUserNeverSeesNorChangesThem() throws Exception {
        try (ContactBook book = ContactBook.open(dir.resolve("webmail"))) {
            Contact alices = book.save(ALICE, List.of(contact("Secret Friend", "friend@hidden.example")), 100).getFirst();
            book.recordSent(ALICE, List.of("partner@hidden.example"));
            assertThat(book.list(BOB)).isEmpty();
            assertThat(book.suggest(BOB, "hidden", 10)).isEmpty();
            assertThat(book.suggest(BOB, "friend", 10)).isEmpty();
            // Bob naming Alice's contact id changes nothing of hers.
            assertThatThrownBy(() -> book.save(BOB, List.of(new Contact(alices.id(), "Mine", List.of("x@y.example"), "", "")), 100))
                    .isInstanceOf(ContactBook.ContactException.class).hasMessageContaining("no such contact");
            book.delete(BOB, List.of(alices.id()));
            assertThat(book.list(ALICE)).containsExactly(alices);
        }
    }

    @Test
    void theBookIsLimitedAndAnImportIsAllOrNothing() throws Exception {
        try (ContactBook book = ContactBook.open(dir.resolve("webmail"))) {
            book.save(ALICE, List.of(contact("A", "a@x.example"), contact("B", "b@x.example")), 3);
            assertThatThrownBy(() -> book.save(ALICE, List.of(contact("C", "c@x.example"), contact("D", "d@x.example")), 3))
                    .hasMessageContaining("at most 3 contacts");
            assertThatThrownBy(() -> book.save(ALICE, List.of(contact("E", "e@x.example"), contact("F", "not-an-address")), 10))
                    .hasMessageContaining("not an e-mail address");
            assertThatThrownBy(() -> book.save(ALICE, List.of(contact("", new String[0])), 10))
                    .hasMessageContaining("needs a name or an address");
            assertThat(book.list(ALICE)).extracting(Contact::name).containsExactly("A", "B");
        }
    }

    @Test
    void suggestionsComeFromContactsAndCorrespondentsMostUsedFirst() throws Exception {
        try (ContactBook book = ContactBook.open(dir.resolve("webmail"))) {
            book.save(ALICE, List.of(contact("Marie Curie", "marie@lab.example"), contact("Marc Bloch", "marc@hist.example")), 10);
            book.recordSent(ALICE, List.of("Marc@Hist.example"));
            book.recordSent(ALICE, List.of("marc@hist.example", "mario@games.example"));
            book.recordSent(ALICE, List.of("mario@games.example", "mario@games.example"));
            List<ContactBook.Suggestion> mar = book.suggest(ALICE, "MAR", 10);
            assertThat(mar).extracting(ContactBook.Suggestion::address)
                    .containsExactly("marc@hist.example", "mario@games.example", "marie@lab.example");
            assertThat(mar).extracting(ContactBook.Suggestion::uses).containsExactly(2, 2, 0);
            assertThat(mar.getFirst().display()).isEqualTo("Marc Bloch <marc@hist.example>");
            assertThat(book.suggest(ALICE, "curie", 10)).extracting(ContactBook.Suggestion::address).containsExactly("marie@lab.example");
            assertThat(book.suggest(ALICE, "%", 10)).isEmpty(); // LIKE wildcards are literal
            assertThat(book.suggest(ALICE, "mar", 1)).hasSize(1);
            assertThat(new ContactBook.Suggestion("Dupont, Jean", "j@x.example", 0).display()).isEqualTo("\"Dupont, Jean\" <j@x.example>");
        }
    }
}
