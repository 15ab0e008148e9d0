import java.io.ByteArrayInputStream;
import java.nio.file.*;
import java.util.*;
import org.facteur.storage.maildir.MaildirStore;

/**
 * The cost of an account's first delivery after a start, against its second: four rounds, each 3,000 deliveries of
 * warm-up, then one delivery to each of 100 new accounts, then a second to each (fsync on); wall time, the
 * delivering thread's CPU and the process's per delivery, and the process's in the 2 s after each batch (the
 * full-text threads finishing). Run with bench/storage/accounts.sh.
 */
public class FirstUse {
    public static void main(String[] a) throws Exception {
        Path work = Files.createTempDirectory("firstuse");
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        try (MaildirStore store = new MaildirStore(StorageBench.config(work, true))) {
            for (int round = 0; round < 4; round++) {
                StorageBench.deliveries(store, "warm" + round, 1, 4, 3000);
                int n = 100;
                for (int i = 0; i < n; i++) store.account("r" + round + "a" + i + "@example.org");
                Thread.sleep(2000);
                long p0 = os.getProcessCpuTime(); long t0 = mx.getCurrentThreadCpuTime(); long w0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    store.deliver("r" + round + "a" + i + "@example.org", "INBOX", new ByteArrayInputStream(StorageBench.message(new Random(i), i)), Set.of());
                }
                long w1 = System.nanoTime(); long t1 = mx.getCurrentThreadCpuTime(); long p1 = os.getProcessCpuTime();
                Thread.sleep(2000);
                long p2 = os.getProcessCpuTime();
                // second delivery to the same accounts, for comparison
                long q0 = os.getProcessCpuTime(); long s0 = mx.getCurrentThreadCpuTime(); long v0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    store.deliver("r" + round + "a" + i + "@example.org", "INBOX", new ByteArrayInputStream(StorageBench.message(new Random(i + 7), i)), Set.of());
                }
                long v1 = System.nanoTime(); long s1 = mx.getCurrentThreadCpuTime(); long q1 = os.getProcessCpuTime();
                Thread.sleep(2000);
                long q2 = os.getProcessCpuTime();
                System.out.printf("round %d: first delivery: %.2f ms wall, %.2f ms deliverer CPU, %.2f ms process CPU (+%.2f in the 2 s after); second: %.2f ms wall, %.2f deliverer, %.2f process (+%.2f after)%n",
                    round, (w1 - w0) / 1e6 / n, (t1 - t0) / 1e6 / n, (p1 - p0) / 1e6 / n, (p2 - p1) / 1e6 / n,
                    (v1 - v0) / 1e6 / n, (s1 - s0) / 1e6 / n, (q1 - q0) / 1e6 / n, (q2 - q1) / 1e6 / n);
            }
        }
    }
}
