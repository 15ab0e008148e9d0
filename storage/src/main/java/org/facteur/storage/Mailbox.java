package org.facteur.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One session's open view of a mailbox (IMAP SELECT/EXAMINE, a POP3 maildrop, a webmail folder).
 *
 * <p>Changes made through this view are returned by the method that made them; changes made by anyone else
 * (deliveries, other sessions) arrive through the {@link MailboxListener} given at open, in order, on a
 * storage thread: the listener must only queue them, never block or do I/O.
 *
 * <p>Writes to one mailbox are serialised by the storage; reads are concurrent. No storage lock is held
 * while the caller does network I/O, so a slow client never stalls others.
 */
public interface Mailbox extends AutoCloseable {

    MailboxInfo info();

    long uidValidity();

    long uidNext();

    long highestModSeq();

    boolean readOnly();

    /** Every message, ascending by UID: the view's state as of now. */
    List<MessageMeta> messages() throws IOException;

    Optional<MessageMeta> message(long uid) throws IOException;

    /**
     * The UIDs this view holds as {@code \Recent} (IMAP4rev1: new to the first session that sees them,
     * RFC 3501 §2.3.2). Grows as deliveries arrive while the view is open.
     */
    Set<Long> recent();

    /**
     * Whether this view holds {@code uid} as {@code \Recent}: what a FLAGS response asks for each message, without
     * the copy of the whole set that {@link #recent} makes (a FETCH of a folder's N new messages made N copies).
     */
    boolean isRecent(long uid);

    /** The stored message, byte for byte. The caller closes the stream. */
    default InputStream open(long uid) throws IOException {
        return java.nio.channels.Channels.newInputStream(openChannel(uid));
    }

    /**
     * The stored message, readable at any offset. Once open it stays readable even if another session expunges
     * or renames the message meanwhile (an open file outlives its name), so a response built from several of its
     * ranges sees one message. The caller closes the channel.
     */
    java.nio.channels.SeekableByteChannel openChannel(long uid) throws IOException;

    /** The cached structure; parsed and cached now if the index lacks it. */
    MessageStructure structure(long uid) throws IOException;

    /**
     * Many messages at once for FETCH of a range (RFC 9051 §6.4.5): each one's file and, with {@code structures},
     * its cached structure, from one index query per run of close UIDs instead of two per message. Keyed by UID;
     * a message not in the mailbox (expunged meanwhile) is absent.
     */
    java.util.Map<Long, StoredMessage> stored(Collection<Long> uids, boolean structures) throws IOException;

    /** Changes flags; {@code unchangedSince < 0} means no CONDSTORE condition. */
    StoreResult store(Collection<Long> uids, FlagChange change, Set<String> flags, long unchangedSince) throws IOException;

    /** Removes these messages for good and returns the UIDs actually removed (ascending). */
    List<Long> expunge(Collection<Long> uids) throws IOException;

    CopyResult copy(Collection<Long> uids, String destination) throws IOException;

    /** RFC 6851 MOVE: copy, then expunge here, as one step for other sessions. */
    CopyResult move(Collection<Long> uids, String destination) throws IOException;

    /** UIDs matching {@code query}, in {@code sort} order (ascending UID when empty). */
    List<Long> search(SearchQuery query, List<SortKey> sort) throws IOException;

    /** A page of the list for display, {@code offset} from the start in {@code sort} order. */
    List<MessageSummary> page(List<SortKey> sort, int offset, int limit) throws IOException;

    /**
     * A page of the mailbox's conversations, newest conversation first (by its newest message's date), for the
     * webmail's threaded list. The grouping runs in the index; only the page's rows are built.
     */
    List<ThreadSummary> threads(int offset, int limit) throws IOException;

    /** How many conversations the mailbox holds (the threaded list's length). */
    int threadCount() throws IOException;

    /** The messages of one conversation ({@link ThreadSummary#threadId()}), oldest first. */
    List<MessageSummary> thread(String threadId) throws IOException;

    /** Stops events to this view. */
    @Override
    void close();

    /** Receives other parties' changes; see the class comment. */
    @FunctionalInterface
    interface MailboxListener {
        void onEvent(MailboxEvent event);
    }
}
