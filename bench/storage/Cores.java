import java.nio.file.Files;
import java.nio.file.Path;

import org.facteur.storage.maildir.MaildirStore;

/**
 * Is it the code or the disk? One JVM, one mode: "bare" (StorageBench.BareMaildir: the file operations of a
 * delivery and nothing else) or "store" (MaildirStore deliveries, fsync on, after a JIT warm-up), with D deliverers
 * into one mailbox, ROUNDS rounds of N; prints msg/s and the process's CPU per message. bench/storage/cores.sh
 * runs each mode pinned to one core and to two: a rate that grows with the cores is bound by the CPU, one that
 * does not is bound by the disk.
 *
 * Run with bench/storage/cores.sh.
 */
public class Cores {

    public static void main(String[] a) throws Exception {
        String mode = a[0];
        int deliverers = Integer.parseInt(a[1]);
        int rounds = Integer.parseInt(a[2]);
        int per = Integer.parseInt(a[3]);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        Path work = Files.createTempDirectory("cores");
        try {
            if (mode.equals("bare")) {
                StorageBench.BareMaildir.rate(work.resolve("warm"), deliverers, per); // the JIT, as the store's warm-up
                for (int r = 0; r < rounds; r++) {
                    int round = r;
                    report(mode, deliverers, r, os, per,
                            () -> StorageBench.BareMaildir.rate(work.resolve("r" + round), deliverers, per));
                }
            } else {
                try (MaildirStore store = new MaildirStore(StorageBench.config(work, true))) {
                    StorageBench.deliveries(store, "warm", 1, 4, Integer.getInteger("warmup", 20_000));
                    for (int r = 0; r < rounds; r++) {
                        int round = r;
                        report(mode, deliverers, r, os, per,
                                () -> StorageBench.deliveries(store, "r" + round, 1, deliverers, per).perSecond());
                    }
                }
            }
        } finally {
            StorageBench.deleteTree(work);
        }
    }

    @FunctionalInterface
    interface Round {
        double run() throws Exception;
    }

    private static void report(String mode, int deliverers, int round,
                               com.sun.management.OperatingSystemMXBean os, int per, Round body) throws Exception {
        long cpu0 = os.getProcessCpuTime();
        double rate = body.run();
        double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6 / per;
        System.out.printf("%s, %d cores, %d deliverers, round %d: %.0f msg/s, %.3f ms process CPU each%n", mode,
                Runtime.getRuntime().availableProcessors(), deliverers, round + 1, rate, cpuMs);
    }
}
