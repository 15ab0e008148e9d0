import java.io.ByteArrayInputStream;
import java.nio.file.*;
import java.util.*;
import org.facteur.storage.maildir.MaildirStore;

/**
 * Many accounts at a low rate each, as a mail server mostly sees them: after 10,000 deliveries of warm-up into one
 * mailbox and a first delivery to each of 200 accounts, two rounds of 40 s at 200 msg/s paced, each to a random
 * account (fsync on); prints the process CPU per delivery. Run with bench/storage/accounts.sh.
 */
public class ManyAccounts {
    public static void main(String[] a) throws Exception {
        Path work = Files.createTempDirectory("many");
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        int accounts = 200;
        try (MaildirStore store = new MaildirStore(StorageBench.config(work, true))) {
            StorageBench.deliveries(store, "warm", 1, 4, 10000);
            for (int i = 0; i < accounts; i++) {
                store.deliver("u" + i + "@example.org", "INBOX", new ByteArrayInputStream(StorageBench.message(new Random(i), i)), Set.of());
            }
            Thread.sleep(6000);
            Random r = new Random(3);
            for (int round = 0; round < 2; round++) {
                long p0 = os.getProcessCpuTime(); long w0 = System.nanoTime();
                int n = 0;
                long end = w0 + 40_000_000_000L;
                while (System.nanoTime() < end) {
                    int i = r.nextInt(accounts);
                    store.deliver("u" + i + "@example.org", "INBOX", new ByteArrayInputStream(StorageBench.message(r, n)), Set.of());
                    n++;
                    long due = w0 + n * 5_000_000L; // 200/s
                    long wait = due - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                long p1 = os.getProcessCpuTime();
                System.out.printf("many accounts, round %d: %d deliveries over %d accounts in 40 s, %.3f ms process CPU each%n",
                        round, n, accounts, (p1 - p0) / 1e6 / n);
            }
        }
    }
}
