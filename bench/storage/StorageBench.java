import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.facteur.storage.Flags;
import org.facteur.storage.Mailbox;
import org.facteur.storage.SearchQuery;
import org.facteur.storage.SortKey;
import org.facteur.storage.StorageConfig;
import org.facteur.storage.maildir.MaildirStore;

/**
 * Storage figures: raw fsync rate of the disk (1 and 10 threads), deliveries per second with fsync (1, 4, 10, 50
 * deliverers into one mailbox; 10 and 50 over ten accounts) and without, each with the process CPU time per
 * delivery (the code's cost, which a loaded machine does not inflate), index rebuild time of an N-message mailbox, and
 * search latency p50/p99 on it.
 *
 * Run: bench/storage/run.sh [N]   (N defaults to 100000; 0 = fsync and delivery figures only; the work
 * directory is removed afterwards)
 */
public class StorageBench {

    static final String[] WORDS = ("the of and to in is that for it as with was on be by at this have from or an "
            + "are not but which you all they were her his one had there we can more when up out said what so "
            + "about report quarterly budget meeting lunch invoice project deadline server release database "
            + "backup network holiday schedule review contract customer feedback design kernel patch java maildir "
            + "imap smtp storage lucene index search performance latency throughput garden bicycle mountain river")
            .split(" ");
    static final String[] NAMES = {"Alice Martin", "Bob Dupont", "Carol Smith", "Dave Müller", "Erin O'Neil",
            "Frank Bernard", "Grace Hopper", "Heidi Klum", "Ivan Petrov", "Judy Garland", "Mallory", "Trent Reznor"};

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path work = Files.createTempDirectory(Path.of(args.length > 1 ? args[1] : "/tmp"), "storage-bench");
        try {
            run(work, n);
        } finally {
            deleteTree(work);
        }
    }

    /** Removes a bench's scratch directory and everything in it (the storage benches' finally blocks). */
    static void deleteTree(Path dir) throws java.io.IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static StorageConfig config(Path base, boolean fsync) {
        StorageConfig d = StorageConfig.under(base);
        return new StorageConfig(d.root(), d.indexDir(), fsync, d.quotaBytes(), d.quotaMessages(), d.maxFolderDepth(),
                d.maxFolderNameLength(), d.maxFolders(), d.maxMimeDepth(), d.staleTmpAge(), Duration.ZERO,
                d.fullTextIndex(), d.maxIndexedTextBytes());
    }

    static void run(Path work, int n) throws Exception {
        System.out.printf("java %s, %d cores, work dir %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), work);

        // 1. the disk's own fsync rate: 4 KB write + fsync, as a delivery does at least once; with 10 threads
        // (one file each) the file system may merge concurrent fsyncs into one journal commit
        double fsync1 = fsyncRate(work, 1, 200);
        System.out.printf("raw fsync rate, 1 thread: %.0f fsyncs/s%n", fsync1);
        System.out.printf("raw fsync rate, 10 threads: %.0f fsyncs/s%n", fsyncRate(work, 10, 60));

        // the JIT first: a fresh JVM goes on compiling H2, Lucene and Mime4J for tens of thousands of deliveries,
        // its compiler threads taking 0.5-1.5 ms of CPU per delivery meanwhile (bench/delivery-cpu), so without
        // this the figures below measure the warm-up as much as the store. WARMUP (run.sh; -Dwarmup) deliveries
        // with fsync on (a warm-up with fsync off left C2 recompiling the fsync path for thousands of deliveries)
        // into a scratch store, in batches; 0 measures a fresh JVM as before.
        int warmup = Integer.getInteger("warmup", 20_000);
        if (warmup > 0) {
            long w0 = System.nanoTime();
            try (MaildirStore store = new MaildirStore(config(work.resolve("jit"), true))) {
                for (int done = 0; done < warmup; done += 5_000) {
                    deliveries(store, "jit" + done, 1, 4, Math.min(5_000, warmup - done));
                }
            }
            System.out.printf("JIT warm-up: %d deliveries (fsync on, 4 deliverers) in %.1f s%n", warmup,
                    (System.nanoTime() - w0) / 1e9);
        }

        // 2. deliveries per second with fsync on (each: file fsync, tmp->new rename, dir fsync, uidlist append+fsync,
        // H2 commit, Lucene), concurrent deliverers grouped by the group commit; beside each, the CPU time of the
        // whole process per delivery (every thread: deliverers, Lucene, H2, GC, JIT), which a loaded machine
        // does not inflate the way it inflates wall-clock rates
        double cpuFsync = 0;
        try (MaildirStore store = new MaildirStore(config(work.resolve("d"), true))) {
            deliveries(store, "warm", 1, 4, 600); // JIT-compiled, H2 and Lucene warm: the figures are steady-state
            // The disk's rate drifts by 2-4x within a minute on a shared virtual machine, so the bare protocol is
            // measured in the same slices as the deliveries, alternated (bare, store, store, bare, ...): both see
            // the same disk on average. SLICES (-Dslices) of each per deliverer count.
            int slices = Integer.getInteger("slices", 6);
            for (int threads : new int[] {1, 4, 10, 50}) {
                int total = Math.max(threads == 1 ? 400 : 200, threads * 8);
                double bareSeconds = 0;
                double storeSeconds = 0;
                double cpu = 0;
                double kernel = 0;
                double deliverer = 0;
                double lowest = Double.MAX_VALUE;
                double highest = 0;
                for (int slice = 0; slice < slices; slice++) {
                    boolean bareFirst = slice % 4 == 0 || slice % 4 == 3;
                    Path bareDir = work.resolve("bare-" + threads + "-" + slice);
                    double bare = bareFirst ? BareMaildir.rate(bareDir, threads, total) : 0;
                    Rate r = deliveries(store, "one" + threads + "s" + slice, 1, threads, total);
                    if (!bareFirst) {
                        bare = BareMaildir.rate(bareDir, threads, total);
                    }
                    bareSeconds += total / bare;
                    storeSeconds += total / r.perSecond();
                    cpu += r.cpuMs() / slices;
                    kernel += r.systemMs() / slices;
                    deliverer += r.delivererMs() / slices;
                    lowest = Math.min(lowest, r.perSecond() / bare);
                    highest = Math.max(highest, r.perSecond() / bare);
                }
                double bare = slices * total / bareSeconds;
                double stored = slices * total / storeSeconds;
                Rate r = new Rate(stored, cpu, kernel, deliverer, 0);
                System.out.printf("bare maildir protocol, %d deliverers into one mailbox: %.0f msg/s (%d slices of %d, alternated with the deliveries)%n",
                        threads, bare, slices, total);
                System.out.printf("deliveries with fsync, %d deliverers into one mailbox: %.0f msg/s = %.0f %% of the bare protocol (slices %.0f-%.0f %%), %s%n",
                        threads, stored, 100 * stored / bare, 100 * lowest, 100 * highest, r.cpu());
                if (threads == 1) {
                    cpuFsync = r.cpuMs();
                }
            }
            for (int threads : new int[] {10, 50}) {
                Rate r = deliveries(store, "ten" + threads, 10, threads, Math.max(300, threads * 8));
                System.out.printf("deliveries with fsync, %d deliverers over ten accounts: %.0f msg/s, %s; "
                        + "first delivery to each new account (before the clock): %.1f ms CPU%n",
                        threads, r.perSecond(), r.cpu(), r.firstUseMs());
            }
        }
        // the code's own cost: the same deliveries with fsync off (a fresh store, warmed the same way)
        double cpuNoFsync = 0;
        double delivererNoFsync = 0;
        try (MaildirStore store = new MaildirStore(config(work.resolve("n"), false))) {
            deliveries(store, "warm", 1, 4, 2000); // long enough for C2 to settle: the CPU figures need it
            // one deliverer in rounds: the least CPU of the rounds is the figure least inflated by other
            // processes on a shared machine (cache and core contention only ever add to it)
            cpuNoFsync = Double.MAX_VALUE;
            delivererNoFsync = Double.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                Rate r = deliveries(store, "nofsync1r" + round, 1, 1, 1000);
                System.out.printf("deliveries without fsync, 1 deliverer into one mailbox, round %d: %.0f msg/s, %s%n",
                        round + 1, r.perSecond(), r.cpu());
                cpuNoFsync = Math.min(cpuNoFsync, r.cpuMs());
                delivererNoFsync = Math.min(delivererNoFsync, r.delivererMs());
            }
            System.out.printf("deliveries without fsync, 1 deliverer, least of 5 rounds: %.2f ms CPU (whole process), "
                    + "%.2f ms (deliverer thread)%n", cpuNoFsync, delivererNoFsync);
            Rate r = deliveries(store, "nofsync10", 1, 10, 3000);
            System.out.printf("deliveries without fsync, 10 deliverers into one mailbox: %.0f msg/s, %s%n",
                    r.perSecond(), r.cpu());
        }
        // the two bounds side by side: the code's CPU (fsync off) allows cores / CPU-per-delivery; the disk allows
        // its fsync rate divided by the 2 fsyncs a lone delivery waits for in turn (the file's, then new/'s and
        // dovecot-uidlist's, which run side by side). With fsync on,
        // the CPU per delivery also holds the kernel's fsync work and time-driven work (Lucene's 5 s commit, H2's
        // background writer) spread over fewer deliveries when they are slower.
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("bound by the code: %d cores / %.2f ms CPU (fsync off, 1 deliverer, whole process, least of 5 rounds) = %.0f msg/s "
                + "(deliverer thread alone %.2f ms; whole process with fsync on %.2f ms: %.0f msg/s); "
                + "bound by the disk, 1 deliverer: %.0f fsyncs/s / 2 = %.0f msg/s%n", cores, cpuNoFsync,
                cores * 1000 / cpuNoFsync, delivererNoFsync, cpuFsync, cores * 1000 / cpuFsync, fsync1, fsync1 / 2);
        if (n == 0) {
            return; // run.sh 0: the fsync and delivery figures only
        }
        Random rnd = new Random(42);

        // 3. an N-message mailbox: files written straight into cur/ (as an rsync or another server would), then
        // the first open indexes them all: that is the index rebuild.
        Path base = work.resolve("big");
        Path inbox = base.resolve("mail/example.org/big");
        Files.createDirectories(inbox.resolve("cur"));
        Files.createDirectories(inbox.resolve("new"));
        Files.createDirectories(inbox.resolve("tmp"));
        long bytes = 0;
        s0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            byte[] m = message(rnd, i);
            bytes += m.length;
            String flags = rnd.nextInt(3) == 0 ? "" : "S";
            if (rnd.nextInt(20) == 0) {
                flags = "F" + flags;
            }
            Files.write(inbox.resolve("cur/" + (1_600_000_000L + i) + ".M" + i + "P1Q" + i + ".bench,S=" + m.length + ":2," + flags), m);
        }
        System.out.printf("generated %d messages, %.0f MB, in %.1f s%n", n, bytes / 1e6, (System.nanoTime() - s0) / 1e9);

        try (MaildirStore store = new MaildirStore(config(base, false))) {
            long s = System.nanoTime();
            Mailbox box = store.account("big@example.org").open("INBOX", true, null);
            double rebuild = (System.nanoTime() - s) / 1e9;
            System.out.printf("index rebuild (H2, parse + insert) of %d messages: %.1f s (%.0f msg/s)%n", n, rebuild, n / rebuild);
            s = System.nanoTime();
            // wait for the background full-text index to catch up: until then a text search reads every file
            while (true) {
                long q = System.nanoTime();
                box.search(new SearchQuery.Text(SearchQuery.Field.BODY, "zzzznotthere"), List.of());
                if ((System.nanoTime() - q) / 1e6 < 300) {
                    break;
                }
                Thread.sleep(2000);
            }
            System.out.printf("full-text (Lucene) rebuild: %.1f s more%n", (System.nanoTime() - s) / 1e9);

            LocalDate day = LocalDate.of(2024, 6, 1);
            List<Object[]> queries = List.of(
                    new Object[] {"SUBJECT substring", (Supplier<SearchQuery>) () -> new SearchQuery.Text(SearchQuery.Field.SUBJECT, "budget")},
                    new Object[] {"FROM substring", (Supplier<SearchQuery>) () -> new SearchQuery.Text(SearchQuery.Field.FROM, "hopper")},
                    new Object[] {"BODY word", (Supplier<SearchQuery>) () -> new SearchQuery.Text(SearchQuery.Field.BODY, "bicycle")},
                    new Object[] {"BODY rare substring", (Supplier<SearchQuery>) () -> new SearchQuery.Text(SearchQuery.Field.BODY, "token4242")},
                    new Object[] {"TEXT two words", (Supplier<SearchQuery>) () -> new SearchQuery.Text(SearchQuery.Field.TEXT, "token777 garden")},
                    new Object[] {"UNSEEN FLAGGED", (Supplier<SearchQuery>) () -> new SearchQuery.And(List.of(
                            new SearchQuery.Not(new SearchQuery.HasFlag(Flags.SEEN)), new SearchQuery.HasFlag(Flags.FLAGGED)))},
                    new Object[] {"SENTSINCE + LARGER", (Supplier<SearchQuery>) () -> new SearchQuery.And(List.of(
                            new SearchQuery.Since(day, true), new SearchQuery.Larger(1500)))});
            for (Object[] q : queries) {
                @SuppressWarnings("unchecked")
                Supplier<SearchQuery> sq = (Supplier<SearchQuery>) q[1];
                latency((String) q[0], () -> box.search(sq.get(), List.of()).size());
            }
            latency("SORT DATE reverse, all", () -> box.search(new SearchQuery.All(), List.of(SortKey.reversed(SortKey.Criterion.DATE))).size());
            latency("SORT FROM, UNSEEN", () -> box.search(new SearchQuery.Not(new SearchQuery.HasFlag(Flags.SEEN)), List.of(SortKey.of(SortKey.Criterion.FROM))).size());
            // page(): what the webmail's grid asks for as the user opens the folder and scrolls
            double[] first = latency("page(date desc, 0, 50)", () -> box.page(List.of(SortKey.reversed(SortKey.Criterion.DATE)), 0, 50).size());
            latency("page(date desc, " + n / 2 + ", 50)", () -> box.page(List.of(SortKey.reversed(SortKey.Criterion.DATE)), n / 2, 50).size());
            latency("page(date desc, " + (n - 50) + ", 50)", () -> box.page(List.of(SortKey.reversed(SortKey.Criterion.DATE)), n - 50, 50).size());
            latency("page(arrival desc, 0, 50)", () -> box.page(List.of(SortKey.reversed(SortKey.Criterion.ARRIVAL)), 0, 50).size());
            latency("page(from, " + n / 2 + ", 50)", () -> box.page(List.of(SortKey.of(SortKey.Criterion.DISPLAY_FROM)), n / 2, 50).size());
            latency("page(subject, 0, 50)", () -> box.page(List.of(SortKey.of(SortKey.Criterion.SUBJECT)), 0, 50).size());
            latency("page(size desc, 0, 50)", () -> box.page(List.of(SortKey.reversed(SortKey.Criterion.SIZE)), 0, 50).size());
            latency("messages() all", () -> box.messages().size());
            // the same first page of a 100-message folder: the webmail target is within 1.5x of it
            Mailbox small = store.account("big@example.org").open("Archive", true, null);
            for (int i = 0; i < 100; i++) {
                small.info(); // keep the view open while the folder fills
                store.deliver("big@example.org", "Archive", new ByteArrayInputStream(message(rnd, n + i)), Set.of());
            }
            double[] smallFirst = latency("100-msg folder page(date desc, 0, 50)", () -> small.page(List.of(SortKey.reversed(SortKey.Criterion.DATE)), 0, 50).size());
            System.out.printf("first page, %d-message folder / 100-message folder: p50 %.2fx, p99 %.2fx (target <= 1.5x)%n",
                    n, first[0] / smallFirst[0], first[1] / smallFirst[1]);
            small.close();
            box.close();
            // the webmail's folder switch: open read-write (the previous folder closed), counts, first page
            var account = store.account("big@example.org");
            double[] bigSwitch = latency("switch to " + n + "-msg folder", () -> folderSwitch(account, "INBOX"));
            double[] smallSwitch = latency("switch to 100-msg folder", () -> folderSwitch(account, "Archive"));
            System.out.printf("folder switch, %d-message folder / 100-message folder: p50 %.2fx, p99 %.2fx%n",
                    n, bigSwitch[0] / smallSwitch[0], bigSwitch[1] / smallSwitch[1]);
        }
    }

    static int folderSwitch(org.facteur.storage.AccountStore account, String folder) throws Exception {
        try (Mailbox m = account.open(folder, false, e -> { })) {
            account.status(folder);
            return m.page(List.of(SortKey.reversed(SortKey.Criterion.DATE)), 0, 50).size();
        }
    }

    static long s0;

    /** fsyncs per second of {@code threads} threads each writing 4 KB + fsync to its own file. */
    static double fsyncRate(Path work, int threads, int each) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Path f = work.resolve("fsync-probe-" + threads + "-" + t);
            fs.add(pool.submit(() -> {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    ByteBuffer b = ByteBuffer.allocate(4096);
                    for (int i = 0; i < each; i++) {
                        b.clear();
                        ch.write(b, (long) i * 4096);
                        ch.force(true);
                    }
                }
                return null;
            }));
        }
        for (Future<?> x : fs) {
            x.get();
        }
        pool.shutdown();
        return (double) threads * each / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * The file operations a delivery must do and nothing else (no parse, no index, no search): the disk's bound for
     * {@link #deliveries}, in the same shape. Each deliverer writes its message to a new file in {@code tmp/} and
     * fsyncs it; then, grouped as the store's group commit groups them (the first waiting deliverer leads and takes
     * everything queued meanwhile), each file is renamed into {@code new/}, then {@code new/} is fsynced once while
     * one line per message is appended to a uidlist file, fsynced once (the two at the same time, as the store
     * does). Deliveries/s over this rate says how close the store comes to the disk.
     */
    static final class BareMaildir {
        private final Path dir;
        private final FileChannel uidlist;
        private List<String> queue = new ArrayList<>();
        private final java.util.Set<String> done = new java.util.HashSet<>();
        private boolean leading;

        private BareMaildir(Path dir) throws java.io.IOException {
            this.dir = dir;
            for (String sub : new String[] {"tmp", "new", "cur"}) {
                Files.createDirectories(dir.resolve(sub));
            }
            uidlist = FileChannel.open(dir.resolve("uidlist"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }

        /** Messages/s of {@code threads} deliverers doing {@code total} bare deliveries of the benchmark's messages. */
        static double rate(Path dir, int threads, int total) throws Exception {
            BareMaildir m = new BareMaildir(dir);
            Random r = new Random(threads);
            byte[][] messages = new byte[total][];
            for (int i = 0; i < total; i++) {
                messages[i] = message(r, i);
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            List<Future<?>> fs = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        m.deliver(i + ".bare", messages[i]);
                    }
                    return null;
                }));
            }
            for (Future<?> x : fs) {
                x.get();
            }
            double perSecond = total / ((System.nanoTime() - t0) / 1e9);
            pool.shutdown();
            m.uidlist.close();
            return perSecond;
        }

        private void deliver(String name, byte[] message) throws Exception {
            try (FileChannel ch = FileChannel.open(dir.resolve("tmp").resolve(name), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(message));
                ch.force(true);
            }
            List<String> batch;
            synchronized (this) {
                queue.add(name);
                while (leading && !done.contains(name)) {
                    wait();
                }
                if (done.remove(name)) {
                    return;
                }
                leading = true;
                batch = queue;
                queue = new ArrayList<>();
            }
            try {
                StringBuilder lines = new StringBuilder();
                for (String n : batch) {
                    Files.move(dir.resolve("tmp").resolve(n), dir.resolve("new").resolve(n),
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    lines.append(n).append('\n');
                }
                // the renames are made durable while the uidlist line is written, as the store does
                java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
                Thread renames = Thread.ofVirtual().start(() -> {
                    try (FileChannel d = FileChannel.open(dir.resolve("new"), StandardOpenOption.READ)) {
                        d.force(true);
                    } catch (Exception e) {
                        failed.set(e);
                    }
                });
                uidlist.write(ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8)));
                uidlist.force(true);
                renames.join();
                if (failed.get() != null) {
                    throw failed.get();
                }
            } finally {
                synchronized (this) { // a failure fails the run (the leader throws); nobody is left waiting
                    done.addAll(batch);
                    done.remove(name);
                    leading = false;
                    notifyAll();
                }
            }
        }
    }

    /**
     * Deliveries per second, and CPU ms per delivery: the whole process's (every thread: Lucene's merges and
     * commits, H2's writer, GC and JIT too), the part of it spent in the kernel, and the deliverer threads' own
     * (parse, Lucene indexing, H2 insert, file writes: the code's cost, steadier over a short run).
     */
    /** Per delivery, in the clock; firstUseMs: process CPU of each account's first delivery, before the clock. */
    record Rate(double perSecond, double cpuMs, double systemMs, double delivererMs, double firstUseMs) {
        String cpu() {
            return String.format("%.2f ms CPU each (%.2f in the kernel; %.2f in the deliverer threads)", cpuMs,
                    systemMs, delivererMs);
        }
    }

    /**
     * The process's CPU time in the kernel, in ns (Linux /proc/self/stat, field 15, in clock ticks of 10 ms),
     * or 0 elsewhere: fsync and file I/O are spent there, the code's own work mostly in user time.
     */
    static long systemCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[12]) * 10_000_000L; // f[0] is field 3 (state); stime is field 15
        } catch (Exception e) {
            return 0;
        }
    }

    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** {@code threads} deliverers sending {@code total} messages over {@code accounts}: rate and CPU per message. */
    static Rate deliveries(MaildirStore store, String prefix, int accounts, int threads, int total) throws Exception {
        for (int a = 0; a < accounts; a++) {
            store.account(prefix + a + "@example.org"); // the maildirs exist before the clock starts
        }
        // and each INBOX has had its first use: that opens the account's Lucene IndexWriter, reconciles the
        // index in the background (a reader, so a segment flush), loads the folder and prepares its first H2
        // statements, 15-30 ms of whole-process CPU per new account once warm (docs/storage.md). Inside the
        // clock it made "10 over ten accounts" (30 deliveries per account) look ~0.6 ms dearer per delivery
        // than one mailbox; it is a per-account cost, reported apart as firstUseMs.
        long first0 = OS.getProcessCpuTime();
        for (int a = 0; a < accounts; a++) {
            store.deliver(prefix + a + "@example.org", "INBOX", new ByteArrayInputStream(message(new Random(a), -1 - a)),
                    Set.of());
        }
        Thread.sleep(300); // the background reconcile of each new INBOX ends before the clock starts
        double firstUseMs = (OS.getProcessCpuTime() - first0) / 1e6 / accounts;
        // the messages are made before the clock starts: their making is not the store's CPU
        Random r = new Random(threads);
        byte[][] messages = new byte[total][];
        for (int i = 0; i < total; i++) {
            messages[i] = message(r, i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong delivererCpu = new java.util.concurrent.atomic.AtomicLong();
        var threadCpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = OS.getProcessCpuTime();
        long sys0 = systemCpuNanos();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                long mine = threadCpu.getCurrentThreadCpuTime();
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    store.deliver(prefix + (i % accounts) + "@example.org", "INBOX",
                            new ByteArrayInputStream(messages[i]), Set.of());
                }
                delivererCpu.addAndGet(threadCpu.getCurrentThreadCpuTime() - mine);
                return null;
            }));
        }
        for (Future<?> x : fs) {
            x.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cpu = OS.getProcessCpuTime() - cpu0;
        long sys = systemCpuNanos() - sys0;
        pool.shutdown();
        return new Rate(total / seconds, cpu / 1e6 / total, sys / 1e6 / total, delivererCpu.get() / 1e6 / total,
                firstUseMs);
    }
    interface Op {
        int run() throws Exception;
    }

    /** Prints p50/p99 of {@code op} and returns them in ms. */
    static double[] latency(String name, Op op) throws Exception {
        for (int i = 0; i < 5; i++) {
            op.run();
        }
        int runs = 60;
        double[] ms = new double[runs];
        int hits = 0;
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            hits = op.run();
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(ms);
        double p99 = ms[(int) Math.ceil(runs * 0.99) - 1];
        System.out.printf("  %-38s hits %6d  p50 %7.1f ms  p99 %7.1f ms%n", name, hits, ms[runs / 2], p99);
        return new double[] {ms[runs / 2], p99};
    }

    static byte[] message(Random r, int i) {
        String from = NAMES[r.nextInt(NAMES.length)];
        String to = NAMES[r.nextInt(NAMES.length)];
        StringBuilder subj = new StringBuilder();
        for (int w = 0; w < 3 + r.nextInt(5); w++) {
            subj.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
        }
        StringBuilder body = new StringBuilder();
        int words = 40 + r.nextInt(300);
        for (int w = 0; w < words; w++) {
            body.append(WORDS[r.nextInt(WORDS.length)]).append(w % 12 == 11 ? "\r\n" : " ");
        }
        body.append("\r\nref token").append(i).append("\r\n");
        int day = 1 + r.nextInt(28);
        int month = 1 + r.nextInt(12);
        String date = String.format("%s, %d %s %d 10:%02d:00 +0100", "Mon", day,
                new String[] {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}[month - 1],
                2023 + r.nextInt(2), r.nextInt(60));
        String head = "From: " + from + " <" + from.toLowerCase().replaceAll("[^a-z]", ".") + "@example.org>\r\n"
                + "To: " + to + " <" + to.toLowerCase().replaceAll("[^a-z]", ".") + "@example.com>\r\n"
                + "Subject: " + (r.nextInt(4) == 0 ? "Re: " : "") + subj.toString().trim() + "\r\n"
                + "Date: " + date + "\r\n"
                + "Message-ID: <" + i + "." + r.nextInt(1_000_000) + "@bench.example.org>\r\n"
                + "MIME-Version: 1.0\r\n";
        String msg;
        if (r.nextInt(4) == 0) {
            msg = head + "Content-Type: multipart/alternative; boundary=\"b" + i + "\"\r\n\r\n"
                    + "--b" + i + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body
                    + "--b" + i + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                    + "<html><body><p>" + body.toString().replace("\r\n", "</p>\r\n<p>") + "</p></body></html>\r\n"
                    + "--b" + i + "--\r\n";
        } else {
            msg = head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body;
        }
        return msg.getBytes(StandardCharsets.UTF_8);
    }
}
