import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.facteur.storage.maildir.MaildirStore;

/**
 * CPU per delivery once the JIT has settled, thread by thread: fsync off and one deliverer unless asked
 * ({@code -Dfsync=true}, {@code -Ddeliverers=N}; FSYNC and DELIVERERS in run.sh), StorageBench's messages
 * and delivery loop, a long warm-up, then rounds; for each round the process CPU per delivery, the deliverer
 * thread's, and the CPU of every other thread group read from /proc/self/task (clock ticks of 10 ms; the
 * deliverer's pool thread has ended when the round is read, so it is not among them), so that the
 * JIT compiler threads, which keep compiling for tens of thousands of deliveries, are seen apart from the
 * delivery's own cost.
 *
 * Run: bench/delivery-cpu/run.sh [WARMUP] [ROUNDS] [PER_ROUND]   (defaults 30000, 6, 3000)
 */
public class DeliveryCpu {

    public static void main(String[] args) throws Exception {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        int per = args.length > 2 ? Integer.parseInt(args[2]) : 3_000;
        Path work = Files.createTempDirectory("delivery-cpu");
        double leastAll = Double.MAX_VALUE;
        double leastDeliverer = Double.MAX_VALUE;
        double leastWithoutJit = Double.MAX_VALUE;
        boolean fsync = Boolean.getBoolean("fsync");
        int deliverers = Integer.getInteger("deliverers", 1);
        try (MaildirStore store = new MaildirStore(StorageBench.config(work, fsync))) {
            StorageBench.deliveries(store, "warm", 1, 4, warm);
            for (int round = 0; round < rounds; round++) {
                Map<String, Long> before = threadTicks();
                StorageBench.Rate r = StorageBench.deliveries(store, "r" + round, 1, deliverers, per);
                Map<String, Long> groups = new TreeMap<>();
                long jitTicks = 0;
                for (Map.Entry<String, Long> t : threadTicks().entrySet()) {
                    String name = t.getKey().substring(0, t.getKey().lastIndexOf('/'));
                    long used = t.getValue() - before.getOrDefault(t.getKey(), 0L);
                    groups.merge(name.replaceAll("[0-9#]+", "N"), used, Long::sum); // "C2 CompilerThre" is "CN ..."
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        jitTicks += used;
                    }
                }
                double withoutJit = r.cpuMs() - jitTicks * 10.0 / per;
                System.out.printf("round %d: %.0f msg/s, %s; without the JIT compiler threads %.2f ms%n", round + 1,
                        r.perSecond(), r.cpu(), withoutJit);
                groups.entrySet().stream().filter(e -> e.getValue() > 0)
                        .sorted(Comparator.comparing(Map.Entry<String, Long>::getValue).reversed()).limit(6)
                        .forEach(e -> System.out.printf("    %-24s %.3f ms per delivery%n", e.getKey(),
                                e.getValue() * 10.0 / per));
                leastAll = Math.min(leastAll, r.cpuMs());
                leastDeliverer = Math.min(leastDeliverer, r.delivererMs());
                leastWithoutJit = Math.min(leastWithoutJit, withoutJit);
            }
        } finally {
            StorageBench.deleteTree(work);
        }
        System.out.printf("least of %d rounds after %d deliveries of warm-up: %.2f ms CPU per delivery (whole process), "
                + "%.2f ms (deliverer thread), %.2f ms (whole process without the JIT compiler threads)%n", rounds, warm,
                leastAll, leastDeliverer, leastWithoutJit);
    }

    /** CPU clock ticks (user + system) of each thread of this process, keyed "name/tid". */
    static Map<String, Long> threadTicks() throws Exception {
        Map<String, Long> ticks = new HashMap<>();
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(name + "/" + t.getFileName(), Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (java.io.IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return ticks;
    }
}
