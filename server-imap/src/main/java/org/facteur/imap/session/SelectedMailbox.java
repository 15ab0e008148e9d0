package org.facteur.imap.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MailboxEvent;
import org.facteur.storage.MessageMeta;

/**
 * The session's picture of its selected mailbox: messages in message-sequence-number order (MSN = index + 1),
 * as last told to the client, and the queue of other parties' changes not told yet. The picture changes only
 * when the session announces a change (RFC 9051 §7: EXISTS, EXPUNGE/VANISHED, FETCH), so sequence numbers the
 * client holds stay valid between announcements (RFC 9051 §5.5, §7.5.1).
 *
 * <p>Storage calls the listener on its own thread; it only queues and wakes an IDLE waiter.
 */
public final class SelectedMailbox implements AutoCloseable {

    private final String name;
    private final boolean readOnly;
    private final LinkedBlockingDeque<MailboxEvent> pending = new LinkedBlockingDeque<>();
    private final List<MessageMeta> messages = new ArrayList<>();
    private final java.util.TreeSet<String> keywords = new java.util.TreeSet<>();
    private final java.util.Set<String> announcedKeywords = new java.util.HashSet<>();
    private Mailbox view;
    private long highestModSeq;
    private volatile boolean gone;

    public SelectedMailbox(String name, boolean readOnly) {
        this.name = name;
        this.readOnly = readOnly;
    }

    /** The listener to give {@link org.facteur.storage.AccountStore#open}: queues, never blocks. */
    public Mailbox.MailboxListener listener() {
        return pending::offerLast;
    }

    /** Called once the view is open: takes its state as the starting picture. */
    public void attach(Mailbox view) throws IOException {
        this.view = view;
        messages.clear();
        messages.addAll(view.messages());
        for (MessageMeta m : messages) {
            keywords.addAll(keywordsOf(m));
        }
        highestModSeq = view.highestModSeq();
    }

    public Mailbox view() {
        return view;
    }

    public String name() {
        return name;
    }

    public boolean readOnly() {
        return readOnly || view.readOnly();
    }

    public int size() {
        return messages.size();
    }

    public List<MessageMeta> messages() {
        return Collections.unmodifiableList(messages);
    }

    /** The message at sequence number {@code msn} (1-based). */
    public MessageMeta at(int msn) {
        return messages.get(msn - 1);
    }

    /** The sequence number of {@code uid}, or -1 when the session does not know it. */
    public int msnOf(long uid) {
        int lo = 0;
        int hi = messages.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long u = messages.get(mid).uid();
            if (u < uid) {
                lo = mid + 1;
            } else if (u > uid) {
                hi = mid - 1;
            } else {
                return mid + 1;
            }
        }
        return -1;
    }

    public long lastUid() {
        return messages.isEmpty() ? 0 : messages.get(messages.size() - 1).uid();
    }

    public long highestModSeq() {
        return highestModSeq;
    }

    public void noteModSeq(long modSeq) {
        highestModSeq = Math.max(highestModSeq, modSeq);
    }

    /**
     * Replaces known messages with their new state (own STORE, implicit \Seen, others' changes). A state older
     * than the one held (an event queued before this session's own later change) is ignored; returns whether
     * {@code m} was taken.
     */
    public boolean update(MessageMeta m) {
        int msn = msnOf(m.uid());
        noteModSeq(m.modSeq());
        if (msn > 0 && m.modSeq() >= messages.get(msn - 1).modSeq()) {
            messages.set(msn - 1, m);
            keywords.addAll(keywordsOf(m));
            return true;
        }
        return false;
    }

    public void update(Collection<MessageMeta> changed) {
        for (MessageMeta m : changed) {
            update(m);
        }
    }

    /** Keywords (non-system flags) seen in this mailbox, for the FLAGS response (RFC 9051 §7.3.5). */
    public java.util.SortedSet<String> keywords() {
        return java.util.Collections.unmodifiableSortedSet(keywords);
    }

    /** Keywords of {@code m} the client has not been told of in a FLAGS response yet. */
    public boolean hasNewKeywords(MessageMeta m) {
        for (String k : keywordsOf(m)) {
            if (!announcedKeywords.contains(k)) {
                return true;
            }
        }
        return false;
    }

    /** Marks the current keyword set as announced; returns the FLAGS list text. */
    public String announceKeywords(Collection<MessageMeta> extra) {
        for (MessageMeta m : extra) {
            keywords.addAll(keywordsOf(m));
        }
        announcedKeywords.clear();
        announcedKeywords.addAll(keywords);
        StringBuilder sb = new StringBuilder("\\Answered \\Flagged \\Deleted \\Seen \\Draft");
        for (String k : keywords) {
            sb.append(' ').append(k);
        }
        return sb.toString();
    }

    private static java.util.List<String> keywordsOf(MessageMeta m) {
        java.util.List<String> out = new ArrayList<>();
        for (String f : m.flags()) {
            if (!org.facteur.storage.Flags.isSystem(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** Adds messages with UIDs above the last known one; returns how many were new. */
    public int add(Collection<MessageMeta> added) {
        int n = 0;
        for (MessageMeta m : added) {
            if (m.uid() > lastUid()) {
                messages.add(m);
                keywords.addAll(keywordsOf(m));
                noteModSeq(m.modSeq());
                n++;
            }
        }
        return n;
    }

    /** Removes one message; returns its former sequence number, or -1. */
    public int remove(long uid) {
        int msn = msnOf(uid);
        if (msn > 0) {
            messages.remove(msn - 1);
        }
        return msn;
    }

    /** The next change from others, or null. */
    public MailboxEvent peekPending() {
        return pending.peekFirst();
    }

    public MailboxEvent pollPending() {
        return pending.pollFirst();
    }

    /** Waits for a change from others (IDLE); the event stays queued. */
    public boolean awaitPending(long millis) throws InterruptedException {
        MailboxEvent e = pending.pollFirst(millis, TimeUnit.MILLISECONDS);
        if (e == null) {
            return false;
        }
        pending.offerFirst(e);
        return true;
    }

    public boolean gone() {
        return gone;
    }

    public void markGone() {
        gone = true;
    }

    @Override
    public void close() {
        if (view != null) {
            view.close();
        }
    }
}
