package org.facteur.storage.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import org.facteur.storage.AccountStore;
import org.facteur.storage.AppendResult;
import org.facteur.storage.CopyResult;
import org.facteur.storage.Flags;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MailboxExistsException;
import org.facteur.storage.MailboxInfo;
import org.facteur.storage.MailboxNotFoundException;
import org.facteur.storage.MailboxStatus;
import org.facteur.storage.Quota;
import org.facteur.storage.QuotaExceededException;
import org.facteur.storage.QuotaLimits;
import org.facteur.storage.SpecialUse;
import org.facteur.storage.index.IndexDatabase;
import org.facteur.storage.index.MessageRow;
import org.facteur.storage.mime.IndexFields;
import org.facteur.storage.mime.StructureCodec;
import org.facteur.storage.mime.StructureParser;
import org.facteur.storage.search.FullText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One account's Maildir++ tree: INBOX at the root ({@code cur/ new/ tmp/}), folders as {@code .Name.Sub/}
 * beside it, {@code subscriptions} and {@code facteur-special-use} files at the root.
 */
final class MaildirAccount implements AccountStore {

    private static final Logger LOG = LoggerFactory.getLogger(MaildirAccount.class);
    static final String SPECIAL_USE_FILE = "facteur-special-use";
    static final String SUBSCRIPTIONS_FILE = "subscriptions";

    private final MaildirStore store;
    private final String account;
    private final Path root;
    private final Map<String, MaildirFolder> folders = new ConcurrentHashMap<>();
    /** Serialises changes to the folder tree (create, rename, delete, subscriptions). */
    private final ReentrantLock treeLock = new ReentrantLock();
    private final Map<String, SpecialUse> specialUses = new TreeMap<>();
    private final Set<String> subscriptions = new TreeSet<>();
    private long usedBytes;
    private long usedMessages;
    private boolean usageKnown;
    private long usageVersion;
    /** Shared by commits and expunges while they change rows and the counters; exclusive for a recount. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock usageLock =
            new java.util.concurrent.locks.ReentrantReadWriteLock();

    MaildirAccount(MaildirStore store, String account, Path root) {
        this.store = store;
        this.account = account;
        this.root = root;
    }

    MaildirStore store() {
        return store;
    }

    FullText fullText() {
        return store.fullText();
    }

    Path root() {
        return root;
    }

    @Override
    public String account() {
        return account;
    }

    /** Creates the maildir and the special-use folders on first use; removes left-overs in tmp/. */
    void init() throws IOException {
        makeMaildir(root);
        loadSpecialUse();
        loadSubscriptions();
        for (SpecialUse use : SpecialUse.values()) {
            if (!specialUses.containsValue(use)) {
                String name = use.defaultName();
                if (!Files.isDirectory(folderDir(name))) {
                    makeMaildir(folderDir(name));
                    subscriptions.add(name);
                }
                specialUses.put(name, use);
            }
        }
        subscriptions.add(MailboxInfo.INBOX);
        saveSpecialUse();
        saveSubscriptions();
        for (String name : folderNames()) {
            cleanTmp(name.equals(MailboxInfo.INBOX) ? root : folderDir(name));
        }
    }

    private void makeMaildir(Path dir) throws IOException {
        boolean existed = Files.isDirectory(dir.resolve("cur"));
        Files.createDirectories(dir.resolve("cur"));
        Files.createDirectories(dir.resolve("new"));
        Files.createDirectories(dir.resolve("tmp"));
        if (!dir.equals(root)) {
            Path marker = dir.resolve("maildirfolder"); // Maildir++: marks a folder (for quota tools)
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
        }
        if (!existed && store.config().fsync()) {
            FileSync.syncDirectory(dir);
            FileSync.syncDirectory(dir.getParent());
        }
    }

    /** Maildir spec: tmp/ files of dead writers, or older than 36 hours, are torn deliveries. */
    private void cleanTmp(Path dir) {
        Instant cutoff = Instant.now().minus(store.config().staleTmpAge());
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("tmp"))) {
            for (Path p : ds) {
                FileTime t = Files.getLastModifiedTime(p);
                String n = p.getFileName().toString();
                if (Files.isRegularFile(p) && (MessageFiles.writerIsGone(n) || t.toInstant().isBefore(cutoff))) {
                    Files.deleteIfExists(p);
                    LOG.info("removed interrupted delivery {}", p);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot clean {}: {}", dir.resolve("tmp"), e.getMessage());
        }
    }

    Path folderDir(String canonicalName) {
        String d = MailboxNames.toDirectory(canonicalName);
        return d.isEmpty() ? root : root.resolve(d);
    }

    /** Every folder present on disk, INBOX first. */
    List<String> folderNames() throws IOException {
        List<String> names = new ArrayList<>();
        names.add(MailboxInfo.INBOX);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String name = MailboxNames.fromDirectory(p.getFileName().toString());
                if (name != null && !name.equals(MailboxInfo.INBOX) && Files.isDirectory(p.resolve("cur"))) {
                    names.add(name);
                }
            }
        }
        names.subList(1, names.size()).sort(Comparator.naturalOrder());
        return names;
    }

    /** The folder object of an existing mailbox. */
    MaildirFolder folder(String name) throws IOException {
        String n = MailboxNames.validate(name, store.config());
        MaildirFolder f = folders.get(n);
        if (f != null && !f.gone()) {
            return f;
        }
        Path dir = folderDir(n);
        if (!Files.isDirectory(dir.resolve("cur"))) {
            throw new MailboxNotFoundException(n);
        }
        return folders.compute(n, (k, old) -> old != null && !old.gone() ? old : new MaildirFolder(this, k, dir));
    }

    MailboxInfo info(String name) throws IOException {
        List<String> names = folderNames();
        String n = MailboxNames.canonical(name);
        boolean children = names.stream().anyMatch(o -> o.startsWith(n + MailboxInfo.SEPARATOR));
        synchronized (this) {
            return new MailboxInfo(n, Optional.ofNullable(specialUses.get(n)), subscriptions.contains(n), children);
        }
    }

    @Override
    public List<MailboxInfo> mailboxes() throws IOException {
        List<String> names = folderNames();
        List<MailboxInfo> out = new ArrayList<>();
        synchronized (this) {
            for (String n : names) {
                boolean children = names.stream().anyMatch(o -> o.startsWith(n + MailboxInfo.SEPARATOR));
                out.add(new MailboxInfo(n, Optional.ofNullable(specialUses.get(n)), subscriptions.contains(n),
                        children));
            }
        }
        return out;
    }

    @Override
    public MailboxInfo create(String name, Optional<SpecialUse> specialUse) throws IOException {
        String n = MailboxNames.validate(name, store.config());
        treeLock.lock();
        try {
            if (n.equals(MailboxInfo.INBOX) || Files.isDirectory(folderDir(n).resolve("cur"))) {
                throw new MailboxExistsException(n);
            }
            List<String> existing = folderNames();
            List<String> toMake = new ArrayList<>();
            // RFC 9051 §6.3.4: create the superior names that are needed
            for (String p = n; p != null; p = MailboxNames.parent(p)) {
                if (!existing.contains(p) && !p.equals(MailboxInfo.INBOX)) {
                    toMake.add(0, p);
                }
            }
            if (existing.size() + toMake.size() > store.config().maxFolders()) {
                throw new org.facteur.storage.InvalidMailboxNameException(
                        "too many mailboxes (at most " + store.config().maxFolders() + ")");
            }
            for (String p : toMake) {
                makeMaildir(folderDir(p));
            }
            if (specialUse.isPresent()) {
                synchronized (this) {
                    specialUses.values().remove(specialUse.get());
                    specialUses.put(n, specialUse.get());
                }
                saveSpecialUse();
            }
            return info(n);
        } finally {
            treeLock.unlock();
        }
    }

    @Override
    public void rename(String from, String to) throws IOException {
        String src = MailboxNames.validate(from, store.config());
        String dst = MailboxNames.validate(to, store.config());
        if (src.equals(MailboxInfo.INBOX)) {
            renameInbox(dst);
            return;
        }
        treeLock.lock();
        try {
            if (!Files.isDirectory(folderDir(src).resolve("cur"))) {
                throw new MailboxNotFoundException(src);
            }
            if (dst.equals(MailboxInfo.INBOX) || Files.isDirectory(folderDir(dst).resolve("cur"))) {
                throw new MailboxExistsException(dst);
            }
            if (MailboxNames.isSelfOrChild(dst, src)) {
                throw new org.facteur.storage.InvalidMailboxNameException("cannot move a mailbox into itself");
            }
            for (String p = MailboxNames.parent(dst); p != null; p = MailboxNames.parent(p)) {
                if (!p.equals(MailboxInfo.INBOX) && !Files.isDirectory(folderDir(p).resolve("cur"))) {
                    makeMaildir(folderDir(p));
                }
            }
            for (String old : folderNames()) {
                if (!MailboxNames.isSelfOrChild(old, src)) {
                    continue;
                }
                String renamed = dst + old.substring(src.length());
                MailboxNames.validate(renamed, store.config());
                FileSync.moveAtomically(folderDir(old), folderDir(renamed));
                MaildirFolder f = folders.remove(old);
                if (f != null) {
                    f.markGone();
                }
                store.index().update("UPDATE mailbox SET name=? WHERE account=? AND name=?", renamed, account, old);
                synchronized (this) {
                    if (subscriptions.remove(old)) {
                        subscriptions.add(renamed);
                    }
                    SpecialUse use = specialUses.remove(old);
                    if (use != null) {
                        specialUses.put(renamed, use);
                    }
                }
            }
            if (store.config().fsync()) {
                FileSync.syncDirectory(root);
            }
            saveSubscriptions();
            saveSpecialUse();
        } finally {
            treeLock.unlock();
        }
    }

    /** RFC 9051 §6.3.6: renaming INBOX moves all its messages to a new mailbox and leaves INBOX empty. */
    private void renameInbox(String dst) throws IOException {
        create(dst, Optional.empty());
        try (Mailbox inbox = open(MailboxInfo.INBOX, false, null)) {
            List<Long> all = inbox.messages().stream().map(m -> m.uid()).toList();
            if (!all.isEmpty()) {
                inbox.move(all, dst);
            }
        }
    }

    @Override
    public void delete(String name) throws IOException {
        String n = MailboxNames.validate(name, store.config());
        if (n.equals(MailboxInfo.INBOX)) {
            throw new org.facteur.storage.InvalidMailboxNameException("INBOX cannot be deleted");
        }
        treeLock.lock();
        try {
            Path dir = folderDir(n);
            if (!Files.isDirectory(dir.resolve("cur"))) {
                throw new MailboxNotFoundException(n);
            }
            MaildirFolder f = folders.remove(n);
            if (f != null) {
                f.markGone();
            }
            // Move it out of sight atomically first (into INBOX's tmp/, same file system), then remove it.
            Path trash = root.resolve("tmp").resolve("deleted-" + MessageFiles.uniqueBase());
            FileSync.moveAtomically(dir, trash);
            if (store.config().fsync()) {
                FileSync.syncDirectory(root);
            }
            deleteTree(trash);
            Optional<IndexDatabase.MailboxRecord> rec = store.index().mailbox(account, n);
            if (rec.isPresent()) {
                store.index().deleteMailbox(rec.get().id());
                fullText().deleteMailbox(account, rec.get().id());
            }
            synchronized (this) {
                specialUses.remove(n);
            }
            saveSpecialUse();
            usageChanged();
        } finally {
            treeLock.unlock();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public synchronized java.util.SortedSet<String> subscriptions() {
        return new TreeSet<>(subscriptions);
    }

    @Override
    public void subscribe(String name, boolean subscribed) throws IOException {
        String n = MailboxNames.validate(name, store.config());
        treeLock.lock();
        try {
            synchronized (this) {
                if (subscribed) {
                    subscriptions.add(n);
                } else {
                    subscriptions.remove(n);
                }
            }
            saveSubscriptions();
        } finally {
            treeLock.unlock();
        }
    }

    @Override
    public MailboxStatus status(String name) throws IOException {
        MaildirFolder f = folder(name);
        IndexDatabase.Counts c = f.counts();
        return new MailboxStatus(f.name(), c.messages(), c.unseen(), f.uidNext(), f.uidValidity(), f.highestModSeq(),
                c.size(), c.deleted(), c.recent());
    }

    @Override
    public Optional<MailboxInfo> specialUse(SpecialUse use) throws IOException {
        for (MailboxInfo i : mailboxes()) {
            if (i.specialUse().equals(Optional.of(use))) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    @Override
    public Mailbox open(String name, boolean readOnly, Mailbox.MailboxListener listener) throws IOException {
        return MaildirView.open(folder(name), readOnly, listener);
    }

    @Override
    public AppendResult append(String mailbox, InputStream content, Set<String> flags, Instant internalDate)
            throws IOException {
        return store(mailbox, content, flags, internalDate, true);
    }

    /**
     * Stores a message; {@code encodeNul} re-encodes parts holding a NUL byte in base64 (an APPEND, whose
     * content IMAP must be able to send back), else the bytes are kept as they came (a delivery).
     */
    AppendResult store(String mailbox, InputStream content, Set<String> flags, Instant internalDate, boolean encodeNul)
            throws IOException {
        MaildirFolder f = folder(mailbox);
        Set<String> clean = new TreeSet<>();
        for (String fl : flags) {
            if (!fl.equalsIgnoreCase(Flags.RECENT)) {
                clean.add(fl);
            }
        }
        Quota q = quota();
        long room = q.limitBytes() < 0 ? -1 : Math.max(1, q.limitBytes() - q.usedBytes());
        if (!q.allows(0, 1)) {
            throw new QuotaExceededException("mailbox full: " + q.usedMessages() + " messages");
        }
        Staged s = MessageFiles.stage(f.dir(), content, clean, internalDate, store.config().fsync(), store.parser(),
                store.textExtractor(), room, encodeNul);
        if (!quota().allows(s.size(), 1)) {
            Files.deleteIfExists(s.tmpFile());
            throw new QuotaExceededException("mailbox full: the message does not fit in the quota");
        }
        try {
            MessageRow r = f.commit(List.of(s), null).get(0);
            return new AppendResult(f.name(), f.uidValidity(), r.uid(), r.size());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(s.tmpFile());
            throw e;
        }
    }

    /** COPY and MOVE: hard links into the destination's tmp/ then the normal delivery path (UIDPLUS results). */
    CopyResult copy(MaildirView from, Collection<Long> uids, String destination, boolean move) throws IOException {
        MaildirFolder src = from.folder();
        MaildirFolder dst = folder(destination);
        List<MessageRow> rows = store.index().rows(src.mailboxId(), new TreeSet<>(uids));
        if (rows.isEmpty()) {
            return new CopyResult(dst.uidValidity(), List.of(), List.of());
        }
        // The quota root is the account (RFC 9208 §3): a COPY adds to its usage and is refused if it would exceed
        // a limit (§4.3); a MOVE adds nothing (the destination gains what the source loses), so it is never
        // refused for quota and a full account can still move its mail, to Trash for instance.
        if (!move) {
            long bytes = rows.stream().mapToLong(MessageRow::size).sum();
            if (!quota().allows(bytes, rows.size())) {
                throw new QuotaExceededException("mailbox full: the copy does not fit in the quota");
            }
        }
        List<Staged> staged = new ArrayList<>();
        List<Long> sourceUids = new ArrayList<>();
        try {
            for (MessageRow r : rows) {
                Path file = src.file(r.uid());
                if (file == null) {
                    continue;
                }
                String unique = MessageFiles.uniqueBase();
                Path tmp = dst.dir().resolve("tmp").resolve(unique);
                try {
                    Files.createLink(tmp, file);
                } catch (UnsupportedOperationException | IOException e) {
                    if (e instanceof NoSuchFileException) {
                        continue;
                    }
                    Files.copy(file, tmp);
                    if (store.config().fsync()) {
                        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                            ch.force(true);
                        }
                    }
                }
                StructureParser.Parsed parsed = MessageFiles.parse(tmp, store.parser());
                long vsize = r.size();
                String srcBase = MaildirFlags.base(file.getFileName().toString());
                int w = srcBase.indexOf(",W=");
                if (w >= 0) {
                    try {
                        vsize = Long.parseLong(srcBase.substring(w + 3).replaceAll("[^0-9].*$", ""));
                    } catch (NumberFormatException e) {
                        vsize = r.size();
                    }
                }
                Set<String> flags = new TreeSet<>(r.flags());
                staged.add(new Staged(tmp, unique + ",S=" + r.size() + ",W=" + vsize, r.size(), vsize, flags,
                        r.internalDate(), StructureCodec.encode(parsed.structure()),
                        IndexFields.of(parsed.structure(), parsed.header()), null));
                sourceUids.add(r.uid());
            }
            List<MessageRow> added = staged.isEmpty() ? List.of() : dst.commit(staged, null);
            List<Long> destUids = added.stream().map(MessageRow::uid).toList();
            if (move) {
                src.expunge(from, sourceUids);
            }
            reclassify(src, dst, destUids);
            return new CopyResult(dst.uidValidity(), sourceUids, destUids);
        } catch (IOException | RuntimeException e) {
            for (Staged s : staged) {
                Files.deleteIfExists(s.tmpFile());
            }
            throw e;
        }
    }

    private void reclassify(MaildirFolder src, MaildirFolder dst, List<Long> destUids) {
        SpecialUse from;
        SpecialUse to;
        synchronized (this) {
            from = specialUses.get(src.name());
            to = specialUses.get(dst.name());
        }
        boolean spam = to == SpecialUse.JUNK && from != SpecialUse.JUNK;
        // Out of Junk into anything but Trash is the user saying "not spam".
        boolean ham = from == SpecialUse.JUNK && to != SpecialUse.JUNK && to != SpecialUse.TRASH;
        if (spam || ham) {
            for (long uid : destUids) {
                store.reclassified(account, dst.name(), uid, spam);
            }
        }
    }

    // ---- quota ----

    /** Use and limits: the account's own limits (from the directory) or the configured default. */
    @Override
    public Quota quota() throws IOException {
        QuotaLimits own = store.quotaLimits(account);
        long limitBytes = own.bytesOr(store.config().quotaBytes());
        long limitMessages = own.messagesOr(store.config().quotaMessages());
        synchronized (this) {
            if (usageKnown) {
                return new Quota(usedBytes, limitBytes, usedMessages, limitMessages);
            }
        }
        for (String n : folderNames()) {
            try {
                folder(n).refresh();
            } catch (MailboxNotFoundException e) {
                // deleted meanwhile
            }
        }
        long version;
        synchronized (this) {
            version = usageVersion;
        }
        // alone, from reading to setting: no commit is between making its rows visible and counting them, which
        // would count it twice or not at all
        usageLock.writeLock().lock();
        try {
            long[] u = store.index().usage(account);
            synchronized (this) {
                usedBytes = u[0];
                usedMessages = u[1];
                // a sync that changed rows meanwhile asks for another count
                usageKnown = usageVersion == version;
                return new Quota(usedBytes, limitBytes, usedMessages, limitMessages);
            }
        } finally {
            usageLock.writeLock().unlock();
        }
    }

    /**
     * Runs an index change that adds (or, negative, removes) {@code bytes} and {@code messages}, and counts them,
     * as one step for {@link #quota()}'s recount.
     */
    void counted(IndexChange change, long bytes, long messages) throws IOException {
        usageLock.readLock().lock();
        try {
            change.run();
            synchronized (this) {
                usedBytes += bytes;
                usedMessages += messages;
            }
        } finally {
            usageLock.readLock().unlock();
        }
    }

    @FunctionalInterface
    interface IndexChange {
        void run() throws IOException;
    }

    /** The index changed in ways not counted (external drops, vanished files): the next quota() counts again. */
    synchronized void usageChanged() {
        usageKnown = false;
        usageVersion++;
    }

    // ---- small files at the account root ----

    private void loadSpecialUse() throws IOException {
        try {
            for (String line : Files.readAllLines(root.resolve(SPECIAL_USE_FILE), StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab <= 0) {
                    continue;
                }
                for (SpecialUse u : SpecialUse.values()) {
                    if (u.attribute().equalsIgnoreCase(line.substring(0, tab))) {
                        specialUses.put(MailboxNames.canonical(line.substring(tab + 1)), u);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // first start
        }
    }

    private void saveSpecialUse() throws IOException {
        StringBuilder b = new StringBuilder();
        synchronized (this) {
            specialUses.forEach((name, use) -> b.append(use.attribute()).append('\t').append(name).append('\n'));
        }
        FileSync.writeAtomically(root.resolve(SPECIAL_USE_FILE), b.toString().getBytes(StandardCharsets.UTF_8),
                store.config().fsync());
    }

    /** Dovecot's classic subscriptions format: one storage name per line ({@code Lists.Java}, modified UTF-7). */
    private void loadSubscriptions() throws IOException {
        try {
            for (String line : Files.readAllLines(root.resolve(SUBSCRIPTIONS_FILE), StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("V\t")) {
                    continue;
                }
                String name = line.equalsIgnoreCase(MailboxInfo.INBOX) ? MailboxInfo.INBOX
                        : MailboxNames.fromDirectory("." + line.trim());
                if (name != null) {
                    subscriptions.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            // first start
        }
    }

    private void saveSubscriptions() throws IOException {
        StringBuilder b = new StringBuilder();
        synchronized (this) {
            for (String s : subscriptions) {
                b.append(s.equals(MailboxInfo.INBOX) ? s : MailboxNames.toDirectory(s).substring(1)).append('\n');
            }
        }
        FileSync.writeAtomically(root.resolve(SUBSCRIPTIONS_FILE), b.toString().getBytes(StandardCharsets.UTF_8),
                store.config().fsync());
    }

    /** Folders loaded in memory (for periodic rescans of open mailboxes). */
    Collection<MaildirFolder> loadedFolders() {
        return folders.values();
    }
}
