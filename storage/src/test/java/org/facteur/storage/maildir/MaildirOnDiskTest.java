package org.facteur.storage.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.facteur.storage.FlagChange;
import org.facteur.storage.Flags;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MailboxEvent;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.MessageStructure;
import org.facteur.storage.SearchQuery;
import org.facteur.storage.SortKey;
import org.facteur.storage.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the store leaves on disk, and what it makes of files other programs leave there. */
class MaildirOnDiskTest {

    static final String ALICE = "alice@example.org";

    @TempDir
    Path tmp;

    Path inbox() {
        return tmp.resolve("mail/example.org/alice");
    }

    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static byte[] read(Mailbox box, long uid) throws Exception {
        try (InputStream in = box.open(uid)) {
            return in.readAllBytes();
        }
    }

    @Test
    void layoutIsMaildirPlusPlusWithDovecotFiles() throws Exception {
        try (MaildirStore store = TestStore.create(tmp)) {
            TestStore.deliver(store, ALICE, "one", "1");
            store.account(ALICE).create("Lists/Java", Optional.empty());
            store.account(ALICE).create("Été", Optional.empty());
            try (Mailbox box = store.account(ALICE).open("INBOX", false, null)) {
                box.store(List.of(1L), FlagChange.ADD, Set.of(Flags.SEEN, Flags.ANSWERED, "todo"), -1);
            }
        }
        Path root = inbox();
        assertThat(names(root)).contains("cur", "new", "tmp", ".Drafts", ".Sent", ".Junk", ".Trash", ".Archive",
                ".Lists", ".Lists.Java", ".&AMk-t&AOk-", "dovecot-uidlist", "dovecot-keywords", "subscriptions");
        assertThat(names(root.resolve("cur"))).singleElement().satisfies(n -> {
            assertThat(n).matches("\\d+\\.M\\d+P\\d+Q\\d+\\..+,S=\\d+,W=\\d+:2,RSa");
        });
        String uidlist = Files.readString(root.resolve("dovecot-uidlist"));
        assertThat(uidlist).matches("(?s)3 V\\d+ N2 G[0-9a-f]{32}\n1 W\\d+ :\\d+\\.M.*\n");
        assertThat(Files.readString(root.resolve("dovecot-keywords"))).isEqualTo("0 todo\n");
        assertThat(Files.exists(root.resolve(".Lists.Java/maildirfolder"))).isTrue();
    }

    @Test
    void filesDroppedOrRemovedByOtherProgramsArePickedUp() throws Exception {
        try (MaildirStore store = TestStore.create(tmp, c -> TestStore.withRescan(c, Duration.ZERO))) {
            TestStore.deliver(store, ALICE, "one", "1");
            List<MailboxEvent> events = new ArrayList<>();
            try (Mailbox box = store.account(ALICE).open("INBOX", false, events::add)) {
                byte[] dropped = TestStore.message("dropped", "by procmail");
                Files.write(inbox().resolve("new/1700000000.P1Q1.otherhost"), dropped);
                Files.write(inbox().resolve("cur/1700000001.P1Q2.otherhost:2,FS"), TestStore.message("two", "2"));
                store.rescanOpenMailboxes();
                assertThat(events).singleElement().isInstanceOfSatisfying(MailboxEvent.Added.class,
                        e -> assertThat(e.messages()).extracting(MessageMeta::uid).containsExactly(2L, 3L));
                assertThat(box.message(3).orElseThrow().flags()).containsExactlyInAnyOrder(Flags.FLAGGED, Flags.SEEN);
                assertThat(read(box, 2)).isEqualTo(dropped);

                // another program marks 3 unseen and deletes 2
                Files.move(inbox().resolve("cur/1700000001.P1Q2.otherhost:2,FS"),
                        inbox().resolve("cur/1700000001.P1Q2.otherhost:2,F"));
                try (Stream<Path> s = Files.list(inbox().resolve("new"))) {
                    for (Path p : s.toList()) {
                        if (p.getFileName().toString().contains("otherhost")) {
                            Files.delete(p);
                        }
                    }
                }
                try (Stream<Path> s = Files.list(inbox().resolve("cur"))) {
                    for (Path p : s.toList()) {
                        if (p.getFileName().toString().startsWith("1700000000")) {
                            Files.delete(p);
                        }
                    }
                }
                store.rescanOpenMailboxes();
                assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(MailboxEvent.Expunged.class,
                        x -> assertThat(x.uids()).containsExactly(2L)));
                assertThat(box.message(3).orElseThrow().flags()).containsExactly(Flags.FLAGGED);
                assertThat(box.messages()).extracting(MessageMeta::uid).containsExactly(1L, 3L);
            }
        }
    }

    @Test
    void deletedIndexIsRebuiltWithTheSameUidsAndFlags() throws Exception {
        Map<Long, Set<String>> before = new TreeMap<>();
        long validity;
        try (MaildirStore store = TestStore.create(tmp)) {
            for (int i = 0; i < 5; i++) {
                TestStore.deliver(store, ALICE, "m" + i, "body " + i);
            }
            try (Mailbox box = store.account(ALICE).open("INBOX", false, null)) {
                box.expunge(List.of(2L));
                box.store(List.of(3L), FlagChange.ADD, Set.of(Flags.FLAGGED, "$Important"), -1);
                for (MessageMeta m : box.messages()) {
                    before.put(m.uid(), m.flags());
                }
                validity = box.uidValidity();
            }
        }
        deleteTree(tmp.resolve("index"));
        try (MaildirStore store = TestStore.create(tmp)) {
            try (Mailbox box = store.account(ALICE).open("INBOX", false, null)) {
                Map<Long, Set<String>> after = new TreeMap<>();
                for (MessageMeta m : box.messages()) {
                    after.put(m.uid(), m.flags());
                }
                assertThat(after).isEqualTo(before);
                assertThat(box.uidValidity()).isEqualTo(validity);
                assertThat(box.uidNext()).isEqualTo(6);
                assertThat(box.search(new SearchQuery.Text(SearchQuery.Field.SUBJECT, "m3"), List.of()))
                        .containsExactly(4L);
            }
            assertThat(TestStore.deliver(store, ALICE, "new", "x").uid()).isEqualTo(6);
        }
    }

    @Test
    void damagedIndexIsMovedAsideAndRebuilt() throws Exception {
        try (MaildirStore store = TestStore.create(tmp)) {
            TestStore.deliver(store, ALICE, "m", "b");
        }
        Path db = tmp.resolve("index/h2/index.mv.db");
        Files.write(db, "this is not an H2 file at all".repeat(100).getBytes(StandardCharsets.US_ASCII));
        try (MaildirStore store = TestStore.create(tmp)) {
            assertThat(store.account(ALICE).status("INBOX").messages()).isEqualTo(1);
        }
    }

    @Test
    void lostUidlistIsRecreatedFromTheIndex() throws Exception {
        try (MaildirStore store = TestStore.create(tmp)) {
            for (int i = 0; i < 3; i++) {
                TestStore.deliver(store, ALICE, "m" + i, "b");
            }
            try (Mailbox box = store.account(ALICE).open("INBOX", false, null)) {
                box.expunge(List.of(1L));
            }
        }
        Files.delete(inbox().resolve("dovecot-uidlist"));
        try (MaildirStore store = TestStore.create(tmp)) {
            try (Mailbox box = store.account(ALICE).open("INBOX", true, null)) {
                assertThat(box.messages()).extracting(MessageMeta::uid).containsExactly(2L, 3L);
                assertThat(box.uidNext()).isEqualTo(4);
            }
        }
    }

    @Test
    void staleTmpFilesAreRemovedAtStart() throws Exception {
        try (MaildirStore store = TestStore.create(tmp)) {
            store.account(ALICE);
        }
        Path old = inbox().resolve("tmp/1600000000.M1P1Q1.host");
        Files.writeString(old, "torn");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(40))));
        Path deadWriter = inbox().resolve("tmp/1700000000.M5P999999999Q3.host");
        Files.writeString(deadWriter, "torn too");
        Path foreignFresh = inbox().resolve("tmp/someone-elses-file");
        Files.writeString(foreignFresh, "in progress");
        try (MaildirStore store = TestStore.create(tmp)) {
            store.account(ALICE);
            assertThat(old).doesNotExist();
            assertThat(deadWriter).doesNotExist();
            assertThat(foreignFresh).exists();
        }
    }

    @Test
    void malformedMessagesAreStoredByteForByteAndNeverBreakIndexing() throws Exception {
        List<byte[]> bad = new ArrayList<>();
        bad.add(new byte[0]);
        bad.add("no headers at all, just text".getBytes(StandardCharsets.US_ASCII));
        bad.add("\r\n\r\nbody after an empty header".getBytes(StandardCharsets.US_ASCII));
        bad.add("Subject: bare LF\nFrom: a@b\n\nline1\nline2\n".getBytes(StandardCharsets.US_ASCII));
        bad.add("Subject: nul\u0000byte\r\n\r\nbody\u0000with nul\r\n".getBytes(StandardCharsets.ISO_8859_1));
        bad.add("Subject: caf\u00e9 8-bit latin1\r\nFrom: J\u00fcrgen <j@x>\r\n\r\nb\r\n".getBytes(StandardCharsets.ISO_8859_1));
        bad.add("Subject: Grüße UTF-8\r\nFrom: Zoë <z@x>\r\n\r\nb\r\n".getBytes(StandardCharsets.UTF_8));
        bad.add(("Content-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\n"
                + "never closed").getBytes(StandardCharsets.US_ASCII));
        bad.add("Content-Type: multipart/mixed\r\n\r\nno boundary parameter\r\n".getBytes(StandardCharsets.US_ASCII));
        bad.add("Content-Type: multipart/mixed; boundary=\"q\"\r\n\r\nboundary never appears\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        bad.add("Content-Type: ;;;===\r\nContent-Disposition: ;\r\nFrom: <<<@>>>\r\nTo: ,,,\r\nDate: yesterday\r\n\r\nx"
                .getBytes(StandardCharsets.US_ASCII));
        bad.add("Content-Type: message/rfc822\r\n\r\nFrom: inner@x\r\nSubject: inner\r\n\r\ninner body"
                .getBytes(StandardCharsets.US_ASCII));
        bad.add(("X: " + "a".repeat(200_000) + "\r\n\r\nlong header line").getBytes(StandardCharsets.US_ASCII));
        StringBuilder nested = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            nested.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i)
                    .append("\r\n");
        }
        nested.append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        bad.add(nested.toString().getBytes(StandardCharsets.US_ASCII));
        try (MaildirStore store = TestStore.create(tmp)) {
            for (byte[] b : bad) {
                store.deliver(ALICE, "INBOX", TestStore.stream(b), Set.of());
            }
            try (Mailbox box = store.account(ALICE).open("INBOX", false, null)) {
                List<MessageMeta> all = box.messages();
                assertThat(all).hasSize(bad.size());
                for (int i = 0; i < bad.size(); i++) {
                    long uid = all.get(i).uid();
                    assertThat(read(box, uid)).as("message %d", i).isEqualTo(bad.get(i));
                    assertThat(all.get(i).size()).isEqualTo(bad.get(i).length);
                    MessageStructure s = box.structure(uid);
                    assertThat(s.root()).isNotNull();
                    checkOffsets(s.root(), bad.get(i).length);
                }
                assertThat(box.search(new SearchQuery.Text(SearchQuery.Field.BODY, "inner body"), List.of()))
                        .hasSize(1);
                assertThat(box.search(new SearchQuery.Text(SearchQuery.Field.SUBJECT, "grüße"), List.of()))
                        .hasSize(1);
                // every search path (H2 columns, Lucene, reading the files) runs over all of them without failing
                for (SearchQuery.Field f : SearchQuery.Field.values()) {
                    assertThat(box.search(new SearchQuery.Text(f, "zzz-absent"), List.of())).as(f.name()).isEmpty();
                }
                assertThat(box.search(new SearchQuery.Header("X-Anything", "x"), List.of())).isEmpty();
                assertThat(box.page(List.of(SortKey.of(SortKey.Criterion.SUBJECT)), 0, 100)).hasSize(bad.size());
            }
            // and the index rebuilt from these files agrees with the one made at delivery
            assertThat(store.reindex(ALICE).consistent()).isTrue();
        }
    }

    private static void checkOffsets(MessageStructure.Part p, long size) {
        assertThat(p.headerOffset()).isBetween(0L, size);
        assertThat(p.bodyOffset()).isBetween(p.headerOffset(), size);
        assertThat(p.bodyOffset() + p.bodySize()).isLessThanOrEqualTo(size);
        if (p.isMultipart()) {
            assertThat(p.children()).isNotEmpty();
        }
        p.children().forEach(c -> checkOffsets(c, size));
        if (p.message() != null) {
            checkOffsets(p.message().root(), size);
        }
    }

    @Test
    void aFiftyMegabytePartIsStoredAndParsed() throws Exception {
        Path big = tmp.resolve("big.eml");
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(big), 1 << 16)) {
            out.write(("Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n"
                    + "hi zanzibar\r\n--B\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] line = ("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 50 * 1024 * 1024 / line.length; i++) {
                out.write(line);
            }
            out.write("--B--\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        try (MaildirStore store = TestStore.create(tmp); InputStream in = Files.newInputStream(big)) {
            var r = store.deliver(ALICE, "INBOX", in, Set.of());
            assertThat(r.size()).isEqualTo(Files.size(big));
            try (Mailbox box = store.account(ALICE).open("INBOX", true, null)) {
                MessageStructure s = box.structure(r.uid());
                assertThat(s.root().children()).hasSize(2);
                assertThat(s.root().children().get(1).bodySize()).isGreaterThan(50_000_000L);
                try (InputStream stored = box.open(r.uid()); InputStream original = Files.newInputStream(big)) {
                    assertThat(sha256(stored)).as("stored byte for byte").isEqualTo(sha256(original));
                }
                // the text part is full-text indexed beside the 50 MB attachment
                assertThat(box.search(new SearchQuery.Text(SearchQuery.Field.BODY, "zanzibar"), List.of()))
                        .containsExactly(r.uid());
            }
        }
    }

    static byte[] sha256(InputStream in) throws Exception {
        java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            d.update(buf, 0, n);
        }
        return d.digest();
    }

    static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
