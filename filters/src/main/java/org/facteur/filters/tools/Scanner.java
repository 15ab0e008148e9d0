package org.facteur.filters.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.facteur.filters.ClientInfo;
import org.facteur.filters.DataVerdict;
import org.facteur.filters.EntryPoint;
import org.facteur.filters.FilterChain;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;
import org.facteur.filters.Verdict;
import org.facteur.filters.report.SpamReport;

/**
 * {@code facteur scan FILE|DIR|MBOX [--report]}: runs the end-of-data filters (attachments, GTUBE, rules,
 * Bayes with the data folder's databases, the verdict) on stored messages without delivering them, as
 * {@code spamassassin -t} does. One line per message: {@code name<TAB>verdict<TAB>score}; with the report,
 * the X-Spam headers follow, indented. Messages are scanned in parallel, printed in order.
 */
public final class Scanner {

    /** One scanned message. */
    public record Line(String name, Verdict.Action action, double score, List<FilterContext.AddedHeader> headers) {
    }

    private final FilterChain chain;
    private final int threads;

    public Scanner(FilterChain chain, int threads) {
        this.chain = chain;
        this.threads = Math.max(1, threads);
    }

    /** Scans and prints; returns how many were spam (any verdict other than CONTINUE/ACCEPT). */
    public int scan(Path source, boolean report, PrintWriter out) throws IOException {
        Path spool = Files.createTempDirectory("facteur-scan");
        int[] spam = {0};
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Line>> pending = new ArrayList<>();
            MessageSource.walk(source, item -> {
                pending.add(pool.submit(() -> scanOne(spool, item)));
                if (pending.size() >= threads * 4) {
                    print(pending.remove(0), report, out, spam);
                }
            });
            while (!pending.isEmpty()) {
                print(pending.remove(0), report, out, spam);
            }
        } finally {
            try (var files = Files.list(spool)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(spool);
        }
        out.flush();
        return spam[0];
    }

    private static void print(Future<Line> future, boolean report, PrintWriter out, int[] spam) throws IOException {
        Line line;
        try {
            line = future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        }
        boolean isSpam = line.action() != Verdict.Action.CONTINUE && line.action() != Verdict.Action.ACCEPT;
        if (isSpam) {
            spam[0]++;
        }
        out.println(line.name() + "\t" + verdictText(line.action()) + "\t" + SpamReport.format(line.score()));
        if (report) {
            for (FilterContext.AddedHeader h : line.headers()) {
                out.println("    " + h.name() + ": " + h.value().replace("\r\n", "\n    "));
            }
        }
    }

    private static String verdictText(Verdict.Action action) {
        return switch (action) {
            case CONTINUE, ACCEPT -> "ham";
            default -> action.name().toLowerCase(Locale.ROOT);
        };
    }

    /** Scans one message as if it came from an unknown client on port 25. */
    public Line scanOne(Path spool, MessageSource.Item item) throws IOException {
        Path file = Files.createTempFile(spool, "scan", ".eml");
        try {
            Files.write(file, item.content());
            FilterContext ctx = new FilterContext(new ClientInfo("scan", EntryPoint.MTA,
                    InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), null, null));
            MessageData message = new MessageData(file);
            DataVerdict.Copy judged = chain.data(ctx, message).only();
            if (!message.file().equals(file)) {
                Files.deleteIfExists(message.file());
            }
            return new Line(item.name(), judged.verdict().action(), judged.score(), judged.headers());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
