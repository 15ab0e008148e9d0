package org.facteur.storage.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.store.FSDirectory;
import org.facteur.storage.SearchQuery;
import org.facteur.storage.mime.TextExtractor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lucene index per account, near-real-time (a reader reopened on search after writes), committed every
 * few seconds and on close; a lost tail is re-added by {@link #reconcile} on the next start. Writes are applied
 * by one thread of their own ({@link IndexingQueue}): callers return once theirs is queued, and a search first
 * waits briefly for what was queued before it, then reads whatever is still waiting (see {@link #expect}).
 *
 * <p>IMAP SEARCH BODY/TEXT is a substring match, words or not. Text is cut into runs of letters and digits,
 * lower-cased. A term is cut the same way: with one run it must be inside some indexed word, found with a
 * {@code *run*} wildcard on the term dictionary, and the answer is exact; with several runs, the first must
 * end a word, the last start one and the middle ones be whole words, which yields candidates that the
 * {@link SearchEngine} verifies against the decoded text.
 */
public final class LuceneFullText implements FullText {

    private static final Logger LOG = LoggerFactory.getLogger(LuceneFullText.class);
    static final String ID = "id";
    static final String MAILBOX = "mbox";
    static final String UID = "uid";
    static final String HEADERS = "headers";
    static final String BODY = "body";
    static final String ATTACHMENT = "att";

    private final Path dir;
    private final TextExtractor extractor;
    private final Analyzer analyzer = new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            return new TokenStreamComponents(new WordRunTokenizer());
        }
    };
    /**
     * The text fields: terms only. Every query here is a term, prefix or wildcard filter collected without
     * scores, so term frequencies, positions and norms would be written and merged for nothing.
     */
    private static final FieldType TEXT = textOnly();
    /**
     * The commit user data key naming how the index was built; an index built otherwise (format 1: frequencies,
     * positions and norms) cannot take documents of this shape, so it is rebuilt from the maildir.
     */
    static final String FORMAT_KEY = "facteur.format";
    static final String FORMAT = "2";
    private final Map<String, AccountIndex> accounts = new ConcurrentHashMap<>();
    /** Mailboxes whose index is being rebuilt: their searches read the messages instead. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    /** Per mailbox ({@link #key}), the UIDs announced by {@link #expect} and not yet added. */
    private final Map<String, Set<Long>> unindexed = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fulltext-reindex");
        t.setDaemon(true);
        return t;
    });
    /** Adds and deletes, in the order they were asked for. */
    private final IndexingQueue writes = new IndexingQueue("fulltext-index", QUEUE_CAPACITY);
    /**
     * How far the indexer may fall behind the deliveries before they wait for it: a burst is acknowledged at the
     * speed of the maildir and the H2 index, and at most this many messages are read by a search instead.
     */
    static final int QUEUE_CAPACITY = 1024;
    /**
     * How long a search waits for the updates queued before it. Normally a few milliseconds; past it, the search
     * reads the messages not yet indexed itself, so a slow indexer delays no answer by more than this.
     */
    static final long SEARCH_WAIT_MILLIS = 2_000;
    /**
     * How often each changed account index is committed. A commit is for durability only (searches see updates
     * through the near-real-time reader), and what a crash loses since the last one the next start's reconcile
     * re-adds from the maildir. Each commit flushes a segment and fsyncs its files, per account: at 5 s, 200
     * accounts at 200 msg/s spent a third of the indexing CPU committing (3.1-3.6 ms of process CPU per delivery;
     * 2.2-3.0 ms at 30 s).
     */
    static final long COMMIT_SECONDS = 30;
    private final java.util.concurrent.ScheduledExecutorService committer =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fulltext-commit");
                t.setDaemon(true);
                return t;
            });

    private volatile boolean closed;

    private record AccountIndex(IndexWriter writer, SearcherManager searchers) {
    }

    public LuceneFullText(Path dir, TextExtractor extractor) throws IOException {
        this.dir = dir;
        this.extractor = extractor;
        Files.createDirectories(dir);
        committer.scheduleWithFixedDelay(this::commitAll, COMMIT_SECONDS, COMMIT_SECONDS, TimeUnit.SECONDS);
    }

    private AccountIndex index(String account) throws IOException {
        AccountIndex a = accounts.get(account);
        if (a != null) {
            return a;
        }
        synchronized (accounts) {
            a = accounts.get(account);
            if (a == null) {
                a = openIndex(dir.resolve(account.replaceAll("[^a-z0-9@._-]", "_")));
                accounts.put(account, a);
            }
            return a;
        }
    }

    private AccountIndex openIndex(Path path) throws IOException {
        try {
            return openAt(path);
        } catch (IOException | RuntimeException e) {
            LOG.warn("full-text index {} unreadable ({}); recreating it", path, e.toString());
            deleteTree(path);
            return openAt(path);
        }
    }

    private static void deleteTree(Path path) throws IOException {
        try (var s = Files.walk(path)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static FieldType textOnly() {
        FieldType t = new FieldType();
        t.setTokenized(true);
        t.setIndexOptions(IndexOptions.DOCS);
        t.setOmitNorms(true);
        t.freeze();
        return t;
    }

    private AccountIndex openAt(Path path) throws IOException {
        FSDirectory directory = FSDirectory.open(path);
        if (DirectoryReader.indexExists(directory)
                && !FORMAT.equals(SegmentInfos.readLatestCommit(directory).getUserData().get(FORMAT_KEY))) {
            // the first use of each mailbox reconciles it, which adds its messages again from their files
            LOG.info("full-text index {} is of an older format; rebuilding it from the maildir", path);
            directory.close();
            deleteTree(path);
            directory = FSDirectory.open(path);
        }
        IndexWriterConfig cfg = new IndexWriterConfig(analyzer);
        cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        cfg.setRAMBufferSizeMB(16);
        IndexWriter w = new IndexWriter(directory, cfg);
        w.setLiveCommitData(Map.of(FORMAT_KEY, FORMAT).entrySet());
        return new AccountIndex(w, new SearcherManager(w, null));
    }

    private static String key(String account, long mailboxId) {
        return account + "/" + mailboxId;
    }

    @Override
    public void expect(String account, long mailboxId, Collection<Long> uids) {
        unindexed.computeIfAbsent(key(account, mailboxId), k -> ConcurrentHashMap.newKeySet()).addAll(uids);
    }

    private void indexed(String account, long mailboxId, Collection<Long> uids) {
        Set<Long> waiting = unindexed.get(key(account, mailboxId));
        if (waiting != null) {
            waiting.removeAll(uids);
        }
    }

    private static String id(long mailboxId, long uid) {
        return mailboxId + ":" + uid;
    }

    @Override
    public void add(String account, long mailboxId, long uid, Path file) {
        writes.submit(() -> addNow(account, mailboxId, uid, file));
    }

    @Override
    public void add(String account, long mailboxId, long uid, TextExtractor.Extracted text) {
        writes.submit(() -> addNow(account, mailboxId, uid, text));
    }

    @Override
    public void delete(String account, long mailboxId, Collection<Long> uids) {
        writes.submit(() -> deleteNow(account, mailboxId, uids));
    }

    @Override
    public void deleteMailbox(String account, long mailboxId) {
        writes.submit(() -> {
            unindexed.remove(key(account, mailboxId));
            index(account).writer().deleteDocuments(new Term(MAILBOX, Long.toString(mailboxId)));
        });
    }

    private void addNow(String account, long mailboxId, long uid, Path file) {
        TextExtractor.Extracted x;
        try {
            x = extractor.extract(file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("full-text indexing of {} failed: {}", file, e.toString());
            return;
        }
        addNow(account, mailboxId, uid, x);
    }

    private void addNow(String account, long mailboxId, long uid, TextExtractor.Extracted x) {
        try {
            Document d = new Document();
            d.add(new StringField(ID, id(mailboxId, uid), Field.Store.NO));
            d.add(new StringField(MAILBOX, Long.toString(mailboxId), Field.Store.NO));
            d.add(new NumericDocValuesField(UID, uid));
            d.add(new Field(HEADERS, x.headers(), TEXT));
            d.add(new Field(BODY, x.body(), TEXT));
            d.add(new Field(ATTACHMENT, String.join("\n", x.attachmentNames()), TEXT));
            for (Map.Entry<String, String> h : x.header().entrySet()) {
                d.add(new Field("h." + h.getKey(), h.getValue(), TEXT));
            }
            index(account).writer().updateDocument(new Term(ID, id(mailboxId, uid)), d);
            // after the update: a search that no longer sees the UID as unindexed refreshes after it too
            indexed(account, mailboxId, List.of(uid));
        } catch (IOException | RuntimeException e) {
            LOG.warn("full-text indexing of {}/{} UID {} failed: {}", account, mailboxId, uid, e.toString());
        }
    }

    private void deleteNow(String account, long mailboxId, Collection<Long> uids) {
        try {
            IndexWriter w = index(account).writer();
            for (long uid : uids) {
                w.deleteDocuments(new Term(ID, id(mailboxId, uid)));
            }
            indexed(account, mailboxId, uids);
        } catch (IOException | RuntimeException e) {
            LOG.warn("full-text delete failed: {}", e.toString());
        }
    }

    @Override
    public void reconcile(String account, long mailboxId, Map<Long, Path> files, long uidNext) {
        String key = key(account, mailboxId);
        pending.add(key);
        background.submit(() -> {
            try {
                // what was queued before (this mailbox's last deliveries and expunges) is in the index first
                writes.awaitApplied(TimeUnit.MINUTES.toMillis(1));
                long[] have = uids(account, mailboxId, new TermQuery(new Term(MAILBOX, Long.toString(mailboxId))));
                List<Long> extra = new ArrayList<>();
                for (long uid : have) {
                    // a UID from uidNext on was delivered after the snapshot (and indexed by its deliverer)
                    if (uid < uidNext && !files.containsKey(uid)) {
                        extra.add(uid);
                    }
                }
                deleteNow(account, mailboxId, extra);
                int added = 0;
                for (Map.Entry<Long, Path> e : files.entrySet()) {
                    if (closed) {
                        return; // stays pending; the next start reconciles again
                    }
                    if (java.util.Arrays.binarySearch(have, e.getKey()) < 0 && Files.exists(e.getValue())) {
                        addNow(account, mailboxId, e.getKey(), e.getValue());
                        added++;
                    }
                }
                if (added > 0 || !extra.isEmpty()) {
                    LOG.info("full-text index of {}: {} messages added, {} removed", key, added, extra.size());
                    index(account).writer().commit();
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("full-text reconcile of {} failed: {}", key, e.toString());
                return;
            }
            pending.remove(key);
        });
    }

    @Override
    public Candidates candidates(String account, long mailboxId, SearchQuery.Field field, String value) {
        if (pending.contains(key(account, mailboxId))) {
            return null;
        }
        List<String> runs = runs(value);
        if (runs.isEmpty()) {
            return null;
        }
        List<String> fields = switch (field) {
            case BODY -> List.of(BODY);
            case ATTACHMENT_NAME -> List.of(ATTACHMENT);
            case FROM -> List.of("h.from");
            case TO -> List.of("h.to");
            case CC -> List.of("h.cc");
            case BCC -> List.of("h.bcc");
            case SUBJECT -> List.of("h.subject");
            case MESSAGE_ID -> List.of("h.message-id");
            case TEXT -> List.of(HEADERS, BODY);
        };
        BooleanQuery.Builder q = new BooleanQuery.Builder();
        q.add(new TermQuery(new Term(MAILBOX, Long.toString(mailboxId))), BooleanClause.Occur.FILTER);
        for (int i = 0; i < runs.size(); i++) {
            String r = runs.get(i);
            boolean first = i == 0;
            boolean last = i == runs.size() - 1;
            BooleanQuery.Builder any = new BooleanQuery.Builder();
            for (String f : fields) {
                Query one;
                if (first && last) {
                    one = new WildcardQuery(new Term(f, "*" + r + "*"));
                } else if (first) {
                    one = new WildcardQuery(new Term(f, "*" + r));
                } else if (last) {
                    one = new PrefixQuery(new Term(f, r));
                } else {
                    one = new TermQuery(new Term(f, r));
                }
                any.add(one, BooleanClause.Occur.SHOULD);
            }
            q.add(any.build(), BooleanClause.Occur.FILTER);
        }
        try {
            // one run and nothing else: a word containing it is a true substring match, no need to verify
            boolean exact = runs.size() == 1 && runs.get(0).equals(value.toLowerCase(Locale.ROOT));
            writes.awaitApplied(SEARCH_WAIT_MILLIS);
            // read before searching: a UID added meanwhile is then in the refreshed searcher
            Set<Long> waiting = unindexed.getOrDefault(key(account, mailboxId), Set.of());
            long[] notYet = waiting.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Candidates(uids(account, mailboxId, q.build()), exact, notYet);
        } catch (IOException | RuntimeException e) {
            LOG.warn("full-text search failed: {}", e.toString());
            return null;
        }
    }

    /** Runs of letters and digits, lower-cased, as the analyzer cuts text. */
    static List<String> runs(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        value.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp)) {
                cur.appendCodePoint(Character.toLowerCase(cp));
            } else if (!cur.isEmpty()) {
                out.add(cur.toString());
                cur.setLength(0);
            }
        });
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    /** The UIDs of the matching documents, ascending and distinct, collected without boxing. */
    private long[] uids(String account, long mailboxId, Query query) throws IOException {
        AccountIndex a = index(account);
        a.searchers().maybeRefreshBlocking();
        IndexSearcher s = a.searchers().acquire();
        try {
            LongCollector out = new LongCollector();
            s.search(query, new SimpleCollector() {
                private NumericDocValues uids;

                @Override
                protected void doSetNextReader(LeafReaderContext context) throws IOException {
                    uids = context.reader().getNumericDocValues(UID);
                }

                @Override
                public void collect(int doc) throws IOException {
                    if (uids != null && uids.advanceExact(doc)) {
                        out.add(uids.longValue());
                    }
                }

                @Override
                public ScoreMode scoreMode() {
                    return ScoreMode.COMPLETE_NO_SCORES;
                }
            });
            return out.sortedDistinct();
        } finally {
            a.searchers().release(s);
        }
    }

    private void commitAll() {
        for (AccountIndex a : accounts.values()) {
            try {
                if (a.writer().hasUncommittedChanges()) {
                    a.writer().commit();
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("full-text commit failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        // No interrupts: an interrupted thread closes Lucene's file channels under it (ClosedByInterruptException).
        closed = true;
        committer.shutdown();
        background.shutdown();
        try {
            background.awaitTermination(30, TimeUnit.SECONDS);
            writes.close(); // what deliveries queued is indexed and committed below, not left to the next start
            committer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (AccountIndex a : accounts.values()) {
            try {
                a.searchers().close();
                a.writer().close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("full-text close failed: {}", e.toString());
            }
        }
        accounts.clear();
    }

    /** A growing array of longs. */
    private static final class LongCollector {
        private long[] values = new long[256];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] sortedDistinct() {
            long[] out = java.util.Arrays.copyOf(values, size);
            java.util.Arrays.sort(out);
            int n = 0;
            for (int i = 0; i < out.length; i++) {
                if (n == 0 || out[i] != out[n - 1]) {
                    out[n++] = out[i];
                }
            }
            return n == out.length ? out : java.util.Arrays.copyOf(out, n);
        }
    }
}
