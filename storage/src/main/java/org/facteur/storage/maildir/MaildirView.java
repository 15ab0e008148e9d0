package org.facteur.storage.maildir;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

import org.facteur.storage.CopyResult;
import org.facteur.storage.FlagChange;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MailboxEvent;
import org.facteur.storage.MailboxInfo;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.MessageStructure;
import org.facteur.storage.MessageSummary;
import org.facteur.storage.SearchQuery;
import org.facteur.storage.SortKey;
import org.facteur.storage.StoreResult;
import org.facteur.storage.StoredMessage;
import org.facteur.storage.index.IndexDatabase;
import org.facteur.storage.index.MessageRow;
import org.facteur.storage.mime.StructureCodec;
import org.facteur.storage.search.SearchEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One session's view of a maildir folder; see {@link Mailbox}. */
final class MaildirView implements Mailbox, SearchEngine.Target {

    private static final Logger LOG = LoggerFactory.getLogger(MaildirView.class);

    private final MaildirFolder folder;
    private final boolean readOnly;
    private final MailboxListener listener;
    private final ConcurrentSkipListSet<Long> recent = new ConcurrentSkipListSet<>();
    private volatile boolean closed;

    private MaildirView(MaildirFolder folder, boolean readOnly, MailboxListener listener) {
        this.folder = folder;
        this.readOnly = readOnly;
        this.listener = listener;
    }

    static MaildirView open(MaildirFolder folder, boolean readOnly, MailboxListener listener) throws IOException {
        MaildirView v = new MaildirView(folder, readOnly, listener);
        v.recent.addAll(folder.attach(v));
        return v;
    }

    MaildirFolder folder() {
        return folder;
    }

    void deliver(MailboxEvent event) {
        if (closed || listener == null) {
            return;
        }
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("a mailbox listener failed on {}: {}", event.getClass().getSimpleName(), e.toString());
        }
    }

    void addRecent(Collection<Long> uids) {
        recent.addAll(uids);
    }

    void removeRecent(Collection<Long> uids) {
        recent.removeAll(uids);
    }

    @Override
    public MailboxInfo info() {
        try {
            return folder.account.info(folder.name());
        } catch (IOException e) {
            return new MailboxInfo(folder.name(), Optional.empty(), false, false);
        }
    }

    @Override
    public long uidValidity() {
        return folder.uidValidity();
    }

    @Override
    public long uidNext() {
        return folder.uidNext();
    }

    @Override
    public long highestModSeq() {
        return folder.highestModSeq();
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("mailbox view is closed");
        }
        if (folder.gone()) {
            throw new org.facteur.storage.MailboxNotFoundException(folder.name());
        }
    }

    private void checkWritable() throws IOException {
        checkOpen();
        if (readOnly) {
            throw new IOException("mailbox is open read-only");
        }
    }

    @Override
    public List<MessageMeta> messages() throws IOException {
        checkOpen();
        return folder.metas();
    }

    @Override
    public Optional<MessageMeta> message(long uid) throws IOException {
        checkOpen();
        return folder.account.store().index().row(folder.mailboxId(), uid).map(MessageRow::meta);
    }

    @Override
    public Set<Long> recent() {
        // Copied by iterating: new TreeSet<>(sortedSet) takes the size first and then walks the set, so a UID
        // claimed by another thread in between made it throw (imaptest stress, a FETCH line left unfinished).
        return Collections.unmodifiableSet(recent.clone());
    }

    @Override
    public boolean isRecent(long uid) {
        return recent.contains(uid);
    }

    @Override
    public SeekableByteChannel openChannel(long uid) throws IOException {
        checkOpen();
        for (int attempt = 0; attempt < 3; attempt++) {
            Path p = folder.file(uid);
            if (p == null) {
                break;
            }
            try {
                return Files.newByteChannel(p);
            } catch (NoSuchFileException e) {
                // renamed by a flag change between lookup and open: look again
            }
        }
        throw new NoSuchFileException("message " + uid + " is not in " + folder.name());
    }

    @Override
    public MessageStructure structure(long uid) throws IOException {
        checkOpen();
        return structure(uid, folder.account.store().index().structure(folder.mailboxId(), uid));
    }

    /** The structure from its cached form, or parsed from the file and cached when there is none. */
    private MessageStructure structure(long uid, byte[] cached) throws IOException {
        MessageStructure s = StructureCodec.decode(cached);
        if (s != null) {
            return s;
        }
        var index = folder.account.store().index();
        Path p = folder.file(uid);
        if (p == null) {
            throw new NoSuchFileException("message " + uid + " is not in " + folder.name());
        }
        s = MessageFiles.parse(p, folder.account.store().parser()).structure();
        index.setStructure(folder.mailboxId(), uid, StructureCodec.encode(s));
        return s;
    }

    @Override
    public StoreResult store(Collection<Long> uids, FlagChange change, Set<String> flags, long unchangedSince)
            throws IOException {
        checkWritable();
        return folder.store(this, uids, change, flags, unchangedSince);
    }

    @Override
    public List<Long> expunge(Collection<Long> uids) throws IOException {
        checkWritable();
        return folder.expunge(this, uids);
    }

    @Override
    public CopyResult copy(Collection<Long> uids, String destination) throws IOException {
        checkOpen();
        return folder.account.copy(this, uids, destination, false);
    }

    @Override
    public CopyResult move(Collection<Long> uids, String destination) throws IOException {
        checkWritable();
        return folder.account.copy(this, uids, destination, true);
    }

    @Override
    public List<Long> search(SearchQuery query, List<SortKey> sort) throws IOException {
        checkOpen();
        return folder.account.store().searchEngine().search(this, query, sort);
    }

    @Override
    public List<MessageSummary> page(List<SortKey> sort, int offset, int limit) throws IOException {
        checkOpen();
        return folder.account.store().searchEngine().page(this, sort, offset, limit);
    }

    @Override
    public List<org.facteur.storage.ThreadSummary> threads(int offset, int limit) throws IOException {
        checkOpen();
        return folder.account.store().searchEngine().threads(this, offset, limit);
    }

    @Override
    public int threadCount() throws IOException {
        checkOpen();
        return folder.account.store().searchEngine().threadCount(this);
    }

    @Override
    public List<MessageSummary> thread(String threadId) throws IOException {
        checkOpen();
        return folder.account.store().searchEngine().thread(this, threadId);
    }

    @Override
    public void close() {
        closed = true;
        folder.detach(this);
    }

    // SearchEngine.Target

    @Override
    public String account() {
        return folder.account.account();
    }

    @Override
    public long mailboxId() {
        return folder.mailboxId();
    }

    @Override
    public Path file(long uid) throws IOException {
        return folder.file(uid);
    }

    @Override
    public Map<Long, StoredMessage> stored(Collection<Long> uids, boolean structures) throws IOException {
        checkOpen();
        Map<Long, StoredMessage> out = new HashMap<>();
        for (IndexDatabase.StoredRow r : folder.account.store().index().stored(folder.mailboxId(), uids, structures)) {
            out.put(r.uid(), new Stored(r.uid(), folder.dir().resolve(r.fileName()), r.structure()));
        }
        return out;
    }

    /** A message of {@link #stored}: its file and cached structure as read with its neighbours'. */
    private final class Stored implements StoredMessage {
        private final long uid;
        private final Path file;
        /** The cached structure as read with the file name; null when not asked for or not cached. */
        private final byte[] cached;

        Stored(long uid, Path file, byte[] cached) {
            this.uid = uid;
            this.file = file;
            this.cached = cached;
        }

        @Override
        public long uid() {
            return uid;
        }

        @Override
        public SeekableByteChannel openChannel() throws IOException {
            checkOpen();
            try {
                return Files.newByteChannel(file);
            } catch (NoSuchFileException e) {
                return MaildirView.this.openChannel(uid); // renamed since (a flag change): look it up again
            }
        }

        @Override
        public MessageStructure structure() throws IOException {
            checkOpen();
            return cached != null ? MaildirView.this.structure(uid, cached) : MaildirView.this.structure(uid);
        }
    }
}
