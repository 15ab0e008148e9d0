package org.facteur.storage.maildir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import org.facteur.storage.FlagChange;
import org.facteur.storage.Flags;
import org.facteur.storage.MailboxEvent;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.StoreResult;
import org.facteur.storage.index.IndexDatabase;
import org.facteur.storage.index.MessageRow;
import org.facteur.storage.mime.IndexFields;
import org.facteur.storage.mime.StructureCodec;
import org.facteur.storage.mime.StructureParser;
import org.facteur.storage.mime.TextExtractor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One maildir folder and its index rows: the single writer of both. Every change happens under {@link #lock}
 * (one lock per mailbox, so other mailboxes proceed), files first, then {@code dovecot-uidlist}, then the
 * index; events go to the other open views before the lock is released, so every view sees changes in order.
 * Reads (message lists, file contents, structures) take no lock.
 */
final class MaildirFolder {

    private static final Logger LOG = LoggerFactory.getLogger(MaildirFolder.class);
    private static final int BATCH = 500;

    final MaildirAccount account;
    final ReentrantLock lock = new ReentrantLock();
    final List<MaildirView> views = new CopyOnWriteArrayList<>();

    private volatile String name;
    private volatile Path dir;
    private volatile long mailboxId = -1;
    private volatile long uidValidity;
    private volatile long highestModSeq;
    private volatile long uidNext;
    private volatile boolean gone;
    /** The message list as of a (mailbox id, HIGHESTMODSEQ): every change bumps the latter, so it is the version. */
    private volatile Snapshot snapshot;
    /**
     * STATUS's counters and the HIGHESTMODSEQ they were read at. Counting a 100,000-message mailbox reads all
     * its rows (≈0.4 s in H2), so it is done once per change, not for every STATUS and webmail folder list.
     */
    private volatile CachedCounts counts;
    /** The HIGHESTMODSEQ at which {@code new/} was known to hold no indexed message, or -1. */
    private long newEmptyAt = -1;

    private record CachedCounts(long modSeq, IndexDatabase.Counts counts) {
    }

    private record Snapshot(long mailboxId, long modSeq, List<MessageMeta> metas) {
    }
    private UidList uids;
    private Keywords keywords;
    private FileTime newMtime;
    private FileTime curMtime;
    private boolean appendedSinceRewrite;
    private final GroupCommit<CommitRequest, List<MessageRow>> commits = new GroupCommit<>(this::commitBatch);

    MaildirFolder(MaildirAccount account, String name, Path dir) {
        this.account = account;
        this.name = name;
        this.dir = dir;
    }

    String name() {
        return name;
    }

    Path dir() {
        return dir;
    }

    long mailboxId() {
        return mailboxId;
    }

    long uidValidity() {
        return uidValidity;
    }

    long highestModSeq() {
        return highestModSeq;
    }

    long uidNext() {
        return uidNext;
    }

    boolean gone() {
        return gone;
    }

    private IndexDatabase db() {
        return account.store().index();
    }

    private boolean fsync() {
        return account.store().config().fsync();
    }

    /** The mailbox's counters (messages, unseen, size, deleted, recent), read again only after a change. */
    IndexDatabase.Counts counts() throws IOException {
        refresh();
        long ms = highestModSeq; // before the rows: a cached count is never newer than its label
        CachedCounts c = counts;
        if (c != null && c.modSeq() == ms) {
            return c.counts();
        }
        IndexDatabase.Counts fresh = db().counts(mailboxId);
        counts = new CachedCounts(ms, fresh);
        return fresh;
    }

    /**
     * Keeps the cached counters current across a delivery, the change a busy mailbox sees most, instead of
     * recounting every row. Only from the version they were read at; anything else recounts.
     */
    private void countAdded(long before, List<MessageRow> added, long after) {
        CachedCounts c = counts;
        if (c == null || c.modSeq() != before) {
            return;
        }
        IndexDatabase.Counts n = c.counts();
        long messages = n.messages();
        long unseen = n.unseen();
        long size = n.size();
        long deleted = n.deleted();
        long recent = n.recent();
        for (MessageRow r : added) {
            messages++;
            size += r.size();
            unseen += r.flags().contains(Flags.SEEN) ? 0 : 1;
            deleted += r.flags().contains(Flags.DELETED) ? 1 : 0;
            recent += r.fileName().startsWith("new/") ? 1 : 0;
        }
        counts = new CachedCounts(after, new IndexDatabase.Counts(messages, unseen, size, deleted, recent));
    }

    /** Brings the index in line with the files if they changed since the last look (or were never looked at). */
    void refresh() throws IOException {
        lock.lock();
        try {
            checkNotGone();
            if (uids == null || changedOnDisk()) {
                sync();
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkNotGone() throws IOException {
        if (gone) {
            throw new org.facteur.storage.MailboxNotFoundException(name);
        }
    }

    private boolean changedOnDisk() throws IOException {
        return !mtime("new").equals(newMtime) || !mtime("cur").equals(curMtime);
    }

    private FileTime mtime(String sub) throws IOException {
        try {
            return Files.getLastModifiedTime(dir.resolve(sub));
        } catch (NoSuchFileException e) {
            throw new org.facteur.storage.MailboxNotFoundException(name);
        }
    }

    private void rememberMtimes() throws IOException {
        newMtime = mtime("new");
        curMtime = mtime("cur");
    }

    /** First look: UIDs from dovecot-uidlist (or, if it is lost, from the index), the index row of the mailbox. */
    private void load() throws IOException {
        uids = UidList.load(dir);
        keywords = Keywords.load(dir);
        IndexDatabase.MailboxRecord rec = db().mailbox(account.account(), name).orElse(null);
        if (uids == null) {
            if (rec != null) {
                // The uidlist is gone but the index remembers which file had which UID: keep them.
                uids = UidList.fresh(rec.uidValidity());
                for (MessageRow r : db().rows(rec.id())) {
                    uids.assignExact(r.uid(), MaildirFlags.base(r.fileName().substring(4)));
                }
                uids.ensureNextUid(rec.uidNext());
            } else {
                uids = UidList.fresh(account.store().nextUidValidity());
            }
            uids.rewrite(dir, fsync());
        }
        if (rec != null && rec.uidValidity() != uids.uidValidity()) {
            LOG.info("UIDVALIDITY of {}/{} changed on disk; dropping its index rows", account.account(), name);
            db().deleteMailbox(rec.id());
            rec = null;
        }
        if (rec == null) {
            // MODSEQ is not kept in maildir: a rebuilt index starts above any MODSEQ it could have handed out
            // before (a counter that started at the creation time in ms), so CONDSTORE clients never go back.
            long base = System.currentTimeMillis();
            mailboxId = db().createMailbox(account.account(), name, uids.uidValidity(), uids.nextUid(), base);
            highestModSeq = base;
        } else {
            mailboxId = rec.id();
            highestModSeq = rec.highestModSeq();
        }
        uidValidity = uids.uidValidity();
        uidNext = uids.nextUid();
    }

    /** Reconciles uidlist and index with the files on disk (external drops, vanished files, flag renames). */
    private void sync() throws IOException {
        boolean first = uids == null;
        if (first) {
            load();
        }
        FileTime nm = mtime("new");
        FileTime cm = mtime("cur");
        Map<String, String> onDisk = new HashMap<>();
        list("new", onDisk);
        list("cur", onDisk);

        List<Long> added = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String base : onDisk.keySet()) {
            if (uids.uid(base) == null) {
                unknown.add(base);
            }
        }
        unknown.sort(null); // names start with the delivery time: UIDs follow arrival order
        for (String base : unknown) {
            added.add(uids.assign(base));
        }
        List<Long> vanished = new ArrayList<>();
        for (Map.Entry<Long, String> e : new ArrayList<>(uids.entries().entrySet())) {
            if (!onDisk.containsKey(e.getValue())) {
                vanished.add(e.getKey());
                uids.remove(e.getKey());
            }
        }
        if (!vanished.isEmpty()) {
            uids.rewrite(dir, fsync());
        } else if (!added.isEmpty()) {
            uids.append(dir, added, fsync());
            appendedSinceRewrite = true;
        }

        Map<Long, MessageRow> indexed = new TreeMap<>();
        for (MessageRow r : db().rows(mailboxId)) {
            indexed.put(r.uid(), r);
        }
        long modSeq = highestModSeq + 1;
        boolean changed = false;
        List<Long> expunged = new ArrayList<>();
        for (long uid : indexed.keySet()) {
            if (uids.base(uid) == null) {
                expunged.add(uid);
            }
        }
        if (!expunged.isEmpty()) {
            db().delete(mailboxId, expunged, modSeq);
            account.fullText().delete(account.account(), mailboxId, expunged);
            changed = true;
        }
        List<MessageRow> flagChanges = new ArrayList<>();
        List<MessageRow> inserts = new ArrayList<>();
        List<MessageMeta> insertedMetas = new ArrayList<>();
        for (Map.Entry<Long, String> e : uids.entries().entrySet()) {
            long uid = e.getKey();
            String rel = onDisk.get(e.getValue());
            MessageRow row = indexed.get(uid);
            if (row == null) {
                MessageRow fresh = rowFromFile(uid, rel, modSeq);
                if (fresh != null) {
                    inserts.add(fresh);
                    insertedMetas.add(fresh.meta());
                }
                if (inserts.size() >= BATCH) {
                    flushInserts(inserts, modSeq);
                    changed = true;
                }
            } else if (!row.fileName().equals(rel)) {
                Set<String> fileFlags = MaildirFlags.parse(rel, keywords);
                if (fileFlags.equals(row.flags())) {
                    flagChanges.add(row.withFileName(rel));
                } else {
                    flagChanges.add(row.withFlags(fileFlags, modSeq, rel));
                }
            }
        }
        if (!inserts.isEmpty()) {
            flushInserts(inserts, modSeq);
            changed = true;
        }
        boolean flagBump = flagChanges.stream().anyMatch(r -> r.modSeq() == modSeq);
        changed |= flagBump;
        if (!flagChanges.isEmpty()) {
            db().updateFlags(flagChanges, mailboxId, changed ? modSeq : highestModSeq);
        }
        if (changed) {
            highestModSeq = modSeq;
            db().updateMailbox(mailboxId, uidValidity, uids.nextUid(), highestModSeq);
        }
        uidNext = uids.nextUid();
        newMtime = nm;
        curMtime = cm;
        if (first || !insertedMetas.isEmpty()) {
            // the full-text index catches up in the background; until then searches read the messages
            Map<Long, Path> files = new HashMap<>();
            for (Map.Entry<Long, String> e : uids.entries().entrySet()) {
                String rel = onDisk.get(e.getValue());
                if (rel != null) {
                    files.put(e.getKey(), dir.resolve(rel));
                }
            }
            account.fullText().reconcile(account.account(), mailboxId, files, uids.nextUid());
        }
        if (!expunged.isEmpty()) {
            account.usageChanged();
            emit(new MailboxEvent.Expunged(expunged, highestModSeq), null);
        }
        if (!insertedMetas.isEmpty()) {
            account.usageChanged();
            claimForViews(insertedMetas);
            emit(new MailboxEvent.Added(insertedMetas, highestModSeq), null);
        }
        List<MessageMeta> flagMetas = new ArrayList<>();
        for (MessageRow r : flagChanges) {
            if (r.modSeq() == modSeq) {
                flagMetas.add(r.meta());
            }
        }
        if (!flagMetas.isEmpty()) {
            emit(new MailboxEvent.FlagsChanged(flagMetas, highestModSeq), null);
        }
        if (!inserts.isEmpty() || !insertedMetas.isEmpty()) {
            LOG.debug("{}/{}: {} messages indexed from disk", account.account(), name, insertedMetas.size());
        }
    }

    private void flushInserts(List<MessageRow> inserts, long modSeq) throws IOException {
        db().insert(inserts, mailboxId, uids.nextUid(), modSeq);
        inserts.clear();
    }

    private MessageRow rowFromFile(long uid, String rel, long modSeq) throws IOException {
        Path file = dir.resolve(rel);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
        StructureParser.Parsed parsed;
        try {
            parsed = MessageFiles.parse(file, account.store().parser());
        } catch (IOException e) {
            LOG.warn("cannot parse {}: {}", file, e.getMessage());
            return null;
        }
        long mtime = attrs.lastModifiedTime().toMillis();
        return new MessageRow(mailboxId, uid, modSeq, MaildirFlags.parse(rel, keywords), mtime,
                System.currentTimeMillis(), attrs.size(), rel, IndexFields.of(parsed.structure(), parsed.header()),
                StructureCodec.encode(parsed.structure()));
    }

    private void list(String sub, Map<String, String> into) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve(sub))) {
            for (Path p : ds) {
                String fn = p.getFileName().toString();
                if (fn.startsWith(".")) {
                    continue;
                }
                into.putIfAbsent(MaildirFlags.base(fn), sub + "/" + fn);
            }
        } catch (NoSuchFileException e) {
            throw new org.facteur.storage.MailboxNotFoundException(name);
        }
    }

    // ---- writes ----

    /** One caller's messages to move into place: a delivery, an APPEND, or the set of a COPY/MOVE. */
    private record CommitRequest(List<Staged> staged, MaildirView origin) {
    }

    /**
     * Moves staged messages into place and indexes them; durable when this returns. Concurrent callers are
     * committed together ({@link GroupCommit}): one fsync of {@code new/}, one {@code dovecot-uidlist} append
     * and one H2 transaction for the whole batch.
     */
    List<MessageRow> commit(List<Staged> staged, MaildirView origin) throws IOException {
        CommitRequest request = new CommitRequest(staged, origin);
        // a caller already holding the lock cannot wait for another leader (who would wait for that lock)
        List<MessageRow> rows = lock.isHeldByCurrentThread()
                ? commitBatch(List.of(request)).get(0)
                : commits.commit(request);
        for (int i = 0; i < rows.size(); i++) {
            MessageRow r = rows.get(i);
            TextExtractor.Extracted text = staged.get(i).text();
            if (text != null) {
                account.fullText().add(account.account(), mailboxId, r.uid(), text); // parsed once, when staged
                continue;
            }
            Path current = dir.resolve(r.fileName());
            if (!Files.exists(current)) {
                current = file(r.uid()); // another session renamed it since (new/ to cur/, flags): look it up
            }
            if (current != null) {
                account.fullText().add(account.account(), mailboxId, r.uid(), current);
            }
        }
        return rows;
    }

    /**
     * The maildir delivery protocol for a batch of requests, under the folder lock: rename each file from
     * {@code tmp/} into {@code new/} (or {@code cur/} with flags), fsync those directories once, append every
     * UID to {@code dovecot-uidlist} in one fsynced write, insert the index rows in one transaction (shared with
     * other mailboxes' batches), then tell the views. Each request gets its own MODSEQ, in order.
     */
    private List<List<MessageRow>> commitBatch(List<CommitRequest> batch) throws IOException {
        lock.lock();
        try {
            checkNotGone();
            if (uids == null || changedOnDisk()) {
                sync();
            }
            MaildirView claimer = claimer();
            long modSeq = highestModSeq;
            long now = System.currentTimeMillis();
            boolean toNew = false;
            boolean toCur = false;
            List<Long> assigned = new ArrayList<>();
            List<Path> placed = new ArrayList<>();
            List<List<MessageRow>> results = new ArrayList<>(batch.size());
            List<MessageRow> all = new ArrayList<>();
            try {
                for (CommitRequest request : batch) {
                    modSeq++;
                    List<MessageRow> rows = new ArrayList<>();
                    for (Staged s : request.staged()) {
                        boolean cur = !s.flags().isEmpty() || claimer != null;
                        String rel = cur ? "cur/" + s.base() + MaildirFlags.info(s.flags(), keywords)
                                : "new/" + s.base();
                        FileSync.moveAtomically(s.tmpFile(), dir.resolve(rel));
                        placed.add(dir.resolve(rel));
                        toNew |= !cur;
                        toCur |= cur;
                        long uid = uids.assign(s.base());
                        uids.setVsize(uid, s.vsize());
                        assigned.add(uid);
                        rows.add(new MessageRow(mailboxId, uid, modSeq, s.flags(), s.internalDate(), now, s.size(),
                                rel, s.fields(), s.structure()));
                    }
                    results.add(rows);
                    all.addAll(rows);
                }
                IndexDatabase.MailboxInsert insert = new IndexDatabase.MailboxInsert(all, mailboxId, uids.nextUid(), modSeq);
                Overlapped.Step index = () -> account.counted(() -> account.store().indexWrites().commit(insert),
                        all.stream().mapToLong(MessageRow::size).sum(), all.size());
                Overlapped.Step uidList = () -> {
                    uids.append(dir, assigned, fsync());
                    keywords.saveIfChanged(dir, fsync());
                };
                if (fsync()) {
                    // The renames must be on disk before we say the message is safe (maildir delivery protocol).
                    // Their directories' fsyncs, the uidlist's and the index insert depend on none of the others
                    // (a crash between them leaves a uidlist line without its file, or a file without its line,
                    // which the next sync settles; the index is a cache): the batch waits for the slowest alone.
                    List<Overlapped.Step> beside = new ArrayList<>(3);
                    beside.add(uidList);
                    if (toNew) {
                        beside.add(() -> FileSync.syncDirectory(dir.resolve("new")));
                    }
                    if (toCur) {
                        beside.add(() -> FileSync.syncDirectory(dir.resolve("cur")));
                    }
                    Overlapped.run(index, beside);
                } else {
                    uidList.run();
                    index.run();
                }
                appendedSinceRewrite = true;
            } catch (IOException | RuntimeException e) {
                abandon(placed);
                throw e;
            }
            countAdded(highestModSeq, all, modSeq);
            highestModSeq = modSeq;
            uidNext = uids.nextUid();
            rememberMtimes();
            if (claimer != null) {
                claimer.addRecent(assigned);
            } else {
                for (MaildirView v : views) {
                    if (v.readOnly()) {
                        v.addRecent(assigned);
                    }
                }
            }
            // sessions learn of these now; the full-text index gets them after the lock (see commit)
            account.fullText().expect(account.account(), mailboxId, assigned);
            for (int i = 0; i < batch.size(); i++) {
                List<MessageRow> rows = results.get(i);
                if (!rows.isEmpty()) {
                    emit(new MailboxEvent.Added(rows.stream().map(MessageRow::meta).toList(), rows.get(0).modSeq()),
                            batch.get(i).origin());
                }
            }
            return results;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A failed batch: none of its messages was acknowledged, so the files already moved into place go (else the
     * next scan would pick them up as new mail and a retried delivery would be stored twice), and the in-memory
     * UIDs and keywords are dropped, to be read again from disk (a uidlist line without its file is expunged
     * by that sync).
     */
    private void abandon(List<Path> placed) {
        for (Path p : placed) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("cannot remove {} of a failed delivery: {}", p, e.toString());
            }
        }
        uids = null;
        keywords = null;
        newMtime = null;
        try {
            sync();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}/{}: cannot re-read after a failed delivery: {}", account.account(), name, e.toString());
        }
    }

    /** The session that gets \Recent for new messages: the first read-write view (RFC 3501 §2.3.2). */
    private MaildirView claimer() {
        for (MaildirView v : views) {
            if (!v.readOnly()) {
                return v;
            }
        }
        return null;
    }

    private void claimForViews(List<MessageMeta> added) {
        MaildirView c = claimer();
        List<Long> u = added.stream().map(MessageMeta::uid).toList();
        if (c != null) {
            c.addRecent(u);
        }
    }

    /**
     * Registers a view; a read-write view takes the messages still in {@code new/} as its \Recent ones, moving
     * them to {@code cur/} (as Dovecot does), so no other session sees them as recent.
     */
    Set<Long> attach(MaildirView view) throws IOException {
        lock.lock();
        try {
            checkNotGone();
            if (uids == null || changedOnDisk()) {
                sync();
            }
            views.add(view);
            Set<Long> recent = new TreeSet<>();
            List<MessageRow> moved = new ArrayList<>();
            // nothing delivered since new/ was last found empty: skip reading every row of a big mailbox
            List<MessageRow> inNew = newEmptyAt == highestModSeq ? List.of() : db().rowsInNew(mailboxId);
            for (MessageRow r : inNew) {
                if (r.fileName().startsWith("new/")) {
                    recent.add(r.uid());
                    if (!view.readOnly()) {
                        String rel = "cur/" + r.fileName().substring(4) + MaildirFlags.info(r.flags(), keywords);
                        try {
                            FileSync.moveAtomically(dir.resolve(r.fileName()), dir.resolve(rel));
                            moved.add(r.withFileName(rel));
                        } catch (NoSuchFileException e) {
                            // vanished meanwhile: the next sync expunges it
                        }
                    }
                }
            }
            if (!moved.isEmpty()) {
                db().updateFlags(moved, mailboxId, highestModSeq);
                rememberMtimes();
                counts = null; // \Recent changed without a new MODSEQ
            }
            if (recent.isEmpty() || !view.readOnly()) {
                newEmptyAt = highestModSeq;
            }
            return recent;
        } finally {
            lock.unlock();
        }
    }

    void detach(MaildirView view) {
        views.remove(view);
        if (views.isEmpty()) {
            snapshot = null; // nobody has it selected: free the list
        }
    }

    /**
     * Every message, ascending by UID, from a cached list while nothing changed. The version is read before the
     * rows, and writers bump HIGHESTMODSEQ only after their rows are committed, so a cached list is never older
     * than its version.
     */
    List<MessageMeta> metas() throws IOException {
        long id = mailboxId;
        long ms = highestModSeq;
        Snapshot s = snapshot;
        if (s != null && s.mailboxId() == id && s.modSeq() == ms) {
            return s.metas();
        }
        List<MessageMeta> list = new ArrayList<>();
        for (MessageRow r : db().rows(id)) {
            list.add(r.meta());
        }
        list = List.copyOf(list);
        snapshot = new Snapshot(id, ms, list);
        return list;
    }

    StoreResult store(MaildirView origin, Collection<Long> uidSet, FlagChange change, Set<String> flags,
                      long unchangedSince) throws IOException {
        Set<String> wanted = new TreeSet<>();
        for (String f : flags) {
            if (Flags.RECENT.equalsIgnoreCase(f)) {
                continue; // \Recent cannot be stored (RFC 9051 §2.3.2)
            }
            if (Flags.isSystem(f)) {
                String canonical = canonicalSystem(f);
                if (canonical != null) {
                    wanted.add(canonical);
                }
            } else {
                wanted.add(f);
            }
        }
        lock.lock();
        try {
            checkNotGone();
            if (changedOnDisk()) {
                sync();
            }
            long modSeq = highestModSeq + 1;
            List<MessageRow> changed = new ArrayList<>();
            List<MessageMeta> updated = new ArrayList<>();
            List<Long> modified = new ArrayList<>();
            for (MessageRow r : db().rows(mailboxId, uidSet)) {
                if (unchangedSince >= 0 && r.modSeq() > unchangedSince) {
                    modified.add(r.uid()); // RFC 7162 §3.1.3
                    continue;
                }
                Set<String> now = apply(r.flags(), change, wanted);
                if (now.equals(r.flags())) {
                    updated.add(r.meta());
                    continue;
                }
                String rel = "cur/" + MaildirFlags.base(r.fileName().substring(4)) + MaildirFlags.info(now, keywords);
                try {
                    FileSync.moveAtomically(dir.resolve(r.fileName()), dir.resolve(rel));
                } catch (NoSuchFileException e) {
                    continue; // removed by another program; the next sync reports the expunge
                }
                MessageRow n = r.withFlags(now, modSeq, rel);
                changed.add(n);
                updated.add(n.meta());
            }
            if (!changed.isEmpty()) {
                keywords.saveIfChanged(dir, fsync());
                db().updateFlags(changed, mailboxId, modSeq);
                highestModSeq = modSeq;
                rememberMtimes();
                emit(new MailboxEvent.FlagsChanged(changed.stream().map(MessageRow::meta).toList(), modSeq), origin);
            }
            return new StoreResult(updated, modified);
        } finally {
            lock.unlock();
        }
    }

    private static String canonicalSystem(String f) {
        for (String s : Flags.SYSTEM) {
            if (s.equalsIgnoreCase(f)) {
                return s;
            }
        }
        return null;
    }

    private static Set<String> apply(Set<String> current, FlagChange change, Set<String> flags) {
        Set<String> out = new TreeSet<>(current);
        switch (change) {
            case REPLACE -> {
                out.clear();
                out.addAll(flags);
            }
            case ADD -> {
                for (String f : flags) {
                    if (!containsIgnoreCase(out, f)) {
                        out.add(f);
                    }
                }
            }
            case REMOVE -> out.removeIf(f -> containsIgnoreCase(flags, f));
        }
        return out;
    }

    private static boolean containsIgnoreCase(Set<String> set, String f) {
        for (String s : set) {
            if (s.equalsIgnoreCase(f)) {
                return true;
            }
        }
        return false;
    }

    List<Long> expunge(MaildirView origin, Collection<Long> uidSet) throws IOException {
        List<Long> removed = new ArrayList<>();
        long bytes = 0;
        lock.lock();
        try {
            checkNotGone();
            if (uids == null) {
                sync();
            }
            for (MessageRow r : db().rows(mailboxId, new LinkedHashSet<>(uidSet))) {
                Files.deleteIfExists(dir.resolve(r.fileName()));
                uids.remove(r.uid());
                removed.add(r.uid());
                bytes += r.size();
            }
            if (removed.isEmpty()) {
                return removed;
            }
            if (fsync()) {
                FileSync.syncDirectory(dir.resolve("cur"));
                FileSync.syncDirectory(dir.resolve("new"));
            }
            uids.rewrite(dir, fsync());
            long modSeq = highestModSeq + 1;
            long removedBytes = bytes;
            account.counted(() -> db().delete(mailboxId, removed, modSeq), -removedBytes, -removed.size());
            highestModSeq = modSeq;
            rememberMtimes();
            for (MaildirView v : views) {
                v.removeRecent(removed);
            }
            emit(new MailboxEvent.Expunged(removed, modSeq), origin);
        } finally {
            lock.unlock();
        }
        account.fullText().delete(account.account(), mailboxId, removed);
        return removed;
    }

    /**
     * Drops this mailbox's index rows and reads the maildir again (UIDs from dovecot-uidlist), then compares
     * with what the index said before. Open views stay open: they are told of any difference as events.
     */
    ReindexReport.Mailbox reindex() throws IOException {
        lock.lock();
        try {
            checkNotGone();
            if (uids == null) {
                sync();
            }
            Map<Long, MessageRow> before = new TreeMap<>();
            for (MessageRow r : db().rows(mailboxId)) {
                before.put(r.uid(), r);
            }
            long oldId = mailboxId;
            db().deleteMailbox(oldId);
            account.fullText().deleteMailbox(account.account(), oldId);
            uids = null;
            keywords = null;
            sync();
            List<Long> missing = new ArrayList<>();
            List<Long> extra = new ArrayList<>();
            List<Long> flagsDiffer = new ArrayList<>();
            Map<Long, MessageRow> after = new TreeMap<>();
            for (MessageRow r : db().rows(mailboxId)) {
                after.put(r.uid(), r);
            }
            for (MessageRow r : before.values()) {
                MessageRow a = after.get(r.uid());
                if (a == null) {
                    extra.add(r.uid());
                } else if (!a.flags().equals(r.flags())) {
                    flagsDiffer.add(r.uid());
                }
            }
            for (long uid : after.keySet()) {
                if (!before.containsKey(uid)) {
                    missing.add(uid);
                }
            }
            return new ReindexReport.Mailbox(name, after.size(), missing, extra, flagsDiffer);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes over the messages of another maildir folder (Dovecot's, another Facteur's) with their UIDs,
     * UIDVALIDITY, flags and keywords. Only into an empty folder, so that no UID can clash; returns false
     * (and changes nothing) otherwise.
     */
    boolean adopt(Path source) throws IOException {
        lock.lock();
        try {
            checkNotGone();
            if (uids == null || changedOnDisk()) {
                sync();
            }
            if (!uids.entries().isEmpty() || !db().rows(mailboxId).isEmpty()) {
                return false;
            }
            UidList theirs = UidList.load(source);
            Keywords theirKeywords = Keywords.load(source);
            UidList mine = theirs != null ? UidList.fresh(theirs.uidValidity()) : UidList.fresh(uids.uidValidity());
            mine.ensureNextUid(Math.max(uids.nextUid(), theirs == null ? 1 : theirs.nextUid()));
            List<String> unknown = new ArrayList<>();
            for (String sub : List.of("cur", "new")) {
                if (!Files.isDirectory(source.resolve(sub))) {
                    continue;
                }
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(source.resolve(sub))) {
                    for (Path p : ds) {
                        String fn = p.getFileName().toString();
                        if (fn.startsWith(".") || !Files.isRegularFile(p)) {
                            continue;
                        }
                        String base = MaildirFlags.base(fn);
                        // keyword letters are per folder: translate theirs to ours through the names
                        String target = sub.equals("new") ? fn
                                : base + MaildirFlags.info(MaildirFlags.parse(fn, theirKeywords), keywords);
                        Path tmp = dir.resolve("tmp").resolve(MessageFiles.uniqueBase());
                        Files.copy(p, tmp, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                        if (fsync()) {
                            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                                ch.force(true);
                            }
                        }
                        FileSync.moveAtomically(tmp, dir.resolve(sub).resolve(target));
                        Long uid = theirs == null ? null : theirs.uid(base);
                        if (uid != null) {
                            mine.assignExact(uid, base);
                        } else {
                            unknown.add(base);
                        }
                    }
                }
            }
            unknown.sort(null);
            for (String u : unknown) {
                mine.assign(u);
            }
            if (fsync()) {
                FileSync.syncDirectory(dir.resolve("cur"));
                FileSync.syncDirectory(dir.resolve("new"));
            }
            keywords.saveIfChanged(dir, fsync());
            mine.rewrite(dir, fsync());
            // start over from the files: the index row goes (its UIDVALIDITY is not the adopted one)
            db().deleteMailbox(mailboxId);
            account.fullText().deleteMailbox(account.account(), mailboxId);
            uids = null;
            keywords = null;
            sync();
            account.usageChanged();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Rewrites dovecot-uidlist with an up-to-date header if lines were appended since it was last written. */
    void compact() throws IOException {
        lock.lock();
        try {
            if (uids != null && appendedSinceRewrite && !gone) {
                uids.rewrite(dir, fsync());
                appendedSinceRewrite = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The file of a message, for reading, or null if it has gone. */
    Path file(long uid) throws IOException {
        MessageRow r = db().row(mailboxId, uid).orElse(null);
        if (r == null) {
            return null;
        }
        Path p = dir.resolve(r.fileName());
        if (Files.exists(p)) {
            return p;
        }
        refresh(); // renamed by another program: look again
        r = db().row(mailboxId, uid).orElse(null);
        return r == null ? null : dir.resolve(r.fileName());
    }

    /** Marks the folder gone (deleted or renamed away) and tells its views. */
    void markGone() {
        lock.lock();
        try {
            gone = true;
            emit(new MailboxEvent.Gone(highestModSeq), null);
            views.clear();
        } finally {
            lock.unlock();
        }
    }

    /** After a rename on disk: the same index row under a new name and directory. */
    void renamed(String newName, Path newDir) throws IOException {
        lock.lock();
        try {
            if (mailboxId >= 0) {
                db().renameMailbox(mailboxId, newName);
            }
            this.name = newName;
            this.dir = newDir;
        } finally {
            lock.unlock();
        }
    }

    private void emit(MailboxEvent event, MaildirView origin) {
        for (MaildirView v : views) {
            if (v != origin) {
                v.deliver(event);
            }
        }
    }

    Set<Long> knownUids() throws IOException {
        lock.lock();
        try {
            if (uids == null) {
                sync();
            }
            return new HashSet<>(uids.entries().keySet());
        } finally {
            lock.unlock();
        }
    }
}
