package org.facteur.webmail.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.facteur.storage.AccountStore;
import org.facteur.storage.Flags;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.maildir.MaildirStore;
import org.facteur.storage.testing.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Undo on a real maildir store: exactly the messages an action changed go back, no others. */
class MailSessionUndoTest {

    static final String ALICE = "alice@example.test";

    @TempDir
    Path dir;
    MaildirStore store;
    AccountStore account;
    MailSession mail;

    @BeforeEach
    void open() throws Exception {
        store = TestStore.create(dir);
        account = store.account(ALICE);
        for (int i = 1; i <= 4; i++) {
            account.append("INBOX", new ByteArrayInputStream(("Subject: m" + i + "\r\n\r\nbody " + i + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII)), i == 1 ? Set.of(Flags.SEEN) : Set.of(), null);
        }
        mail = new MailSession(ALICE, account, null, null, "localhost", null, 8);
        mail.open("INBOX");
    }

    @AfterEach
    void close() throws Exception {
        mail.close();
        store.close();
    }

    Set<Long> seen() throws Exception {
        return mail.current().messages().stream().filter(m -> m.flags().contains(Flags.SEEN))
                .map(MessageMeta::uid).collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void undoingMarkReadLeavesTheAlreadyReadMessageRead() throws Exception {
        Undo undo = mail.flag(List.of(1L, 2L, 3L), Flags.SEEN, true).orElseThrow();
        assertThat(undo.count()).isEqualTo(2);
        assertThat(seen()).containsExactlyInAnyOrder(1L, 2L, 3L);
        undo.revert(mail);
        assertThat(seen()).containsExactly(1L);
        assertThat(mail.flag(List.of(1L), Flags.SEEN, true)).isEmpty(); // nothing changed, nothing to undo
    }

    @Test
    void undoingADeleteBringsTheMessagesBackFromTrashEvenFromAnotherFolder() throws Exception {
        Undo undo = mail.delete(List.of(2L, 4L)).orElseThrow();
        assertThat(account.status("Trash").messages()).isEqualTo(2);
        assertThat(account.status("INBOX").messages()).isEqualTo(2);
        mail.open("Trash"); // the user looks elsewhere meanwhile
        undo.revert(mail);
        assertThat(account.status("Trash").messages()).isZero();
        assertThat(account.status("INBOX").messages()).isEqualTo(4);
        assertThat(mail.current().messages()).isEmpty();
    }

    @Test
    void undoingAMoveAndAnUnreadInAFolderNoLongerOpen() throws Exception {
        account.create("Work", java.util.Optional.empty());
        Undo moved = mail.move(List.of(1L, 3L), "Work").orElseThrow();
        assertThat(moved).isEqualTo(new Undo.Moved("INBOX", "Work", List.of(1L, 2L)));
        Undo unread = mail.flag(List.of(2L), Flags.SEEN, true).orElseThrow();
        mail.open("Work");
        unread.revert(mail);
        moved.revert(mail);
        mail.open("INBOX");
        assertThat(account.status("Work").messages()).isZero();
        assertThat(account.status("INBOX").messages()).isEqualTo(4);
        assertThat(seen()).hasSize(1); // message 1 came back read, 2 unread again
    }
}
