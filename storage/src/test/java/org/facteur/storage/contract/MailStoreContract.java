package org.facteur.storage.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.facteur.storage.AccountStore;
import org.facteur.storage.AppendResult;
import org.facteur.storage.CopyResult;
import org.facteur.storage.FlagChange;
import org.facteur.storage.Flags;
import org.facteur.storage.InvalidMailboxNameException;
import org.facteur.storage.MailStore;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MailboxEvent;
import org.facteur.storage.MailboxExistsException;
import org.facteur.storage.MailboxInfo;
import org.facteur.storage.MailboxNotFoundException;
import org.facteur.storage.MailboxStatus;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.MessageStructure;
import org.facteur.storage.QuotaExceededException;
import org.facteur.storage.QuotaLimits;
import org.facteur.storage.SearchQuery;
import org.facteur.storage.SortKey;
import org.facteur.storage.SpecialUse;
import org.facteur.storage.StoreResult;
import org.facteur.storage.StoredMessage;
import org.facteur.storage.testing.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link MailStore} must have, run against real storage by each implementation's subclass
 * (in the manner of Apache James' *Contract tests).
 */
public abstract class MailStoreContract {

    protected static final String ALICE = "alice@example.org";

    @TempDir
    protected Path tmp;
    protected MailStore store;

    /** A store over {@code dir}; quotas of -1 mean none. */
    protected abstract MailStore newStore(Path dir, long quotaBytes, long quotaMessages) throws Exception;

    /** Makes {@code store} take each account's own quota limits from {@code source} (the directory, in the server). */
    protected abstract void setQuotaLimits(MailStore store, QuotaLimits.Source source);

    @BeforeEach
    void openStore() throws Exception {
        store = newStore(tmp, -1, -1);
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    protected AccountStore alice() throws Exception {
        return store.account(ALICE);
    }

    protected static byte[] read(Mailbox box, long uid) throws Exception {
        try (InputStream in = box.open(uid)) {
            return in.readAllBytes();
        }
    }

    @Test
    void deliveryStoresTheExactBytesUnderTheFirstUid() throws Exception {
        byte[] msg = TestStore.message("Hello", "first message");
        AppendResult r = store.deliver(ALICE, "INBOX", TestStore.stream(msg), Set.of());
        assertThat(r.uid()).isEqualTo(1);
        assertThat(r.size()).isEqualTo(msg.length);
        try (Mailbox box = alice().open("INBOX", true, null)) {
            assertThat(box.messages()).extracting(MessageMeta::uid).containsExactly(1L);
            assertThat(box.messages().get(0).size()).isEqualTo(msg.length);
            assertThat(read(box, 1)).isEqualTo(msg);
            assertThat(box.uidNext()).isEqualTo(2);
            assertThat(box.uidValidity()).isPositive();
        }
    }

    @Test
    void statusCountsRecentUntilAReadWriteViewClaimsThem() throws Exception {
        store.deliver(ALICE, "INBOX", TestStore.stream(TestStore.message("one", "1")), Set.of());
        store.deliver(ALICE, "INBOX", TestStore.stream(TestStore.message("two", "2")), Set.of());
        try (Mailbox examined = alice().open("INBOX", true, null)) {
            assertThat(examined.recent()).containsExactly(1L, 2L);
        }
        // RFC 3501 §2.3.2: EXAMINE leaves them recent; the first read-write SELECT takes them
        assertThat(alice().status("INBOX").recent()).isEqualTo(2);
        try (Mailbox selected = alice().open("INBOX", false, null)) {
            assertThat(selected.recent()).containsExactly(1L, 2L);
        }
        assertThat(alice().status("INBOX").recent()).isZero();
    }

    @Test
    void statusFollowsEveryKindOfChange() throws Exception {
        byte[] one = TestStore.message("one", "1");
        store.deliver(ALICE, "INBOX", TestStore.stream(one), Set.of());
        assertThat(alice().status("INBOX")).extracting(MailboxStatus::messages, MailboxStatus::unseen,
                MailboxStatus::size).containsExactly(1L, 1L, (long) one.length);
        // read once, then kept current by deliveries and appends...
        store.deliver(ALICE, "INBOX", TestStore.stream(one), Set.of(Flags.SEEN));
        alice().append("INBOX", TestStore.stream(one), Set.of(Flags.DELETED), null);
        assertThat(alice().status("INBOX")).extracting(MailboxStatus::messages, MailboxStatus::unseen,
                MailboxStatus::deleted, MailboxStatus::size).containsExactly(3L, 2L, 1L, 3L * one.length);
        // ...and read again after flag changes and expunges (UID 3, the only unseen one left, goes)
        try (Mailbox box = alice().open("INBOX", false, null)) {
            box.store(List.of(1L), FlagChange.ADD, Set.of(Flags.SEEN), -1);
            assertThat(alice().status("INBOX").unseen()).isEqualTo(1);
            box.expunge(List.of(3L));
        }
        assertThat(alice().status("INBOX")).extracting(MailboxStatus::messages, MailboxStatus::unseen,
                MailboxStatus::deleted, MailboxStatus::recent).containsExactly(2L, 0L, 0L, 0L);
    }

    @Test
    void everyAccountHasTheSpecialUseFolders() throws Exception {
        List<MailboxInfo> boxes = alice().mailboxes();
        assertThat(boxes).extracting(MailboxInfo::name)
                .contains("INBOX", "Drafts", "Sent", "Junk", "Trash", "Archive");
        for (SpecialUse use : SpecialUse.values()) {
            assertThat(alice().specialUse(use)).map(MailboxInfo::name).contains(use.defaultName());
        }
    }

    @Test
    void appendKeepsFlagsAndInternalDate() throws Exception {
        Instant date = Instant.parse("2025-01-02T03:04:05Z");
        AppendResult r = alice().append("Drafts", TestStore.stream(TestStore.message("draft", "x")),
                Set.of(Flags.DRAFT, Flags.SEEN, "$Label1"), date);
        try (Mailbox box = alice().open("Drafts", true, null)) {
            MessageMeta m = box.message(r.uid()).orElseThrow();
            assertThat(m.flags()).containsExactlyInAnyOrder(Flags.DRAFT, Flags.SEEN, "$Label1");
            assertThat(m.internalDate()).isEqualTo(date);
        }
    }

    @Test
    void flagChangesBumpModSeqAndHonourUnchangedSince() throws Exception {
        TestStore.deliver(store, ALICE, "a", "1");
        TestStore.deliver(store, ALICE, "b", "2");
        try (Mailbox box = alice().open("INBOX", false, null)) {
            long before = box.highestModSeq();
            StoreResult add = box.store(List.of(1L, 2L), FlagChange.ADD, Set.of(Flags.SEEN, "work"), -1);
            assertThat(add.updated()).hasSize(2);
            assertThat(add.updated().get(0).flags()).containsExactlyInAnyOrder(Flags.SEEN, "work");
            assertThat(box.highestModSeq()).isGreaterThan(before);
            long ms = box.highestModSeq();

            StoreResult remove = box.store(List.of(1L), FlagChange.REMOVE, Set.of("WORK"), -1);
            assertThat(remove.updated().get(0).flags()).containsExactly(Flags.SEEN);

            // message 1 changed after ms: an UNCHANGEDSINCE ms store leaves it alone (RFC 7162 MODIFIED)
            StoreResult cond = box.store(List.of(1L, 2L), FlagChange.REPLACE, Set.of(Flags.FLAGGED), ms);
            assertThat(cond.modified()).containsExactly(1L);
            assertThat(box.message(2).orElseThrow().flags()).containsExactly(Flags.FLAGGED);
            assertThat(box.message(1).orElseThrow().flags()).containsExactly(Flags.SEEN);

            // \Recent is never stored
            box.store(List.of(2L), FlagChange.ADD, Set.of(Flags.RECENT), -1);
            assertThat(box.message(2).orElseThrow().flags()).doesNotContain(Flags.RECENT);
        }
    }

    /** What IMAP FETCH relies on to answer from one message while another session expunges it. */
    @Test
    void anOpenMessageStaysReadableWhenAnotherViewExpungesIt() throws Exception {
        byte[] one = TestStore.message("kept open", "body");
        store.deliver(ALICE, "INBOX", TestStore.stream(one), Set.of());
        try (Mailbox reader = alice().open("INBOX", true, null);
             java.nio.channels.SeekableByteChannel file = reader.openChannel(1)) {
            try (Mailbox writer = alice().open("INBOX", false, null)) {
                writer.store(List.of(1L), FlagChange.ADD, Set.of(Flags.DELETED), -1);
                assertThat(writer.expunge(List.of(1L))).containsExactly(1L);
            }
            java.nio.ByteBuffer all = java.nio.ByteBuffer.allocate(one.length);
            file.position(0);
            while (all.hasRemaining() && file.read(all) > 0) {
                // read to the end
            }
            assertThat(all.array()).isEqualTo(one);
            assertThatThrownBy(() -> reader.openChannel(1).close()).isInstanceOf(java.io.IOException.class);
        }
    }

    /** What IMAP FETCH of a range reads: many messages' files and structures from one index query. */
    @Test
    void storedGivesTheFilesAndStructuresOfManyMessagesAtOnce() throws Exception {
        for (int i = 1; i <= 5; i++) {
            TestStore.deliver(store, ALICE, "m" + i, "body " + i);
        }
        try (Mailbox writer = alice().open("INBOX", false, null);
             Mailbox reader = alice().open("INBOX", true, null)) {
            writer.store(List.of(3L), FlagChange.ADD, Set.of(Flags.DELETED), -1);
            writer.expunge(List.of(3L));
            // a range (read as one span of the primary key), with a UID expunged in it
            Map<Long, StoredMessage> range = reader.stored(List.of(1L, 2L, 3L, 4L, 5L), true);
            assertThat(range).containsOnlyKeys(1L, 2L, 4L, 5L);
            // a flag change renames a file after it was looked up: it still opens
            writer.store(List.of(2L), FlagChange.ADD, Set.of(Flags.SEEN), -1);
            for (long uid : range.keySet()) {
                StoredMessage m = range.get(uid);
                assertThat(m.uid()).isEqualTo(uid);
                assertThat(m.structure().envelope().subject()).isEqualTo("m" + uid);
                try (InputStream in = java.nio.channels.Channels.newInputStream(m.openChannel())) {
                    assertThat(in.readAllBytes()).isEqualTo(read(reader, uid));
                }
            }
            // scattered UIDs (read as a list), without structures: asked for, they are read one by one
            Map<Long, StoredMessage> scattered = reader.stored(List.of(5L, 1L, 1000L), false);
            assertThat(scattered).containsOnlyKeys(1L, 5L);
            assertThat(scattered.get(5L).structure().envelope().subject()).isEqualTo("m5");
            assertThat(reader.stored(List.of(), true)).isEmpty();
        }
    }

    @Test
    void expungedUidsAreNeverReused() throws Exception {
        TestStore.deliver(store, ALICE, "a", "1");
        TestStore.deliver(store, ALICE, "b", "2");
        try (Mailbox box = alice().open("INBOX", false, null)) {
            assertThat(box.expunge(List.of(2L, 7L))).containsExactly(2L);
            assertThat(box.messages()).extracting(MessageMeta::uid).containsExactly(1L);
        }
        assertThat(TestStore.deliver(store, ALICE, "c", "3").uid()).isEqualTo(3);
    }

    @Test
    void copyAndMoveAnswerWithUidplusData() throws Exception {
        TestStore.deliver(store, ALICE, "a", "1");
        TestStore.deliver(store, ALICE, "b", "2");
        try (Mailbox box = alice().open("INBOX", false, null)) {
            box.store(List.of(1L), FlagChange.ADD, Set.of(Flags.FLAGGED), -1);
            CopyResult copy = box.copy(List.of(1L, 2L), "Archive");
            assertThat(copy.sourceUids()).containsExactly(1L, 2L);
            assertThat(copy.destinationUids()).containsExactly(1L, 2L);
            assertThat(copy.destinationUidValidity()).isEqualTo(alice().status("Archive").uidValidity());
            CopyResult move = box.move(List.of(2L), "Trash");
            assertThat(move.destinationUids()).containsExactly(1L);
            assertThat(box.messages()).extracting(MessageMeta::uid).containsExactly(1L);
        }
        try (Mailbox archive = alice().open("Archive", true, null)) {
            assertThat(archive.messages()).hasSize(2);
            assertThat(archive.message(1).orElseThrow().flags()).contains(Flags.FLAGGED);
            assertThat(new String(read(archive, 2), StandardCharsets.UTF_8)).contains("Subject: b");
        }
        assertThat(alice().status("Trash").messages()).isEqualTo(1);
    }

    @Test
    void foldersAreCreatedRenamedAndDeleted() throws Exception {
        AccountStore a = alice();
        a.create("Lists/Java", Optional.empty());
        assertThat(a.mailboxes()).extracting(MailboxInfo::name).contains("Lists", "Lists/Java");
        assertThatThrownBy(() -> a.create("Lists/Java", Optional.empty())).isInstanceOf(MailboxExistsException.class);
        a.append("Lists/Java", TestStore.stream(TestStore.message("j", "java")), Set.of(), null);
        long validity = a.status("Lists/Java").uidValidity();

        a.rename("Lists", "Groups");
        assertThat(a.mailboxes()).extracting(MailboxInfo::name).contains("Groups", "Groups/Java")
                .doesNotContain("Lists", "Lists/Java");
        MailboxStatus s = a.status("Groups/Java");
        assertThat(s.messages()).isEqualTo(1);
        assertThat(s.uidValidity()).isEqualTo(validity);

        a.delete("Groups/Java");
        assertThat(a.mailboxes()).extracting(MailboxInfo::name).doesNotContain("Groups/Java");
        assertThatThrownBy(() -> a.status("Groups/Java")).isInstanceOf(MailboxNotFoundException.class);
        assertThatThrownBy(() -> a.delete("INBOX")).isInstanceOf(java.io.IOException.class);

        // a mailbox created again under an old name gets a new UIDVALIDITY (RFC 9051 §2.3.1.1)
        a.create("Groups/Java", Optional.empty());
        assertThat(a.status("Groups/Java").uidValidity()).isNotEqualTo(validity);
        assertThat(a.status("Groups/Java").messages()).isZero();
    }

    @Test
    void unicodeFolderNamesRoundTrip() throws Exception {
        alice().create("Café/Größe.2026", Optional.empty());
        assertThat(alice().mailboxes()).extracting(MailboxInfo::name).contains("Café", "Café/Größe.2026");
        alice().append("Café/Größe.2026", TestStore.stream(TestStore.message("x", "y")), Set.of(), null);
        assertThat(alice().status("Café/Größe.2026").messages()).isEqualTo(1);
    }

    @Test
    void badFolderNamesAreRefused() throws Exception {
        for (String bad : List.of("", "a//b", "../etc", "a/../b", "a/./b", "/abs", "tab\there", "x/", "a*b", "a%b",
                "nul\u0000", "a/".repeat(40) + "z", "x".repeat(300))) {
            assertThatThrownBy(() -> alice().create(bad, Optional.empty()))
                    .as(bad).isInstanceOf(InvalidMailboxNameException.class);
        }
    }

    @Test
    void renamingInboxMovesItsMessages() throws Exception {
        TestStore.deliver(store, ALICE, "a", "1");
        alice().rename("INBOX", "Old");
        assertThat(alice().status("INBOX").messages()).isZero();
        assertThat(alice().status("Old").messages()).isEqualTo(1);
    }

    @Test
    void otherViewsAreToldAndTheActingViewIsNot() throws Exception {
        List<MailboxEvent> seenByA = new CopyOnWriteArrayList<>();
        List<MailboxEvent> seenByB = new CopyOnWriteArrayList<>();
        try (Mailbox a = alice().open("INBOX", false, seenByA::add);
             Mailbox b = alice().open("INBOX", false, seenByB::add)) {
            TestStore.deliver(store, ALICE, "a", "1");
            assertThat(seenByA).hasSize(1).first().isInstanceOf(MailboxEvent.Added.class);
            assertThat(seenByB).hasSize(1);
            // first session gets \Recent (RFC 3501 §2.3.2), the other does not
            assertThat(a.recent()).containsExactly(1L);
            assertThat(b.recent()).isEmpty();
            assertThat(a.isRecent(1)).isTrue();
            assertThat(b.isRecent(1)).isFalse();
            assertThat(a.isRecent(2)).isFalse();

            a.store(List.of(1L), FlagChange.ADD, Set.of(Flags.SEEN), -1);
            assertThat(seenByA).hasSize(1);
            assertThat(seenByB).hasSize(2).last().isInstanceOf(MailboxEvent.FlagsChanged.class);

            b.expunge(List.of(1L));
            assertThat(seenByB).hasSize(2);
            assertThat(seenByA).hasSize(2).last().isInstanceOfSatisfying(MailboxEvent.Expunged.class,
                    e -> assertThat(e.uids()).containsExactly(1L));
        }
    }

    @Test
    void deletingAnOpenMailboxTellsItsViews() throws Exception {
        alice().create("Tmp", Optional.empty());
        List<MailboxEvent> events = new CopyOnWriteArrayList<>();
        try (Mailbox box = alice().open("Tmp", false, events::add)) {
            alice().delete("Tmp");
            assertThat(events).last().isInstanceOf(MailboxEvent.Gone.class);
            assertThatThrownBy(box::messages).isInstanceOf(MailboxNotFoundException.class);
        }
    }

    @Test
    void quotaIsEnforcedOnDeliveryAndAppend() throws Exception {
        store.close();
        store = newStore(tmp.resolve("q"), -1, 2);
        TestStore.deliver(store, ALICE, "a", "1");
        TestStore.deliver(store, ALICE, "b", "2");
        assertThatThrownBy(() -> TestStore.deliver(store, ALICE, "c", "3")).isInstanceOf(QuotaExceededException.class);
        assertThat(alice().quota().usedMessages()).isEqualTo(2);
        try (Mailbox box = alice().open("INBOX", false, null)) {
            box.expunge(List.of(1L));
        }
        TestStore.deliver(store, ALICE, "c", "3");

        store.close();
        store = newStore(tmp.resolve("b"), 1000, -1);
        TestStore.deliver(store, ALICE, "small", "x");
        assertThatThrownBy(() -> alice().append("INBOX", TestStore.stream(TestStore.message("big", "y".repeat(2000))),
                Set.of(), null)).isInstanceOf(QuotaExceededException.class);
        assertThat(alice().status("INBOX").messages()).isEqualTo(1);
    }

    private static QuotaLimits messages(long limit) {
        return new QuotaLimits(OptionalLong.empty(), OptionalLong.of(limit));
    }

    @Test
    void anAccountsOwnLimitsOverrideTheDefaultAndApplyAtOnce() throws Exception {
        store.close();
        store = newStore(tmp.resolve("own"), -1, 2);
        Map<String, QuotaLimits> own = new ConcurrentHashMap<>();
        own.put(ALICE, messages(3));
        own.put("carol@example.org", messages(-1)); // explicitly unlimited, whatever the default
        setQuotaLimits(store, account -> own.getOrDefault(account, QuotaLimits.DEFAULT));
        for (int i = 0; i < 3; i++) {
            TestStore.deliver(store, ALICE, "a" + i, "x");
        }
        assertThatThrownBy(() -> TestStore.deliver(store, ALICE, "a3", "x")).isInstanceOf(QuotaExceededException.class);
        assertThat(alice().quota().limitMessages()).isEqualTo(3);
        assertThat(alice().quota().limitBytes()).isEqualTo(-1); // the default, not overridden
        TestStore.deliver(store, "bob@example.org", "b0", "x");
        TestStore.deliver(store, "bob@example.org", "b1", "x");
        assertThatThrownBy(() -> TestStore.deliver(store, "bob@example.org", "b2", "x"))
                .isInstanceOf(QuotaExceededException.class);
        assertThat(store.account("bob@example.org").quota().limitMessages()).isEqualTo(2);
        for (int i = 0; i < 4; i++) {
            TestStore.deliver(store, "carol@example.org", "c" + i, "x");
        }
        assertThat(store.account("carol@example.org").quota().limitMessages()).isEqualTo(-1);

        own.put(ALICE, messages(10)); // the admin raised it: no restart needed
        TestStore.deliver(store, ALICE, "a3", "x");
        assertThat(alice().quota()).satisfies(q -> {
            assertThat(q.usedMessages()).isEqualTo(4);
            assertThat(q.limitMessages()).isEqualTo(10);
        });
    }

    @Test
    void anAccountsOwnByteLimitRefusesAppendAndLeavesNothingBehind() throws Exception {
        setQuotaLimits(store, account -> new QuotaLimits(OptionalLong.of(1000), OptionalLong.empty()));
        TestStore.deliver(store, ALICE, "small", "x");
        byte[] big = TestStore.message("big", "y".repeat(2000));
        assertThatThrownBy(() -> alice().append("Drafts", TestStore.stream(big), Set.of(), null))
                .isInstanceOf(QuotaExceededException.class);
        assertThatThrownBy(() -> store.deliver(ALICE, "INBOX", TestStore.stream(big), Set.of()))
                .isInstanceOf(QuotaExceededException.class);
        assertThat(alice().status("Drafts").messages()).isZero();
        assertThat(alice().status("INBOX").messages()).isEqualTo(1);
        assertThat(alice().quota().limitBytes()).isEqualTo(1000);
        assertThat(alice().quota().usedBytes()).isLessThan(1000);
    }

    /**
     * The quota root is the account (RFC 9208 §3): COPY adds to its usage and is refused when it would exceed
     * (§4.3), MOVE adds nothing (what the destination gains the source loses), so a full account can still
     * move its mail, to Trash for instance.
     */
    @Test
    void copyIsRefusedOverQuotaWhileMoveIsNot() throws Exception {
        setQuotaLimits(store, account -> messages(2));
        TestStore.deliver(store, ALICE, "a", "1");
        TestStore.deliver(store, ALICE, "b", "2");
        try (Mailbox inbox = alice().open("INBOX", false, null)) {
            assertThatThrownBy(() -> inbox.copy(List.of(1L), "Archive")).isInstanceOf(QuotaExceededException.class);
            assertThat(alice().status("Archive").messages()).isZero();
            CopyResult moved = inbox.move(List.of(1L, 2L), "Trash");
            assertThat(moved.destinationUids()).hasSize(2);
        }
        assertThat(alice().status("Trash").messages()).isEqualTo(2);
        assertThat(alice().quota().usedMessages()).isEqualTo(2);
    }

    @Test
    void movingIntoAndOutOfJunkReclassifies() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        store.addReclassificationListener((acc, box, uid, spam) -> calls.add(acc + " " + box + " " + uid + " " + spam));
        TestStore.deliver(store, ALICE, "spam?", "buy now");
        try (Mailbox inbox = alice().open("INBOX", false, null)) {
            inbox.move(List.of(1L), "Junk");
        }
        try (Mailbox junk = alice().open("Junk", false, null)) {
            junk.move(List.of(1L), "INBOX");
        }
        assertThat(calls).containsExactly(ALICE + " Junk 1 true", ALICE + " INBOX 2 false");
    }

    @Test
    void concurrentWritersGetDistinctUids() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int n = t;
            futures.add(pool.submit(() -> {
                List<Long> mine = new ArrayList<>();
                for (int i = 0; i < 15; i++) {
                    mine.add(TestStore.deliver(store, ALICE, "t" + n + " " + i, "body").uid());
                    if (i % 5 == 0) {
                        try (Mailbox box = alice().open("INBOX", false, null)) {
                            box.store(List.of(mine.get(0)), FlagChange.ADD, Set.of(Flags.SEEN), -1);
                        }
                    }
                }
                return mine;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        assertThat(all).doesNotHaveDuplicates().hasSize(60);
        Collections.sort(all);
        try (Mailbox box = alice().open("INBOX", true, null)) {
            assertThat(box.messages()).extracting(MessageMeta::uid).containsExactlyElementsOf(all);
        }
    }

    @Test
    void structureGivesEnvelopeAndOffsets() throws Exception {
        String m = "From: =?UTF-8?Q?Andr=C3=A9?= <andre@example.org>\r\n"
                + "To: bob@example.org, Team: carol@example.org, dan@example.org;\r\n"
                + "Subject: parts\r\n"
                + "Message-ID: <m1@example.org>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"XX\"\r\n"
                + "\r\n"
                + "preamble\r\n"
                + "--XX\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + "hello\r\nworld\r\n"
                + "--XX\r\n"
                + "Content-Type: application/pdf; name=a.pdf\r\n"
                + "Content-Disposition: attachment; filename=a.pdf\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n"
                + "AAAA\r\n"
                + "--XX--\r\n";
        byte[] bytes = m.getBytes(StandardCharsets.UTF_8);
        store.deliver(ALICE, "INBOX", TestStore.stream(bytes), Set.of());
        try (Mailbox box = alice().open("INBOX", true, null)) {
            MessageStructure s = box.structure(1);
            assertThat(s.envelope().subject()).isEqualTo("parts");
            assertThat(s.envelope().messageId()).isEqualTo("<m1@example.org>");
            assertThat(s.envelope().from()).singleElement().satisfies(a -> {
                assertThat(a.mailbox()).isEqualTo("andre");
                assertThat(a.host()).isEqualTo("example.org");
                assertThat(a.name()).startsWith("=?");
            });
            assertThat(s.envelope().sender()).isEqualTo(s.envelope().from());
            assertThat(s.envelope().to()).extracting(MessageStructure.Address::mailbox)
                    .containsExactly("bob", "Team", "carol", "dan", null);
            MessageStructure.Part root = s.root();
            assertThat(root.isMultipart()).isTrue();
            assertThat(root.children()).hasSize(2);
            MessageStructure.Part text = root.children().get(0);
            assertThat(new String(bytes, (int) text.bodyOffset(), (int) text.bodySize(), StandardCharsets.UTF_8))
                    .isEqualTo("hello\r\nworld");
            assertThat(text.lines()).isEqualTo(2);
            MessageStructure.Part pdf = root.children().get(1);
            assertThat(pdf.type()).isEqualTo("application");
            assertThat(pdf.disposition()).isEqualToIgnoringCase("attachment");
            assertThat(pdf.dispositionParameters()).containsEntry("filename", "a.pdf");
            assertThat(new String(bytes, (int) pdf.bodyOffset(), (int) pdf.bodySize(), StandardCharsets.UTF_8))
                    .isEqualTo("AAAA");
        }
    }

    @Test
    void anAddressIsFoundWhateverCommentsSplitIt() throws Exception {
        String msg = "From: <user-from (comment)@ (comment) domain.org>\r\nTo: alice@example.org\r\n"
                + "Subject: split\r\n\r\nbody\r\n";
        store.deliver(ALICE, "INBOX", TestStore.stream(msg.getBytes(StandardCharsets.US_ASCII)), Set.of());
        try (Mailbox box = alice().open("INBOX", true, null)) {
            // RFC 9051 §6.4.4 searches the field; Dovecot (and imaptest search-addresses) match the address too
            assertThat(box.search(new SearchQuery.Text(SearchQuery.Field.FROM, "user-from@domain.org"), List.of()))
                    .containsExactly(1L);
            assertThat(box.page(List.of(), 0, 10).get(0).from()).isEqualTo("<user-from (comment)@ (comment) domain.org>");
        }
    }

    @Test
    void searchCombinesIndexColumnsAndText() throws Exception {
        store.deliver(ALICE, "INBOX", TestStore.stream(TestStore.message("Carol <carol@example.net>",
                "alice@example.org", "Quarterly report", "The numbers are in.")), Set.of());
        store.deliver(ALICE, "INBOX", TestStore.stream(TestStore.message("Dave <dave@example.com>",
                "alice@example.org", "Lunch?", "Pizza at noon, then the quarterly review.")), Set.of());
        store.deliver(ALICE, "INBOX", TestStore.stream(TestStore.message("Erin <erin@example.com>",
                "alice@example.org", "Re: Lunch?", "Yes, hungry")), Set.of());
        try (Mailbox box = alice().open("INBOX", false, null)) {
            box.store(List.of(2L), FlagChange.ADD, Set.of(Flags.SEEN), -1);
            assertThat(box.search(new SearchQuery.Text(SearchQuery.Field.SUBJECT, "QUARTER"), List.of()))
                    .containsExactly(1L);
            assertThat(box.search(new SearchQuery.Text(SearchQuery.Field.FROM, "example.com"), List.of()))
                    .containsExactly(2L, 3L);
            assertThat(box.search(new SearchQuery.Text(SearchQuery.Field.BODY, "quarterly"), List.of()))
                    .containsExactly(2L);
            assertThat(box.search(new SearchQuery.Text(SearchQuery.Field.BODY, "uarterly rev"), List.of()))
                    .containsExactly(2L);
            assertThat(box.search(new SearchQuery.Text(SearchQuery.Field.TEXT, "quarterly"), List.of()))
                    .containsExactly(1L, 2L);
            assertThat(box.search(new SearchQuery.Not(new SearchQuery.HasFlag(Flags.SEEN)), List.of()))
                    .containsExactly(1L, 3L);
            assertThat(box.search(new SearchQuery.And(List.of(new SearchQuery.HasFlag(Flags.SEEN),
                    new SearchQuery.Text(SearchQuery.Field.FROM, "dave"))), List.of())).containsExactly(2L);
            assertThat(box.search(new SearchQuery.Or(List.of(new SearchQuery.Uids(List.of(new long[] {3, Long.MAX_VALUE})),
                    new SearchQuery.Larger(1_000_000))), List.of())).containsExactly(3L);
            List<long[]> odd = new ArrayList<>();
            for (long u = 1; u < 60; u += 2) {
                odd.add(new long[] {u, u});
            }
            assertThat(box.search(new SearchQuery.Uids(odd), List.of())).containsExactly(1L, 3L);
            assertThat(box.search(new SearchQuery.All(), List.of(SortKey.of(SortKey.Criterion.SUBJECT))))
                    .containsExactly(2L, 3L, 1L);
            assertThat(box.search(new SearchQuery.All(), List.of(SortKey.reversed(SortKey.Criterion.FROM))))
                    .containsExactly(3L, 2L, 1L);
            assertThat(box.search(new SearchQuery.Header("Message-ID", "@example.org"), List.of()))
                    .containsExactly(1L, 2L, 3L);
            assertThat(box.page(List.of(SortKey.reversed(SortKey.Criterion.ARRIVAL)), 1, 1))
                    .singleElement().satisfies(s -> {
                        assertThat(s.uid()).isEqualTo(2L);
                        assertThat(s.subject()).isEqualTo("Lunch?");
                        assertThat(s.flags()).contains(Flags.SEEN);
                    });
        }
    }
}
