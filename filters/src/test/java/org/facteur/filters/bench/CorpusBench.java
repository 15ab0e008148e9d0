package org.facteur.filters.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.facteur.config.ConfigDefaults;
import org.facteur.filters.ClientInfo;
import org.facteur.filters.EntryPoint;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Filters;
import org.facteur.filters.MessageData;
import org.facteur.filters.ParsedMessage;
import org.facteur.filters.Verdict;

/**
 * k-fold accuracy and speed of the content chain on a labelled corpus (ham/ and spam/ folders):
 * for each fold, a fresh database is trained on the other folds, then every message of the fold goes
 * through the chain's end-of-data stage (GTUBE, attachments, rules, Bayes, verdict) on N threads.
 *
 * <pre>bench/filters/kfold.sh [CORPUS] [FOLDS] [THREADS]</pre>
 */
public final class CorpusBench {

    record Sample(Path file, boolean spam, int fold) {
    }

    public static void main(String[] args) throws Exception {
        Path corpus = args.length > 0 ? Path.of(args[0]) : org.facteur.filters.testing.Corpus.location();
        int folds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        List<Sample> samples = new ArrayList<>();
        load(corpus.resolve("ham"), false, folds, samples);
        load(corpus.resolve("spam"), true, folds, samples);
        FilterConfig config = ConfigDefaults.of(FilterConfig.class);
        int fp = 0, fn = 0, ham = 0, spam = 0;
        long classifyNanos = 0;
        int classified = 0;
        List<String> errors = new ArrayList<>();
        for (int fold = 0; fold < folds; fold++) {
            try (Filters filters = Filters.builder(() -> config).build()) {
                long t0 = System.nanoTime();
                int trained = 0;
                for (Sample s : samples) {
                    if (s.fold() != fold) {
                        filters.trainer().trainDeferred(ParsedMessage.parse(Files.readAllBytes(s.file())), s.spam(), "");
                        trained++;
                        if (trained % 500 == 0) {
                            System.out.printf(Locale.ROOT, "  trained %d in %.1fs%n", trained, (System.nanoTime() - t0) / 1e9);
                        }
                    }
                }
                long t1 = System.nanoTime();
                final int current = fold;
                List<Sample> test = samples.stream().filter(s -> s.fold() == current).toList();
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                List<Future<String>> results = new ArrayList<>();
                long start = System.nanoTime();
                long cpuStart = processCpuNanos();
                org.facteur.filters.FilterChain chain = filters.contentChain();
                for (Sample s : test) {
                    results.add(pool.submit(() -> classify(chain, s)));
                }
                int foldFp = 0, foldFn = 0;
                for (int i = 0; i < test.size(); i++) {
                    String r = results.get(i).get();
                    Sample s = test.get(i);
                    boolean saysSpam = r.startsWith("spam");
                    if (System.getProperty("bench.all") != null) {
                        System.out.println("ALL " + (s.spam() ? "spam " : "ham ") + r + " " + s.file().getFileName());
                    }
                    if (s.spam()) {
                        spam++;
                        if (!saysSpam) {
                            fn++;
                            foldFn++;
                            errors.add("FN " + r + " " + s.file().getFileName());
                        }
                    } else {
                        ham++;
                        if (saysSpam) {
                            fp++;
                            foldFp++;
                            errors.add("FP " + r + " " + s.file().getFileName());
                        }
                    }
                }
                long elapsed = System.nanoTime() - start;
                CPU.addAndGet(processCpuNanos() - cpuStart);
                pool.shutdown();
                classifyNanos += elapsed;
                classified += test.size();
                System.out.printf(Locale.ROOT, "fold %d: trained %d in %.1fs, tested %d in %.2fs (%.0f msgs/s), FP %d FN %d%n",
                        fold, trained, (t1 - t0) / 1e9, test.size(), elapsed / 1e9, test.size() / (elapsed / 1e9), foldFp, foldFn);
            }
        }
        if (System.getProperty("bench.errors") != null) {
            errors.forEach(System.out::println);
        }
        double perCpuSecond = classified / (CPU.get() / 1e9);
        System.out.printf(Locale.ROOT, "TOTAL ham %d spam %d | FP %d (%.2f%%) FN %d (%.2f%%) | wall %.0f msgs/s on %d threads"
                        + " | CPU %.2f ms/msg = %.0f msgs/s per core, %.0f msgs/s on two idle cores | load %.1f%n",
                ham, spam, fp, 100.0 * fp / ham, fn, 100.0 * fn / spam, classified / (classifyNanos / 1e9), threads,
                CPU.get() / 1e6 / classified, perCpuSecond, 2 * perCpuSecond,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static final AtomicInteger SESSION = new AtomicInteger();

    /**
     * CPU time of the whole process while classifying (every thread: the pool's, the filters' own virtual
     * threads, GC and JIT), so throughput per core is independent of the other load on the machine.
     */
    static final java.util.concurrent.atomic.AtomicLong CPU = new java.util.concurrent.atomic.AtomicLong();

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static String classify(org.facteur.filters.FilterChain chain, Sample s) throws IOException {
        FilterContext ctx = new FilterContext(new ClientInfo("b" + SESSION.incrementAndGet(), EntryPoint.MTA,
                InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 1}), null, null));
        ctx.reversePath("sender@example.net");
        ctx.addRecipient("user@example.org");
        org.facteur.filters.DataVerdict.Copy judged = chain.data(ctx, new MessageData(s.file())).only();
        Verdict v = judged.verdict();
        double score = judged.score();
        boolean spam = v.action() != Verdict.Action.CONTINUE && v.action() != Verdict.Action.ACCEPT;
        StringBuilder hits = new StringBuilder();
        judged.hits().forEach(h -> hits.append(h.rule()).append(' '));
        return (spam ? "spam " : "ham ") + String.format(Locale.ROOT, "%.1f", score) + " " + hits;
    }

    private static Path spool;

    private static void load(Path dir, boolean spam, int folds, List<Sample> out) throws IOException {
        if (spool == null) {
            spool = Files.createTempDirectory("facteur-bench");
            spool.toFile().deleteOnExit();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sorted = files.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList();
            for (Path original : sorted) {
                // The corpus files start with an mbox "From " line that SMTP never delivers: drop it, so the
                // chain sees what it would see at end of data.
                byte[] bytes = Files.readAllBytes(original);
                int start = 0;
                if (bytes.length > 5 && new String(bytes, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1).equals("From ")) {
                    while (start < bytes.length && bytes[start] != '\n') {
                        start++;
                    }
                    start++;
                }
                Path f = spool.resolve(original.getFileName());
                Files.write(f, java.util.Arrays.copyOfRange(bytes, Math.min(start, bytes.length), bytes.length));
                f.toFile().deleteOnExit();
                // A stable pseudo-random fold from the name: the same split on every run and for every tool.
                int fold = Math.floorMod(f.getFileName().toString().hashCode() * 31 + 7, folds);
                out.add(new Sample(f, spam, fold));
            }
        }
    }
}
