package org.facteur.webmail.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.facteur.storage.AccountStore;
import org.facteur.storage.MessageSummary;
import org.facteur.storage.ThreadSummary;
import org.facteur.storage.maildir.MaildirStore;
import org.facteur.storage.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The threaded list on a real store: conversations grouped in the index, newest first, paged. */
class ThreadedListTest {

    @TempDir
    Path dir;

    static byte[] message(String id, String inReplyTo, String references, String subject, int day) {
        return ("Message-ID: <" + id + ">\r\n" + (inReplyTo == null ? "" : "In-Reply-To: <" + inReplyTo + ">\r\n")
                + (references == null ? "" : "References: " + references + "\r\n")
                + "Subject: " + subject + "\r\nDate: " + day + " Mar 2026 10:00:00 +0000\r\nFrom: a@example.test\r\n\r\nx\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void conversationsAreGroupedNewestFirstAndPaged() throws Exception {
        try (MaildirStore store = TestStore.create(dir)) {
            AccountStore account = store.account("alice@example.test");
            for (byte[] m : List.of(
                    message("plans@x", null, null, "Plans", 1),
                    message("single@x", null, null, "Alone", 2),
                    message("re1@x", "plans@x", "<plans@x>", "Re: Plans", 3),
                    message("other@x", null, null, "Other", 4),
                    message("re2@x", "re1@x", "<plans@x> <re1@x>", "Re: Plans", 5))) {
                account.append("INBOX", new ByteArrayInputStream(m), Set.of(), null);
            }
            account.append("INBOX", new ByteArrayInputStream("Subject: no ids\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)),
                    Set.of(), null);
            MailSession mail = new MailSession("alice@example.test", account, null, null, "localhost", null, 8);
            mail.open("INBOX");
            assertThat(mail.threadCount()).isEqualTo(4);
            List<ThreadSummary> all = mail.threads(0, 10);
            assertThat(all).extracting(t -> t.newest().subject()).containsExactly("no ids", "Re: Plans", "Other", "Alone");
            assertThat(all).extracting(ThreadSummary::messages).containsExactly(1, 3, 1, 1);
            assertThat(mail.threads(1, 2)).extracting(t -> t.newest().subject()).containsExactly("Re: Plans", "Other");
            assertThat(mail.thread(all.get(1).threadId())).extracting(MessageSummary::subject)
                    .containsExactly("Plans", "Re: Plans", "Re: Plans");
            assertThat(mail.thread(all.get(0).threadId())).extracting(MessageSummary::subject).containsExactly("no ids");

            // a reply delivered now joins its conversation, which moves up: the grouping is not kept past a change
            account.append("INBOX", new ByteArrayInputStream(message("re-other@x", "other@x", "<other@x>", "Re: Other", 6)),
                    Set.of(), null);
            assertThat(mail.threadCount()).isEqualTo(4);
            assertThat(mail.threads(0, 10)).extracting(t -> t.newest().subject() + " " + t.messages())
                    .containsExactly("no ids 1", "Re: Other 2", "Re: Plans 3", "Alone 1");
            mail.close();
        }
    }
}
