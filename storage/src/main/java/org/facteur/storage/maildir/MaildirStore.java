package org.facteur.storage.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.facteur.storage.AccountStore;
import org.facteur.storage.AppendResult;
import org.facteur.storage.MailStore;
import org.facteur.storage.StorageConfig;
import org.facteur.storage.index.IndexDatabase;
import org.facteur.storage.mime.StructureParser;
import org.facteur.storage.mime.TextExtractor;
import org.facteur.storage.search.FullText;
import org.facteur.storage.search.LuceneFullText;
import org.facteur.storage.search.SearchEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail store: a Maildir++ tree per account under {@link StorageConfig#root()}, one H2 index and one Lucene
 * index per account under {@link StorageConfig#indexDir()}. The maildir files are the truth; both indexes are
 * caches rebuilt from them (a missing or unreadable index is recreated at start and each mailbox is re-read
 * on first use, keeping its UIDs from {@code dovecot-uidlist}).
 */
public final class MaildirStore implements MailStore {

    private static final Logger LOG = LoggerFactory.getLogger(MaildirStore.class);

    private final StorageConfig config;
    private final IndexDatabase index;
    private final FullText fullText;
    private final StructureParser parser;
    /** What a delivery extracts for the full-text index as it parses; null when there is no such index. */
    private final TextExtractor textExtractor;
    private final SearchEngine searchEngine;
    private final Map<String, MaildirAccount> accounts = new ConcurrentHashMap<>();
    private final List<ReclassificationListener> reclassificationListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong lastUidValidity = new AtomicLong();
    private volatile org.facteur.storage.QuotaLimits.Source quotaLimits = org.facteur.storage.QuotaLimits.Source.DEFAULTS;
    private final ScheduledExecutorService rescanner;
    /** Deliveries to different mailboxes share one H2 transaction when they arrive together. */
    private final GroupCommit<IndexDatabase.MailboxInsert, Boolean> indexWrites;

    public MaildirStore(StorageConfig config) throws IOException {
        this.config = config;
        Files.createDirectories(config.root());
        Files.createDirectories(config.indexDir());
        this.index = IndexDatabase.open(config.indexDir().resolve("h2"));
        this.parser = new StructureParser(config.maxMimeDepth());
        TextExtractor extractor = new TextExtractor(parser, config.maxIndexedTextBytes());
        this.textExtractor = config.fullTextIndex() ? extractor : null;
        this.fullText = config.fullTextIndex()
                ? new LuceneFullText(config.indexDir().resolve("lucene"), extractor)
                : FullText.NONE;
        this.searchEngine = new SearchEngine(index, fullText, extractor);
        this.indexWrites = new GroupCommit<>(inserts -> {
            index.insert(inserts);
            return java.util.Collections.nCopies(inserts.size(), Boolean.TRUE);
        });
        if (config.rescanInterval().isZero()) {
            rescanner = null;
        } else {
            rescanner = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "maildir-rescan");
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(100, config.rescanInterval().toMillis());
            rescanner.scheduleWithFixedDelay(this::rescanOpenMailboxes, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    public StorageConfig config() {
        return config;
    }

    /**
     * Where each account's own quota limits come from (the application wires the directory); without it every
     * account has {@link StorageConfig#quotaBytes()} and {@link StorageConfig#quotaMessages()}.
     */
    public void setQuotaLimits(org.facteur.storage.QuotaLimits.Source source) {
        this.quotaLimits = source;
    }

    org.facteur.storage.QuotaLimits quotaLimits(String account) throws IOException {
        return quotaLimits.of(account);
    }

    public IndexDatabase index() {
        return index;
    }

    /** Inserts a mailbox's new rows, in one transaction with those of other mailboxes committing meanwhile. */
    GroupCommit<IndexDatabase.MailboxInsert, Boolean> indexWrites() {
        return indexWrites;
    }

    FullText fullText() {
        return fullText;
    }

    StructureParser parser() {
        return parser;
    }

    TextExtractor textExtractor() {
        return textExtractor;
    }

    SearchEngine searchEngine() {
        return searchEngine;
    }

    /** A UIDVALIDITY never handed out before by this store: the time in seconds, strictly increasing. */
    long nextUidValidity() {
        long now = System.currentTimeMillis() / 1000;
        return lastUidValidity.updateAndGet(last -> Math.max(now, last + 1));
    }

    @Override
    public AccountStore account(String account) throws IOException {
        return maildirAccount(account);
    }

    MaildirAccount maildirAccount(String account) throws IOException {
        String key = accountKey(account);
        MaildirAccount a = accounts.get(key);
        if (a != null) {
            return a;
        }
        synchronized (accounts) {
            a = accounts.get(key);
            if (a == null) {
                a = new MaildirAccount(this, key, accountRoot(key));
                a.init();
                accounts.put(key, a);
            }
            return a;
        }
    }

    /** The account's name as the store keys it: lower case, checked against path tricks. */
    static String accountKey(String account) throws IOException {
        if (account == null || account.isBlank() || account.length() > 255) {
            throw new IOException("invalid account name");
        }
        String a = account.trim().toLowerCase(Locale.ROOT);
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == 0) {
                throw new IOException("invalid account name");
            }
        }
        int at = a.lastIndexOf('@');
        String local = at < 0 ? a : a.substring(0, at);
        String domain = at < 0 ? "" : a.substring(at + 1);
        if (local.isEmpty() || local.equals(".") || local.equals("..") || domain.equals(".") || domain.equals("..")
                || local.startsWith(".") || (at >= 0 && domain.isEmpty())) {
            throw new IOException("invalid account name");
        }
        return a;
    }

    /** {@code ROOT/<domain>/<local>/} for an address, {@code ROOT/<name>/} otherwise. */
    Path accountRoot(String key) {
        int at = key.lastIndexOf('@');
        if (at < 0) {
            return config.root().resolve(key);
        }
        return config.root().resolve(key.substring(at + 1)).resolve(key.substring(0, at));
    }

    /**
     * {@code facteur reindex [ACCOUNT]}: rebuilds the account's index from its maildir, keeping the UIDs of
     * {@code dovecot-uidlist}, and reports how the live index differed.
     */
    public ReindexReport reindex(String account) throws IOException {
        MaildirAccount a = maildirAccount(account);
        List<ReindexReport.Mailbox> boxes = new java.util.ArrayList<>();
        for (String name : a.folderNames()) {
            boxes.add(a.folder(name).reindex());
        }
        return new ReindexReport(a.account(), boxes);
    }

    /** Every account that has a maildir under the root ({@code domain/local} or a plain name). */
    public List<String> accounts() throws IOException {
        List<String> out = new java.util.ArrayList<>();
        try (var top = Files.newDirectoryStream(config.root())) {
            for (Path p : top) {
                if (!Files.isDirectory(p)) {
                    continue;
                }
                if (Files.isDirectory(p.resolve("cur"))) {
                    out.add(p.getFileName().toString());
                    continue;
                }
                try (var sub = Files.newDirectoryStream(p)) {
                    for (Path q : sub) {
                        if (Files.isDirectory(q.resolve("cur"))) {
                            out.add(q.getFileName() + "@" + p.getFileName());
                        }
                    }
                }
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Imports a maildir folder (Dovecot's or another Facteur's) into {@code mailbox}, creating it if needed,
     * keeping UIDs, UIDVALIDITY, flags and keywords when the mailbox is empty. Returns false when it is not
     * empty (the caller then appends message by message).
     */
    public boolean adoptFolder(String account, String mailbox, Path sourceFolder) throws IOException {
        MaildirAccount a = maildirAccount(account);
        try {
            a.folder(mailbox);
        } catch (org.facteur.storage.MailboxNotFoundException e) {
            a.create(mailbox, java.util.Optional.empty());
        }
        return a.folder(mailbox).adopt(sourceFolder);
    }

    /** The maildir root of an account (for export and backup tools). */
    public Path maildir(String account) throws IOException {
        return maildirAccount(account).root();
    }

    @Override
    public AppendResult deliver(String account, String mailbox, InputStream content, Set<String> flags)
            throws IOException {
        // a delivery is kept byte for byte, even a NUL SMTP should not have carried (Dovecot's LDA does the same)
        return maildirAccount(account).store(mailbox, content, flags, null, false);
    }

    @Override
    public void addReclassificationListener(ReclassificationListener listener) {
        reclassificationListeners.add(listener);
    }

    void reclassified(String account, String mailbox, long uid, boolean spam) {
        for (ReclassificationListener l : reclassificationListeners) {
            try {
                l.onReclassified(account, mailbox, uid, spam);
            } catch (RuntimeException e) {
                LOG.warn("reclassification listener failed: {}", e.toString());
            }
        }
    }

    /** Picks up files other programs dropped into or removed from open mailboxes. */
    public void rescanOpenMailboxes() {
        for (MaildirAccount a : accounts.values()) {
            for (MaildirFolder f : a.loadedFolders()) {
                if (f.views.isEmpty() || f.gone()) {
                    continue;
                }
                try {
                    f.refresh();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("rescan of {}/{} failed: {}", a.account(), f.name(), e.toString());
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (rescanner != null) {
            rescanner.shutdown();
            try {
                rescanner.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (MaildirAccount a : accounts.values()) {
            for (MaildirFolder f : a.loadedFolders()) {
                try {
                    f.compact();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("uidlist compaction of {}/{}: {}", a.account(), f.name(), e.toString());
                }
            }
        }
        fullText.close();
        index.close();
    }
}
