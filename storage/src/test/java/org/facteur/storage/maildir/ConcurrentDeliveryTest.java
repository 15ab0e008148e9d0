package org.facteur.storage.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.facteur.storage.AppendResult;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MailboxEvent;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many deliverers at once (group commit): every delivery gets its own UID, its file, its uidlist line and its
 * index row, and an open session is told of each one exactly once, in UID order.
 */
class ConcurrentDeliveryTest {

    @TempDir
    Path tmp;

    private record Target(String account, String mailbox) {
    }

    private Map<String, AppendResult> deliverConcurrently(MaildirStore store, List<Target> targets, int threads,
                                                          int each) throws Exception {
        Map<String, AppendResult> done = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                fs.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        Target target = targets.get((thread + i) % targets.size());
                        String subject = "t" + thread + "n" + i;
                        done.put(subject, store.deliver(target.account(), target.mailbox(),
                                TestStore.stream(TestStore.message(subject, "body of " + subject)), Set.of()));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return done;
    }

    /** What the mailbox holds: each message is the one its UID was acknowledged for, uidlist and index agree. */
    private void assertHolds(MaildirStore store, Target target, Map<String, AppendResult> done) throws Exception {
        List<Map.Entry<String, AppendResult>> mine = done.entrySet().stream()
                .filter(e -> e.getValue().mailbox().equals(target.mailbox()))
                .toList();
        MaildirAccount account = store.maildirAccount(target.account());
        Path dir = account.folderDir(target.mailbox());
        UidList onDisk = UidList.load(dir);
        try (Mailbox box = store.account(target.account()).open(target.mailbox(), true, null)) {
            List<Long> uids = box.messages().stream().map(MessageMeta::uid).toList();
            assertThat(uids).doesNotHaveDuplicates().isSorted();
            assertThat(onDisk.entries().keySet()).containsExactlyElementsOf(uids);
            for (Map.Entry<String, AppendResult> e : mine) {
                long uid = e.getValue().uid();
                assertThat(uids).contains(uid);
                try (InputStream in = box.open(uid)) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                            .contains("Subject: " + e.getKey() + "\r\n");
                }
            }
        }
        try (var files = Files.list(dir.resolve("new"))) {
            assertThat(files.count()).isEqualTo(onDisk.entries().size());
        }
    }

    @Test
    @Timeout(120)
    void manyDeliverersIntoOneMailbox() throws Exception {
        try (MaildirStore store = TestStore.create(tmp)) {
            Target inbox = new Target("crowd@example.org", "INBOX");
            List<MailboxEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            store.account(inbox.account());
            try (Mailbox watcher = store.account(inbox.account()).open("INBOX", true, events::add)) {
                Map<String, AppendResult> done = deliverConcurrently(store, List.of(inbox), 16, 25);
                assertThat(done).hasSize(400);
                assertThat(done.values().stream().map(AppendResult::uid).distinct()).hasSize(400);
                assertThat(done.values().stream().mapToLong(AppendResult::uid).max().orElseThrow()).isEqualTo(400);
                assertHolds(store, inbox, done);
                // the open session heard of every message once, in UID order
                List<Long> told = events.stream().filter(MailboxEvent.Added.class::isInstance)
                        .flatMap(e -> ((MailboxEvent.Added) e).messages().stream()).map(MessageMeta::uid).toList();
                assertThat(told).hasSize(400).isSorted().doesNotHaveDuplicates();
                assertThat(store.account(inbox.account()).quota().usedMessages()).isEqualTo(400);
            }
        }
    }

    /** Quota recounts racing with commits and expunges never count a message twice nor miss one. */
    @Test
    @Timeout(120)
    void usageStaysExactWhileRecountsRunDuringDeliveries() throws Exception {
        try (MaildirStore store = TestStore.create(tmp)) {
            Target inbox = new Target("counted@example.org", "INBOX");
            MaildirAccount account = store.maildirAccount(inbox.account());
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            // recounts while commits run, and none after: the deliveries that follow add to the last racy count
            Thread recounter = new Thread(() -> {
                try {
                    while (running.get() && store.index().usage(inbox.account())[1] < 250) {
                        account.usageChanged();
                        account.quota();
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            recounter.start();
            try {
                deliverConcurrently(store, List.of(inbox), 8, 40);
                try (Mailbox box = store.account(inbox.account()).open("INBOX", false, null)) {
                    box.expunge(box.messages().stream().map(MessageMeta::uid).filter(u -> u % 3 == 0).toList());
                }
            } finally {
                running.set(false);
                recounter.join();
            }
            long[] truth = store.index().usage(inbox.account());
            assertThat(account.quota().usedMessages()).isEqualTo(truth[1]).isEqualTo(320 - 320 / 3);
            assertThat(account.quota().usedBytes()).isEqualTo(truth[0]);
        }
    }

    @Test
    @Timeout(120)
    void manyDeliverersIntoSeveralMailboxes() throws Exception {
        try (MaildirStore store = TestStore.create(tmp)) {
            List<Target> targets = new ArrayList<>();
            for (int a = 0; a < 4; a++) {
                targets.add(new Target("user" + a + "@example.org", "INBOX"));
                targets.add(new Target("user" + a + "@example.org", "Lists"));
                store.account("user" + a + "@example.org").create("Lists", Optional.empty());
            }
            Map<String, AppendResult> done = deliverConcurrently(store, targets, 16, 20);
            assertThat(done).hasSize(320);
            for (Target t : targets) {
                Map<String, AppendResult> ofAccount = new ConcurrentHashMap<>();
                done.forEach((subject, r) -> {
                    int thread = Integer.parseInt(subject.substring(1, subject.indexOf('n')));
                    int i = Integer.parseInt(subject.substring(subject.indexOf('n') + 1));
                    if (targets.get((thread + i) % targets.size()).equals(t)) {
                        ofAccount.put(subject, r);
                    }
                });
                assertThat(ofAccount).hasSize(40);
                assertThat(ofAccount.values().stream().map(AppendResult::uid).distinct()).hasSize(40);
                assertHolds(store, t, ofAccount);
            }
        }
    }
}
