import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.facteur.storage.FlagChange;
import org.facteur.storage.Flags;
import org.facteur.storage.Mailbox;
import org.facteur.storage.maildir.MaildirStore;

/**
 * What marking one message costs in a big mailbox (an IMAP STORE, a webmail click): N messages delivered (fsync off,
 * StorageBench's messages), then \Flagged set and cleared on one message at a time, 20 messages spread over the
 * mailbox, three rounds; prints the median and least ms per change. Before 2026-12-07 a set of UIDs was read by
 * a scan of the whole mailbox, so this grew with N.
 *
 * Run: bench/storage/store-one.sh [N]   (default 100000; about 1 minute per 100,000)
 */
public class StoreOne {

    public static void main(String[] a) throws Exception {
        int n = a.length > 0 ? Integer.parseInt(a[0]) : 100_000;
        Path work = Files.createTempDirectory("store-one");
        try (MaildirStore store = new MaildirStore(StorageBench.config(work, false))) {
            Random r = new Random(1);
            for (int i = 0; i < n; i++) {
                store.deliver("a@example.org", "INBOX", new ByteArrayInputStream(StorageBench.message(r, i)), Set.of());
            }
            try (Mailbox box = store.account("a@example.org").open("INBOX", false, null)) {
                for (int round = 1; round <= 3; round++) {
                    long[] took = new long[20];
                    for (int i = 0; i < took.length; i++) {
                        long uid = 1 + (long) (n * (0.1 + 0.04 * i));
                        long t0 = System.nanoTime();
                        box.store(List.of(uid), i % 2 == 0 ? FlagChange.ADD : FlagChange.REMOVE, Set.of(Flags.FLAGGED), -1);
                        took[i] = System.nanoTime() - t0;
                    }
                    Arrays.sort(took);
                    System.out.printf("store-one, %d messages, round %d: median %.2f ms, least %.2f ms%n", n, round,
                            took[took.length / 2] / 1e6, took[0] / 1e6);
                }
            }
        } finally {
            StorageBench.deleteTree(work);
        }
    }
}
