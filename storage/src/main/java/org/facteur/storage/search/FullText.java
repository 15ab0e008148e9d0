package org.facteur.storage.search;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;

import org.facteur.storage.SearchQuery;
import org.facteur.storage.mime.TextExtractor;

/**
 * The full-text side of search (one index per account). Updates are best effort and never fail a delivery:
 * the index can always be rebuilt from the maildir, and a search whose index cannot answer falls back to
 * reading the messages.
 */
public interface FullText extends AutoCloseable {

    /**
     * Announces messages that are committed (sessions may see them now) but not yet {@link #add added}: until
     * they are, {@link #candidates} names them as unindexed so that a search reads them instead of missing them.
     */
    default void expect(String account, long mailboxId, Collection<Long> uids) {
    }

    /** Indexes a message, reading and parsing its file. Updates may be applied after they return, in order. */
    void add(String account, long mailboxId, long uid, Path file);

    /** Indexes a message whose text the caller has extracted already (a delivery, from its one parse). */
    void add(String account, long mailboxId, long uid, TextExtractor.Extracted text);

    void delete(String account, long mailboxId, Collection<Long> uids);

    void deleteMailbox(String account, long mailboxId);

    /**
     * UIDs of the mailbox whose text may contain {@code value} in {@code field} (a superset of the true
     * matches, never missing one; {@code exact} when it is exactly the matches), or null when this index cannot
     * answer (not built yet for that mailbox).
     */
    Candidates candidates(String account, long mailboxId, SearchQuery.Field field, String value);

    /**
     * Makes the index hold exactly these messages of the mailbox (first use after a start), in the background.
     * {@code files} is the mailbox as it was when {@code uidNext} was its next UID: messages added since (UIDs
     * from {@code uidNext} on) are not in it and are kept.
     */
    default void reconcile(String account, long mailboxId, java.util.Map<Long, Path> files, long uidNext) {
    }

    /**
     * @param uids ascending, distinct (primitive: a frequent word matches most of a 100,000-message mailbox)
     * @param unindexed messages committed but not yet in the index, which the caller must check itself
     */
    record Candidates(long[] uids, boolean exact, long[] unindexed) {
    }

    @Override
    void close();

    FullText NONE = new FullText() {
        @Override
        public void add(String account, long mailboxId, long uid, Path file) {
        }

        @Override
        public void add(String account, long mailboxId, long uid, TextExtractor.Extracted text) {
        }

        @Override
        public void delete(String account, long mailboxId, Collection<Long> uids) {
        }

        @Override
        public void deleteMailbox(String account, long mailboxId) {
        }

        @Override
        public Candidates candidates(String account, long mailboxId, SearchQuery.Field field, String value) {
            return null;
        }

        @Override
        public void close() {
        }
    };
}
