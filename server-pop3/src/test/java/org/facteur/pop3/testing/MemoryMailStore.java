package org.facteur.pop3.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
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
 * A stand-in for the storage module's maildir store while it is being written: the {@link Mailbox} contract's
 * behaviour that POP3 relies on (UIDs, flags, expunge, events to the other views), in memory. To be replaced
 * by the storage test-jar's real store once it is merged.
 */
public final class MemoryMailStore implements MailStore {

    private final Map<String, MemoryAccount> accounts = new ConcurrentHashMap<>();

    @Override
    public AccountStore account(String account) {
        return accounts.computeIfAbsent(account, MemoryAccount::new);
    }

    @Override
    public AppendResult deliver(String account, String mailbox, InputStream content, Set<String> flags) throws IOException {
        return account(account).append(mailbox, content, flags, null);
    }

    @Override
    public void addReclassificationListener(ReclassificationListener listener) {
    }

    @Override
    public void close() {
    }

    private static final class Folder {
        final String name;
        final long uidValidity = 1_700_000_000L + (long) (Math.random() * 1000);
        long uidNext = 1;
        long modSeq = 1;
        final TreeMap<Long, MessageMeta> metas = new TreeMap<>();
        final Map<Long, byte[]> contents = new ConcurrentHashMap<>();
        final List<View> views = new CopyOnWriteArrayList<>();

        Folder(String name) {
            this.name = name;
        }

        synchronized void broadcast(View origin, MailboxEvent event) {
            for (View v : views) {
                if (v != origin && v.listener != null) {
                    v.listener.onEvent(event);
                }
            }
        }
    }

    private static final class MemoryAccount implements AccountStore {
        private final String name;
        private final Map<String, Folder> folders = new ConcurrentHashMap<>();

        MemoryAccount(String name) {
            this.name = name;
            folders.put("INBOX", new Folder("INBOX"));
        }

        private Folder folder(String mailbox) throws MailboxNotFoundException {
            Folder f = folders.get(mailbox);
            if (f == null) {
                throw new MailboxNotFoundException(mailbox);
            }
            return f;
        }

        @Override
        public String account() {
            return name;
        }

        @Override
        public List<MailboxInfo> mailboxes() {
            return folders.keySet().stream().map(n -> new MailboxInfo(n, Optional.empty(), true, false)).toList();
        }

        @Override
        public MailboxInfo create(String mailbox, Optional<SpecialUse> specialUse) {
            folders.computeIfAbsent(mailbox, Folder::new);
            return new MailboxInfo(mailbox, specialUse, false, false);
        }

        @Override
        public void rename(String from, String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String mailbox) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void subscribe(String mailbox, boolean subscribed) {
        }

        @Override
        public MailboxStatus status(String mailbox) throws IOException {
            Folder f = folder(mailbox);
            synchronized (f) {
                return new MailboxStatus(mailbox, f.metas.size(), 0, f.uidNext, f.uidValidity, f.modSeq, 0, 0);
            }
        }

        @Override
        public Optional<MailboxInfo> specialUse(SpecialUse use) {
            return Optional.empty();
        }

        @Override
        public Mailbox open(String mailbox, boolean readOnly, Mailbox.MailboxListener listener) throws IOException {
            View view = new View(folder(mailbox), listener, readOnly);
            view.folder.views.add(view);
            return view;
        }

        @Override
        public AppendResult append(String mailbox, InputStream content, Set<String> flags, Instant internalDate)
                throws IOException {
            Folder f = folder(mailbox);
            byte[] bytes = content.readAllBytes();
            MessageMeta meta;
            synchronized (f) {
                long uid = f.uidNext++;
                Instant now = Instant.now();
                meta = new MessageMeta(uid, ++f.modSeq, flags, bytes.length, internalDate == null ? now : internalDate, now);
                f.contents.put(uid, bytes);
                f.metas.put(uid, meta);
                f.broadcast(null, new MailboxEvent.Added(List.of(meta), f.modSeq));
            }
            return new AppendResult(mailbox, f.uidValidity, meta.uid(), bytes.length);
        }

        @Override
        public Quota quota() {
            return new Quota(0, -1, 0, -1);
        }
    }

    private static final class View implements Mailbox {
        final Folder folder;
        final MailboxListener listener;
        final boolean readOnly;

        View(Folder folder, MailboxListener listener, boolean readOnly) {
            this.folder = folder;
            this.listener = listener;
            this.readOnly = readOnly;
        }

        @Override
        public MailboxInfo info() {
            return new MailboxInfo(folder.name, Optional.empty(), true, false);
        }

        @Override
        public long uidValidity() {
            return folder.uidValidity;
        }

        @Override
        public long uidNext() {
            synchronized (folder) {
                return folder.uidNext;
            }
        }

        @Override
        public long highestModSeq() {
            synchronized (folder) {
                return folder.modSeq;
            }
        }

        @Override
        public boolean readOnly() {
            return readOnly;
        }

        @Override
        public List<MessageMeta> messages() {
            synchronized (folder) {
                return List.copyOf(folder.metas.values());
            }
        }

        @Override
        public Optional<MessageMeta> message(long uid) {
            synchronized (folder) {
                return Optional.ofNullable(folder.metas.get(uid));
            }
        }

        @Override
        public Set<Long> recent() {
            return Set.of();
        }

        @Override
        public InputStream open(long uid) throws IOException {
            byte[] bytes = folder.contents.get(uid);
            if (bytes == null) {
                throw new java.nio.file.NoSuchFileException("uid " + uid);
            }
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public MessageStructure structure(long uid) {
            throw new UnsupportedOperationException();
        }

        @Override
        public StoreResult store(Collection<Long> uids, FlagChange change, Set<String> flags, long unchangedSince) {
            List<MessageMeta> updated = new ArrayList<>();
            synchronized (folder) {
                for (long uid : uids) {
                    MessageMeta m = folder.metas.get(uid);
                    if (m == null) {
                        continue;
                    }
                    Set<String> now = new HashSet<>(m.flags());
                    switch (change) {
                        case ADD -> now.addAll(flags);
                        case REMOVE -> now.removeAll(flags);
                        case REPLACE -> {
                            now.clear();
                            now.addAll(flags);
                        }
                    }
                    MessageMeta changed = new MessageMeta(uid, ++folder.modSeq, now, m.size(), m.internalDate(), m.saveDate());
                    folder.metas.put(uid, changed);
                    updated.add(changed);
                }
                if (!updated.isEmpty()) {
                    folder.broadcast(this, new MailboxEvent.FlagsChanged(updated, folder.modSeq));
                }
            }
            return new StoreResult(updated, List.of());
        }

        @Override
        public List<Long> expunge(Collection<Long> uids) {
            List<Long> removed = new ArrayList<>();
            synchronized (folder) {
                for (long uid : new java.util.TreeSet<>(uids)) {
                    if (folder.metas.remove(uid) != null) {
                        folder.contents.remove(uid);
                        removed.add(uid);
                    }
                }
                if (!removed.isEmpty()) {
                    folder.broadcast(this, new MailboxEvent.Expunged(removed, ++folder.modSeq));
                }
            }
            return removed;
        }

        @Override
        public CopyResult copy(Collection<Long> uids, String destination) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CopyResult move(Collection<Long> uids, String destination) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Long> search(SearchQuery query, List<SortKey> sort) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<MessageSummary> page(List<SortKey> sort, int offset, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            folder.views.remove(this);
        }
    }
}
