package org.facteur.webmail.mail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.facteur.auth.Directory;
import org.facteur.storage.AccountStore;
import org.facteur.storage.CopyResult;
import org.facteur.storage.FlagChange;
import org.facteur.storage.Flags;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MailboxInfo;
import org.facteur.storage.MailboxStatus;
import org.facteur.storage.MessageMeta;
import org.facteur.storage.MessageStructure;
import org.facteur.storage.MessageSummary;
import org.facteur.storage.SearchQuery;
import org.facteur.storage.SortKey;
import org.facteur.storage.SpecialUse;
import org.facteur.storage.ThreadSummary;
import org.facteur.webmail.MailSubmitter;
import org.facteur.webmail.contacts.ContactBook;

/**
 * One logged-in user's mail, as the webmail views use it: the folder open in the list, paging, searching,
 * flags, moves and sending. Everything goes through the account's own {@link AccountStore}, so nothing here can
 * reach another account's mail. Not thread-safe: one per Vaadin session, used under its lock.
 */
public final class MailSession implements AutoCloseable {

    private final String account;
    private final AccountStore store;
    private final Directory directory;
    private final MailSubmitter submitter;
    private final String host;
    private final ContactBook contacts;
    private final int suggestions;
    private Mailbox open;
    private volatile boolean changedElsewhere;
    private volatile Runnable onChangedElsewhere = () -> { };

    /**
     * @param contacts the address book, where the recipients of each message sent are counted and from which
     *                 addresses are suggested ({@code suggestions} at most)
     */
    public MailSession(String account, AccountStore store, Directory directory, MailSubmitter submitter, String host,
                       ContactBook contacts, int suggestions) {
        this.account = account;
        this.store = store;
        this.directory = directory;
        this.submitter = submitter;
        this.host = host;
        this.contacts = contacts;
        this.suggestions = suggestions;
    }

    public String account() {
        return account;
    }

    /** Safe from any thread, as {@link #status} is: both only read the account's index. */
    public List<MailboxInfo> folders() throws IOException {
        return store.mailboxes();
    }

    public void createFolder(String name) throws IOException {
        store.create(name, Optional.empty());
    }

    /** Renames a folder of the user's own; INBOX and special-use folders are refused. */
    public void renameFolder(String from, String to) throws IOException {
        checkOrdinary(from);
        if (to.isBlank()) {
            throw new IOException("give a name");
        }
        if (open != null && open.info().name().equals(from)) {
            close();
        }
        store.rename(from, to);
    }

    public void deleteFolder(String name) throws IOException {
        checkOrdinary(name);
        if (open != null && open.info().name().equals(name)) {
            close();
        }
        store.delete(name);
    }

    private void checkOrdinary(String name) throws IOException {
        if (name.equalsIgnoreCase(MailboxInfo.INBOX)) {
            throw new IOException("INBOX cannot be renamed or deleted here");
        }
        for (MailboxInfo info : store.mailboxes()) {
            if (info.name().equals(name) && info.specialUse().isPresent()) {
                throw new IOException(name + " is a special folder");
            }
        }
    }

    /** The folders the user subscribed to (RFC 9051 §6.3.9: what IMAP clients list with LSUB). */
    public Set<String> subscriptions() throws IOException {
        return store.subscriptions();
    }

    public void subscribe(String folder, boolean subscribed) throws IOException {
        store.subscribe(folder, subscribed);
    }

    public MailboxStatus status(String folder) throws IOException {
        return store.status(folder);
    }

    public Optional<String> specialFolder(SpecialUse use) throws IOException {
        return store.specialUse(use).map(MailboxInfo::name);
    }

    /** Opens {@code folder} for the list, closing the previous one. */
    public Mailbox open(String folder) throws IOException {
        if (open != null && open.info().name().equals(folder)) {
            return open;
        }
        close();
        // Other parties' changes mark the list stale and tell the view (LiveUpdates), which refreshes it later
        // under the UI's lock: this runs on a storage thread and must not block.
        open = store.open(folder, false, event -> {
            changedElsewhere = true;
            onChangedElsewhere.run();
        });
        return open;
    }

    /**
     * Called on a storage thread, without waiting, each time a delivery or another session changes the open
     * folder; it must only queue work (see {@code Mailbox.MailboxListener}).
     */
    public void onChangedElsewhere(Runnable callback) {
        onChangedElsewhere = callback == null ? () -> { } : callback;
    }

    public Mailbox current() {
        return open;
    }

    /** Whether a delivery or another session changed the open folder since the last call. */
    public boolean takeChangedElsewhere() {
        boolean changed = changedElsewhere;
        changedElsewhere = false;
        return changed;
    }

    public List<MessageSummary> page(List<SortKey> sort, int offset, int limit) throws IOException {
        return open.page(sort, offset, limit);
    }

    /** A page of the open folder's conversations, newest first (the threaded list). */
    public List<ThreadSummary> threads(int offset, int limit) throws IOException {
        return open.threads(offset, limit);
    }

    public int threadCount() throws IOException {
        return open.threadCount();
    }

    /** One conversation's messages in the open folder, oldest first. */
    public List<MessageSummary> thread(String threadId) throws IOException {
        return open.thread(threadId);
    }

    public int count() throws IOException {
        return (int) store.status(open.info().name()).messages();
    }

    /** UIDs matching the words typed in the search box, in {@code sort} order (Lucene, through the storage). */
    public List<Long> search(String words, List<SortKey> sort) throws IOException {
        List<SearchQuery> terms = new ArrayList<>();
        for (String word : words.strip().split("\\s+")) {
            if (!word.isEmpty()) {
                terms.add(new SearchQuery.Or(List.of(
                        new SearchQuery.Text(SearchQuery.Field.TEXT, word),
                        new SearchQuery.Text(SearchQuery.Field.ATTACHMENT_NAME, word))));
            }
        }
        return open.search(terms.size() == 1 ? terms.getFirst() : new SearchQuery.And(terms), sort);
    }

    /** A list row for one UID, from the index and the cached structure (search results). */
    public Optional<MessageSummary> summary(long uid) throws IOException {
        Optional<MessageMeta> meta = open.message(uid);
        if (meta.isEmpty()) {
            return Optional.empty();
        }
        MessageStructure.Envelope envelope = open.structure(uid).envelope();
        String from = envelope.from() == null || envelope.from().isEmpty() ? "" : display(envelope.from().getFirst());
        String subject = envelope.subject() == null ? "" : DecoderUtil.decodeEncodedWords(envelope.subject(), DecodeMonitor.SILENT);
        MessageMeta m = meta.get();
        return Optional.of(new MessageSummary(uid, m.internalDate(), from, "", subject, m.size(), m.flags(), false, null));
    }

    private static String display(MessageStructure.Address a) {
        if (a.name() != null && !a.name().isBlank()) {
            return DecoderUtil.decodeEncodedWords(a.name(), DecodeMonitor.SILENT);
        }
        return a.mailbox() + "@" + a.host();
    }

    public ReadMessage read(long uid) throws IOException {
        try (InputStream in = open.open(uid)) {
            return MessageReader.read(in);
        }
    }

    public Optional<MessageReader.PartContent> part(long uid, String part) throws IOException {
        try (InputStream in = open.open(uid)) {
            return MessageReader.part(in, part);
        }
    }

    /**
     * Sets or clears {@code flag} on the messages of the open folder.
     *
     * @return how to undo it: only the messages whose flag this call changed
     */
    public Optional<Undo> flag(Collection<Long> uids, String flag, boolean set) throws IOException {
        List<Long> changed = new ArrayList<>();
        for (long uid : uids) {
            Optional<MessageMeta> meta = open.message(uid);
            if (meta.isPresent() && meta.get().flags().contains(flag) != set) {
                changed.add(uid);
            }
        }
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        open.store(changed, set ? FlagChange.ADD : FlagChange.REMOVE, Set.of(flag), -1);
        return Optional.of(new Undo.FlagChanged(open.info().name(), changed, flag, set));
    }

    /** Sets or clears a flag in any of the user's folders (undo, when the list shows another folder by then). */
    void flagIn(String folder, List<Long> uids, String flag, boolean set) throws IOException {
        withFolder(folder, box -> box.store(uids, set ? FlagChange.ADD : FlagChange.REMOVE, Set.of(flag), -1));
    }

    /**
     * Moves to {@code folder} (RFC 6851 semantics through the storage; into or out of Junk trains the filter).
     *
     * @return how to undo it, empty when nothing moved (the folder is the open one)
     */
    public Optional<Undo> move(Collection<Long> uids, String folder) throws IOException {
        if (folder.equals(open.info().name())) {
            return Optional.empty();
        }
        CopyResult moved = open.move(uids, folder);
        return Optional.of(new Undo.Moved(open.info().name(), folder, moved.destinationUids()));
    }

    /** Moves messages of any of the user's folders (undoing a move). */
    void moveFrom(String from, List<Long> uids, String to) throws IOException {
        withFolder(from, box -> box.move(uids, to));
    }

    private interface FolderAction {
        void run(Mailbox box) throws IOException;
    }

    private void withFolder(String folder, FolderAction action) throws IOException {
        if (open != null && open.info().name().equals(folder)) {
            action.run(open);
            return;
        }
        try (Mailbox box = store.open(folder, false, event -> { })) {
            action.run(box);
        }
    }

    /**
     * Deleting moves to Trash, which can be undone; deleting in Trash removes for good, which cannot.
     *
     * @return how to undo it, empty when the messages are gone for good
     */
    public Optional<Undo> delete(Collection<Long> uids) throws IOException {
        Optional<String> trash = specialFolder(SpecialUse.TRASH);
        if (trash.isPresent() && !trash.get().equals(open.info().name())) {
            return move(uids, trash.get());
        }
        open.store(uids, FlagChange.ADD, Set.of(Flags.DELETED), -1);
        open.expunge(uids);
        return Optional.empty();
    }

    /** The addresses this account may write from: its own and the aliases that reach it, as the directory says. */
    public List<String> identities() {
        List<String> owned = directory.identities(account);
        return owned.isEmpty() ? List.of(account) : owned;
    }

    /**
     * Sends a draft: checks the sender, hands the message to the submission, then files a copy in Sent as
     * read. The copy is filed only once the submission accepted it.
     */
    public void send(Draft draft) throws IOException {
        if (!directory.maySendAs(account, draft.fromAddress())) {
            throw new MailSubmitter.RejectedException("you may not send as " + draft.fromAddress());
        }
        MessageComposer.Composed composed = MessageComposer.compose(draft, host);
        if (composed.recipients().isEmpty()) {
            throw new MailSubmitter.RejectedException("add at least one recipient");
        }
        Path file = Files.createTempFile("webmail-", ".eml");
        try {
            Files.write(file, composed.message());
            submitter.submit(account, file, composed.recipients());
        } finally {
            Files.deleteIfExists(file);
        }
        contacts.recordSent(account, composed.recipients());
        String sent = specialFolder(SpecialUse.SENT).orElse(SpecialUse.SENT.defaultName());
        store.append(sent, new java.io.ByteArrayInputStream(composed.message()), Set.of(Flags.SEEN), null);
    }

    /** Addresses from the user's contacts and past correspondents matching what is typed, most used first. */
    public List<ContactBook.Suggestion> suggest(String typed) throws IOException {
        return contacts.suggest(account, typed, suggestions);
    }

    /**
     * Files the draft in Drafts (\Draft, \Seen), then removes the copy saved before it, if any: Drafts keeps one
     * copy of a message being written however often it is saved.
     *
     * @param previous the UID in Drafts of the last saved copy, or 0
     * @return the UID of the new copy
     */
    public long saveDraft(Draft draft, long previous) throws IOException {
        MessageComposer.Composed composed = MessageComposer.compose(draft, host);
        String drafts = draftsFolder();
        long uid = store.append(drafts, new java.io.ByteArrayInputStream(composed.message()),
                Set.of(Flags.SEEN, Flags.DRAFT), null).uid();
        discardDraft(previous);
        return uid;
    }

    /** Removes a saved copy from Drafts for good (the message was sent, or the user discarded it). */
    public void discardDraft(long uid) throws IOException {
        if (uid > 0) {
            withFolder(draftsFolder(), box -> {
                box.store(List.of(uid), FlagChange.ADD, Set.of(Flags.DELETED), -1);
                box.expunge(List.of(uid));
            });
        }
    }

    private String draftsFolder() throws IOException {
        return specialFolder(SpecialUse.DRAFTS).orElse(SpecialUse.DRAFTS.defaultName());
    }

    /** The stored message, byte for byte (forwarding it as an attachment). */
    public byte[] raw(long uid) throws IOException {
        try (InputStream in = open.open(uid)) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        if (open != null) {
            open.close();
            open = null;
        }
    }
}
