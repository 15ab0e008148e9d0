package org.facteur.pop3.session;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.facteur.storage.FlagChange;
import org.facteur.storage.Flags;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MailboxEvent;
import org.facteur.storage.MessageMeta;

/**
 * A POP3 session's view of its maildrop: the messages as they were at login, numbered from 1 (RFC 1939 §3:
 * numbers never change within a session, messages that arrive later are not shown), the deletion marks, and
 * what QUIT does with them.
 *
 * <p>DELE sets {@code \Deleted} through the storage at once, so IMAP sessions see what the POP3 client is
 * about to remove; only QUIT (the UPDATE state) expunges. A session that ends any other way calls
 * {@link #abandon()}, which clears the marks it set: a dropped connection deletes nothing (RFC 1939 §6).
 */
public final class Maildrop implements AutoCloseable {

    /** One listed message: its number is its index in the list plus one. */
    public record Entry(long uid, long size) {
    }

    /** What the UPDATE state did. */
    public record UpdateResult(int removed, int failed, int left) {
    }

    private final Mailbox mailbox;
    private final List<Entry> entries;
    private final boolean leaveOnServer;
    private final boolean[] deleted;
    private final Set<Long> retrieved = new LinkedHashSet<>();
    /** UIDs other sessions expunged while this one was open; filled by the storage's event thread. */
    private final Set<Long> removedElsewhere;
    /** Set when the folder was deleted or renamed away; every message then counts as removed elsewhere. */
    private final AtomicBoolean gone;
    private boolean finished;

    private Maildrop(Mailbox mailbox, List<Entry> entries, boolean leaveOnServer, Set<Long> removedElsewhere,
                     AtomicBoolean gone) {
        this.gone = gone;
        this.mailbox = mailbox;
        this.entries = List.copyOf(entries);
        this.leaveOnServer = leaveOnServer;
        this.deleted = new boolean[entries.size()];
        this.removedElsewhere = removedElsewhere;
    }

    /**
     * Opens the maildrop through {@code opener} and takes the snapshot.
     *
     * @param maxMessages list at most this many, the newest ones (0: all)
     */
    public static Maildrop open(MailboxOpener opener, int maxMessages, boolean leaveOnServer) throws IOException {
        Set<Long> removedElsewhere = ConcurrentHashMap.newKeySet();
        AtomicBoolean gone = new AtomicBoolean();
        Mailbox mailbox = opener.open(event -> {
            // The storage's thread: only record, never block (Mailbox contract).
            if (event instanceof MailboxEvent.Expunged expunged) {
                removedElsewhere.addAll(expunged.uids());
            } else if (event instanceof MailboxEvent.Gone) {
                gone.set(true);
            }
        });
        try {
            List<Entry> entries = new ArrayList<>();
            for (MessageMeta meta : mailbox.messages()) {
                // A message already marked \Deleted (by an IMAP client) is on its way out: listing it would let
                // a POP3 client download mail its owner has thrown away.
                if (!meta.has(Flags.DELETED)) {
                    entries.add(new Entry(meta.uid(), meta.size()));
                }
            }
            if (maxMessages > 0 && entries.size() > maxMessages) {
                entries = new ArrayList<>(entries.subList(entries.size() - maxMessages, entries.size()));
            }
            return new Maildrop(mailbox, entries, leaveOnServer, removedElsewhere, gone);
        } catch (IOException | RuntimeException e) {
            mailbox.close();
            throw e;
        }
    }

    /** How the maildrop's mailbox is opened, with the listener for other parties' changes. */
    @FunctionalInterface
    public interface MailboxOpener {
        Mailbox open(Mailbox.MailboxListener listener) throws IOException;
    }

    /** Messages in the snapshot, deleted ones included (RFC 1939 §5: numbers stay valid). */
    public int size() {
        return entries.size();
    }

    public int countLive() {
        int n = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (!deleted[i]) {
                n++;
            }
        }
        return n;
    }

    public long sizeLive() {
        long total = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (!deleted[i]) {
                total += entries.get(i).size();
            }
        }
        return total;
    }

    public boolean exists(int number) {
        return number >= 1 && number <= entries.size();
    }

    public boolean isDeleted(int number) {
        return deleted[number - 1];
    }

    public Entry entry(int number) {
        return entries.get(number - 1);
    }

    /** Whether an IMAP session expunged this message after the snapshot was taken. */
    public boolean removedElsewhere(int number) {
        return gone.get() || removedElsewhere.contains(entry(number).uid());
    }

    /**
     * The unique-id listing of RFC 1939 §7 (UIDL): the mailbox's UIDVALIDITY and the message's UID, both as
     * fixed-width hex. They identify a message across sessions, server restarts and index rebuilds (the
     * storage keeps both in the maildir's own files), and change exactly when the message is really another.
     */
    public String uniqueId(int number) {
        return uniqueId(mailbox.uidValidity(), entry(number).uid());
    }

    /** 1-70 characters in 0x21-0x7E (RFC 1939 §7): 16 or more hex digits. */
    public static String uniqueId(long uidValidity, long uid) {
        return String.format("%08x%08x", uidValidity, uid);
    }

    /** The stored message. */
    public InputStream open(int number) throws IOException {
        return mailbox.open(entry(number).uid());
    }

    public void markRetrieved(int number) {
        retrieved.add(entry(number).uid());
    }

    /** DELE: marks the message; with leave-on-server the mark stays in this session only. */
    public void delete(int number) throws IOException {
        if (!leaveOnServer) {
            mailbox.store(List.of(entry(number).uid()), FlagChange.ADD, Set.of(Flags.DELETED), -1);
        }
        deleted[number - 1] = true;
    }

    /** RSET: unmarks every message this session marked (RFC 1939 §5). */
    public void reset() throws IOException {
        List<Long> marked = markedUids();
        marked.removeAll(removedElsewhere);
        if (!leaveOnServer && !marked.isEmpty()) {
            mailbox.store(marked, FlagChange.REMOVE, Set.of(Flags.DELETED), -1);
        }
        java.util.Arrays.fill(deleted, false);
    }

    /**
     * QUIT in TRANSACTION (RFC 1939 §6): removes the marked messages (or, with leave-on-server, marks them
     * {@code \Seen}), and marks the retrieved ones {@code \Seen} for IMAP users of the same mailbox. Other
     * sessions learn of the expunge through the storage's events.
     */
    public UpdateResult update() throws IOException {
        List<Long> marked = markedUids();
        int removed = 0;
        if (!marked.isEmpty()) {
            if (leaveOnServer) {
                mailbox.store(marked, FlagChange.ADD, Set.of(Flags.SEEN), -1);
            } else {
                marked.removeAll(removedElsewhere);
                removed = mailbox.expunge(marked).size();
            }
        }
        // From here on the marks are spent; if expunge threw, abandon() still takes them back.
        finished = true;
        List<Long> seen = new ArrayList<>(retrieved);
        seen.removeAll(leaveOnServer ? List.of() : marked);
        seen.removeAll(removedElsewhere);
        if (!seen.isEmpty()) {
            mailbox.store(seen, FlagChange.ADD, Set.of(Flags.SEEN), -1);
        }
        int failed = leaveOnServer ? 0 : marked.size() - removed;
        return new UpdateResult(removed, Math.max(0, failed), countLive());
    }

    /** The session ended without QUIT: take back this session's {@code \Deleted} marks (RFC 1939 §6). */
    public void abandon() throws IOException {
        if (!finished) {
            finished = true;
            List<Long> marked = markedUids();
            marked.removeAll(removedElsewhere);
            if (!leaveOnServer && !marked.isEmpty()) {
                mailbox.store(marked, FlagChange.REMOVE, Set.of(Flags.DELETED), -1);
            }
        }
    }

    private List<Long> markedUids() {
        List<Long> marked = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (deleted[i]) {
                marked.add(entries.get(i).uid());
            }
        }
        return marked;
    }

    @Override
    public void close() {
        mailbox.close();
    }
}
