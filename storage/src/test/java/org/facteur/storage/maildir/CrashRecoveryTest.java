package org.facteur.storage.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.facteur.storage.Mailbox;
import org.facteur.storage.SearchQuery;
import org.facteur.storage.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM in the middle of deliveries (SIGKILL: no shutdown hooks, no close) and checks that every
 * message it acknowledged is there after a restart, whole and indexed: the maildir protocol's promise.
 */
class CrashRecoveryTest {

    static final String ACCOUNT = "crash@example.org";

    @TempDir
    Path tmp;

    // A separate thread: a reopen that spins inside H2 (seen once under heavy load, 2026-12-07) fails the test
    // at the limit instead of holding the build, which an interrupt would not stop.
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyAcknowledgedMessageSurvivesAKill() throws Exception {
        killMidDeliveriesAndCheck(1, 40);
    }

    /** Eight deliverers into one mailbox: the kill lands inside group commits of several messages. */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyAcknowledgedMessageOfConcurrentDeliverersSurvivesAKill() throws Exception {
        killMidDeliveriesAndCheck(8, 120);
    }

    private void killMidDeliveriesAndCheck(int threads, int kill) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashDeliverer.class.getName(), tmp.toString(), Integer.toString(threads))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Map<Long, String> acked = new LinkedHashMap<>();
        Map<Long, String> tokens = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    String[] f = line.split(" ");
                    acked.put(Long.parseLong(f[1]), f[2]);
                    tokens.put(Long.parseLong(f[1]), f[3]);
                    if (acked.size() >= kill) {
                        break; // kill it while it is writing the next ones
                    }
                }
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acked).hasSize(kill); // distinct UIDs: no two deliveries were acknowledged with the same one

        try (MaildirStore store = TestStore.create(tmp);
             Mailbox box = store.account(ACCOUNT).open("INBOX", true, null)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<Long, String> e : acked.entrySet()) {
                assertThat(box.message(e.getKey())).as("uid %d indexed", e.getKey()).isPresent();
                try (InputStream msg = box.open(e.getKey())) {
                    assertThat(HexFormat.of().formatHex(sha.digest(msg.readAllBytes())))
                            .as("uid %d whole", e.getKey()).isEqualTo(e.getValue());
                }
            }
            long last = acked.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(box.search(new SearchQuery.Text(SearchQuery.Field.SUBJECT, "crash " + tokens.get(last)),
                    List.of())).containsExactly(last);
            // the UID is in dovecot-uidlist, not only in the (rebuilt) index
            UidList uidList = UidList.load(store.maildir(ACCOUNT));
            assertThat(uidList.entries().keySet()).containsAll(acked.keySet());
            // nothing torn: every message in the mailbox is one the child wrote completely
            for (var m : box.messages()) {
                try (InputStream in = box.open(m.uid())) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(text).startsWith("From: ").endsWith("\r\n");
                }
            }
        }
    }
}
