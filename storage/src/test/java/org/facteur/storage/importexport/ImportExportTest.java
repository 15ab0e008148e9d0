package org.facteur.storage.importexport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.facteur.storage.FlagChange;
import org.facteur.storage.Flags;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.maildir.MaildirStore;
import org.facteur.storage.maildir.ReindexReport;
import org.facteur.storage.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportExportTest {

    static final String ALICE = "alice@example.org";
    static final String BOB = "bob@example.org";

    @TempDir
    Path tmp;

    static String body(Mailbox box, long uid) throws Exception {
        try (InputStream in = box.open(uid)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    static final String MBOXRD = """
            From alice@example.org Mon Jan  1 10:00:00 2024
            From: alice@example.org
            Subject: one
            Message-ID: <1@x>
            Status: RO

            >From the start
            >>From quoted twice
            plain

            From bob@example.org Tue Jan  2 11:00:00 2024
            From: bob@example.org
            Subject: two
            X-Status: AF

            second

            From carol@example.org Wed Jan  3 12:00:00 2024
            Subject: three

            third
            """;

    @Test
    void mboxrdIsImportedOnceWithFlagsDatesAndUnquotedFromLines() throws Exception {
        Path mbox = tmp.resolve("in.mbox");
        Files.writeString(mbox, MBOXRD);
        try (MaildirStore store = TestStore.create(tmp.resolve("s"))) {
            MailImporter importer = new MailImporter(store);
            MailImporter.Result r = importer.importMbox(ALICE, "Imported", mbox, MboxFormat.MBOXRD,
                    MailImporter.Progress.NONE);
            assertThat(r).isEqualTo(new MailImporter.Result(3, 0, 0));
            assertThat(importer.importMbox(ALICE, "Imported", mbox, MboxFormat.MBOXRD, MailImporter.Progress.NONE))
                    .isEqualTo(new MailImporter.Result(0, 3, 0));
            try (Mailbox box = store.account(ALICE).open("Imported", true, null)) {
                List<MessageMeta> all = box.messages();
                assertThat(all).hasSize(3);
                assertThat(all.get(0).flags()).containsExactly(Flags.SEEN);
                assertThat(all.get(1).flags()).containsExactlyInAnyOrder(Flags.ANSWERED, Flags.FLAGGED);
                assertThat(all.get(0).internalDate()).hasToString("2024-01-01T10:00:00Z");
                assertThat(body(box, all.get(0).uid())).endsWith("\r\n\r\nFrom the start\r\n>From quoted twice\r\nplain\r\n");
                assertThat(body(box, all.get(2).uid())).isEqualTo("Subject: three\r\n\r\nthird\r\n");
            }
        }
    }

    @Test
    void contentLengthMboxNeedsNoQuoting() throws Exception {
        String body1 = "From here on, no quoting\nline\n";
        String mbox = "From a@x Mon Jan  1 10:00:00 2024\nSubject: cl\nContent-Length: "
                + body1.length() + "\n\n" + body1 + "\nFrom b@x Mon Jan  1 10:00:00 2024\nSubject: second\n"
                + "Content-Length: 2\n\nok\n";
        Path file = tmp.resolve("cl.mbox");
        Files.writeString(file, mbox);
        try (MaildirStore store = TestStore.create(tmp.resolve("s"))) {
            new MailImporter(store).importMbox(ALICE, "INBOX", file, MboxFormat.MBOXCL, MailImporter.Progress.NONE);
            try (Mailbox box = store.account(ALICE).open("INBOX", true, null)) {
                assertThat(box.messages()).hasSize(2);
                assertThat(body(box, 1)).endsWith("\r\n\r\nFrom here on, no quoting\r\nline\r\n");
                assertThat(body(box, 2)).endsWith("\r\n\r\nok");
            }
        }
    }

    @Test
    void mboxExportReimportsToTheSameMessages() throws Exception {
        try (MaildirStore store = TestStore.create(tmp.resolve("s"))) {
            store.deliver(ALICE, "INBOX", TestStore.stream(TestStore.message("x", "From the body\n>From quoted")),
                    Set.of());
            TestStore.deliver(store, ALICE, "y", "second");
            try (Mailbox box = store.account(ALICE).open("INBOX", false, null)) {
                box.store(List.of(1L), FlagChange.ADD, Set.of(Flags.SEEN, Flags.FLAGGED), -1);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(new MailExporter(store).exportMbox(ALICE, "INBOX", out, MailImporter.Progress.NONE))
                    .isEqualTo(2);
            String text = out.toString(StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith("From MAILER-DAEMON ").contains("\n>From the body\n>>From quoted\n")
                    .doesNotContain("\r");
            Path file = tmp.resolve("out.mbox");
            Files.write(file, out.toByteArray());
            new MailImporter(store).importMbox(BOB, "INBOX", file, MboxFormat.MBOXRD, MailImporter.Progress.NONE);
            try (Mailbox a = store.account(ALICE).open("INBOX", true, null);
                 Mailbox b = store.account(BOB).open("INBOX", true, null)) {
                assertThat(b.messages()).hasSize(2);
                assertThat(b.message(1).orElseThrow().flags()).containsExactlyInAnyOrder(Flags.SEEN, Flags.FLAGGED);
                String original = body(a, 1);
                String back = body(b, 1).replaceAll("(?m)^X?-?Status: .*\r\n", "");
                assertThat(back).isEqualTo(original);
            }
        }
    }

    @Test
    void maildirExportThenImportKeepsUidsAndKeywords() throws Exception {
        Map<Long, Set<String>> before = new TreeMap<>();
        long validity;
        Path export = tmp.resolve("export");
        try (MaildirStore store = TestStore.create(tmp.resolve("s"))) {
            for (int i = 0; i < 4; i++) {
                TestStore.deliver(store, ALICE, "m" + i, "b" + i);
            }
            try (Mailbox box = store.account(ALICE).open("INBOX", false, null)) {
                box.expunge(List.of(1L));
                box.store(List.of(3L), FlagChange.ADD, Set.of("$Project", Flags.SEEN), -1);
                validity = box.uidValidity();
                for (MessageMeta m : box.messages()) {
                    before.put(m.uid(), m.flags());
                }
            }
            new MailExporter(store).exportMaildir(ALICE, export, MailImporter.Progress.NONE);
        }
        try (MaildirStore other = TestStore.create(tmp.resolve("t"))) {
            MailImporter importer = new MailImporter(other);
            MailImporter.Result r = importer.importMaildir(BOB, export, MailImporter.Progress.NONE);
            assertThat(r.imported()).isEqualTo(3);
            try (Mailbox box = other.account(BOB).open("INBOX", true, null)) {
                Map<Long, Set<String>> after = new TreeMap<>();
                for (MessageMeta m : box.messages()) {
                    after.put(m.uid(), m.flags());
                }
                assertThat(after).isEqualTo(before);
                assertThat(box.uidValidity()).isEqualTo(validity);
            }
            // running it again imports nothing
            assertThat(importer.importMaildir(BOB, export, MailImporter.Progress.NONE).imported()).isZero();
            assertThat(other.account(BOB).status("INBOX").messages()).isEqualTo(3);
        }
    }

    @Test
    void mhFoldersAreImportedWithTheirUnseenSequence() throws Exception {
        Path mh = tmp.resolve("mh");
        Files.createDirectories(mh);
        Files.writeString(mh.resolve("1"), "Subject: a\n\none\n");
        Files.writeString(mh.resolve("2"), "Subject: b\n\ntwo\n");
        Files.writeString(mh.resolve("5"), "Subject: c\n\nthree\n");
        Files.writeString(mh.resolve(".mh_sequences"), "unseen: 2 5\ncur: 1\n");
        try (MaildirStore store = TestStore.create(tmp.resolve("s"))) {
            new MailImporter(store).importMh(ALICE, "Old", mh, MailImporter.Progress.NONE);
            try (Mailbox box = store.account(ALICE).open("Old", true, null)) {
                assertThat(box.messages()).extracting(m -> m.has(Flags.SEEN)).containsExactly(true, false, false);
                assertThat(body(box, 1)).isEqualTo("Subject: a\r\n\r\none\r\n");
            }
        }
    }

    @Test
    void reindexKeepsUidsAndReportsWhatTheIndexGotWrong() throws Exception {
        try (MaildirStore store = TestStore.create(tmp.resolve("s"), c -> TestStore.withRescan(c, Duration.ZERO))) {
            for (int i = 0; i < 3; i++) {
                TestStore.deliver(store, ALICE, "m" + i, "b");
            }
            ReindexReport clean = store.reindex(ALICE);
            assertThat(clean.consistent()).isTrue();
            assertThat(clean.mailboxes().get(0).messages()).isEqualTo(3);
            // a file vanishes behind the store's back
            try (var files = Files.list(store.maildir(ALICE).resolve("new"))) {
                for (Path p : files.toList()) {
                    if (Files.readString(p).contains("Subject: m0\r\n")) {
                        Files.delete(p);
                    }
                }
            }
            ReindexReport r = store.reindex(ALICE);
            assertThat(r.consistent()).isFalse();
            assertThat(r.mailboxes().get(0).extra()).containsExactly(1L);
            try (Mailbox box = store.account(ALICE).open("INBOX", true, null)) {
                assertThat(box.messages()).extracting(MessageMeta::uid).containsExactly(2L, 3L);
            }
            assertThat(store.accounts()).containsExactly(ALICE);
        }
    }
}
