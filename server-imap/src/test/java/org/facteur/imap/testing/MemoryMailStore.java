package org.facteur.imap.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.facteur.storage.AccountStore;
import org.facteur.storage.AppendResult;
import org.facteur.storage.CopyResult;
import org.facteur.storage.FlagChange;
import org.facteur.storage.Flags;
import org.facteur.storage.MailStore;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MailboxEvent;
import org.facteur.storage.MailboxInfo;
import org.facteur.storage.MailboxNotFoundException;
import org.facteur.storage.MailboxStatus;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.MessageStructure;
import org.facteur.storage.MessageSummary;
import org.facteur.storage.Quota;
import org.facteur.storage.SearchQuery;
import org.facteur.storage.SortKey;
import org.facteur.storage.SpecialUse;
import org.facteur.storage.StoreResult;

/**
 * A small in-memory implementation of the storage contract, kept to exercise the IMAP protocol layer while the
 * real maildir store is built: events to other views, UIDs, MODSEQ, copy/move, flag and UID searches, and a
 * single-part structure. Protocol tests switch to the storage module's fixture once it is merged.
 */
public final class MemoryMailStore implements MailStore {

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final List<ReclassificationListener> reclassification = new CopyOnWriteArrayList<>();

    @Override
    public synchronized AccountStore account(String account) {
        return accounts.computeIfAbsent(account, Account::new);
    }

    @Override
    public AppendResult deliver(String account, String mailbox, InputStream content, Set<String> flags) throws IOException {
        return account(account).append(mailbox, content, flags, null);
    }

    @Override
    public void addReclassificationListener(ReclassificationListener listener) {
        reclassification.add(listener);
    }

    @Override
    public void close() {
    }

    record Stored(MessageMeta meta, byte[] content) {
    }

    static final class Box {
        final String name;
        final Optional<SpecialUse> use;
        boolean subscribed = true;
        final long uidValidity = System.nanoTime() & 0xffffffL | 1;
        long uidNext = 1;
        long modSeq = 1;
        final TreeMap<Long, Stored> messages = new TreeMap<>();
        final List<View> views = new CopyOnWriteArrayList<>();
        final Set<Long> recentClaimed = new HashSet<>();

        Box(String name, Optional<SpecialUse> use) {
            this.name = name;
            this.use = use;
        }
    }

    final class Account implements AccountStore {
        final String name;
        final Map<String, Box> boxes = new LinkedHashMap<>();

        Account(String name) {
            this.name = name;
            boxes.put("INBOX", new Box("INBOX", Optional.empty()));
            for (SpecialUse u : SpecialUse.values()) {
                boxes.put(u.defaultName(), new Box(u.defaultName(), Optional.of(u)));
            }
        }

        @Override
        public String account() {
            return name;
        }

        synchronized Box box(String mailbox) throws MailboxNotFoundException {
            Box b = boxes.get(mailbox);
            if (b == null) {
                throw new MailboxNotFoundException(mailbox);
            }
            return b;
        }

        @Override
        public synchronized List<MailboxInfo> mailboxes() {
            List<MailboxInfo> list = new ArrayList<>();
            for (Box b : boxes.values()) {
                boolean children = boxes.keySet().stream().anyMatch(n -> n.startsWith(b.name + "/"));
                list.add(new MailboxInfo(b.name, b.use, b.subscribed, children));
            }
            return list;
        }

        @Override
        public synchronized MailboxInfo create(String mailbox, Optional<SpecialUse> specialUse) {
            Box b = boxes.computeIfAbsent(mailbox, n -> new Box(n, specialUse));
            return new MailboxInfo(b.name, b.use, b.subscribed, false);
        }

        @Override
        public synchronized void rename(String from, String to) throws IOException {
            Box b = box(from);
            boxes.remove(from);
            Box renamed = new Box(to, b.use);
            renamed.messages.putAll(b.messages);
            renamed.uidNext = b.uidNext;
            boxes.put(to, renamed);
            if (from.equals("INBOX")) {
                boxes.put("INBOX", new Box("INBOX", Optional.empty()));
            }
            for (View v : b.views) {
                v.listener.onEvent(new MailboxEvent.Gone(b.modSeq));
            }
        }

        @Override
        public synchronized void delete(String mailbox) throws IOException {
            Box b = box(mailbox);
            boxes.remove(mailbox);
            for (View v : b.views) {
                v.listener.onEvent(new MailboxEvent.Gone(b.modSeq));
            }
        }

        @Override
        public synchronized void subscribe(String mailbox, boolean subscribed) throws IOException {
            box(mailbox).subscribed = subscribed;
        }

        @Override
        public synchronized MailboxStatus status(String mailbox) throws IOException {
            Box b = box(mailbox);
            long unseen = b.messages.values().stream().filter(s -> !s.meta.has(Flags.SEEN)).count();
            long deleted = b.messages.values().stream().filter(s -> s.meta.has(Flags.DELETED)).count();
            long size = b.messages.values().stream().mapToLong(s -> s.meta.size()).sum();
            return new MailboxStatus(mailbox, b.messages.size(), unseen, b.uidNext, b.uidValidity, b.modSeq, size, deleted);
        }

        @Override
        public synchronized Optional<MailboxInfo> specialUse(SpecialUse use) {
            return mailboxes().stream().filter(i -> i.specialUse().equals(Optional.of(use))).findFirst();
        }

        @Override
        public synchronized Mailbox open(String mailbox, boolean readOnly, Mailbox.MailboxListener listener) throws IOException {
            Box b = box(mailbox);
            View v = new View(this, b, readOnly, listener);
            b.views.add(v);
            return v;
        }

        @Override
        public AppendResult append(String mailbox, InputStream content, Set<String> flags, Instant internalDate) throws IOException {
            byte[] bytes = content.readAllBytes();
            synchronized (this) {
                Box b = box(mailbox);
                MessageMeta meta = add(b, bytes, flags, internalDate == null ? Instant.now() : internalDate);
                notifyOthers(b, null, new MailboxEvent.Added(List.of(meta), b.modSeq));
                return new AppendResult(mailbox, b.uidValidity, meta.uid(), bytes.length);
            }
        }

        MessageMeta add(Box b, byte[] bytes, Set<String> flags, Instant date) {
            MessageMeta meta = new MessageMeta(b.uidNext++, ++b.modSeq, flags, bytes.length, date, Instant.now());
            b.messages.put(meta.uid(), new Stored(meta, bytes));
            return meta;
        }

        void notifyOthers(Box b, View except, MailboxEvent e) {
            for (View v : b.views) {
                if (v != except) {
                    v.onAdded(e);
                    v.listener.onEvent(e);
                }
            }
        }

        @Override
        public Quota quota() {
            long used = 0;
            long count = 0;
            synchronized (this) {
                for (Box b : boxes.values()) {
                    for (Stored s : b.messages.values()) {
                        used += s.meta.size();
                        count++;
                    }
                }
            }
            return new Quota(used, 100L << 20, count, -1);
        }
    }

    final class View implements Mailbox {
        final Account account;
        final Box box;
        final boolean readOnly;
        final Mailbox.MailboxListener listener;
        final Set<Long> recent = ConcurrentHashMap.newKeySet();

        View(Account account, Box box, boolean readOnly, Mailbox.MailboxListener listener) {
            this.account = account;
            this.box = box;
            this.readOnly = readOnly;
            this.listener = listener;
            synchronized (account) {
                for (long uid : box.messages.keySet()) {
                    if (!readOnly && box.recentClaimed.add(uid)) {
                        recent.add(uid);
                    }
                }
            }
        }

        void onAdded(MailboxEvent e) {
            if (e instanceof MailboxEvent.Added a && !readOnly) {
                for (MessageMeta m : a.messages()) {
                    if (box.recentClaimed.add(m.uid())) {
                        recent.add(m.uid());
                    }
                }
            }
        }

        @Override
        public MailboxInfo info() {
            return new MailboxInfo(box.name, box.use, box.subscribed, false);
        }

        @Override
        public long uidValidity() {
            return box.uidValidity;
        }

        @Override
        public long uidNext() {
            synchronized (account) {
                return box.uidNext;
            }
        }

        @Override
        public long highestModSeq() {
            synchronized (account) {
                return box.modSeq;
            }
        }

        @Override
        public boolean readOnly() {
            return readOnly;
        }

        @Override
        public List<MessageMeta> messages() {
            synchronized (account) {
                return box.messages.values().stream().map(Stored::meta).toList();
            }
        }

        @Override
        public Optional<MessageMeta> message(long uid) {
            synchronized (account) {
                return Optional.ofNullable(box.messages.get(uid)).map(Stored::meta);
            }
        }

        @Override
        public Set<Long> recent() {
            return Set.copyOf(recent);
        }

        @Override
        public InputStream open(long uid) throws IOException {
            synchronized (account) {
                Stored s = box.messages.get(uid);
                if (s == null) {
                    throw new java.nio.file.NoSuchFileException("uid " + uid);
                }
                return new ByteArrayInputStream(s.content);
            }
        }

        @Override
        public MessageStructure structure(long uid) throws IOException {
            byte[] content;
            synchronized (account) {
                Stored s = box.messages.get(uid);
                if (s == null) {
                    throw new java.nio.file.NoSuchFileException("uid " + uid);
                }
                content = s.content;
            }
            return SimpleStructure.of(content);
        }

        @Override
        public StoreResult store(Collection<Long> uids, FlagChange change, Set<String> flags, long unchangedSince) {
            List<MessageMeta> updated = new ArrayList<>();
            List<Long> modified = new ArrayList<>();
            synchronized (account) {
                for (long uid : uids) {
                    Stored s = box.messages.get(uid);
                    if (s == null) {
                        continue;
                    }
                    if (unchangedSince >= 0 && s.meta.modSeq() > unchangedSince) {
                        modified.add(uid);
                        continue;
                    }
                    Set<String> now = new LinkedHashSet<>(s.meta.flags());
                    switch (change) {
                        case REPLACE -> {
                            now.clear();
                            now.addAll(flags);
                        }
                        case ADD -> now.addAll(flags);
                        case REMOVE -> now.removeAll(flags);
                    }
                    if (now.equals(s.meta.flags()) && unchangedSince < 0) {
                        updated.add(s.meta);
                        continue;
                    }
                    MessageMeta m = new MessageMeta(uid, ++box.modSeq, now, s.meta.size(), s.meta.internalDate(), s.meta.saveDate());
                    box.messages.put(uid, new Stored(m, s.content));
                    updated.add(m);
                }
                if (!updated.isEmpty()) {
                    account.notifyOthers(box, this, new MailboxEvent.FlagsChanged(updated, box.modSeq));
                }
            }
            return new StoreResult(updated, modified);
        }

        @Override
        public List<Long> expunge(Collection<Long> uids) {
            List<Long> removed = new ArrayList<>();
            synchronized (account) {
                for (long uid : new java.util.TreeSet<>(uids)) {
                    if (box.messages.remove(uid) != null) {
                        removed.add(uid);
                    }
                }
                if (!removed.isEmpty()) {
                    box.modSeq++;
                    account.notifyOthers(box, this, new MailboxEvent.Expunged(removed, box.modSeq));
                }
            }
            return removed;
        }

        @Override
        public CopyResult copy(Collection<Long> uids, String destination) throws IOException {
            synchronized (account) {
                Box target = account.box(destination);
                List<Long> src = new ArrayList<>();
                List<Long> dst = new ArrayList<>();
                List<MessageMeta> added = new ArrayList<>();
                for (long uid : uids) {
                    Stored s = box.messages.get(uid);
                    if (s != null) {
                        MessageMeta m = account.add(target, s.content, s.meta.flags(), s.meta.internalDate());
                        src.add(uid);
                        dst.add(m.uid());
                        added.add(m);
                        boolean spam = target.use.equals(Optional.of(SpecialUse.JUNK));
                        boolean wasSpam = box.use.equals(Optional.of(SpecialUse.JUNK));
                        if (spam != wasSpam) {
                            reclassification.forEach(l -> l.onReclassified(account.name, target.name, m.uid(), spam));
                        }
                    }
                }
                if (!added.isEmpty()) {
                    account.notifyOthers(target, null, new MailboxEvent.Added(added, target.modSeq));
                }
                return new CopyResult(target.uidValidity, src, dst);
            }
        }

        @Override
        public CopyResult move(Collection<Long> uids, String destination) throws IOException {
            synchronized (account) {
                CopyResult r = copy(uids, destination);
                expunge(r.sourceUids());
                return r;
            }
        }

        @Override
        public List<Long> search(SearchQuery query, List<SortKey> sort) {
            List<Long> out = new ArrayList<>();
            synchronized (account) {
                for (Stored s : box.messages.values()) {
                    if (matches(query, s)) {
                        out.add(s.meta.uid());
                    }
                }
            }
            if (!sort.isEmpty() && sort.get(0).criterion() == SortKey.Criterion.SIZE) {
                out.sort(java.util.Comparator.comparingLong(u -> box.messages.get(u).meta.size()));
                if (sort.get(0).reverse()) {
                    java.util.Collections.reverse(out);
                }
            } else if (!sort.isEmpty() && sort.get(0).reverse()) {
                java.util.Collections.reverse(out);
            }
            return out;
        }

        private boolean matches(SearchQuery q, Stored s) {
            return switch (q) {
                case SearchQuery.All a -> true;
                case SearchQuery.And a -> a.terms().stream().allMatch(t -> matches(t, s));
                case SearchQuery.Or o -> o.terms().stream().anyMatch(t -> matches(t, s));
                case SearchQuery.Not n -> !matches(n.term(), s);
                case SearchQuery.HasFlag f -> s.meta.has(f.flag());
                case SearchQuery.Uids u -> u.ranges().stream().anyMatch(r -> s.meta.uid() >= r[0] && s.meta.uid() <= r[1]);
                case SearchQuery.Larger l -> s.meta.size() > l.bytes();
                case SearchQuery.Smaller l -> s.meta.size() < l.bytes();
                case SearchQuery.ModSeqAtLeast m -> s.meta.modSeq() >= m.modSeq();
                case SearchQuery.Text t -> new String(s.content, StandardCharsets.UTF_8).toLowerCase().contains(t.value().toLowerCase());
                case SearchQuery.Header h -> new String(s.content, StandardCharsets.UTF_8).toLowerCase().contains(h.name().toLowerCase() + ":");
                default -> true;
            };
        }

        @Override
        public List<MessageSummary> page(List<SortKey> sort, int offset, int limit) {
            return List.of();
        }

        @Override
        public void close() {
            box.views.remove(this);
        }
    }
}
