import java.nio.file.*;
import java.util.*;
import org.facteur.storage.index.*;
import org.facteur.storage.mime.IndexFields;
/**
 * Thread CPU of the H2 side of one lone delivery: one message row inserted, the mailbox counters updated, one commit
 * ({@code IndexDatabase.insert}, as a group commit of one does it), on a real H2 file. Least of 5 rounds of 4,000 after
 * 3 warm-up rounds: the JIT-compiled cost, which the whole-delivery figures of StorageBench cannot separate.
 *
 * Run: java -cp "storage/target/classes:config/target/classes:CLASSPATH" bench/storage/IndexInsertBench.java LABEL
 * (CLASSPATH as bench/storage/run.sh builds it)
 */
public class IndexInsertBench {
    public static void main(String[] a) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "index-insert-bench");
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double best = 1e9;
        try (IndexDatabase db = IndexDatabase.open(dir)) {
            long id = db.createMailbox("a@example.org", "INBOX", 1, 1, 1);
            long uid = 1;
            for (int round = 0; round < 8; round++) {
                long c0 = mx.getCurrentThreadCpuTime();
                int n = 4000;
                for (int i = 0; i < n; i++, uid++) {
                    IndexFields f = new IndexFields(1_700_000_000_000L + uid, "alice@example.org", "bob@example.org", "",
                        "quarterly budget review " + uid, "alice martin", "bob dupont", "Alice Martin <alice@example.org>",
                        "Bob Dupont <bob@example.org>", "", "", "Quarterly budget review " + uid, "<" + uid + "@example.org>",
                        "<" + uid + "@example.org>", false);
                    MessageRow r = new MessageRow(id, uid, uid, Set.of(), 1000, 1000, 4000, "new/" + uid + ".host", f, new byte[300]);
                    db.insert(List.of(r), id, uid + 1, uid);
                }
                double us = (mx.getCurrentThreadCpuTime() - c0) / 1e3 / n;
                if (round >= 3) best = Math.min(best, us);
            }
        }
        System.out.printf("%s: %.0f us of thread CPU per one-row insert (least of 5 rounds of 4,000 after 3 warm-up rounds)%n", a[0], best);
        try (var s = Files.walk(dir)) { s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); }
    }
}
