package org.facteur.storage.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import org.facteur.storage.FlagChange;
import org.facteur.storage.Flags;
import org.facteur.storage.Mailbox;
import org.facteur.storage.SearchQuery;
import org.facteur.storage.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Searches answered from the mailbox's column store follow every change: flags, new mail, expunges. */
class SearchColumnsTest {

    static final String ACCOUNT = "columns@example.org";

    @TempDir
    Path tmp;

    private static byte[] dated(String subject, String date) {
        return ("From: a@example.org\r\nSubject: " + subject + "\r\nDate: " + date + "\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void answersFollowFlagChangesNewMessagesAndExpunges() throws Exception {
        try (MaildirStore store = TestStore.create(tmp)) {
            store.deliver(ACCOUNT, "INBOX", TestStore.stream(dated("old", "Mon, 2 Mar 2020 10:00:00 +0000")), Set.of());
            store.deliver(ACCOUNT, "INBOX", TestStore.stream(dated("new", "Mon, 2 Mar 2026 10:00:00 +0000")), Set.of());
            try (Mailbox box = store.account(ACCOUNT).open("INBOX", false, null)) {
                SearchQuery unseen = new SearchQuery.Not(new SearchQuery.HasFlag(Flags.SEEN));
                SearchQuery sentSince = new SearchQuery.Since(LocalDate.of(2025, 1, 1), true);
                SearchQuery sentBefore = new SearchQuery.Before(LocalDate.of(2025, 1, 1), true);
                assertThat(box.search(unseen, List.of())).containsExactly(1L, 2L);
                assertThat(box.search(sentSince, List.of())).containsExactly(2L);
                assertThat(box.search(sentBefore, List.of())).containsExactly(1L);

                box.store(List.of(1L), FlagChange.ADD, Set.of(Flags.SEEN), -1);
                assertThat(box.search(unseen, List.of())).containsExactly(2L);
                assertThat(box.search(new SearchQuery.HasFlag("\\seen"), List.of())).containsExactly(1L);

                // a new message's Date is read for it alone; the others' are carried over
                store.deliver(ACCOUNT, "INBOX", TestStore.stream(dated("newer", "Tue, 3 Mar 2026 10:00:00 +0000")),
                        Set.of());
                assertThat(box.search(sentSince, List.of())).containsExactly(2L, 3L);
                assertThat(box.search(new SearchQuery.And(List.of(sentSince, unseen)), List.of()))
                        .containsExactly(2L, 3L);
                assertThat(box.search(new SearchQuery.Or(List.of(sentBefore, new SearchQuery.Uids(
                        List.<long[]>of(new long[] {3, Long.MAX_VALUE})))), List.of())).containsExactly(1L, 3L);

                box.expunge(List.of(2L));
                assertThat(box.search(sentSince, List.of())).containsExactly(3L);
                assertThat(box.search(new SearchQuery.Uids(List.<long[]>of(new long[] {10, Long.MAX_VALUE})),
                        List.of())).containsExactly(3L); // "10:*" is the highest UID (RFC 9051 §9)
            }
        }
    }
}
